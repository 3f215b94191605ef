"""The map as a working surface, in Debian's Chromium against the running app (issue 14):
layer switches keep the view, the legend lists what is drawn, the map fills the window, the
disclaimer line is small, labels of disputed places carry every name, search flies to the
place and names it fully, popups are never under the legend, a language switch relabels
every widget. Speed is measured in bench/bench_map.py, not here."""

from __future__ import annotations

import pytest

from tests.ui.test_browser import MAP_FRAME, nav, t, wait_for_app

pytestmark = pytest.mark.browser

VIEW_JS = "() => { const c = window.map.getCenter(); return [c.lat, c.lng, window.map.getZoom()]; }"


def map_frame(page):
    """The Leaflet page inside the map's iframe, once its layer panel or legend is built."""
    page.frame_locator(MAP_FRAME).locator(".marine-legend").wait_for(timeout=180_000)
    frames = [f for f in page.frames if "streamlit_folium" in f.url]
    assert len(frames) == 1, [f.url for f in page.frames]
    return frames[0]


def open_page(page, app_url, path: str = "", size=(1280, 720)):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(f"{app_url}/{path}")
    wait_for_app(page)
    return map_frame(page)


def drawn_layers(frame) -> list[str]:
    """Layers the client has on the map with features (its own bookkeeping, from Leaflet)."""
    return frame.evaluate("""() => { const M = window.map._marine;
        return M.order.filter(id => { const e = M.entries[id];
          return !e.meta.parent && e.meta.count > 0 && window.map.hasLayer(e.group); }); }""")


def legend_layers(frame) -> list[str]:
    return frame.evaluate("""() => Array.from(document.querySelectorAll('.marine-legend-row'))
        .map(r => r.getAttribute('data-layer'))""")


def test_switching_layers_keeps_the_view_and_the_legend_lists_only_drawn_layers(page, app_url):
    frame = open_page(page, app_url)
    frame.evaluate("() => window.map.setView([15.2, 117.7], 8, {animate: false})")
    before = frame.evaluate(VIEW_JS)
    switches = ['input[data-layer="envelopes-200nm"]', 'input[data-layer="baselines"]',
                'input[data-theme="shipping"]', 'input[data-layer="reefs"]',
                'input[data-theme="claims"]', 'input[data-theme="claims"]']
    for n in range(20):
        frame.locator(switches[n % len(switches)]).click()
        page.wait_for_timeout(50)
        assert frame.evaluate(VIEW_JS) == before, f"view moved after switch {n + 1}"
        drawn, legend = drawn_layers(frame), legend_layers(frame)
        assert legend == drawn, (n, legend, drawn)
        for layer in legend:  # each listed layer is switched on, with its theme
            box = frame.locator(f'input[data-layer="{layer}"]')
            assert box.is_checked() and box.is_enabled(), layer
    # a layer without features is never listed, even when switched on (which layer is empty
    # follows the data: the client's own counts say; so far the joint areas)
    empty = frame.evaluate("""() => { const M = window.map._marine;
        return M.order.filter(id => !M.entries[id].meta.parent && M.entries[id].meta.count === 0); }""")
    for layer in empty:
        box = frame.locator(f'input[data-layer="{layer}"]')
        if not box.is_checked() and box.is_enabled():
            box.click()
    assert not set(empty) & set(legend_layers(frame))
    legend = legend_layers(frame)
    # the switches and the view survive a visit to another page
    nav(page, "nav.draft")
    nav(page, "nav.explorer")
    frame = map_frame(page)
    page.wait_for_timeout(500)
    assert frame.evaluate(VIEW_JS) == pytest.approx(before)
    assert legend_layers(frame) == legend


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
@pytest.mark.parametrize("path", ["", "draft"])
def test_map_fills_the_window_and_the_disclaimer_line_is_small(page, app_url, artifacts, size,
                                                                path):
    frame = open_page(page, app_url, path, size)
    page.wait_for_timeout(800)
    box = page.locator(MAP_FRAME).bounding_box()
    main = page.locator("[data-testid='stMainBlockContainer']").bounding_box()
    assert box["height"] >= 0.7 * size[1], box
    assert box["width"] >= main["width"] - 2 * 80, (box, main)  # the content width, less padding
    if path == "":  # the explorer's map is wholly in view
        assert box["y"] + box["height"] <= size[1], box
    note = frame.locator(".marine-disclaimer").bounding_box()
    assert note["width"] * note["height"] <= 0.05 * box["width"] * box["height"], note
    # it opens to the full text, and the page says it once, as one line that opens too
    frame.locator(".marine-disclaimer summary").click()
    assert "Without prejudice" in frame.locator(".marine-disclaimer p").inner_text()
    assert page.get_by_text(t("disclaimer.short")).count() == 1
    name = f"map-{path or 'explorer'}-{size[0]}x{size[1]}.png"
    page.screenshot(path=str(artifacts / name))


