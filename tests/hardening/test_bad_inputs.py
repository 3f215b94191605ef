"""The bad-input corpus through the upload reader: every file refused clearly or repaired with
a note, no crash, nothing written outside the temp folder; the runner shown to catch each kind
of failure; the limits stated where users read them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from marine import uploads
from marine.i18n import LANGUAGES, translate
from marine.uploads import UploadError, read_upload, read_upload_file, shown
from reliability.bad_corpus import LARGE, OVERSIZED, SMALL, WRITTEN_BY_GDAL
from reliability.bad_inputs import (
    DEFAULT_CORPUS,
    clear_message_problem,
    load_expected,
    mutate,
    run_bad_inputs,
    run_mutations,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
CORPUS = REPO_ROOT / "tests" / "data" / "bad"
NOT_INPUTS = {"expected.json", "README.md", "make_corpus.py"}


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    return run_bad_inputs(CORPUS, tmp_path_factory.mktemp("bad"))


def test_the_corpus_is_complete_and_every_file_has_an_expectation():
    expected = load_expected(CORPUS)
    committed = {p.name for p in CORPUS.iterdir() if p.name not in NOT_INPUTS}
    listed_small = {n for n, e in expected.items() if not e.get("generated")}
    listed_large = {n for n, e in expected.items() if e.get("generated")}
    assert committed == listed_small == set(SMALL)
    assert listed_large == set(LARGE) | set(OVERSIZED) | set(WRITTEN_BY_GDAL)
    assert len(expected) >= 40 and DEFAULT_CORPUS == CORPUS
    for name, want in expected.items():
        assert len({"error", "repair", "accepted"} & set(want)) == 1, name


def test_committed_files_are_what_make_corpus_writes():
    stale = [name for name, build in SMALL.items() if (CORPUS / name).read_bytes() != build()]
    assert stale == [], "run tests/data/bad/make_corpus.py and commit"


_BUILD_GDAL_FILES = (
    "import sys; from pathlib import Path; "
    "from reliability.bad_corpus import write_gdal_built; write_gdal_built(Path(sys.argv[1]))"
)


@pytest.mark.slow
def test_files_written_through_gdal_are_the_same_on_another_day(tmp_path, faketime_path):
    """GDAL stamps the day into .dbf headers and gpkg_contents: a build under a faked date
    years away (libfaketime, Debian `faketime`) gives the same bytes as a build today."""
    faketime = str(faketime_path)
    today, later = tmp_path / "today", tmp_path / "later"
    for folder, prefix in ((today, []), (later, [faketime, "-f", "@2031-07-15 12:00:00"])):
        subprocess.run([*prefix, sys.executable, "-c", _BUILD_GDAL_FILES, str(folder)],
                       check=True, timeout=300, cwd=REPO_ROOT)
    stamped = subprocess.run([faketime, "-f", "@2031-07-15 12:00:00", sys.executable, "-c",
                              "import time; print(time.gmtime().tm_year)"],
                             capture_output=True, text=True, check=True).stdout
    assert stamped.strip() == "2031", "faketime did not change the clock of the build"
    differ = [p.name for p in sorted(today.iterdir())
              if p.read_bytes() != (later / p.name).read_bytes()]
    assert sorted(p.name for p in later.iterdir()) == sorted(WRITTEN_BY_GDAL)
    assert differ == []


def test_every_bad_input_is_refused_clearly_or_repaired_with_a_note(figures):
    assert figures.problems == ()
    assert figures.crashes == 0 and figures.unclear == 0
    assert figures.tried == len(load_expected(CORPUS))
    assert figures.rejected_clearly >= 60 and figures.repaired_clearly >= 5
    assert figures.written_outside == 0 and figures.temp_left == 0
    assert figures.ok and all(f.ok for f in figures.rows())
    by_name = {o.name: o for o in figures.outcomes}
    assert by_name["bowtie.geojson"].verdict == "repaired"
    assert "MultiPolygon of 2 part(s)" in by_name["bowtie.geojson"].message
    assert by_name["xxe.kml"].verdict == "rejected"
    assert "/etc/passwd" not in by_name["xxe.kml"].message  # nothing of the entity leaked


def test_figures_are_what_marine_check_prints(figures):
    measures = {f.measure: f.value for f in figures.rows()}
    assert measures["bad inputs tried"] == figures.tried
    assert measures["rejected clearly"] == figures.rejected_clearly
    assert measures["crashes"] == 0


# --------------------------------------------------------------------------- the runner bites
def test_a_wrong_expectation_is_counted_unclear(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "nan.geojson").write_bytes(SMALL["nan.geojson"]())
    (corpus / "expected.json").write_text(json.dumps(
        {"files": {"nan.geojson": {"error": "something else entirely"}}}))
    result = run_bad_inputs(corpus, tmp_path)
    assert (result.tried, result.unclear, result.rejected_clearly) == (1, 1, 0)
    assert not result.ok and "something else entirely" in result.problems[0]


def test_a_crash_and_a_stray_write_are_counted(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("nan.geojson", "bowtie.geojson"):
        (corpus / name).write_bytes(SMALL[name]())
    (corpus / "expected.json").write_text(json.dumps({"files": {
        "nan.geojson": {"error": "NaN"}, "bowtie.geojson": {"repair": "Self-intersection"}}}))
    real = uploads.read_upload_file

    def broken(path, filename=None):
        if Path(path).name == "nan.geojson":
            raise KeyError("coordinates")
        Path("stray.txt").write_text("written into the working directory")
        (corpus / "evil.kml").write_text("next to the corpus")
        return real(path, filename)

    monkeypatch.setattr(uploads, "read_upload_file", broken)
    result = run_bad_inputs(corpus, tmp_path)
    assert result.crashes == 1 and "KeyError" in result.problems[0]
    assert result.written_outside == 2 and not result.ok


def test_clear_message_rules():
    assert clear_message_problem("the KMZ is not a valid zip archive: zip it again") is None
    assert "characters" in clear_message_problem("x" * 1000)
    assert "traceback" in clear_message_problem('Traceback (most recent call last):\n File "a"')
    assert "raw control" in clear_message_problem("name \u202eexe.jpg")


# --------------------------------------------------------------------------- reader details
@pytest.mark.slow
def test_million_vertices_are_refused_by_counting_before_any_geometry(monkeypatch):
    def no_geometry(*_args, **_kw):
        raise AssertionError("a geometry was built before the vertex count")

    monkeypatch.setattr(uploads, "shape", no_geometry)
    monkeypatch.setattr(uploads, "Polygon", no_geometry)
    for name in ("million_vertices.geojson", "million_vertices.kml"):
        with pytest.raises(UploadError, match=r"1,000,00\d vertices; the limit is 100,000"):
            read_upload(name, LARGE[name]())


def test_an_oversized_file_is_refused_unread(tmp_path, monkeypatch):
    path = tmp_path / "huge.geojson"
    with path.open("wb") as out:
        out.truncate(3 * 2**30)  # sparse: 3 GB without disk blocks
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("the file was read"))
    with pytest.raises(UploadError, match=r"3,072\.0 MB; the limit is 20 MB"):
        read_upload_file(path)


def test_values_quoted_in_messages_are_cut_and_made_visible():
    assert shown("a\u202eb\x00c") == "a\\u202eb\\u0000c"
    assert shown("x" * 1000) == "x" * uploads.MAX_SHOWN_CHARS + "…"
    with pytest.raises(UploadError) as info:
        read_upload("area\u202egpj.exe", b"data")
    assert "\u202e" not in str(info.value) and "\\u202e" in str(info.value)
    with pytest.raises(UploadError) as info:
        uploads.parse_coordinate_text("<script>" + "9" * 1_000_000 + "\n1 2\n3 4", "area")
    assert len(str(info.value)) < 400


def test_typed_positions_have_the_vertex_limit():
    text = "\n".join(f"8.{i:06d}, 101.5" for i in range(uploads.MAX_VERTICES + 1))
    with pytest.raises(UploadError, match="100,001 vertices"):
        uploads.parse_coordinate_text(text, "line")


# --------------------------------------------------------------------------- limits stated
def _digits(text: str) -> str:
    return re.sub(r"(?<=\d)[,.\s](?=\d{3})", "", text)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_upload_help_states_the_limits_in_every_language(lang):
    help_text = _digits(translate("draft.upload_help", lang))
    for number in (uploads.MAX_UPLOAD_BYTES // 2**20, uploads.MAX_FEATURES,
                   uploads.MAX_VERTICES):
        assert re.search(rf"(?<!\d){number}(?!\d)", help_text), (lang, number, help_text)


def test_readme_and_streamlit_config_state_the_same_limits():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert uploads.limits_text() in readme
    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == uploads.MAX_UPLOAD_BYTES // 2**20


# --------------------------------------------------------------------------- the draft page
UPLOAD_SCRIPT = """
import streamlit as st
from marine.ui import draft

