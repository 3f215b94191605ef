"""The browser workspace: page config, the sidebar and the router; every page is its own module.

Streamlit runs a script, not a function: the checkout's `app.py` and the entry `marine serve`
writes next to the served static folder both consist of `main()` (see marine/commands/serve.py).
"""

from __future__ import annotations

import streamlit as st

from marine.ui import chrome, pages, state


def main() -> None:
    st.set_page_config(page_title=state.t("app.title"), layout="wide")
    chrome.sidebar()
    st.navigation(pages.pages()).run()
