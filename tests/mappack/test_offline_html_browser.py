"""The offline map opened from disk in headless Debian chromium with the network blocked."""

from __future__ import annotations

import pytest
from pack_fixtures import HOSTILE

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def opened_map(built_pack, tmp_path_factory, browser):
    # the session's one Playwright/Chromium (tests/conftest.py): a second sync_playwright()
    # inside a running one fails, and in CI a missing browser fails rather than skips
    path = tmp_path_factory.mktemp("html") / "map.html"
    path.write_bytes(built_pack["files"]["map.html"])
    requests, failed, errors = [], [], []
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()

        def guard(route):
            if route.request.url.startswith(("file://", "data:", "blob:")):
                route.continue_()
            else:  # the network is blocked: any other request is a failure
                requests.append(route.request.url)
                route.abort()

        page.route("**/*", guard)
        page.on("requestfailed", lambda r: failed.append(r.url))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.as_uri(), wait_until="load")
        page.wait_for_selector("path.leaflet-interactive", timeout=15000)
        state = {
            "paths": page.locator("path.leaflet-interactive").count(),
            "toggles": page.locator(".leaflet-control-layers-selector").count(),
            "toggle_labels": page.locator(".leaflet-control-layers-list").inner_text(),
            "panels": page.locator(".marine-disclaimer").all_inner_texts(),
            "hostile_imgs": page.locator("img[src='x']").count(),
            "scripts_with_alert": page.evaluate(
                "Array.from(document.scripts).filter(s => s.text.includes('alert(1)')"
                " && !s.text.includes('FeatureCollection')).length"),
        }
        # toggles: hide the proposals through the layer control, then show them again
        page.hover(".leaflet-control-layers")
        toggle = page.locator(".leaflet-control-layers-overlays label",
                              has_text="Proposals").locator("input")
        before = page.locator("path.leaflet-interactive").count()
        toggle.uncheck()
        state["paths_without_proposals"] = before - page.locator(
            "path.leaflet-interactive").count()
        toggle.check()
        state["paths_after_toggle_back"] = page.locator("path.leaflet-interactive").count()
        # open a proposal popup: click the centre of the first proposal's outline
        page.evaluate("""() => {
            for (const k in window) {
              const v = window[k];
              if (v && v.eachLayer && v.feature === undefined && v.toGeoJSON) {
                v.eachLayer(l => {
                  if (l.feature && l.feature.id === 'P-002') {
                    l.fire('click', {latlng: l.getCenter(), layer: l}, true);
                  }
                });
              }
            }
        }""")
        state["popup"] = page.locator(".leaflet-popup-content").all_inner_texts()
        page.screenshot(path=str(path.with_suffix(".png")))
        state["layer_popups"] = _layer_popups(page)
    finally:
        context.close()
    return {"state": state, "requests": requests, "failed": failed, "errors": errors}


OPEN_FIRST_OF_LAYER = """(layerId) => {
    for (const k in window) {
      const v = window[k];
      if (v && v.eachLayer && v.feature === undefined && v.toGeoJSON) {
        let done = false;
        v.eachLayer(l => {
          if (!done && l.feature && l.feature.properties.layer === layerId) {
            const at = l.getLatLng ? l.getLatLng() : l.getCenter();
            l.fire('click', {latlng: at, layer: l}, true);
            done = true;
          }
        });
        if (done) return true;
      }
    }
    return false;
}"""


def _layer_popups(page) -> dict[str, str]:
    """The popup text of the first feature of every layer on the map."""
    ids = page.evaluate("""() => { const ids = new Set();
        for (const k in window) { const v = window[k];
          if (v && v.eachLayer && v.toGeoJSON) v.eachLayer(l => {
            if (l.feature && l.feature.properties.layer) ids.add(l.feature.properties.layer);
          }); }
        return Array.from(ids); }""")
    out = {}
    for layer_id in ids:
        if page.evaluate(OPEN_FIRST_OF_LAYER, layer_id):
            out[layer_id] = " ".join(page.locator(".leaflet-popup-content").all_inner_texts())
    return out


def test_map_draws_layers_and_proposals_offline(opened_map):
    state = opened_map["state"]
    assert state["paths"] >= 5  # coast, FAO area, boundary, proposals
    assert state["toggles"] >= 4
    assert "Proposals" in state["toggle_labels"]
    assert state["paths_without_proposals"] == 3  # the three proposals' shapes went away
    assert state["paths_after_toggle_back"] == state["paths"]


def test_no_external_or_failed_requests_and_no_console_errors(opened_map):
    assert opened_map["requests"] == []
    assert opened_map["failed"] == []
    assert opened_map["errors"] == []


def test_disclaimer_and_escaped_hostile_title_are_shown_as_text(opened_map):
    panels = " ".join(opened_map["state"]["panels"])
    assert "without prejudice" in panels.lower()
    assert HOSTILE in panels  # shown literally ...
    assert opened_map["state"]["hostile_imgs"] == 0  # ... never turned into elements


def test_proposal_popup_shows_title_version_and_attributes_as_text(opened_map):
    popup = " ".join(opened_map["state"]["popup"])
    assert "P-002" in popup and "Version\t1" in popup and HOSTILE in popup
    assert "Positions: support\t3" in popup and "Working group\tWG-Fisheries" in popup


def test_layer_popups_have_human_labels_and_no_raw_keys(opened_map):
    import re

    popups = opened_map["state"]["layer_popups"]
    assert {"places", "fao-areas", "agreed-boundaries"} <= set(popups)
    for layer_id, text in popups.items():
        labels = [line.split("\t")[0] for line in text.splitlines() if "\t" in line]
        assert labels, layer_id
        raw = [w for w in labels if re.search(r"[a-z]+_[a-z]+|feature|layer_id", w)]
        assert raw == [], (layer_id, text)
        for literal in ("True", "False", "None", '{"', "nan"):
            assert literal not in text, (layer_id, literal, text)
    assert "Names\t" in popups["places"] and "Disputed\tyes" in popups["places"]
    assert "Source\tProject gazetteer fixture" in popups["places"]
    assert "Agreement\tChina–Viet Nam 25 December 2000" in popups["agreed-boundaries"]
    assert "FAO area\t71" in popups["fao-areas"]
