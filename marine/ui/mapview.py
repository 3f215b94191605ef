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


def show_map(m: folium.Map, *, key: str, height: int = 620,
             returned_objects: Sequence[str] = (),
             feature_groups: Sequence[folium.FeatureGroup] | None = None,
             center: tuple[float, float] | None = None, zoom: int | None = None) -> dict:
    """Show `m`; panning and zooming rerun nothing unless asked in `returned_objects`."""
    return _adapter(m, key=key, height=height, returned_objects=returned_objects,
                    feature_groups=feature_groups, center=center, zoom=zoom)
