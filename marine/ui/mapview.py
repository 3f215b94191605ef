"""The one place the workspace shows a folium map: a small adapter around `st_folium`.

Tests swap the adapter (`use_adapter`) to see the map the page built and to feed the page
drawings, which AppTest cannot get from the real component (their double is
`tests/doubles.py::RecordingAdapter`; it is not part of the installed package).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import contextmanager

import folium

MapAdapter = Callable[..., dict]


def streamlit_folium_adapter(m: folium.Map, *, key: str, height: int,
                             returned_objects: Sequence[str],
                             feature_groups: Sequence[folium.FeatureGroup] | None = None,
                             center: tuple[float, float] | None = None,
                             zoom: int | None = None) -> dict:
    from streamlit_folium import st_folium

    _localise(m)
    return st_folium(m, key=key, height=height, use_container_width=True,
                     returned_objects=list(returned_objects),
                     feature_group_to_add=list(feature_groups) if feature_groups else None,
                     center=center, zoom=zoom) or {}


def _localise(m: folium.Map) -> None:
    """Point Leaflet and plugin assets at the copies the app serves (no CDN requests)."""
    from marine.offline_assets import localise

    localise(m)


_adapter: MapAdapter = streamlit_folium_adapter


@contextmanager
def use_adapter(adapter: MapAdapter):
    """Show maps through `adapter` inside the block (tests)."""
    global _adapter
    previous, _adapter = _adapter, adapter
    try:
        yield adapter
    finally:
        _adapter = previous


# A map that fills the viewport: its height follows the window (CSS on the component's
# iframe, so a 1280×720 projector and a 1920×1080 screen both get a map of most of the
# screen); `reserve` is what the page keeps above it (title, disclaimer line), in px.
FILL_CSS = """<style>
.st-key-{box} iframe {{ height: max({minimum}px, calc(100vh - {reserve}px)) !important; }}
[data-testid="stMainBlockContainer"] {{ padding-top: 3.2rem; }}
</style>"""
FILL_MIN_HEIGHT = 360


def show_map(m: folium.Map, *, key: str, height: int = 620,
             returned_objects: Sequence[str] = (),
             feature_groups: Sequence[folium.FeatureGroup] | None = None,
             center: tuple[float, float] | None = None, zoom: int | None = None,
             fill_reserve: int | None = None) -> dict:
    """Show `m`; panning and zooming rerun nothing unless asked in `returned_objects`.
    With `fill_reserve` the map is as tall as the window less that many pixels."""
    if fill_reserve is None:
        return _adapter(m, key=key, height=height, returned_objects=returned_objects,
                        feature_groups=feature_groups, center=center, zoom=zoom)
    import streamlit as st

    box = f"fill-{key}"
    with st.container(key=box):
        st.html(FILL_CSS.format(box=box, minimum=FILL_MIN_HEIGHT, reserve=int(fill_reserve)))
        return _adapter(m, key=key, height=height, returned_objects=returned_objects,
                        feature_groups=feature_groups, center=center, zoom=zoom)

