"""The browser workspace (`streamlit run app.py` in a checkout): a thin entry, see marine/ui/main.py."""

from marine.ui.main import main

main()
