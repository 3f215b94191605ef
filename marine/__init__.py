"""Co-operative marine management workspace for the South China Sea.

Everything in this package is without prejudice to territorial and jurisdictional claims.
`marine/` is the pure domain; only `marine/ui/` (and `app.py`) import streamlit.
"""

__version__ = "0.1.0"
