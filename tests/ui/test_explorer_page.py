"""AppTest of the map explorer: layers, toggles, legend, disclaimer, search, language."""

from __future__ import annotations

import pytest
import streamlit as st

from marine.ui import data
from marine.ui.mapview import use_adapter
from tests.doubles import RecordingAdapter
from tests.ui.apptest_support import page_test, shown_controls, texts


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


def test_toggling_a_layer_off_removes_it_from_the_map(recorder, tiny):
    at = page_test("explorer").run()
    assert "Baselines (as published by each state)" in shown_controls(recorder.last_map)
    at.checkbox(key="layer:baselines").uncheck().run()
    assert not at.exception
    controls = shown_controls(recorder.last_map)
    assert "Baselines (as published by each state)" not in controls
    assert "Coastlines and islands" in controls
    at.toggle(key="theme:base").set_value(False).run()
    assert "Coastlines and islands" not in shown_controls(recorder.last_map)


def test_search_by_vietnamese_name_flies_to_the_place_and_lists_all_names(recorder, tiny):
    at = page_test("explorer").run()
    at.text_input(key="place_query").input("truong sa").run()
    assert not at.exception, at.exception
    assert at.radio(key="place_choice").options[0].startswith("Spratly Islands")
    names = at.dataframe[0].value
    assert set(names.iloc[:, 1]) == {"Spratly Islands", "南沙群岛", "Quần đảo Trường Sa",
                                     "Kapuluan ng Kalayaan", "Kepulauan Spratly"}
    assert recorder.calls[-1]["center"] == pytest.approx((10.0, 114.5))
    at.text_input(key="place_query").input("黄岩").run()
    assert recorder.calls[-1]["center"] == pytest.approx((15.15, 117.75))


def test_unknown_place_says_so(recorder, tiny):
    at = page_test("explorer").run()
    at.text_input(key="place_query").input("Atlantis").run()
    assert "No place matches “Atlantis”." in texts(at)
    assert recorder.calls[-1]["center"] is not None


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
    assert "Coastlines and islands (full resolution)" not in shown_controls(recorder.last_map)
    at.text_input(key="place_query").input("Scarborough").run()
    assert "Coastlines and islands (full resolution)" in shown_controls(recorder.last_map)
