"""My account: one's own display name, preferred languages and password (the current one
required), and the groups one is in. Also the pieces the Sign in page shares: choosing a new
password, and the messages of a refused one."""

from __future__ import annotations

import streamlit as st

from marine.errors import AccessDenied, MarineError, PasswordRejected
from marine.i18n import LANGUAGES
from marine.store.passwords import MIN_PASSWORD_LENGTH
from marine.ui import data, state
from marine.ui.chrome import disclaimer_banner
from marine.ui.groups import group_label


def client_address() -> str | None:
    """The browser's address as Streamlit sees the connection (None on localhost). Behind a
    proxy that rewrites it, only the per-account limits apply."""
    address = getattr(st.context, "ip_address", None)
    return address if isinstance(address, str) and address else None


def password_problem(exc: MarineError) -> str:
    """A refused password or sign-in, said in the reader's language."""
    if isinstance(exc, PasswordRejected):
        return state.t(f"account.password.{exc.reason}", **exc.fields)
    if isinstance(exc, AccessDenied):
        return state.t("account.current_wrong")
    return state.md(exc)


def new_password_fields(key: str) -> tuple[str, str]:
    """Two password inputs (inside a form) with the rule stated under them."""
    t = state.t
    new = st.text_input(t("account.new_password"), type="password", key=f"{key}_new")
    again = st.text_input(t("account.repeat_password"), type="password", key=f"{key}_again")
    st.caption(t("account.password_rule", minimum=MIN_PASSWORD_LENGTH))
    return new, again


def begin_session(user) -> None:
    """Sign the user in (a session kept across reloads, a visitor's draft handed over), in
    their preferred language. Safe in a widget callback (no rerun)."""
    from marine.ui import session

    session.signed_in(user)
    if user.languages:
        state.request_language(user.languages[0])


def sign_in_as(user) -> None:
    """`begin_session`, then the page again as the signed-in user."""
    begin_session(user)
    st.rerun()


def profile_form(store, user) -> None:
    t = state.t
    with st.form("account-profile"):
        st.subheader(t("account.profile"))
        name = st.text_input(t("account.display_name"), value=user.display_name,
                             key="account_name", max_chars=200)
        chosen = [c for c in user.languages if c in LANGUAGES] or [state.lang()]
        languages = st.multiselect(t("account.languages"), list(LANGUAGES), default=chosen,
                                   format_func=LANGUAGES.__getitem__, key="account_languages",
                                   help=t("account.languages_help"))
        if st.form_submit_button(t("account.save_profile")):
            try:
                updated = store.users.update_profile(user, display_name=name,
                                                     languages=languages or chosen)
            except MarineError:
                st.error(t("account.profile_invalid"))
                return
            state.set_user(updated)
            state.request_language(updated.languages[0])
            st.rerun()


def password_form(store, user) -> None:
    t = state.t
    with st.form("account-password", clear_on_submit=True):
        st.subheader(t("account.change_password"))
        current = st.text_input(t("account.current_password"), type="password",
                                key="account_current")
        new, again = new_password_fields("account_password")
        submitted = st.form_submit_button(t("account.save_password"))
    if not submitted:
        return
    if new != again:
        st.error(t("account.password.mismatch"))
        return
    try:
        store.users.change_password(user, current, new, address=client_address())
    except MarineError as exc:
        st.error(password_problem(exc))
        return
    st.success(t("account.password_changed"))


def memberships(store, user) -> None:
    t = state.t
    st.subheader(t("account.groups"))
    rows = store.groups.memberships(user)
    if not rows:
        st.info(t("account.no_groups"))
        return
    for m in rows:
        st.markdown(f"- {state.md(group_label(m.group, state.lang()))} · {t(f'admin.role.{m.role}')}")


def render() -> None:
    t = state.t
    st.title(t("account.title"))
    disclaimer_banner()
    user = state.user()
    if user is None:
        st.info(t("account.sign_in_first"))
        return
    store = data.store()
    user = store.users.get(user.id)
    left, right = st.columns(2)
    with left:
        profile_form(store, user)
        memberships(store, user)
    with right:
        password_form(store, user)
