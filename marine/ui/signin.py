"""Sign in: local accounts (username and password), a one-time sign-in link
(`?signin=<token>`), or the organisation's OpenID Connect provider through `st.login` when
`[auth]` is configured in secrets.toml. The limits on guessing live in the store; this page only
says when to try again. Whoever signs in with a one-time password or link chooses their own
password here before anything else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import streamlit as st

from marine.errors import AccessDenied, MarineError
from marine.ui import data, session, state
from marine.ui.account import (
    begin_session,
    client_address,
    new_password_fields,
    password_problem,
    sign_in_as,
)
from marine.ui.chrome import disclaimer_banner

LINK_PARAM = "signin"
_PENDING = "signin_pending"
_REFUSED = "signin_refused"  # why the last sign-in was refused, until shown
_OIDC_LOGOUT = "signin_oidc_logout"  # signed out: end the provider's session too


@dataclass(frozen=True)
class PendingPassword:
    """Signed in with a one-time password: not yet a session user until they choose theirs."""

    user_id: int
    display_name: str
    one_time_password: str


def oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError, AttributeError):
        return False
    except Exception:  # no secrets.toml at all: Streamlit raises its own parse error type
        return False


def wait_text(until: datetime) -> str:
    seconds = max(1, round((until - data.store().db.clock()).total_seconds()))
    if seconds < 120:
        return state.t("auth.wait.seconds", n=seconds)
    return state.t("auth.wait.minutes", n=-(-seconds // 60))


def sign_in_with_password() -> None:
    t = state.t
    with st.form("sign-in"):
        st.text_input(t("auth.username"), key="signin_username")
        st.text_input(t("auth.password"), type="password", key="signin_password")
        st.form_submit_button(t("auth.sign_in"), on_click=_submit_password)
    _show_refusal()


def _submit_password() -> None:
    """The sign-in form's callback: it runs before the page is drawn, not in a page body
    that any rerun can stop. A rerun arriving during the callback still cuts it short
    (Streamlit checks at every session-state access), which is why nothing on the page
    reruns it at sign-out any more (see marine/ui/session.py)."""
    ss = st.session_state
    username, password = ss.get("signin_username") or "", ss.get("signin_password") or ""
    result = data.store().users.sign_in(username, password, address=client_address())
    if result.retry_after is not None:
        ss[_REFUSED] = state.t("auth.throttled", wait=wait_text(result.retry_after))
    elif result.user is None:
        ss[_REFUSED] = state.t("auth.failed")
    elif result.user.must_change_password:
        ss[_PENDING] = PendingPassword(result.user.id, result.user.display_name, password)
    else:
        ss.pop(_REFUSED, None)
        begin_session(result.user)


def _show_refusal() -> None:
    """Why the last try was refused; kept until shown (a cut-short run shows it next time)."""
    refusal = st.session_state.get(_REFUSED)
    if refusal:
        st.error(refusal)
        st.session_state.pop(_REFUSED, None)


def choose_first_password(pending: PendingPassword) -> None:
    t = state.t
    st.info(state.tm("auth.choose_password", name=pending.display_name))
    with st.form("first-password"):
        new, again = new_password_fields("first_password")
        submitted = st.form_submit_button(t("auth.set_password"))
    if st.button(t("auth.cancel"), key="first_password_cancel"):
        del st.session_state[_PENDING]
        st.rerun()
    if not submitted:
        return
    if new != again:
        st.error(t("account.password.mismatch"))
        return
    try:
        user = data.store().users.change_password(pending.user_id, pending.one_time_password, new,
                                                  address=client_address())
    except MarineError as exc:
        st.error(password_problem(exc))
        return
    del st.session_state[_PENDING]
    sign_in_as(user)


def sign_in_with_link(token: str) -> bool:
    """The page for `?signin=<token>`; False when the link cannot be used (the usual form
    follows)."""
    t = state.t
    store = data.store()
    holder = store.accounts.link_user(token)
    if holder is None:
        st.error(t("auth.link_invalid"))
        return False
    st.info(state.tm("auth.choose_password", name=holder.display_name))
    with st.form("link-password"):
        new, again = new_password_fields("link_password")
        submitted = st.form_submit_button(t("auth.set_password"))
    if not submitted:
        return True
    if new != again:
        st.error(t("account.password.mismatch"))
        return True
    try:
        user = store.accounts.redeem_link(token, new)
    except MarineError as exc:
        st.error(password_problem(exc) if not isinstance(exc, AccessDenied)
                 else t("auth.link_invalid"))
        return True
    st.query_params.pop(LINK_PARAM, None)
    sign_in_as(user)
    return True


def link_for_someone(token: str, current) -> None:
    """A sign-in link opened in a browser that is signed in already (a used link opened
    again, or someone else's): say what the link does now instead of ignoring it."""
    holder = data.store().accounts.link_user(token)
    if holder is None:
        st.error(state.t("auth.link_invalid"))
        st.query_params.pop(LINK_PARAM, None)
    elif holder.id != current.id:
        st.warning(state.tm("auth.link_other_user", name=holder.display_name,
                            current=current.display_name))


def sign_in_with_oidc() -> None:
    t = state.t
    if getattr(st.user, "is_logged_in", False):
        try:
            user = data.store().users.from_identity(st.user.to_dict())
        except AccessDenied as exc:
            st.error(state.md(exc))
            return
        if user is None:
            st.error(t("auth.inactive"))
            return
        session.signed_in(user)
        st.rerun()
    st.button(t("auth.sign_in_oidc"), on_click=st.login)


def _sign_out() -> None:
    """The Sign out button's callback (before the page is drawn, like the sign-in's)."""
    session.sign_out()
    if getattr(st.user, "is_logged_in", False):
        st.session_state[_OIDC_LOGOUT] = True


def render() -> None:
    t = state.t
    current = state.user()
    st.title(t("auth.sign_out") if current is not None else t("auth.title"))
    disclaimer_banner()
    token = st.query_params.get(LINK_PARAM)
    if current is None and token and sign_in_with_link(token):
        return
    pending = st.session_state.get(_PENDING)
    if current is None and isinstance(pending, PendingPassword):
        choose_first_password(pending)
        return
    if current is not None:
        if token:
            link_for_someone(token, current)
        st.success(state.tm("auth.signed_in_as", name=current.display_name))
        st.button(t("auth.sign_out"), key="sign_out", on_click=_sign_out)
        return
    if st.session_state.pop(_OIDC_LOGOUT, False):
        st.logout()
    session.ended_notice()
    st.write(t("auth.intro"))
    sign_in_with_password()
    if oidc_configured():
        st.divider()
        sign_in_with_oidc()
