"""What every page shows: the without-prejudice disclaimer, the language picker."""

from __future__ import annotations

import streamlit as st

from marine.i18n import translate
from marine.ui import state


def disclaimer_text(lang: str) -> str:
    """The without-prejudice disclaimer in `lang` (the neutrality module's wording)."""
    try:
        from marine.neutrality import DISCLAIMER
    except ModuleNotFoundError:  # the neutrality module is being written alongside
        return translate("disclaimer", lang)
    return DISCLAIMER.get(lang) or DISCLAIMER["en"]


def disclaimer_banner() -> None:
    """The disclaimer, above the content of every page."""
    st.info(disclaimer_text(state.lang()), icon=None)


def sidebar() -> None:
    with st.sidebar:
        state.language_picker()
        current = state.user()
        if current is not None:
            st.caption(state.t("auth.signed_in_as", name=getattr(current, "display_name",
                                                                  str(current))))
