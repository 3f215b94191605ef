"""The pages of the workspace, titled in the reader's language (the router's list). My account
and Administration are listed for those who can use them; Sign in comes last, listed as Sign out
while someone is signed in; a one-time sign-in link (`/?signin=<token>`) opens on it."""

from __future__ import annotations

import streamlit as st

from marine.ui import (
    account,
    admin,
    audit,
    data,
    draft,
    explorer,
    mappack,
    proposals,
    signin,
    sources,
    state,
)


def pages() -> list:
    t = state.t
    user = state.user()
    link = signin.LINK_PARAM in st.query_params
    # No `icon=":material/..."`: it makes the browser fetch fonts from the internet.
    listed = [
        st.Page(explorer.render, title=t("nav.explorer"), url_path="map", default=not link),
        st.Page(draft.render, title=t("nav.draft"), url_path=draft.URL_PATH),
        st.Page(proposals.render, title=t("nav.proposals"), url_path="proposals"),
        st.Page(audit.render, title=t("nav.audit"), url_path="audit"),
        st.Page(mappack.render, title=t("nav.mappack"), url_path="map-pack"),
        st.Page(sources.render, title=t("nav.sources"), url_path="sources"),
    ]
    if user is not None:
        listed.append(st.Page(account.render, title=t("nav.account"), url_path="account"))
        if admin.may_administer(data.store(), user):
            listed.append(st.Page(admin.render, title=t("nav.admin"), url_path=admin.URL_PATH))
    # Last in the list; signed in, it is where one signs out, and its link says so.
    listed.append(st.Page(signin.render, title=t("auth.sign_out") if user else t("nav.signin"),
                          url_path="sign-in", default=link))
    return listed
