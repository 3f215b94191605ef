"""Hostile strings (markup, attribute break-outs, right-to-left overrides, template and
Markdown syntax, 1 MB strings) in every text field, through every place text is shown: map
popups, the Proposals page, the offline HTML map, the KML and the PDF atlas. Each shows the
text as text; a browser opening the maps confirms no script of theirs runs."""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import subprocess
import unicodedata
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from defusedxml import ElementTree as SafeET
from shapely.geometry import LineString, Point, box

from marine.catalogue import Catalogue, LayerSpec, Style, features_frame
from marine.errors import ProposalError
from marine.store import SYSTEM, Store
from reliability.bad_corpus import HOSTILE_STRINGS, ONE_MB
from tests.registry_roles import registry_roles

GROUP = "marine-scientific-research"
HUGE = "\u202e" + "<script>window.__pwned=1</script>" * (ONE_MB // 33)
MARKUP = [s for s in HOSTILE_STRINGS if "<" in s]  # the ones a browser would parse as tags
KML_NS = {"k": "http://www.opengis.net/kml/2.2"}


# --------------------------------------------------------------------------- fixtures
def _lines() -> object:
    texts = [*HOSTILE_STRINGS, HUGE]
    records = [{"feature_id": f"hostile-{i}", "name": s, "source": s, "accuracy": s[:200],
                "status": "official-unilateral", "party": s[:50]} for i, s in enumerate(texts)]
    geoms = [LineString([(108 + i * 0.3, 17), (108.2 + i * 0.3, 17.5)]) for i in range(len(texts))]
    return features_frame(records, geoms)


def _places() -> object:
    records = [{"feature_id": f"place-{i}", "place_id": f"place-{i}", "name": s, "name_en": s,
                "name_zh": s, "name_vi": s, "name_fil": s, "name_ms": s, "disputed": True,
                "label": s, "source": s, "status": "scientific", "accuracy": "1 km"}
               for i, s in enumerate(HOSTILE_STRINGS)]
    return features_frame(records, [Point(114 + i * 0.2, 10) for i in range(len(records))])


def hostile_catalogue() -> Catalogue:
    def spec(layer_id, theme, status, loader, style):  # each plays its namesake's role
        return LayerSpec(id=layer_id, title=HOSTILE_STRINGS[1], theme=theme, loader=loader,
                         style=style, source=HOSTILE_STRINGS[0], status=status,
                         licence=HOSTILE_STRINGS[2], **registry_roles(layer_id))

    return Catalogue([spec("baselines", "claims", "official-unilateral", _lines, Style()),
                      spec("places", "gazetteer", "scientific", _places, Style(radius=4))])


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('inj') / 'workspace.sqlite'}"


@pytest.fixture(scope="module")
def hostile_store(hostile_db):
    """ana (member) wrote one proposal whose every text field is hostile; binh commented."""
    s = Store.open(hostile_db)
    for name, role in (("ana", "member"), ("binh", "facilitator")):
        user = s.users.create(SYSTEM, name, HOSTILE_STRINGS[3], password=f"{name}-password-1234")
        s.groups.add_member(SYSTEM, GROUP, user.id, role)
    ana, binh = s.users.find("ana"), s.users.find("binh")
    attributes = {f"field_{i}": v for i, v in enumerate(HOSTILE_STRINGS)} | {"huge": HUGE}
    p = s.proposals.create(ana, group=GROUP, kind="joint-survey", title=" ".join(MARKUP)[:300],
                           text="\n".join(HOSTILE_STRINGS), geometry=box(114, 9.5, 115, 10.5),
                           attributes=attributes)
    s.proposals.save_version(ana, p.id, base_version=1, title=" ".join(HOSTILE_STRINGS)[:300],
                             text="\n".join(reversed(HOSTILE_STRINGS)),
                             geometry=box(114, 9.5, 115.2, 10.5), attributes=attributes)
    for body in HOSTILE_STRINGS:
        s.comments.add(binh, p.id, 2, body)
    yield s
    s.close()


@pytest.fixture(scope="module")
def pack(hostile_store, tmp_path_factory):
    from marine.mappack.assemble import build_pack, read_pack
    from marine.mappack.content import PackRequest
    from marine.mappack.from_store import content_from_store

    request = PackRequest(group=GROUP, proposal_ids=(), layer_ids=("baselines", "places"),
                          title=HOSTILE_STRINGS[0] + " " + HOSTILE_STRINGS[4],
                          date="2026-11-20", venue=HOSTILE_STRINGS[2])
    content = content_from_store(hostile_store, request, hostile_catalogue(),
                                 actor=hostile_store.users.find("ana"))
    out = tmp_path_factory.mktemp("pack") / "pack.zip"
    build_pack(content, out)
    return read_pack(out)


