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
    from marine.ui import session  # imports the store lazily, like every page

    with st.sidebar:
        session.restore()  # signed in across reloads and tabs; signed out everywhere at once
        state.language_picker()
        current = state.user()
        if current is not None:
            st.caption(state.tm("auth.signed_in_as", name=getattr(current, "display_name",
                                                                  str(current))))
