"""Fuzzing the way in: random and hostile geometries and text through validation → overlap
report → store → map-pack pieces. Every input is either taken (and comes back unchanged) or
rejected with a domain error that says what was wrong; nothing else may be raised.

Short run in the suite (200 examples per test). Longer, by hand:

    MARINE_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest tests/hardening/test_fuzz.py -q
"""

from __future__ import annotations

import html
import json
import math
import os
import unicodedata
from collections import Counter

import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import mapping

from marine.analysis import overlap_report, validate_geometry
from marine.errors import MarineError
from marine.mappack.from_store import snapshot
from marine.mappack.offline_html import proposals_geojson, title_panel_html
from marine.neutrality import lint_text
from marine.store import SYSTEM, Store

EXAMPLES = int(os.environ.get("MARINE_FUZZ_EXAMPLES", "200"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
HOSTILE_TEXT = [
    '<script>alert("x")</script>', "'; DROP TABLE proposals; --", "\u202eevil\u202c",
    "a\x00b", "\ud7ff\ufeff\u200b", "名称" * 300, "   ", "", "x" * 5000, "{{ 7*7 }}",
    "=cmd|' /C calc'!A0", "Scarborough Shoal / 黄岩岛 / Bajo de Masinloc",
]

# --------------------------------------------------------------------------- strategies
inside_lon = st.floats(100, 122, allow_nan=False)
inside_lat = st.floats(0, 25, allow_nan=False)
any_number = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                       st.integers(-10**6, 10**6), st.floats(-200, 200))
position = st.one_of(st.tuples(inside_lon, inside_lat).map(list),
                     st.tuples(any_number, any_number).map(list),
                     st.tuples(inside_lat, inside_lon).map(list))  # swapped
ring = st.lists(position, min_size=0, max_size=12)


@st.composite
def closed_ring(draw):
    points = draw(ring)
    return points + points[:1] if draw(st.booleans()) else points


geojson_geometry = st.one_of(
    st.builds(lambda c: {"type": "Point", "coordinates": c}, position),
    st.builds(lambda c: {"type": "MultiPoint", "coordinates": c}, ring),
    st.builds(lambda c: {"type": "LineString", "coordinates": c}, ring),
    st.builds(lambda r: {"type": "Polygon", "coordinates": [r]}, closed_ring()),
    st.builds(lambda r, h: {"type": "Polygon", "coordinates": [r, h]}, closed_ring(),
              closed_ring()),
    st.builds(lambda rs: {"type": "MultiPolygon", "coordinates": [[r] for r in rs]},
              st.lists(closed_ring(), max_size=3)),
    st.builds(lambda t, c: {"type": t, "coordinates": c},
              st.sampled_from(["Polygon", "Circle", "GeometryCollection", "", "LineString"]),
              st.one_of(st.none(), st.integers(), st.text(max_size=5), position)),
    st.dictionaries(st.text(max_size=8), st.one_of(st.none(), st.integers(), st.text(max_size=8)),
                    max_size=3),
)
feature = st.builds(lambda g: {"type": "Feature", "properties": {}, "geometry": g},
                    st.one_of(st.none(), geojson_geometry))
# Valid areas inside the region, so that most examples also reach the store and the pack.
boxes = st.builds(lambda x, y, w, h: mapping(shapely.box(x, y, x + w, y + h)),
                  inside_lon, inside_lat, st.floats(0.001, 3), st.floats(0.001, 3))
geometry_input = st.one_of(boxes, geojson_geometry, boxes, feature, boxes)
title_input = st.one_of(st.text(min_size=1, max_size=60), st.text(max_size=300),
                        st.sampled_from(HOSTILE_TEXT))
text_input = st.one_of(st.text(max_size=2000), st.sampled_from(HOSTILE_TEXT))


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def catalogue():
    from test_analysis import fixture_catalogue

    return fixture_catalogue()


@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory):
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.sqlite'}")
    user = store.users.create(SYSTEM, "fuzzer", "Fuzzer")
    store.groups.add_member(SYSTEM, "legal-matters", user.id, "member")
    yield store, user
    store.close()


