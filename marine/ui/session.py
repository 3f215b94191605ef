"""Signed in across reloads and new tabs: a random session token in a cookie (never in a
URL), kept hashed by the store (`Store.sessions`), checked on every run so that signing out
ends it in every tab. The cookie is read with Streamlit's own `st.context.cookies` and written
with the `extra-streamlit-components` CookieManager (no hand-written JavaScript).

Because the CookieManager writes from the page, the cookie cannot be HttpOnly; it is
SameSite=Strict, scoped to "/", and lives no longer than the session's absolute expiry.
"""

from __future__ import annotations

import datetime as dt
import logging

import streamlit as st

from marine.errors import AccessDenied, MarineError
from marine.ui import data, draft_doc, state

log = logging.getLogger(__name__)
COOKIE = "marine_session"
TOKEN = "session_token"  # this browser session's token (also in the cookie)
COOKIE_TODO = "session_cookie_todo"  # the token to write in the cookie, until it is written
COOKIE_DONE = "marine_cookie_set"  # the cookie component's key: True once it has written
SIGNED_OUT = "session_signed_out"  # the ended token the browser may still send in its cookie
ENDED = "session_ended"


def _cookie_writer():
    """The CookieManager's component itself: `stx.CookieManager()` also draws a second
    component that reads every cookie (we read them with `st.context.cookies`), and each
    component reporting back reruns the page once more."""
    from extra_streamlit_components.CookieManager import _component_func

    return _component_func


def _write_cookie() -> None:
    """Keep the CookieManager on the page until it reports the cookie written.

    Only after signing in: a component reporting back reruns the page, and a rerun arriving
    while a callback runs cuts the callback short (Streamlit checks for reruns on every
    session-state access). Deleting the cookie at sign-out did exactly that to the next
    sign-in, one time in ten under load. A signed-out cookie is harmless as it is: its token
    is ended in the store and signs nobody in (`Store.sessions.resume`)."""
    token = st.session_state.get(COOKIE_TODO)
    if not token:
        return
    if st.session_state.get(COOKIE_DONE) is True:
        st.session_state.pop(COOKIE_TODO, None)
        st.session_state.pop(COOKIE_DONE, None)
        return
    try:
        policy = data.store().sessions.policy
        expires = (dt.datetime.now() + policy.absolute).isoformat()
        options = {"path": "/", "expires": expires, "sameSite": "strict",
                   "maxAge": policy.absolute.total_seconds()}
        _cookie_writer()(method="set", cookie=COOKIE, value=token, options=options,
                         key=COOKIE_DONE, default=False)
    except Exception as exc:  # the component missing or failing: signed in for this tab only
        log.warning("session cookie not written: %s", exc)
        st.session_state.pop(COOKIE_TODO, None)


def signed_in(user) -> None:
    """After a password or OIDC sign-in: a new session, its token in the cookie, and a
    visitor's draft handed to the user."""
    state.set_user(user)
    try:
        token = data.store().sessions.begin(user)
    except MarineError as exc:
        log.warning("session not begun for user %s: %s", user.id, exc)
    else:
        st.session_state[TOKEN] = token
        st.session_state[COOKIE_TODO] = token
    draft_doc.adopt(user)


def sign_out() -> None:
    """End the session everywhere (its token signs nobody in any more), forget the user and
    everything the tab holds."""
    token = st.session_state.get(TOKEN) or _cookie_token()
    try:
        data.store().sessions.end(token)
    except MarineError as exc:
        log.warning("session not ended: %s", exc)
    _forget(token)


def _forget(token: str | None) -> None:
    """Signed out in this tab: the user, the token, a cookie not yet written, and the ended
    token the browser's cookie still holds (never asked about again in this tab)."""
    ss = st.session_state
    state.set_user(None)
    ss.pop(TOKEN, None)
    ss.pop(COOKIE_TODO, None)
    if token:
        ss[SIGNED_OUT] = token


def restore() -> None:
    """On every run: resume the user from the cookie (a reload, a new tab, after a restart),
    or sign out a tab whose session was ended elsewhere."""
    ss = st.session_state
    token = ss.get(TOKEN) or _cookie_token()
    if token:
        try:
            user = data.store().sessions.resume(token)
        except MarineError as exc:
            log.warning("session not checked: %s", exc)
            user = state.user()
        if user is None:
            if state.user() is not None and ss.get(TOKEN):  # ended elsewhere: out here too
                ss[ENDED] = True
                _forget(token)
            else:  # a stale cookie of an ended session: never asked about again here
                ss.pop(TOKEN, None)
                ss[SIGNED_OUT] = token
        elif state.user() is None or state.user().id != user.id:
            state.set_user(user)
            ss[TOKEN] = token
        else:
            ss[TOKEN] = token
    elif state.user() is None:
        _resume_oidc()
    _write_cookie()


def _cookie_token() -> str | None:
    """The cookie's token unless this tab has signed out of it since it was sent."""
    try:
        value = st.context.cookies.get(COOKIE)
    except Exception:  # no browser connection (AppTest, CLI)
        return None
    if not isinstance(value, str) or value == st.session_state.get(SIGNED_OUT):
        return None
    return value


def _resume_oidc() -> None:
    """Signed in with the organisation's provider (`st.login` keeps its own cookie)."""
    if not getattr(st.user, "is_logged_in", False):
        return
    try:
        user = data.store().users.from_identity(st.user.to_dict())
    except (AccessDenied, MarineError) as exc:
        log.warning("OIDC identity not accepted: %s", exc)
        return
    if user is not None:
        signed_in(user)


def ended_notice() -> None:
    if st.session_state.pop(ENDED, False):
        st.warning(state.t("auth.session_ended"))
