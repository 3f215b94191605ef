"""Layers for the browser, cached once per server process (catalogue, display frames)."""

from __future__ import annotations

import logging

import geopandas as gpd
import streamlit as st

from marine.errors import LayerError, MarineError
from marine.ui import state
from marine.webmap import display_frame

log = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False)
def builtin_catalogue():
    from layers import default_catalogue

    return default_catalogue()


def coast_ids() -> tuple[str, ...]:
    """The coastline drawn under the small maps (the catalogue's "coast-display" layer)."""
    spec = builtin_catalogue().by_role("coast-display")
    return () if spec is None else (spec.id,)


def default_ids(purpose: str) -> tuple[str, ...]:
    """The built-in layers on by default for `purpose` ("map", "draft", "pack")."""
    return tuple(s.id for s in builtin_catalogue().defaults(purpose))


def catalogue():
    """The built-in layers plus the data-library layers the signed-in user may read (the
    store decides; one small query per call). Built-in layers load once per process."""
    user = state.user()
    if user is None:
        return builtin_catalogue()
    try:
        stored = store().library.list(user)
    except MarineError as exc:  # the map stays usable without the library
        log.warning("data library not read: %s", exc)
        return builtin_catalogue()
    if not stored:
        return builtin_catalogue()
    return _with_library(user.id, tuple((layer.layer_id, layer.version) for layer in stored))


@st.cache_resource(show_spinner=False, max_entries=32)
def _with_library(user_id: int, versions: tuple[tuple[str, int], ...]):
    """Keyed by the versions the user may read: a re-import or removal is a new key."""
    from marine.library import catalogue_with_library

    return catalogue_with_library(builtin_catalogue(), store(), user_id)


def layer_frame(layer_id: str) -> gpd.GeoDataFrame:
    """The full layer (shared, never mutated); only layers the user's catalogue lists."""
    return _layer_frame(layer_id, catalogue().spec(layer_id).cache_key)


@st.cache_resource(show_spinner=False, max_entries=256)
def _layer_frame(layer_id: str, cache_key: str) -> gpd.GeoDataFrame:
    return catalogue().load(layer_id)


def display(layer_id: str, name_order: tuple[str, ...]) -> gpd.GeoDataFrame:
    """The layer as the browser gets it (simplified, rounded, names in the reader's order)."""
    return _display(layer_id, catalogue().spec(layer_id).cache_key, name_order)


@st.cache_resource(show_spinner=False, max_entries=256)
def _display(layer_id: str, cache_key: str, name_order: tuple[str, ...]) -> gpd.GeoDataFrame:
    spec = catalogue().spec(layer_id)
    return display_frame(spec, layer_frame(layer_id), name_order)


def displays(layer_ids, name_order: tuple[str, ...]) -> tuple[dict, dict[str, str]]:
    """Display frames of `layer_ids`; a layer that fails to load is reported, not fatal."""
    frames, failures = {}, {}
    for layer_id in layer_ids:
        try:
            frames[layer_id] = display(layer_id, name_order)
        except LayerError as exc:
            log.warning("layer %s not shown: %s", layer_id, exc)
            failures[layer_id] = str(exc)
    return frames, failures


@st.cache_resource(show_spinner=False)
def gazetteer():
    """The gazetteer of the catalogue's places layer (every name of every place)."""
    from marine.gazetteer import Gazetteer

    places = layer_frame(builtin_catalogue().by_role("gazetteer").id)
    records = places.drop(columns=places.geometry.name).to_dict("records")
    for record, point in zip(records, places.geometry.values, strict=True):
        record["lat"], record["lon"] = point.y, point.x
    return Gazetteer.from_records(records)


@st.cache_resource(show_spinner=False)
def store():
    """The workspace store (MARINE_DATABASE_URL or the local SQLite), opened once."""
    from marine.store import Store

    return Store.open()


def report_for(geojson_text: str):
    """The overlap report of a GeoJSON geometry (cached by its text and the library layers
    the user's catalogue holds)."""
    return _report_for(geojson_text, library_key())


def library_key() -> tuple[str, ...]:
    """The data-library layers (and versions) of the user's catalogue, for cache keys."""
    return tuple(s.cache_key for s in catalogue() if s.imported)


@st.cache_data(show_spinner=False, max_entries=64)
def _report_for(geojson_text: str, library: tuple[str, ...]):
    import json

    from marine.analysis import overlap_report

    return overlap_report(json.loads(geojson_text), catalogue())


def detail(layer_id: str, bounds: tuple[float, float, float, float],
           name_order: tuple[str, ...]) -> gpd.GeoDataFrame:
    """A full-resolution layer clipped to a close view (see `webmap.detail_frame`)."""
    return _detail(layer_id, catalogue().spec(layer_id).cache_key, bounds, name_order)


@st.cache_resource(show_spinner=False, max_entries=32)
def _detail(layer_id: str, cache_key: str, bounds: tuple[float, float, float, float],
            name_order: tuple[str, ...]) -> gpd.GeoDataFrame:
    from marine.webmap import detail_frame

    return detail_frame(catalogue().spec(layer_id), layer_frame(layer_id), bounds, name_order)


@st.cache_resource(show_spinner=False, max_entries=256)
def labels(layer_id: str, name_order: tuple[str, ...]) -> list:
    """The map labels of a layer (empty for layers not labelled; see `webmap.layer_labels`)."""
    from marine.webmap import layer_labels

    return layer_labels(layer_frame(layer_id), name_order)