def clear(error: Exception) -> None:
    """A rejection a person can act on: a domain error with a short, specific message."""
    message = str(error)
    assert isinstance(error, MarineError), f"{type(error).__name__}: {message}"
    assert 10 <= len(message) <= 600 and "Traceback" not in message, message


# --------------------------------------------------------------------------- the run
def through_the_pipeline(geometry, title, text, catalogue, store, user) -> str:
    try:
        valid = validate_geometry(geometry)
    except MarineError as exc:
        clear(exc)
        return "rejected geometry"
    report = overlap_report(valid.geometry, catalogue)
    assert json.loads(json.dumps(report.to_json() if isinstance(report.to_json(), dict)
                                 else json.loads(report.to_json())))
    lint_text(text, "en")
    try:
        created = store.proposals.create(user, group="legal-matters", kind="joint-research-area",
                                         title=title, text=text, geometry=valid.geometry,
                                         report=report.to_json())
    except MarineError as exc:
        clear(exc)
        return "rejected text"
    back = store.proposals.get(user, created.id).latest
    assert (back.title, back.text) == (title.strip(), text.strip())
    assert shapely.equals_exact(back.geometry, valid.geometry, tolerance=0)
    group_names = {g.id: g.name for g in store.groups.list()}
    snap = snapshot(store, SYSTEM, created.id, None, catalogue, group_names)
    shown = json.dumps(proposals_geojson([snap]), ensure_ascii=False)
    assert unicodedata.normalize("NFC", back.title) in json.loads(shown)["features"][0][
        "properties"]["rows"][1][1]
    panel = title_panel_html("Meeting", "subtitle", [snap])
    assert html.escape(snap.label) in panel  # shown as text in the offline map, not markup
    if "<" in snap.label:
        assert snap.label not in panel
    return "stored"


def fuzz(strategies: dict, catalogue, fuzz_store, fixed: dict) -> Counter:
    store, user = fuzz_store
    outcomes: Counter[str] = Counter()

    @FUZZ
    @given(**strategies)
    def one(**drawn):
        args = {**fixed, **drawn}
        outcomes[through_the_pipeline(args["geometry"], args["title"], args["text"],
                                      catalogue, store, user)] += 1

    one()  # any other exception fails here, shrunk to a minimal input
    print(f"fuzz: {sum(outcomes.values())} inputs tried, {dict(outcomes)}, 0 crashes")
    assert sum(outcomes.values()) >= EXAMPLES // 2
    return outcomes


def test_hostile_geometries_are_taken_or_rejected_clearly(catalogue, fuzz_store):
    outcomes = fuzz({"geometry": geometry_input}, catalogue, fuzz_store,
                    {"title": "A joint survey", "text": "Plankton sampling."})
    assert outcomes["stored"] > 0 and outcomes["rejected geometry"] > 0


@pytest.mark.slow
def test_hostile_text_is_stored_whole_or_rejected_clearly(catalogue, fuzz_store):
    outcomes = fuzz({"geometry": boxes, "title": title_input, "text": text_input},
                    catalogue, fuzz_store, {})
    assert outcomes["stored"] > EXAMPLES // 4


@pytest.mark.parametrize(("bad", "outcome"), [
    ({"type": "Polygon", "coordinates": [[[114, 10], [115, 11], [115, 10], [114, 11],
                                          [114, 10]]]}, "stored"),  # a bow-tie, repaired
    ({"type": "Polygon", "coordinates": [[[10, 114], [11, 114], [11, 115], [10, 114]]]},
     "rejected geometry"),  # latitude first
    ({"type": "Point", "coordinates": [math.nan, 10]}, "rejected geometry"),
    ({"type": "Polygon", "coordinates": []}, "rejected geometry"),
    ({"type": "Feature", "geometry": None}, "rejected geometry"),
    ({"type": "Polygon", "coordinates": [[[95, -5], [125, -5], [125, 28], [95, 28],
                                          [95, -5]]]}, "stored"),  # the whole region
])
def test_known_hostile_geometries(bad, outcome, catalogue, fuzz_store):
    store, user = fuzz_store
    assert through_the_pipeline(bad, "A title", "A text", catalogue, store, user) == outcome


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_known_hostile_text(text, catalogue, fuzz_store):
    store, user = fuzz_store
    box = mapping(shapely.box(114, 10, 114.5, 10.5))
    title = text.strip()[:80] or text
    outcome = through_the_pipeline(box, title, text, catalogue, store, user)
    refused = not title.strip() or "\x00" in text
    assert outcome == ("rejected text" if refused else "stored")


