"""The workspace in Debian's Chromium, against the app started as the README starts it.

Every request the page makes is recorded; one leaving localhost fails the test. Screenshots of
each page are saved under test-artifacts/ui/.
"""

from __future__ import annotations

import re
import time
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


# --------------------------------------------------------------------------- the whole walk
def t(key: str, lang: str = "en", **fields) -> str:
    from marine.i18n import translate

    return translate(key, lang, **fields)


def nav(page, key: str, lang: str = "en") -> None:
    page.get_by_role("link", name=t(key, lang), exact=True).click()
    wait_for_app(page)


def wait_text(page, text: str, timeout: float = 120_000) -> None:
    page.get_by_text(text, exact=False).first.wait_for(timeout=timeout)


def wait_legend(page, text: str, present: bool, seconds: float = 90) -> None:
    """Wait until the (single, current) map's legend does or does not list `text`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if page.locator(MAP_FRAME).count() == 1:
            legend = page.frame_locator(MAP_FRAME).locator(".marine-legend")
            if legend.count() == 1 and (text in legend.inner_text()) == present:
                return
        page.wait_for_timeout(500)
    raise AssertionError(f"legend {'lacks' if present else 'still has'} '{text}'")


def session_cookie(page) -> str | None:
    return next((c["value"] for c in page.context.cookies() if c["name"] == "marine_session"),
                None)


def wait_signed_in(page, display_name: str, cookie_before: str | None) -> None:
    """Signed in as `display_name`, with the session cookie written. The cookie component
    reruns the page once it has written the cookie, and a click made before that rerun can be
    lost (a known limit, see marine/ui/session.py): a person reads the page first; a test
    waits for the cookie."""
    wait_text(page, t("auth.signed_in_as", name=display_name))
    deadline = time.monotonic() + 60
    while session_cookie(page) in (None, cookie_before) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    page.wait_for_timeout(300)  # the rerun the component asks for, once it has written
    wait_for_app(page)


def open_sign_in_page(page) -> None:
    """The Sign in page, listed as Sign out while someone is signed in."""
    page.get_by_role("link", name=t("nav.signin"), exact=True).or_(
        page.get_by_role("link", name=t("auth.sign_out"), exact=True)).click()
    wait_for_app(page)


def sign_in(page, name: str) -> None:
    open_sign_in_page(page)
    sign_out = page.get_by_role("button", name=t("auth.sign_out"))
    username = page.get_by_label(t("auth.username"), exact=True)
    sign_out.or_(username).first.wait_for(timeout=60_000)
    if sign_out.count():
        sign_out.click()
        username.wait_for(timeout=60_000)
    username.fill(name)
    page.get_by_label(t("auth.password"), exact=True).fill(f"{name}-password-1234")
    before = session_cookie(page)
    page.get_by_role("button", name=t("auth.sign_in"), exact=True).click()
    wait_signed_in(page, name.title(), before)


def draw_polygon(page, half: int = 30) -> None:
    """Draw a square of 2×`half` px around the map's centre (open sea at the default view)."""
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".leaflet-container").wait_for(timeout=120_000)
    frame.get_by_title(t("map.draw.polygon")).click()
    box = frame.locator(".leaflet-container").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    corners = [(-half, -half), (half, -half), (half, half), (-half, half), (-half, -half)]
    for dx, dy in corners:
        page.mouse.click(cx + dx, cy + dy)
        page.wait_for_timeout(300)


def choose(page, label: str, option: str) -> None:
    """Pick `option` in the Streamlit selectbox/multiselect labelled `label`, opening the list
    again if a rerun (an autosave, the field typed just before) redrew it under the pointer."""
    from playwright.sync_api import Error as PlaywrightError

    for _ in range(3):
        wait_for_app(page)
        page.get_by_label(label, exact=True).click()
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=10_000)
            return
        except PlaywrightError:  # the list closed or was redrawn: open it again
            page.keyboard.press("Escape")
    raise AssertionError(f"option '{option}' never stayed open long enough in '{label}'")


