"""Map explorer: every catalogue layer, switched on and off on the map itself (by theme and
layer, without a rerun: the view stays), a legend of what is drawn, labels, popups with
provenance, the gazetteer search in the sidebar, and the disclaimer always in view."""

from __future__ import annotations

import folium
import streamlit as st

from marine.errors import LayerError
from marine.gazetteer import LABEL_SEPARATOR, neutral_label
from marine.mapclient import FocusPlace
from marine.maplabels import focus_zoom
from marine.ui import data, state
from marine.ui.chrome import disclaimer_banner, disclaimer_text, map_disclaimer_line
from marine.ui.mapview import show_map
from marine.webmap import MapOptions, build_map, layer_group

MAP_KEY = "explorer-map"
# What the page keeps above the map (title and the disclaimer line), in px.
MAP_RESERVE = 160
# Around a place the map adds the full-resolution coastline (the catalogue's "coast"), clipped
# to this box (degrees): the overview stays light (the display layer), the close view gets
# the detail.
DETAIL_HALF_SIZE = (1.5, 1.0)  # lon, lat
FOCUS = "explorer_focus"  # session: {"place": id, "n": flights so far}


def detail_bounds(place) -> tuple[float, float, float, float]:
    dx, dy = DETAIL_HALF_SIZE
    return (place.lon - dx, place.lat - dy, place.lon + dx, place.lat + dy)


def focus_token(place) -> str:
    """A new token each time the reader picks a place (the map flies once per token)."""
    focus = st.session_state.get(FOCUS, {"place": None, "n": 0})
    chosen = place.id if place is not None else None
    if chosen != focus["place"]:
        focus = {"place": chosen, "n": focus["n"] + (chosen is not None)}
        st.session_state[FOCUS] = focus
    return f"{chosen}:{focus['n']}"


def place_groups(place, options: MapOptions, token: str) -> list[folium.FeatureGroup]:
    """The searched place: the full coastline around it (shown with the coast layer) and
    the flight, ring and popup with all its names."""
    catalogue = data.catalogue()
    groups = []
    detail = catalogue.by_role("coast")
    coast = [] if detail is None else [s.id for s in catalogue.map_layers()
                                        if s.display_of == detail.id]
    if coast:
        try:
            frame = data.detail(detail.id, detail_bounds(place), options.name_order)
            groups.append(layer_group(detail, frame, options.lang, parent=coast[0]))
        except LayerError as exc:
            st.warning(state.tm("layers.failed", layer=detail.title, error=str(exc)))
    focus = folium.FeatureGroup(name="focus")
    FocusPlace(token=token, lat=place.lat, lon=place.lon, zoom=focus_zoom(place.kind),
               title=state.t("field.names"),
               names=neutral_label(place, options.name_order).split(LABEL_SEPARATOR)).add_to(focus)
    groups.append(focus)
    return groups


@st.fragment
def map_panel(options: MapOptions, place=None) -> None:
    """Every map layer goes with the map once; switching happens in the browser."""
    catalogue = data.catalogue()
    ids = [s.id for s in catalogue.map_layers()]
    frames, failures = data.displays(ids, options.name_order)
    for layer_id, error in failures.items():
        st.warning(state.tm("layers.failed", layer=catalogue.spec(layer_id).title, error=error))
    labels = {i: data.labels(i, options.name_order) for i in frames}
    m = build_map(catalogue, list(frames), options, frames=frames, on=[s.id for s in catalogue.defaults("map")],
                  labels=labels)
    groups = place_groups(place, options, focus_token(place)) if place is not None else None
    if place is None:
        focus_token(None)
    show_map(m, key=MAP_KEY, returned_objects=(), feature_groups=groups,
             fill_reserve=MAP_RESERVE)


def render() -> None:
    t = state.t
    title, note = st.columns([1, 2], vertical_alignment="center")
    title.title(t("explorer.title"), anchor=False)
    with note:
        disclaimer_banner()
    from marine.ui.search import place_search

    with st.sidebar:
        place = place_search()
        state.name_order_picker()
        online = st.toggle(t("map.online_tiles"), value=False, key="online_tiles",
                           help=t("map.online_tiles_help"))
        st.caption(t("map.layers_hint"))
    lang = state.lang()
    options = MapOptions(lang=lang, name_order=state.name_order(), online_tiles=online,
                         disclaimer=disclaimer_text(lang),
                         disclaimer_short=map_disclaimer_line(), key="explorer",
                         layer_panel=True)
    map_panel(options, place)