def test_hostile_text_on_every_backend(db_url, catalogue):
    """The same text on SQLite and PostgreSQL: stored whole or rejected with a domain error."""
    store = Store.open(db_url)
    try:
        user = store.users.create(SYSTEM, "fuzzer", "Fuzzer")
        store.groups.add_member(SYSTEM, "legal-matters", user.id, "member")
        box = mapping(shapely.box(114, 10, 114.5, 10.5))
        outcomes = {text: through_the_pipeline(box, "Title " + text[:60], text, catalogue,
                                               store, user) for text in HOSTILE_TEXT}
    finally:
        store.close()
    assert set(outcomes.values()) <= {"stored", "rejected text"}
    assert outcomes['<script>alert("x")</script>'] == "stored"


def test_a_nul_character_is_refused_alike_on_every_backend(db_url):
    """PostgreSQL cannot store NUL in text (psycopg raised DataError from deep in the store);
    SQLite can. The store refuses it on both, naming the character and where it is."""
    store = Store.open(db_url)
    try:
        user = store.users.create(SYSTEM, "fuzzer", "Fuzzer")
        store.groups.add_member(SYSTEM, "legal-matters", user.id, "member")
        for field in ("title", "text"):
            values = {"title": "A title", "text": "A text", field: "before\x00after"}
            with pytest.raises(MarineError, match=r"NUL character .* at position 6"):
                store.proposals.create(user, group="legal-matters", kind="joint-research-area",
                                       geometry=shapely.box(114, 10, 115, 11), **values)
        assert store.proposals.list(user) == []
    finally:
        store.close()


@pytest.mark.slow
def test_a_full_pack_of_hostile_proposals_from_the_store(catalogue, fuzz_store, tmp_path):
    """The last step: hostile titles and texts saved in the store, packed (PDF, offline map,
    GeoPackage, KMZ, CSV): the pack builds, the offline map shows no markup from them, and
    every title arrives whole in the pack's GeoJSON."""
    from marine.mappack.assemble import build_pack, read_pack
    from marine.mappack.content import MeetingInfo, PackContent

    store, user = fuzz_store
    names = {g.id: g.name for g in store.groups.list()}
    snaps = []
    for i, text in enumerate(t for t in HOSTILE_TEXT if t.strip() and "\x00" not in t):
        created = store.proposals.create(
            user, group="legal-matters", kind="joint-research-area", title=text[:80], text=text,
            geometry=shapely.box(114 + i * 0.2, 10, 114.1 + i * 0.2, 10.1))
        snaps.append(snapshot(store, SYSTEM, created.id, None, catalogue, names))
    content = PackContent(meeting=MeetingInfo(title="Fuzz <b>meeting</b>", date="2026-11-23",
                                              venue="Online", working_group="Legal matters"),
                          proposals=snaps, layer_ids=("places",), catalogue=catalogue)
    build_pack(content, tmp_path / "pack.zip")
    files = read_pack(tmp_path / "pack.zip")
    assert files["atlas.pdf"].startswith(b"%PDF")
    assert b'<script>alert("x")</script>' not in files["map.html"]
    titles = set()
    for name, data in files.items():
        if name.startswith("data/proposals/") and name.endswith(".geojson"):
            titles |= {f["properties"]["title"] for f in json.loads(data)["features"]}
    assert titles == {unicodedata.normalize("NFC", p.title) for p in snaps} or titles == {
        p.title for p in snaps}  # every hostile title arrives whole in the pack's data
