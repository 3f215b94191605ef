"""The pure folium map: status styling, provenance popups, names, escaping, legend, tools."""

from __future__ import annotations

import json
import re

import pytest
import shapely

from marine.catalogue import Style
from marine.webmap import (
    COMPUTED_MAX_FILL,
    MapOptions,
    build_map,
    detail_frame,
    display_frame,
    feature_collection,
    legend_html,
    map_html,
    ordered_names,
    status_style,
)
from tests.ui.apptest_support import map_client, shown_controls
from tests.ui.conftest import HOSTILE


def test_status_shows_in_the_styling():
    style = Style(color="#123456", fill_color="#abcdef", fill_opacity=0.5)
    assert "dashArray" not in status_style(style, "agreed")
    dashed = status_style(style, "official-unilateral")["dashArray"]
    dotted = status_style(style, "depicted-approximate")["dashArray"]
    assert dashed != dotted and dotted.split()[0] < dashed.split()[0]
    assert status_style(style, "computed-indicative")["fillOpacity"] <= COMPUTED_MAX_FILL
    assert status_style(Style(dash_array="1 1"), "agreed")["dashArray"] == "1 1"
    with pytest.raises(ValueError, match="claimed"):
        status_style(style, "claimed")


def test_names_follow_the_readers_order_and_none_is_dropped():
    row = {"name": "Spratly Islands", "name_en": "Spratly Islands", "name_zh": "南沙群岛",
           "name_vi": "Quần đảo Trường Sa", "name_fil": "Kapuluan ng Kalayaan",
           "name_ms": "Kepulauan Spratly"}
    assert ordered_names(row, ("vi", "zh")) == [
        "Quần đảo Trường Sa", "南沙群岛", "Spratly Islands", "Kapuluan ng Kalayaan",
        "Kepulauan Spratly"]
    assert ordered_names({"name": "Port Klang"}, ("zh",)) == ["Port Klang"]


def test_uniform_large_layer_travels_as_one_feature(tiny_catalogue):
    spec = tiny_catalogue.spec("land-display")
    frame = display_frame(spec, tiny_catalogue.load("land-display"))
    assert len(frame) == 1
    assert frame.geometry.iloc[0].geom_type == "MultiPolygon"
    assert len(shapely.get_parts(frame.geometry.iloc[0])) == 60
    assert frame["source"].iloc[0] == "s" and frame["status"].iloc[0] == "scientific"


def test_display_keeps_provenance_per_feature_and_rounds(tiny_catalogue):
    spec = tiny_catalogue.spec("baselines")
    frame = display_frame(spec, tiny_catalogue.load("baselines"))
    assert list(frame["feature_id"]) == ["line-1", "line-2"]
    assert list(frame["status"]) == ["official-unilateral", "agreed"]
    assert json.loads(frame["detail"].iloc[0]) == [["party", "A"]]  # labelled by the popup
    coords = shapely.get_coordinates(frame.geometry.values)
    assert (abs(coords * 1e4 - (coords * 1e4).round()) < 1e-6).all()
    data = feature_collection(frame, spec)
    assert data["features"][0]["properties"]["names"] == HOSTILE  # kept exactly, shown as text


def test_map_carries_disclaimer_legend_tools_and_no_tiles(tiny_catalogue):
    ids = ["land-display", "baselines", "places", "u-shaped-line"]
    m = build_map(tiny_catalogue, ids, MapOptions(disclaimer="Without <prejudice>"))
    html = map_html(m)
    shown = shown_controls(m)
    # the disclaimer reaches the page as JSON and is shown with textContent
    assert "Without <prejudice>" in shown and "Without <prejudice>" not in html
    for layer_title in ("Coastlines and islands", "Baselines (as published by each state)",
                        "Place names (all names)"):
        assert layer_title in shown
    # a layer without features is listed in the layer panel, never in the legend
    assert "U-shaped line" not in shown
    assert map_client(m)[1]["u-shaped-line"]["count"] == 0
    assert "nauticalmiles" in html and "kilometres" in html  # measuring tool units
    assert "MousePosition" in html and "′" in html and "″" in html  # DMS formatter
    assert "tile.openstreetmap" not in html
    assert "jquery" not in html.lower() and "bootstrap" not in html.lower()
    online = map_html(build_map(tiny_catalogue, ["places"], MapOptions(online_tiles=True,
                                                                       disclaimer="x")))
    assert "tile.openstreetmap" in online


def test_hostile_text_never_reaches_the_page_as_markup(tiny_catalogue):
    html = map_html(build_map(tiny_catalogue, ["baselines"], MapOptions(disclaimer=HOSTILE)))
    assert "<img src=x" not in html and "<script>alert" not in html
    assert "<img src=x" not in shown_controls(build_map(tiny_catalogue, ["baselines"],
                                                        MapOptions(disclaimer="x")))
    # (that a popup shows such text as text, running nothing, is checked in Chromium by
    # tests/hardening/test_injection.py)
    # the feature text is still there, intact, inside the GeoJSON
    blob = re.search(r'"names":\s*("(?:[^"\\]|\\.)*")', html)
    assert json.loads(blob.group(1)) == HOSTILE


def test_legend_escapes_titles_and_draws_each_status(tiny_catalogue):
    spec = tiny_catalogue.spec("baselines")
    out = legend_html([(spec, "line")], "zh")
    assert "图例" in out and 'stroke-dasharray="8 6"' in out and "官方单方面" in out