def _expected_names() -> dict[str, list[str]]:
    from layers.gazetteer import read_place_records
    from marine.gazetteer import LABEL_SEPARATOR, neutral_label, place_from_record
    from marine.ui.state import default_name_order

    order = default_name_order("en")
    places = [place_from_record(r) for r in read_place_records()]
    return {p.id: neutral_label(p, order, include_other=False).split(LABEL_SEPARATOR)
            for p in places if p.disputed}


def test_every_visible_label_of_a_disputed_place_carries_all_its_names(page, app_url):
    expected = _expected_names()
    frame = open_page(page, app_url, size=(1280, 720))
    checked, views = set(), [(12, 114, 5), (10, 114.5, 7), (16.5, 112, 8), (10.5, 114.3, 9),
                             (15.15, 117.75, 10), (9.9, 115.5, 11)]
    for lat, lon, zoom in views:
        frame.evaluate(f"() => window.map.setView([{lat}, {lon}], {zoom}, {{animate: false}})")
        page.wait_for_timeout(300)
        labels = frame.evaluate("""() => Array.from(document.querySelectorAll(
            '.marine-label[data-disputed="1"]')).map(e => [e.getAttribute('data-label'),
            e.innerText])""")
        for place_id, text in labels:
            missing = [n for n in expected[place_id] if n not in text]
            assert not missing, (place_id, text, missing)
            checked.add(place_id)
    assert len(checked) >= 8, checked  # the check really saw labels at several zooms
    # seas and straits are labelled too
    frame.evaluate("() => window.map.setView([12, 114], 5, {animate: false})")
    page.wait_for_timeout(300)
    assert frame.locator('.marine-label-sea').count() >= 1
    frame.evaluate("() => window.map.setView([21, 122.5], 7, {animate: false})")
    page.wait_for_timeout(300)
    assert "Luzon Strait" in " ".join(frame.locator(".marine-label-strait").all_inner_texts())


def test_tooltip_near_the_edge_stays_inside_the_map(page, app_url):
    frame = open_page(page, app_url, size=(1280, 720))
    frame.locator(".marine-panel summary").click()  # the right edge free of the layer panel
    # put Thitu Island 15 px from the right edge and hover its marker
    point = frame.evaluate("""() => { const m = window.map; m.setView([11.05, 114.28], 9,
        {animate: false}); const s = m.getSize();
        m.panBy([m.latLngToContainerPoint([11.05, 114.28]).x - (s.x - 15), 0], {animate: false});
        return m.latLngToContainerPoint([11.05, 114.28]); }""")
    page.wait_for_timeout(300)
    iframe = page.locator(MAP_FRAME).bounding_box()
    page.mouse.move(iframe["x"] + point["x"], iframe["y"] + point["y"])
    tooltip = frame.locator(".leaflet-tooltip")
    tooltip.first.wait_for(timeout=10_000)
    box, inner = tooltip.first.bounding_box(), frame.locator(".leaflet-container").bounding_box()
    assert box["x"] >= inner["x"] and box["x"] + box["width"] <= inner["x"] + inner["width"]
    assert "Thitu Island" in tooltip.first.inner_text() and "中业岛" in tooltip.first.inner_text()


def test_a_popup_is_never_under_the_legend(page, app_url):
    frame = open_page(page, app_url)
    legend = frame.locator(".marine-legend")
    # a popup opened right over the legend (iframe coordinates throughout)
    on_top = frame.evaluate("""() => { const m = window.map;
        const box = document.querySelector('.marine-legend').getBoundingClientRect();
        const origin = m.getContainer().getBoundingClientRect();
        const at = m.containerPointToLatLng([box.left - origin.left + box.width / 2,
                                             box.bottom - origin.top - 10]);
        L.popup({autoPan: false}).setLatLng(at).setContent('popup title').openOn(m);
        const c = document.querySelector('.leaflet-popup-content').getBoundingClientRect();
        const hit = document.elementFromPoint(c.left + c.width / 2, c.top + c.height / 2);
        const overlaps = !(c.right < box.left || box.right < c.left || c.bottom < box.top ||
                           box.bottom < c.top);
        return overlaps && !!hit && !!hit.closest('.leaflet-popup'); }""")
    assert on_top
    frame.evaluate("() => window.map.closePopup()")
    assert legend.is_visible()


