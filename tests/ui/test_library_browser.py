"""The data library in Chromium (issue 16): a facilitator imports a layer on the Data & sources
page; it is listed with its provenance and drawn on the map with its legend entry. Screenshots
at 1280×720 and 1920×1080 go to test-artifacts/ui/."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import box

from tests.ui.test_browser import (
    MAP_FRAME,
    RequestLog,
    choose,
    nav,
    sign_in,
    t,
    wait_for_app,
    wait_legend,
    wait_text,
)

pytestmark = pytest.mark.browser
TITLE = "Reef survey sites 2025"


def survey_file(tmp_path):
    frame = gpd.GeoDataFrame({"site": ["Scarborough Shoal", "Reef flat B"]},
                             geometry=[box(117.6, 15.0, 117.9, 15.3), box(114.0, 10.0, 114.4, 10.4)],
                             crs="EPSG:4326")
    path = tmp_path / "survey-sites.geojson"
    path.write_text(frame.to_json())
    return path


def test_a_facilitator_imports_a_layer_that_shows_in_sources_and_on_the_map(
        page, app_url, artifacts, tmp_path):
    try:
        import_and_look(page, app_url, artifacts, tmp_path)
    except Exception:
        page.screenshot(path=str(artifacts / "library-failure.png"), full_page=True)
        raise


def import_and_look(page, app_url, artifacts, tmp_path):
    log = RequestLog(page)
    page.set_viewport_size({"width": 1400, "height": 1100})
    page.goto(app_url)
    wait_for_app(page)
    sign_in(page, "binh")
    nav(page, "nav.sources")
    page.get_by_text(t("library.import"), exact=True).click()
    page.locator("input[type=file]").set_input_files(str(survey_file(tmp_path)))
    wait_for_app(page)
    page.get_by_label(t("library.layer_id"), exact=True).fill("reef-survey-sites")
    page.get_by_label(t("library.layer_title"), exact=True).fill(TITLE)
    choose(page, t("sources.col.theme"), t("theme.environment"))
    choose(page, t("sources.col.status"), t("status.scientific"))
    page.get_by_label(t("sources.col.source"), exact=True).fill("Cruise report 2025-04, annex B")
    page.get_by_label(t("sources.col.licence"), exact=True).fill("CC BY 4.0")
    page.get_by_label(t("library.accuracy"), exact=True).fill("±50 m (GPS)")
    choose(page, t("library.label_field"), "site")
    page.get_by_role("button", name=t("library.import_button"), exact=True).click()
    wait_text(page, t("library.imported", title=TITLE, version=1, count=2))
    wait_for_app(page)
    heading = page.get_by_role("heading", name=t("library.title"))
    for width, height in ((1280, 720), (1920, 1080)):
        page.set_viewport_size({"width": width, "height": height})
        heading.scroll_into_view_if_needed()
        page.wait_for_timeout(1500)  # the tables draw on a canvas
        page.screenshot(path=str(artifacts / f"sources-library-{width}x{height}.png"))
    # The library's own table (second of the page) lists it; canvas tables expose their
    # cells to assistive technology as a grid.
    grid = page.locator("[data-testid='stDataFrame']").nth(1)
    assert TITLE in grid.inner_text() or grid.get_by_text(TITLE).count()

    page.set_viewport_size({"width": 1400, "height": 1100})
    nav(page, "nav.explorer")
    frame = page.frame_locator(MAP_FRAME)  # layers are switched in the map's own panel
    theme = frame.locator('input[data-theme="environment"]')
    if not theme.is_checked():
        theme.check()
    frame.get_by_label(TITLE, exact=True).check()
    wait_legend(page, TITLE, present=True)
    assert frame.locator(".marine-legend").inner_text().count(TITLE) == 1
    page.screenshot(path=str(artifacts / "map-with-library-layer.png"))
    assert log.external() == [], log.external()
