"""The workspace in Debian's Chromium, against the app started as the README starts it.

Every request the page makes is recorded; one leaving localhost fails the test. Screenshots of
each page are saved under test-artifacts/ui/.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
MAP_FRAME = 'iframe[title="streamlit_folium\\.st_folium"]'


class RequestLog:
    def __init__(self, page):
        self.urls: list[str] = []
        self.dialogs: list[str] = []
        page.on("request", lambda request: self.urls.append(request.url))
        page.on("dialog", self._dialog)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def external(self) -> list[str]:
        out = []
        for url in self.urls:
            parsed = urlparse(url)
            if parsed.scheme in ("data", "blob", "about"):
                continue
            if parsed.hostname not in LOCAL_HOSTS:
                out.append(url)
        return out


def wait_for_app(page) -> None:
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']",
                           timeout=120_000)


def test_map_renders_offline_with_legend_disclaimer_and_no_external_request(
        page, app_url, artifacts):
    log = RequestLog(page)
    page.set_viewport_size({"width": 1400, "height": 1100})
    page.goto(app_url)
    wait_for_app(page)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".leaflet-container").wait_for(timeout=120_000)
    frame.locator("path.leaflet-interactive").first.wait_for(timeout=60_000)
    assert frame.locator(".marine-legend").inner_text().startswith("Legend")
    assert "Without prejudice" in frame.locator(".marine-disclaimer").inner_text()
    assert frame.locator(".leaflet-control-measure").count() == 1
    assert frame.locator(".leaflet-tile").count() == 0  # no online tiles by default
    page.screenshot(path=str(artifacts / "map-explorer.png"), full_page=True)
    assert log.external() == [], log.external()
    assert log.dialogs == []