class Uploaded:
    name = {name!r}
    data = {data!r}
    size = len(data)
    def getvalue(self):
        return self.data

st.file_uploader = lambda *args, **kwargs: Uploaded()  # AppTest has no file uploader
draft.upload_input()
"""


def _upload_page(name: str):
    from streamlit.testing.v1 import AppTest

    data = {**SMALL, **WRITTEN_BY_GDAL}[name]()
    return AppTest.from_string(UPLOAD_SCRIPT.format(name=name, data=data),
                               default_timeout=60).run()


@pytest.mark.parametrize(("name", "note"), [
    ("bowtie.geojson", "was invalid (Self-intersection"),
    ("shp_projected_utm48n.zip", "reprojected from EPSG:32648"),
])
def test_the_draft_page_reports_the_repair_of_an_upload(name, note):
    from tests.ui.apptest_support import texts

    at = _upload_page(name)
    assert not at.exception, at.exception
    shown = texts(at).replace("\\", "")
    assert note in shown, shown  # said when the file is read …
    assert note in at.session_state["draft_doc"].geometry_label  # … and kept beside the draft


@pytest.mark.parametrize("name", ["xxe.kml", "traversal.kmz", "nan.geojson",
                                  "hostile_crs_name.geojson"])
def test_the_draft_page_shows_a_refusal_and_keeps_no_draft(name):
    at = _upload_page(name)
    assert not at.exception, at.exception
    assert len(at.error) == 1 and "draft" not in at.session_state
    assert "<script>" not in at.error[0].value  # Markdown-escaped for display


def test_a_drawn_bowtie_is_left_for_the_report_to_repair_and_say_so():
    from marine.analysis.validation import validate_geometry

    bowtie = json.loads(SMALL["bowtie.geojson"]())["features"]
    drawn = uploads.drawings_geometry(bowtie)
    assert not drawn.geometry.is_valid and drawn.notes == ()
    assert "Self-intersection" in validate_geometry(drawn.geometry).repairs[0]


# --------------------------------------------------------------------------- mutations
def test_mutated_corpus_files_never_crash_the_reader(tmp_path):
    result = run_mutations(CORPUS, count=600, seed=11, workdir=tmp_path)
    assert result.problems == () and result.crashes == 0 and result.temp_left == 0
    assert result.refused + result.accepted == 600 and result.refused > 500
    assert result.ok and all(f.ok for f in result.rows())


def test_a_mutation_crash_is_counted(tmp_path, monkeypatch):
    def fragile(name, data):
        raise IndexError("list index out of range")

    monkeypatch.setattr(uploads, "read_upload", fragile)
    result = run_mutations(CORPUS, count=5, seed=1, workdir=tmp_path)
    assert result.crashes == 5 and not result.ok and "IndexError" in result.problems[0]


def test_mutate_damages_the_bytes():
    import random

    rng = random.Random(3)
    data = SMALL["bowtie.geojson"]()
    assert all(mutate(data, rng) != data for _ in range(50))


# --------------------------------------------------------------------------- any JSON
def _json_values():
    from hypothesis import strategies as st

    scalars = (st.none() | st.booleans() | st.integers(-10**30, 10**30)
               | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8)
               | st.sampled_from([101.5, 8.5, 8.0, 102.0]))
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=5)
                        | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=30)


def test_any_json_under_geojson_keys_is_refused_clearly_or_read():
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    types = st.sampled_from([*uploads.GEOJSON_DEPTH, "GeometryCollection", "Feature",
                             "FeatureCollection", "Circle"]) | _json_values()

    @settings(max_examples=int(os.environ.get("MARINE_FUZZ_EXAMPLES", "200")), deadline=None,
              database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(kind=types, coordinates=_json_values(), wrap=st.sampled_from(["bare", "feature",
                                                                          "collection"]))
    def check(kind, coordinates, wrap):
        doc = {"type": kind, "coordinates": coordinates, "features": coordinates,
               "geometry": coordinates}
        if wrap == "feature":
            doc = {"type": "Feature", "properties": {}, "geometry": doc}
        elif wrap == "collection":
            doc = {"type": "FeatureCollection", "features": [
                {"type": "Feature", "properties": None, "geometry": doc}]}
        try:
            up = read_upload("fuzz.geojson", json.dumps(doc).encode())
        except UploadError as exc:
            assert clear_message_problem(str(exc)) is None, str(exc)
        else:
            assert up.geometry.is_valid and not up.geometry.is_empty

    check()
