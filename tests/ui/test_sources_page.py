"""AppTest of Data & sources: every layer with provenance and licence, and the disclaimer."""

from __future__ import annotations

import pytest
import streamlit as st

from marine.webmap import layer_title
from tests.ui.apptest_support import page_test, texts


def test_every_layer_is_listed_with_source_and_licence(tiny_catalogue, monkeypatch):
    from marine.ui import data

    st.cache_resource.clear()
    monkeypatch.setattr(data, "catalogue", lambda: tiny_catalogue)
    at = page_test("sources").run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    ids = ["land", "land-display", "baselines", "places", "u-shaped-line"]
    titles = [layer_title(tiny_catalogue.spec(i), "en") for i in ids]
    assert list(table["Layer"]) == titles
    assert not table.isin(ids).any().any()  # layer ids are for the command line, not readers
    assert set(table["Licence"]) == {"CC0"}
    assert list(table["Features"]) == ["60", "60", "2", "2", "0"]
    assert "no citable positions (test)" in table.set_index("Layer").loc[titles[-1], "Notes"]
    assert "Without prejudice" in texts(at)
    assert len(at.dataframe[1].value) == 5  # the five statuses explained
    st.cache_resource.clear()


@pytest.mark.slow  # loads (and in a fresh cache builds) every real layer
def test_real_catalogue_lists_every_declared_layer():
    from layers import default_catalogue
    from marine.ui import data

    st.cache_resource.clear()
    at = page_test("sources").run()
    assert not at.exception, at.exception
    catalogue = default_catalogue()
    assert set(at.dataframe[0].value["Layer"]) == {layer_title(s, "en") for s in catalogue}
    data.builtin_catalogue.clear()
