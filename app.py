"""The browser workspace: a thin router. Every page lives in `marine/ui/`."""

import streamlit as st

from marine.ui import chrome, pages, state

st.set_page_config(page_title=state.t("app.title"), layout="wide")
chrome.sidebar()
st.navigation(pages.pages()).run()
