"""What every page shows: the without-prejudice disclaimer, the language picker."""

from __future__ import annotations

import streamlit as st

from marine.neutrality import disclaimer
from marine.ui import state


def disclaimer_text(lang: str) -> str:
    """The without-prejudice disclaimer in `lang` (the neutrality module's wording)."""
    return disclaimer(lang)


def disclaimer_banner() -> None:
    """The disclaimer, above the content of every page."""
    st.info(disclaimer_text(state.lang()), icon=None)


def sidebar() -> None:
    with st.sidebar:
        state.language_picker()
        current = state.user()
        if current is not None:
            st.caption(state.tm("auth.signed_in_as", name=getattr(current, "display_name",
                                                                  str(current))))