class _Tags(HTMLParser):
    """Every start tag and attribute name of an HTML fragment."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]


def tags_of(fragment: str) -> _Tags:
    parser = _Tags()
    parser.feed(fragment)
    return parser


# --------------------------------------------------------------------------- the store
def test_oversized_text_is_refused_clearly_by_the_store(hostile_store):
    ana = hostile_store.users.find("ana")
    with pytest.raises(ProposalError, match=r"the title has 1,?000,?0\d\d characters; the "
                                            r"limit is 300"):
        hostile_store.proposals.create(ana, group=GROUP, kind="joint-survey", title=HUGE,
                                       text="", geometry=box(114, 9.5, 115, 10.5))
    p = hostile_store.proposals.list(ana)[0]
    with pytest.raises(ProposalError, match="limit is 10000|limit is 10,000"):
        hostile_store.comments.add(ana, p.id, 2, HUGE)


def test_hostile_text_is_stored_exactly(hostile_store):
    ana = hostile_store.users.find("ana")
    p = hostile_store.proposals.get(ana, hostile_store.proposals.list(ana)[0].id)
    assert p.latest.text == "\n".join(reversed(HOSTILE_STRINGS))
    assert p.latest.attributes["huge"] == HUGE
    assert [c.body for c in hostile_store.comments.list(ana, p.id)] == list(HOSTILE_STRINGS)


# --------------------------------------------------------------------------- popups (server)
def test_map_popups_carry_hostile_text_only_as_json_data():
    from marine.webmap import MapOptions, build_map, map_html

    html = map_html(build_map(hostile_catalogue(), ["baselines", "places"],
                              MapOptions(disclaimer=HOSTILE_STRINGS[1])))
    for s in MARKUP:
        assert s not in html, s
    assert "window.__pwned=1" in html  # the text is there, as data …
    assert "\\u003cscript\\u003ewindow.__pwned=1" in html  # … with its brackets escaped


# --------------------------------------------------------------------------- the app page
def test_proposals_page_shows_hostile_text_as_text(hostile_store, monkeypatch):
    import streamlit as st

    from marine.ui import data
    from marine.ui.mapview import use_adapter
    from tests.doubles import RecordingAdapter
    from tests.ui.apptest_support import page_test

    st.cache_resource.clear()
    st.cache_data.clear()
    monkeypatch.setattr(data, "catalogue", hostile_catalogue)
    monkeypatch.setattr(data, "store", lambda: hostile_store)
    with use_adapter(RecordingAdapter()):
        at = page_test("proposals")
        at.session_state["user"] = hostile_store.users.authenticate("ana", "ana-password-1234")
        at.run()
    assert not at.exception, at.exception
    html_blocks = [m for m in at.markdown if m.proto.allow_html]
    assert html_blocks, "the redlines (title, fields, text) are the page's only HTML"
    newer = []
    for block in html_blocks:  # a redline: only its own del/ins/br tags, no attributes but style
        parsed = tags_of(block.value)
        assert set(parsed.tags) <= {"del", "ins", "br"}, parsed.tags
        assert set(parsed.attributes) <= {"style"}, parsed.attributes
        assert "](" not in block.value and "<script" not in block.value
        latest = re.sub(r"<del[^>]*>.*?</del>|</?ins[^>]*>", "", block.value, flags=re.S)
        newer.append(html.unescape(latest.replace("<br>", "\n")))
    # the newer version's text and title, character for character, as text
    assert "\n".join(reversed(HOSTILE_STRINGS)) in newer
    assert " ".join(HOSTILE_STRINGS)[:300] in newer
    markdown = [e.value for kind in ("markdown", "caption", "header", "title", "subheader")
                for e in getattr(at, kind) if not getattr(e.proto, "allow_html", False)]
    for value in markdown:  # Markdown links and images from proposals are never live
        assert "](javascript:" not in value and "](http://example.invalid" not in value, value
    assert any("\\<script\\>window" in v for v in markdown)  # the title, escaped for Markdown
    assert [t.value for t in at.text] == list(HOSTILE_STRINGS)  # comments: literal text


# --------------------------------------------------------------------------- the pack files
def test_offline_html_carries_no_hostile_markup(pack):
    page = pack["map.html"].decode("utf-8")
    for s in MARKUP:
        assert s not in page, s
    assert "window.__pwned=1" in page  # present, but only as escaped data
    assert HUGE not in page


def test_kml_names_are_exact_text_and_descriptions_escaped(pack):
    root = SafeET.fromstring(_kml_from_kmz(pack))
    names = [e.text or "" for e in root.iter("{http://www.opengis.net/kml/2.2}name")]
    for s in HOSTILE_STRINGS:
        assert any(s in n for n in names), s  # names are XML text: shown literally
    for d in root.iter("{http://www.opengis.net/kml/2.2}description"):
        parsed = tags_of(d.text or "")
        assert not {"script", "img", "svg", "iframe"} & set(parsed.tags), parsed.tags
        assert not [a for a in parsed.attributes if a.startswith("on")], parsed.attributes
        assert "javascript:" not in " ".join(parsed.attributes)


def _kml_from_kmz(files) -> bytes:
    kmz = next(v for k, v in files.items() if k.endswith(".kmz"))
    with zipfile.ZipFile(io.BytesIO(kmz)) as z:
        return z.read(next(n for n in z.namelist() if n.endswith(".kml")))


def _pdf_text(pdf: bytes) -> str:
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf,
                              capture_output=True, check=True, timeout=60).stdout.decode()
    from pypdf import PdfReader

    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)


def _visible(text: str) -> str:
    """Text without spaces and format characters (pdftotext adds its own bidi marks)."""
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf")


def test_pdf_prints_hostile_text_literally(pack):
    # No text shaping in the atlas: characters are drawn in the order typed, so the
    # right-to-left override cannot turn "gpj.exe" round; markup is printed as characters.
    text = _visible(_pdf_text(pack["atlas.pdf"]))
    for s in HOSTILE_STRINGS:
        assert _visible(s) in text, s
    assert len(pack["atlas.pdf"]) < 20 * ONE_MB  # the 1 MB value is cut in print


def test_csv_cells_never_start_a_formula(pack):
    import csv

    formula = HOSTILE_STRINGS[-1]
    cells = [cell for name, blob in pack.items() if name.endswith(".csv")
             for row in csv.reader(io.StringIO(blob.decode("utf-8-sig"))) for cell in row]
    assert "'" + formula in cells  # the gazetteer names, kept as text for a spreadsheet
    assert not [c for c in cells if c.startswith(("=", "@"))]


def test_csv_and_geojson_keep_the_exact_text(pack):
    blobs = [v.decode("utf-8") for k, v in pack.items()
             if k.endswith((".csv", ".geojson"))]
    assert any(HOSTILE_STRINGS[0] in b for b in blobs)
    geojson = next(json.loads(v) for k, v in pack.items() if k.endswith(".geojson"))
    assert geojson["features"][0]["properties"]  # the proposal file carries its fields


# --------------------------------------------------------------------------- in a browser
def _open_every_popup(page, path) -> dict:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(
        ("file://", "data:", "blob:")) else r.abort())
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_selector("path.leaflet-interactive", timeout=15000)
    popups = page.evaluate("""() => {
        const texts = [];
        const seen = new Set();
        for (const k in window) {
          const v = window[k];
          if (!v || !v.eachLayer || v.feature !== undefined || !v.toGeoJSON) continue;
          v.eachLayer(l => {
            if (!l.feature || seen.has(l)) return;
            seen.add(l);
            const at = l.getCenter ? l.getCenter() : l.getLatLng();
            l.fire('click', {latlng: at, layer: l}, true);
            const box = document.querySelector('.leaflet-popup-content');
            if (box) texts.push(box.innerText);
            l.fire('mouseover', {latlng: at, layer: l}, true);  // the tooltip too
            document.querySelectorAll('.leaflet-tooltip').forEach(t => texts.push(t.innerText));
          });
        }
        return texts;
    }""")
    return {"pwned": page.evaluate("typeof window.__pwned"), "dialogs": dialogs,
            "popups": popups, "imgs": page.locator("img[src='x']").count(),
            "svgs": page.locator("svg[onload]").count(),
            "panels": page.locator(".marine-disclaimer").all_inner_texts()}


@pytest.mark.browser
@pytest.mark.slow
def test_no_hostile_script_runs_in_the_offline_map(pack, page, vendor_dir, tmp_path):
    path = tmp_path / "map.html"
    path.write_bytes(pack["map.html"])
    seen = _open_every_popup(page, path)
    assert seen["pwned"] == "undefined" and seen["dialogs"] == []
    assert seen["imgs"] == 0 and seen["svgs"] == 0
    shown = "\n".join(seen["popups"] + seen["panels"])
    for s in MARKUP:
        assert s in shown, s  # shown literally, as text
    assert len(seen["popups"]) >= len(HOSTILE_STRINGS)


@pytest.mark.browser
@pytest.mark.slow
def test_no_hostile_script_runs_in_the_app_map(page, vendor_dir, tmp_path):
    from marine.offline_assets import inline_html
    from marine.webmap import MapOptions, build_map

    m = build_map(hostile_catalogue(), ["baselines", "places"],
                  MapOptions(disclaimer=HOSTILE_STRINGS[1]))
    path = tmp_path / "app-map.html"
    path.write_text(inline_html(m), encoding="utf-8")
    seen = _open_every_popup(page, path)
    assert seen["pwned"] == "undefined" and seen["dialogs"] == []
    assert seen["imgs"] == 0 and seen["svgs"] == 0
    shown = "\n".join(seen["popups"])
    for s in MARKUP:
        assert s in shown, s
    assert HUGE[:5000] in shown  # the 1 MB name is in its popup, as text


@pytest.mark.browser
def test_the_pwned_flag_would_catch_a_script_that_ran(page, tmp_path):
    """The check bites: the same string put into the page as HTML does run."""
    path = tmp_path / "unsafe.html"
    path.write_text("<div id='x'></div><script>document.getElementById('x').innerHTML = "
                    + json.dumps(HOSTILE_STRINGS[1]) + ";</script>", encoding="utf-8")
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_function("typeof window.__pwned !== 'undefined'", timeout=5000)
    assert page.evaluate("window.__pwned") == 1


def test_a_1_mb_text_is_compared_in_bounded_time_and_exactly():
    """The Proposals page redlines versions: a 1 MB text once made it run for minutes."""
    import signal

    from marine.ui.redline import redline, redline_html

    before = "\n".join(HOSTILE_STRINGS) * 4000 + HUGE[:300_000]
    after = before.replace("evil", "good", 5) + "\nan added closing line"

    def too_slow(*_):
        raise TimeoutError("redline of a 1 MB text did not finish in 60 s")

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(60)
    try:
        segments = redline(before, after)
        html = redline_html(segments)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert "".join(t for op, t in segments if op != "added") == before
    assert "".join(t for op, t in segments if op != "removed") == after
    assert ("added", "good") in segments or any(op == "added" and "good" in t
                                                for op, t in segments)
    assert "<script>" not in html and set(tags_of(html).tags) <= {"del", "ins", "br"}


# --------------------------------------------------------------------------- the running app
APP_SCRIPT = """
import sys
sys.path.insert(0, {root!r})
import streamlit as st
from marine.store import Store
from marine.ui import data, proposals
from tests.hardening.test_injection import hostile_catalogue

