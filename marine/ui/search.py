"""The gazetteer search: any name, any script; flies to the place and shows all its names."""

from __future__ import annotations

import unicodedata

import streamlit as st

from marine.errors import LayerError
from marine.i18n import NAME_LANGUAGES
from marine.ui import data, state

MAX_RESULTS = 12


def fold(text: str) -> str:
    """Case- and accent-insensitive form ("Trường Sa" and "truong sa" match; 南沙 stays)."""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.replace("đ", "d").strip()


def find_places(places, query: str, limit: int = MAX_RESULTS) -> list[dict]:
    """Places whose any name contains `query`; exact and prefix matches first."""
    needle = fold(query)
    if not needle:
        return []
    columns = [c for c in (*(f"name_{code}" for code in NAME_LANGUAGES), "name", "label")
               if c in places.columns]
    hits = []
    for row in places.to_dict("records"):
        names = [fold(row[c]) for c in columns if isinstance(row.get(c), str)]
        if any(needle in n for n in names):
            rank = 0 if needle in names else 1 if any(n.startswith(needle) for n in names) else 2
            hits.append((rank, str(row.get("name", "")), row))
    hits.sort(key=lambda h: (h[0], h[1]))
    return [row for _, _, row in hits[:limit]]


def place_search():
    """Search box and results; returns (lat, lon) of the chosen place or None."""
    t = state.t
    query = st.text_input(t("search.label"), key="place_query", placeholder=t("search.hint"))
    if not query.strip():
        return None
    try:
        places = data.layer_frame("places")
    except LayerError as exc:
        st.warning(t("search.unavailable", error=str(exc)))
        return None
    hits = find_places(places, query)
    if not hits:
        st.caption(t("search.none", query=query))
        return None
    order = state.name_order()
    from marine.webmap import ordered_names

    labels = [" / ".join(ordered_names(h, order)) for h in hits]
    index = st.radio(t("search.results"), range(len(hits)), format_func=labels.__getitem__,
                     key="place_choice")
    place = hits[index or 0]
    show_names(place, order)
    point = place["geometry"].representative_point()
    return (point.y, point.x)


def show_names(place: dict, order) -> None:
    """Every name of the place, language by language, in the reader's order."""
    t = state.t
    rows = [{t("names.language"): t(f"names.lang.{code}"), t("names.name"): place[f"name_{code}"]}
            for code in order if isinstance(place.get(f"name_{code}"), str)
            and place[f"name_{code}"].strip()]
    if rows:
        st.dataframe(rows, hide_index=True, use_container_width=True)
    if place.get("disputed"):
        st.caption(t("search.disputed_note"))
