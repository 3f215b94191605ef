"""The browser workspace: a thin router. Every page lives in `marine/ui/`."""

import streamlit as st

from marine.ui import chrome, pages

st.set_page_config(page_title="Marine workspace", layout="wide")
chrome.sidebar()
st.navigation(pages.pages()).run()
