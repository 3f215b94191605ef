"""The pages of the workspace, titled in the reader's language (the router's list)."""

from __future__ import annotations

import streamlit as st

from marine.ui import audit, draft, explorer, mappack, proposals, signin, sources, state


def pages() -> list:
    t = state.t
    # No `icon=":material/..."`: it makes the browser fetch fonts from the internet.
    return [
        st.Page(explorer.render, title=t("nav.explorer"), url_path="map", default=True),
        st.Page(draft.render, title=t("nav.draft"), url_path="draft"),
        st.Page(proposals.render, title=t("nav.proposals"), url_path="proposals"),
        st.Page(audit.render, title=t("nav.audit"), url_path="audit"),
        st.Page(mappack.render, title=t("nav.mappack"), url_path="map-pack"),
        st.Page(sources.render, title=t("nav.sources"), url_path="sources"),
        st.Page(signin.render, title=t("nav.signin"), url_path="sign-in"),
    ]
