"""The pages of the workspace, titled in the reader's language (the router's list)."""

from __future__ import annotations

import streamlit as st

from marine.ui import explorer, sources, state


def pages() -> list:
    t = state.t
    # No `icon=":material/..."`: it makes the browser fetch fonts from the internet.
    return [
        st.Page(explorer.render, title=t("nav.explorer"), url_path="map", default=True),
        st.Page(sources.render, title=t("nav.sources"), url_path="sources"),
    ]
