"""The browser workspace (Streamlit): one module per page plus small shared modules.

Only `app.py` and this package import streamlit; pages are thin and call the pure `marine`
modules for everything else.
"""