def fill_draft_form(page) -> None:
    page.get_by_label("Title *", exact=True).fill("Joint plankton survey")
    page.get_by_label("Summary *", exact=True).fill("Two research vessels sample plankton twice a year.")
    page.get_by_label("Participants *", exact=True).fill("Institutes A and B")
    page.get_by_text("Without-prejudice clause *").click()
    choose(page, "Survey type *", "Oceanography")
    page.get_by_label(t("draft.text"), exact=True).fill("A joint survey of plankton, open to all parties.")
    page.get_by_label(t("draft.text"), exact=True).blur()


def test_the_whole_workspace_offline(page, app_url, artifacts):
    try:
        walk_through(page, app_url, artifacts)
    except Exception:
        page.screenshot(path=str(artifacts / "failure.png"), full_page=True)
        raise


def walk_through(page, app_url, artifacts):
    log = RequestLog(page)
    page.set_viewport_size({"width": 1400, "height": 1100})
    page.goto(app_url)
    wait_for_app(page)
    page.frame_locator(MAP_FRAME).locator(".marine-legend").wait_for(timeout=120_000)

    sign_in(page, "ana")
    page.screenshot(path=str(artifacts / "sign-in.png"), full_page=True)

    # Map explorer: toggle a layer, search a place by its Vietnamese name
    nav(page, "nav.explorer")
    wait_legend(page, t("layer.baselines"), present=True)
    # layers are switched on the map itself (no rerun)
    page.frame_locator(MAP_FRAME).get_by_text(t("layer.baselines"), exact=True).click()
    wait_legend(page, t("layer.baselines"), present=False)
    search = page.get_by_label(t("search.label"), exact=True)
    search.fill("Trường Sa")
    search.press("Enter")
    wait_text(page, "南沙群岛")
    wait_text(page, "Quần đảo Trường Sa")
    page.screenshot(path=str(artifacts / "map-explorer-search.png"), full_page=True)

    # Draft: draw, see the report, fill the form, save
    nav(page, "nav.draft")
    draw_polygon(page)
    wait_text(page, t("report.title"))
    wait_for_app(page)
    page.get_by_text(t("report.title")).first.scroll_into_view_if_needed()
    page.wait_for_timeout(1500)  # the report's tables draw on a canvas
    page.screenshot(path=str(artifacts / "draft-report.png"))
    fill_draft_form(page)
    page.get_by_role("button", name=t("draft.save_new")).click()
    # whatever number the workspace gives it (other walks may have saved proposals before)
    saved = re.escape(t("draft.saved", id="§", version=1)).replace("§", r"\d+")
    page.get_by_text(re.compile(saved)).first.wait_for(timeout=120_000)
    page.screenshot(path=str(artifacts / "draft.png"), full_page=True)

    # Another user comments; the comment is shown without attribution
    sign_in(page, "chen")
    nav(page, "nav.proposals")
    page.get_by_role("tab", name=t("review.tab.discussion")).click()
    page.get_by_label(t("proposals.add_comment"), exact=True).fill("Could the survey share its data?")
    page.get_by_role("button", name=t("proposals.post_comment")).click()
    wait_text(page, t("proposals.comment_meta", version=1, date="")[:-1])  # the posted comment
    sign_in(page, "ana")
    nav(page, "nav.proposals")
    page.get_by_role("tab", name=t("review.tab.discussion")).click()
    wait_text(page, "Could the survey share its data?")
    body = page.locator("[data-testid='stMain']").inner_text()
    assert "Chen" not in body and "chen" not in body
    page.screenshot(path=str(artifacts / "proposals.png"), full_page=True)

    nav(page, "nav.sources")
    wait_text(page, t("sources.intro"))
    page.screenshot(path=str(artifacts / "sources.png"), full_page=True)

    # 简体中文, then a map pack downloaded in that language
    choose(page, t("language.label"), "简体中文")
    page.get_by_role("link", name=t("nav.explorer", "zh"), exact=True).wait_for()
    nav(page, "nav.mappack", "zh")
    choose(page, t("pack.proposals", "zh"), "P-1 · Joint plankton survey (v1)")
    page.keyboard.press("Escape")
    page.get_by_label(t("pack.meeting_title", "zh"), exact=True).fill("Workshop 2027")
    page.get_by_label(t("pack.meeting_title", "zh"), exact=True).blur()
    page.get_by_role("button", name=t("pack.build", "zh")).click()
    download_button = page.get_by_role("button", name=t("pack.download", "zh"))
    download_button.wait_for(timeout=300_000)
    with page.expect_download() as info:
        download_button.click()
    path = info.value.path()
    assert path is not None and path.stat().st_size > 10_000
    page.screenshot(path=str(artifacts / "map-pack-zh.png"), full_page=True)

    assert log.external() == [], log.external()
    assert log.dialogs == []


