"""What every page shows: the without-prejudice disclaimer, the language picker."""

from __future__ import annotations

import streamlit as st

from marine.neutrality import disclaimer
from marine.ui import state


def disclaimer_text(lang: str) -> str:
    """The without-prejudice disclaimer in `lang` (the neutrality module's wording)."""
    return disclaimer(lang)


def disclaimer_banner() -> None:
    """The disclaimer, once above the content of every page: one line that opens to the
    full text (five lines of it pushed the map below the fold on a 1280×720 projector)."""
    with st.expander(state.md(state.t("disclaimer.short"))):
        st.markdown(state.md(disclaimer_text(state.lang())))


def map_disclaimer_line() -> str:
    """The short line the map itself carries (it opens to the full text on the map)."""
    return state.t("disclaimer.map_short")


def sidebar() -> None:
    from marine.ui import session  # imports the store lazily, like every page

    with st.sidebar:
        session.restore()  # signed in across reloads and tabs; signed out everywhere at once
        state.language_picker()
        current = state.user()
        if current is not None:
            st.caption(state.tm("auth.signed_in_as", name=getattr(current, "display_name",
                                                                  str(current))))
