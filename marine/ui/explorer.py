"""Map explorer: every catalogue layer with toggles by theme, a legend, popups with
provenance, the gazetteer search, and the disclaimer always in view."""

from __future__ import annotations

import streamlit as st

from marine.catalogue import THEMES
from marine.errors import LayerError
from marine.ui import data, state
from marine.ui.chrome import disclaimer_banner, disclaimer_text
from marine.ui.mapview import show_map
from marine.webmap import DEFAULT_CENTER, DEFAULT_ZOOM, MapOptions, build_map

DEFAULT_LAYERS = ("land-display", "baselines", "agreed-boundaries", "joint-areas",
                  "u-shaped-line", "places")
PLACE_ZOOM = 9
# Around a place the map adds the full-resolution coastline, clipped to this box (degrees):
# the overview stays light (the display layer), the close view gets the detail.
DETAIL_LAYER = "land"
DETAIL_HALF_SIZE = (1.5, 1.0)  # lon, lat


def layer_toggles(catalogue) -> list[str]:
    """Checkboxes per theme and per layer; returns the ids of layers to show."""
    t = state.t
    shown: list[str] = []
    map_specs = catalogue.map_layers()
    for theme in THEMES:
        specs = [s for s in map_specs if s.theme == theme]
        if not specs:
            continue
        with st.expander(t(f"theme.{theme}"), expanded=theme in ("base", "claims")):
            theme_on = st.toggle(t("layers.theme_on"), value=True, key=f"theme:{theme}")
            for spec in specs:
                label = data_title(spec)
                on = st.checkbox(label, value=spec.id in DEFAULT_LAYERS, key=f"layer:{spec.id}",
                                 disabled=not theme_on,
                                 help=spec.empty_reason or None)
                if theme_on and on:
                    shown.append(spec.id)
    return shown


def data_title(spec) -> str:
    from marine.webmap import layer_title

    return layer_title(spec, state.lang())


def detail_bounds(place) -> tuple[float, float, float, float]:
    dx, dy = DETAIL_HALF_SIZE
    return (place.lon - dx, place.lat - dy, place.lon + dx, place.lat + dy)


@st.fragment
def map_panel(layer_ids: list[str], options: MapOptions, center, zoom, place=None) -> None:
    """The map alone reruns in a fragment; panning/zooming reruns nothing."""
    frames, failures = data.displays(layer_ids, options.name_order)
    for layer_id, error in failures.items():
        st.warning(state.tm("layers.failed", layer=layer_id, error=error))
    shown = list(frames)
    catalogue = data.catalogue()
    coast_shown = any(catalogue.spec(i).display_of == DETAIL_LAYER for i in shown)
    if place is not None and coast_shown:
        try:
            frames[DETAIL_LAYER] = data.detail(DETAIL_LAYER, detail_bounds(place),
                                               options.name_order)
            shown.insert(0, DETAIL_LAYER)
        except LayerError as exc:
            st.warning(state.tm("layers.failed", layer=DETAIL_LAYER, error=str(exc)))
    m = build_map(catalogue, shown, options, frames=frames)
    show_map(m, key="explorer-map", returned_objects=(), center=center, zoom=zoom)


def render() -> None:
    t = state.t
    st.title(t("explorer.title"))
    disclaimer_banner()
    catalogue = data.catalogue()
    with st.sidebar:
        st.subheader(t("layers.heading"))
        layer_ids = layer_toggles(catalogue)
        state.name_order_picker()
        online = st.toggle(t("map.online_tiles"), value=False, key="online_tiles",
                           help=t("map.online_tiles_help"))
    from marine.ui.search import place_search

    map_column, search_column = st.columns([3, 1.2])
    with search_column:
        place = place_search()
    center, zoom = ((DEFAULT_CENTER, DEFAULT_ZOOM) if place is None
                    else ((place.lat, place.lon), PLACE_ZOOM))
    options = MapOptions(lang=state.lang(), name_order=state.name_order(), online_tiles=online,
                         disclaimer=disclaimer_text(state.lang()))
    # The map's own view stays the default (changing it would remount the iframe); the place
    # is reached through st_folium's `center`/`zoom`, which fly without a remount.
    with map_column:
        map_panel(layer_ids, options, center, zoom, place)