def test_search_flies_to_the_place_rings_it_and_opens_all_its_names(page, app_url):
    frame = open_page(page, app_url)
    search = page.get_by_label(t("search.label"), exact=True)
    search.fill("Scarborough")
    search.press("Enter")
    popup = page.frame_locator(MAP_FRAME).locator(".marine-focus-popup")
    popup.wait_for(timeout=120_000)
    frame = map_frame(page)
    text = popup.inner_text()
    for name in ("Scarborough Shoal", "黄岩岛 Huangyan Dao", "Bãi cạn Scarborough",
                 "Bajo de Masinloc", "Panatag Shoal"):
        assert name in text
    lat, lon, zoom = frame.evaluate(VIEW_JS)
    assert zoom >= 9 and abs(lat - 15.15) < 0.1 and abs(lon - 117.75) < 0.1
    assert frame.locator(".marine-focus-ring").count() == 1
    # once there, the reader's own view wins: no second flight on return to the page
    frame.evaluate("() => window.map.setView([14, 116], 7, {animate: false})")
    page.wait_for_timeout(500)
    nav(page, "nav.draft")
    nav(page, "nav.explorer")
    frame = map_frame(page)
    page.wait_for_timeout(1500)
    assert frame.evaluate(VIEW_JS) == pytest.approx([14, 116, 7])


def _widget_texts(page) -> str:
    """What the choice widgets show: chips, and the chosen value in a selectbox's input."""
    return page.evaluate("""() => Array.from(document.querySelectorAll(
        "[data-testid='stMultiSelect'], [data-testid='stSelectbox']")).map(e => [e.innerText,
        ...Array.from(e.querySelectorAll('input')).map(i => i.value)].join('\\n')).join('\\n')""")


def test_after_a_language_switch_no_widget_shows_the_old_language(page, app_url):
    from marine.i18n import NAME_LANGUAGES

    open_page(page, app_url)
    assert "English" in _widget_texts(page)
    page.get_by_label(t("language.label"), exact=True).click()
    page.get_by_role("option", name="简体中文", exact=True).click()
    page.get_by_text(t("names.order", "zh"), exact=True).wait_for(timeout=60_000)
    wait_for_app(page)
    texts = _widget_texts(page)
    for code in NAME_LANGUAGES:
        assert t(f"names.lang.{code}", "zh") in texts
        assert t(f"names.lang.{code}") not in texts, texts
    nav(page, "nav.draft", "zh")
    page.get_by_text(t("draft.template", "zh"), exact=True).wait_for(timeout=60_000)
    wait_for_app(page)
    texts = _widget_texts(page)
    assert "联合科学考察" in texts and "Joint scientific survey" not in texts
    page.get_by_label(t("language.label", "zh"), exact=True).click()
    page.get_by_role("option", name="Tiếng Việt", exact=True).click()
    page.get_by_text(t("draft.template", "vi"), exact=True).wait_for(timeout=60_000)
    wait_for_app(page)
    texts = _widget_texts(page)
    assert "Khảo sát khoa học chung" in texts and "联合科学考察" not in texts
    # Streamlit's own words in the uploader are drawn over in the reader's language
    button, limits, hidden = page.locator(".st-key-draft_upload").evaluate(UPLOADER_JS)
    assert button == f'"{t("upload.button", "vi")}"' and hidden == "0px"
    assert limits.startswith(f'"{t("upload.per_file", "vi", mb=20)} • GEOJSON')


UPLOADER_JS = """e => {
    const p = e.querySelector("[data-testid='stBaseButton-secondary'] p");
    const span = e.querySelector("[data-testid='stFileUploaderDropzoneInstructions'] span");
    return [getComputedStyle(p, '::after').content, getComputedStyle(span, '::after').content,
            getComputedStyle(p).fontSize];
}"""