def test_uploads_bad_file_keeps_the_draft_good_file_gives_the_report(page, app_url, artifacts,
                                                                      tmp_path):
    log = RequestLog(page)
    page.set_viewport_size({"width": 1400, "height": 1100})
    page.goto(app_url)
    wait_for_app(page)
    nav(page, "nav.draft")
    good = tmp_path / "area.kml"
    good.write_text('<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Placemark>'
                    "<Polygon><outerBoundaryIs><LinearRing><coordinates>114,9.5 115,9.5 115,10.5 "
                    "114,10.5 114,9.5</coordinates></LinearRing></outerBoundaryIs></Polygon>"
                    "</Placemark></kml>", encoding="utf-8")
    bad = tmp_path / "broken.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    uploader = page.locator("[data-testid='stFileUploaderDropzoneInput']")
    uploader.set_input_files(str(good))
    wait_text(page, t("draft.upload_ok", name="area.kml", count=1))
    wait_text(page, t("report.title"))
    uploader.set_input_files(str(bad))
    wait_text(page, "broken.geojson could not be used")
    wait_text(page, "not valid GeoJSON")
    assert page.get_by_text(t("report.title")).count() >= 1  # the draft and its report stay
    assert page.get_by_text("Traceback").count() == 0
    page.screenshot(path=str(artifacts / "draft-upload-error.png"), full_page=True)
    assert log.external() == [], log.external()


HEADLINE_FITS = """() => Array.from(document.querySelectorAll('.marine-headline .marine-fact'))
    .map(el => ({text: el.innerText, scroll: el.scrollWidth, client: el.clientWidth,
                 right: el.getBoundingClientRect().right,
                 column: (el.closest('[data-testid="stColumn"]')
                          || el.closest('[data-testid="stMain"]')).getBoundingClientRect().right}))"""


@pytest.mark.parametrize("width, height", [(1280, 720), (1920, 1080)])
def test_draft_report_headline_is_never_cut(page, app_url, artifacts, width, height):
    """The report's headline figures (area, perimeter, centre, where) wrap, never truncate."""
    page.set_viewport_size({"width": width, "height": height})
    page.goto(app_url)
    wait_for_app(page)
    nav(page, "nav.draft")
    draw_polygon(page)
    wait_text(page, t("report.title"))
    wait_for_app(page)
    page.locator(".marine-headline").first.wait_for(timeout=60_000)
    page.locator(".marine-headline").first.scroll_into_view_if_needed()
    page.wait_for_timeout(1500)  # the report's tables draw on a canvas
    page.screenshot(path=str(artifacts / f"draft-report-{width}x{height}.png"))
    facts = page.evaluate(HEADLINE_FITS)
    assert [f["text"].split("\n")[0] for f in facts][:3] == ["Area", "Perimeter", "Centre"]
    assert "km² · " in facts[0]["text"] and "nm²" in facts[0]["text"]
    for fact in facts:
        assert fact["scroll"] <= fact["client"], fact  # nothing cut inside the figure
        assert fact["right"] <= fact["column"] + 1, fact  # nor by the column
    body = page.locator("[data-testid='stMain']").inner_text()
    for raw in ("_km2", "envelope(s)", "data/claims", "layer(s) not analysed"):
        assert raw not in body, raw