def test_map_in_every_language_uses_translated_labels(tiny_catalogue):
    shown = shown_controls(build_map(tiny_catalogue, ["places"], MapOptions(lang="vi",
                                                                          disclaimer="x")))
    assert "Chú giải" in shown and "Địa danh (mọi tên gọi)" in shown


TEMPLATE_TEXT = "{{ 1234*1000 }} {% for x in range(3) %}Zq{% endfor %} {# c #}"


def test_template_syntax_in_data_is_never_evaluated(tiny_catalogue, monkeypatch):
    """branca compiles rendered scripts as Jinja templates: text from layers, proposals or the
    disclaimer must come out verbatim, never evaluated on the server."""
    from shapely.geometry import Point

    from marine.catalogue import Catalogue, LayerSpec, features_frame

    def hostile():
        return features_frame([{"feature_id": "x", "name": TEMPLATE_TEXT, "source": TEMPLATE_TEXT,
                                "status": "scientific", "accuracy": "1 m"}], [Point(110, 10)])

    spec = LayerSpec(id="places", title=TEMPLATE_TEXT, theme="gazetteer", loader=hostile,
                     style=Style(), source="s", status="scientific", licence="CC0")
    m = build_map(Catalogue([spec]), ["places"], MapOptions(disclaimer=TEMPLATE_TEXT))
    html = map_html(m)
    assert "1234000" not in html and "ZqZqZq" not in html
    blob = re.search(r'"names":("(?:[^"\\]|\\.)*")', html)
    assert json.loads(blob.group(1)) == TEMPLATE_TEXT
    assert TEMPLATE_TEXT in shown_controls(m)  # disclaimer, verbatim


def test_folium_tojson_is_protected_too():
    import folium

    m = folium.Map(tiles=None)
    folium.GeoJson({"type": "Feature", "properties": {"name": TEMPLATE_TEXT},
                    "geometry": {"type": "Point", "coordinates": [110, 10]}}).add_to(m)
    html = m.get_root().render()
    assert "1234000" not in html and "ZqZqZq" not in html


def test_close_view_gets_the_full_layer_clipped(tiny_catalogue):
    spec = tiny_catalogue.spec("land")
    frame = detail_frame(spec, tiny_catalogue.load("land"), (100.0, 4.9, 100.5, 5.2))
    # boxes start every 0.2° from 100.0: those at 100.0, 100.2 and 100.4 (clipped at 100.5)
    assert len(frame) == 3 and frame.total_bounds.tolist() == [100.0, 5.0, 100.5, 5.1]
    with pytest.raises(ValueError, match="min < max"):
        detail_frame(spec, tiny_catalogue.load("land"), (101, 5, 100, 6))


def test_drawing_tools_speak_the_readers_language(tiny_catalogue):
    from marine.webmap import add_draw

    m = build_map(tiny_catalogue, ["places"], MapOptions(lang="vi", disclaimer="x"))
    add_draw(m, "vi")
    html = map_html(m)
    assert "Vẽ đa giác" in html and "Nhấp vào điểm đầu tiên để khép vùng." in html
    assert html.index("L.drawLocal") < html.index("L.Control.Draw")


def test_every_pane_a_layer_is_drawn_in_is_created_by_the_map_client(tiny_catalogue):
    """Leaflet throws (and draws nothing) when a layer names a pane the map lacks: the panes
    of the layers (one per geometry kind) must be those the client creates."""
    from marine.geo import GEOMETRY_KINDS

    ids = [s.id for s in tiny_catalogue]
    html = map_html(build_map(tiny_catalogue, ids, MapOptions(layer_panel=True)))
    used = set(re.findall(r'pane["\']?\s*:\s*"(marine-[a-z-]+)"', html))
    created = set(re.findall(r'"(marine-[a-z-]+)"\s*:\s*\d+', html))
    assert used and used <= created, (used, created)
    assert {f"marine-{kind}" for kind in GEOMETRY_KINDS} <= created


def test_a_library_layer_beyond_the_region_is_shown_within_it():
    """A data-library coastline of half of Asia is drawn within the workspace's map extent
    (the whole of it would send megabytes to every map); a built-in layer is left whole."""
    from dataclasses import replace

    import geopandas as gpd

    from layers import default_catalogue
    from marine.config import REGION_BOUNDS
    from marine.library import display_tolerance

    inside = shapely.box(112.0, 9.0, 113.0, 10.0)
    across = shapely.box(120.0, 20.0, 140.0, 40.0)  # from the region into the Pacific
    beyond = shapely.box(150.0, 40.0, 151.0, 41.0)  # wholly outside the map
    frame = gpd.GeoDataFrame(
        {"feature_id": ["a", "b", "c"], "name": ["inside", "across", "beyond"],
         "source": ["survey"] * 3, "status": ["scientific"] * 3, "accuracy": ["±50 m"] * 3},
        geometry=[inside, across, beyond], crs="EPSG:4326")
    spec = replace(default_catalogue().spec("protected-areas"), id="wide-coast", role="", section="", imported=True,
                   display_tolerance=display_tolerance(12))
    shown = display_frame(spec, frame)
    minx, miny, maxx, maxy = shown.total_bounds
    assert (minx, miny) >= REGION_BOUNDS[:2] and (maxx, maxy) <= REGION_BOUNDS[2:]
    assert list(shown["feature_id"]) == ["a", "b"]
    assert shown.geometry.iloc[0].equals(inside)  # what lies inside is drawn as it is
    assert shown.geometry.iloc[1].equals(shapely.box(120.0, 20.0, 125.0, 28.0))
    built_in = display_frame(replace(spec, imported=False), frame)
    assert list(built_in["feature_id"]) == ["a", "b", "c"]