@st.cache_resource
def _store():
    return Store.open({url!r})

data.store = _store
data.catalogue = hostile_catalogue
if "user" not in st.session_state:
    st.session_state["user"] = _store().users.authenticate("ana", "ana-password-1234")
proposals.render()
"""


@pytest.fixture
def hostile_app(hostile_store, hostile_db, tmp_path):
    """The Proposals page served by Streamlit with ana signed in (a private script)."""
    import os
    import signal
    import socket
    import sys
    import time
    import urllib.request

    root = Path(__file__).resolve().parents[2]
    script = tmp_path / "hostile_app.py"
    script.write_text(APP_SCRIPT.format(root=str(root), url=hostile_db), encoding="utf-8")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = (tmp_path / "app.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none", "--server.address", "127.0.0.1"],
        cwd=root, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        env={**os.environ, "MARINE_HOME": str(tmp_path / "home")})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


@pytest.mark.browser
@pytest.mark.slow
def test_no_hostile_script_runs_on_the_proposals_page(hostile_app, page):
    outside: list[str] = []

    def guard(route):
        if route.request.url.startswith(hostile_app):
            route.continue_()
        else:  # a Markdown image or link made live would fetch from here
            outside.append(route.request.url)
            route.abort()

    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.route("**/*", guard)
    page.goto(hostile_app, wait_until="load")
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']",
                           timeout=120_000)
    page.wait_for_selector("text=window.__pwned=1", timeout=60_000)
    page.wait_for_selector("[data-testid='stMarkdown'] del", timeout=60_000,
                           state="attached")  # the redline (on the page's "Changes" tab)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']",
                           timeout=120_000)
    page.wait_for_load_state("networkidle")
    body = page.locator("body").inner_text()
    page.screenshot(path=str(Path(hostile_app_shot())), full_page=True)
    assert page.evaluate("typeof window.__pwned") == "undefined" and dialogs == []
    assert page.locator("img[src='x'], svg[onload]").count() == 0
    assert page.locator("a[href^='javascript:']").count() == 0
    images = page.evaluate("""() => Array.from(document.images).map(i =>
        i.src + " in " + ((i.closest("[data-testid]") || {dataset: {}}).dataset.testid))""")
    assert [u for u in outside if "example.invalid" in u] == [], images
    for s in (HOSTILE_STRINGS[0], HOSTILE_STRINGS[1]):
        assert s in body, s  # the title and the comments, shown as text


def hostile_app_shot() -> Path:
    folder = Path(__file__).resolve().parents[2] / "test-artifacts" / "hardening"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "proposals-page-hostile.png"
