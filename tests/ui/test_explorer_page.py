"""AppTest of the map explorer: layers, toggles, legend, disclaimer, search, language."""

from __future__ import annotations

import pytest
import streamlit as st

from marine.ui import data
from marine.ui.mapview import use_adapter
from tests.doubles import RecordingAdapter
from tests.ui.apptest_support import map_client, page_test, shown_controls, texts


@pytest.fixture
def recorder():
    st.cache_resource.clear()
    with use_adapter(RecordingAdapter()) as adapter:
        yield adapter
    st.cache_resource.clear()


@pytest.fixture
def tiny(tiny_catalogue, monkeypatch):
    monkeypatch.setattr(data, "catalogue", lambda: tiny_catalogue)
    return tiny_catalogue


@pytest.mark.slow  # loads (and in a fresh cache builds) the real layers
def test_default_view_shows_the_coastline_with_legend_and_disclaimer(recorder):
    at = page_test("explorer").run()
    assert not at.exception, at.exception
    assert "Map explorer" in texts(at)
    controls = shown_controls(recorder.last_map)
    assert "Coastlines and islands" in controls and "Legend" in controls
    assert "Without prejudice" in controls  # disclaimer on the map itself
    assert "Without prejudice" in texts(at)  # and above it on the page
    call = recorder.calls[-1]
    assert call["returned_objects"] == ()  # panning and zooming rerun nothing


def test_every_layer_goes_with_the_map_once_and_switches_in_the_browser(recorder, tiny):
    """Switching layers needs no rerun (tests/ui/test_browser.py switches them): the map
    carries every map layer of the catalogue, the default ones on, with the layer panel and
    a storage key for the view and the switches."""
    at = page_test("explorer").run()
    assert not at.exception, at.exception
    config, layers = map_client(recorder.last_map)
    assert set(layers) == {s.id for s in tiny.map_layers()}
    assert {i for i, meta in layers.items() if meta["on"]} == {
        "land-display", "baselines", "u-shaped-line", "places"}
    assert config["panel"] is True and config["key"] == "explorer"
    assert [t["title"] for t in config["themes"]][:2] == ["Base map", "Claims and boundaries"]
    assert layers["u-shaped-line"]["count"] == 0
    assert layers["u-shaped-line"]["empty"] == "no citable positions (test)"
    # a rerun (e.g. a search) sends the same map, so the browser does not remount it
    at.text_input(key="place_query").input("Scarborough").run()
    from streamlit_folium import _get_map_string, generate_js_hash

    hashes = {generate_js_hash(_get_map_string(c["map"]), "k") for c in recorder.calls[-2:]}
    assert len(hashes) == 1


def test_search_by_vietnamese_name_flies_to_the_place_and_lists_all_names(recorder, tiny):
    at = page_test("explorer").run()
    at.text_input(key="place_query").input("truong sa").run()
    assert not at.exception, at.exception
    assert at.radio(key="place_choice").options[0].startswith("Spratly Islands")
    names = at.dataframe[0].value
    assert set(names.iloc[:, 1]) == {"Spratly Islands", "南沙群岛", "Quần đảo Trường Sa",
                                     "Kapuluan ng Kalayaan", "Kepulauan Spratly"}
    target = _focus(recorder.calls[-1])
    assert (target["lat"], target["lon"]) == pytest.approx((10.0, 114.5))
    assert target["zoom"] == 11  # the tiny gazetteer has no kinds: a close view
    assert "Quần đảo Trường Sa" in target["names"] and "南沙群岛" in target["names"]
    at.text_input(key="place_query").input("黄岩").run()
    second = _focus(recorder.calls[-1])
    assert (second["lat"], second["lon"]) == pytest.approx((15.15, 117.75))
    assert second["token"] != target["token"]  # a new search flies again
    assert set(second["names"]) == {"Scarborough Shoal", "黄岩岛", "Bãi cạn Scarborough",
                                    "Bajo de Masinloc", "Beting Scarborough"}


def _focus(call) -> dict:
    import json

    from marine.mapclient import FocusPlace
    from tests.ui.apptest_support import _elements

    for group in call["feature_groups"] or ():
        for element in _elements(group):
            if isinstance(element, FocusPlace):
                return json.loads(element.target_js)
    raise AssertionError("no place to fly to")


def test_unknown_place_says_so(recorder, tiny):
    at = page_test("explorer").run()
    at.text_input(key="place_query").input("Atlantis").run()
    assert "No place matches “Atlantis”." in texts(at)
    assert recorder.calls[-1]["feature_groups"] is None  # nowhere to fly, the map stays


def test_page_in_simplified_chinese(recorder, tiny):
    at = page_test("explorer")
    at.session_state["lang"] = "zh"
    at.run()
    assert not at.exception
    assert "地图浏览" in texts(at)
    controls = shown_controls(recorder.last_map)
    assert "图例" in controls and "海岸线与岛屿" in controls


def test_name_order_changes_the_order_in_popups(recorder, tiny):
    at = page_test("explorer")
    at.session_state["name_order"] = ["vi", "zh", "en", "fil", "ms"]
    at.run()
    import json
    import re

    from marine.webmap import map_html

    html = map_html(recorder.last_map)
    names = {json.loads(n) for n in re.findall(r'"names":\s*("(?:[^"\\]|\\.)*")', html)}
    assert "Quần đảo Trường Sa / 南沙群岛 / Spratly Islands / Kapuluan ng Kalayaan / " \
        "Kepulauan Spratly" in names


def test_close_view_of_a_place_adds_the_detailed_coastline(recorder, tiny):
    at = page_test("explorer").run()
    assert "land" not in map_client(recorder.last_map)[1]
    at.text_input(key="place_query").input("Scarborough").run()
    groups = recorder.calls[-1]["feature_groups"]
    metas = [map_client(g)[1] for g in groups]
    detail = [m["land"] for m in metas if "land" in m]
    # shown whenever the coastline layer is, never as a layer of its own in the legend
    assert detail and detail[0]["parent"] == "land-display"
