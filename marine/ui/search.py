"""The gazetteer search: any name, any script; flies to the place and shows all its names."""

from __future__ import annotations

import streamlit as st

from marine.errors import LayerError
from marine.gazetteer import Place, neutral_label
from marine.ui import data, state

MAX_RESULTS = 12


def place_search() -> Place | None:
    """Search box and results; returns the chosen place (None when nothing is chosen)."""
    t = state.t
    query = st.text_input(t("search.label"), key="place_query", placeholder=t("search.hint"))
    if not query.strip():
        return None
    try:
        gazetteer = data.gazetteer()
    except (LayerError, ValueError) as exc:
        st.warning(state.tm("search.unavailable", error=str(exc)))
        return None
    places = gazetteer.lookup(query, limit=MAX_RESULTS)
    if not places:
        st.caption(state.tm("search.none", query=query))
        return None
    order = state.name_order()
    labels = [neutral_label(p, order) for p in places]
    index = st.radio(t("search.results"), range(len(places)), format_func=labels.__getitem__,
                     key="place_choice")
    place = places[index or 0]
    show_names(place, order)
    return place


def show_names(place: Place, order) -> None:
    """Every name of the place, language by language, in the reader's order."""
    t = state.t
    langs = [*order, *(lang for lang in place.names if lang not in order)]
    rows = [{t("names.language"): t(f"names.lang.{lang}"), t("names.name"): place.names[lang]}
            for lang in langs if place.names.get(lang)]
    st.dataframe(rows, hide_index=True, width="stretch")
    if place.disputed:
        st.caption(t("search.disputed_note"))
