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
COOKIE_TODO = "session_cookie_todo"  # ("set", token) or ("delete", None) until the page did it
ENDED = "session_ended"


def _cookie_manager():
    import extra_streamlit_components as stx

    return stx.CookieManager(key="marine_cookie_manager")


def _write_cookie() -> None:
    """Keep the CookieManager on the page until it reports the cookie written."""
    todo = st.session_state.get(COOKIE_TODO)
    if not todo:
        return
    action, token = todo
    done_key = f"marine_cookie_{action}"
    if st.session_state.get(done_key) is True:
        st.session_state.pop(COOKIE_TODO, None)
        st.session_state.pop(done_key, None)
        return
    try:
        manager = _cookie_manager()
        if action == "set":
            policy = data.store().sessions.policy
            manager.set(COOKIE, token, key=done_key, same_site="strict", path="/",
                        expires_at=dt.datetime.now() + policy.absolute,
                        max_age=policy.absolute.total_seconds())
        else:
            manager.cookie_manager(method="delete", cookie=COOKIE, key=done_key, default=False)
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
        st.session_state[COOKIE_TODO] = ("set", token)
    draft_doc.adopt(user)


def sign_out() -> None:
    """End the session everywhere (its token signs nobody in any more), forget the user and
    everything the tab holds."""
    token = st.session_state.get(TOKEN) or _cookie_token()
    try:
        data.store().sessions.end(token)
    except MarineError as exc:
        log.warning("session not ended: %s", exc)
    state.set_user(None)
    st.session_state[COOKIE_TODO] = ("delete", None)


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
            if state.user() is not None and ss.get(TOKEN):
                state.set_user(None)
                ss[ENDED] = True
                ss[COOKIE_TODO] = ("delete", None)
            ss.pop(TOKEN, None)
        elif state.user() is None or state.user().id != user.id:
            state.set_user(user)
            ss[TOKEN] = token
        else:
            ss[TOKEN] = token
    elif state.user() is None:
        _resume_oidc()
    _write_cookie()


def _cookie_token() -> str | None:
    """The cookie's token unless this tab has signed out since it was sent."""
    if st.session_state.get(COOKIE_TODO, (None,))[0] == "delete":
        return None
    try:
        value = st.context.cookies.get(COOKIE)
    except Exception:  # no browser connection (AppTest, CLI)
        return None
    return value if isinstance(value, str) else None


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
