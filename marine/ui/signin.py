"""Sign in: local accounts (username and password), or the organisation's OpenID Connect
provider through `st.login` when `[auth]` is configured in secrets.toml."""

from __future__ import annotations

import streamlit as st

from marine.errors import AccessDenied
from marine.ui import data, session, state
from marine.ui.chrome import disclaimer_banner


def oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError, AttributeError):
        return False
    except Exception:  # no secrets.toml at all: Streamlit raises its own parse error type
        return False


def sign_in_with_password() -> None:
    t = state.t
    with st.form("sign-in"):
        username = st.text_input(t("auth.username"), key="signin_username")
        password = st.text_input(t("auth.password"), type="password", key="signin_password")
        submitted = st.form_submit_button(t("auth.sign_in"))
    if submitted:
        user = data.store().users.authenticate(username, password)
        if user is None:
            st.error(t("auth.failed"))
        else:
            session.signed_in(user)
            st.rerun()


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


def render() -> None:
    t = state.t
    st.title(t("auth.title"))
    disclaimer_banner()
    current = state.user()
    if current is not None:
        st.success(state.tm("auth.signed_in_as", name=current.display_name))
        if st.button(t("auth.sign_out"), key="sign_out"):
            session.sign_out()
            if getattr(st.user, "is_logged_in", False):
                st.logout()
            st.rerun()
        return
    session.ended_notice()
    st.write(t("auth.intro"))
    sign_in_with_password()
    if oidc_configured():
        st.divider()
        sign_in_with_oidc()
