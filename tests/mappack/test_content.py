"""Pieces of the pack on their own: file names, report tables, fonts, inputs, page sizes."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st
from pack_fixtures import HOSTILE, make_content, sample_report
from pypdf import PdfReader

from marine.errors import LayerError, MarineError
from marine.mappack import csvs, fonts, pdf_atlas
from marine.mappack.content import (
    MeetingInfo,
    PackContent,
    ProposalSnapshot,
    report_tables,
    safe_filename,
)

WINDOWS_BAD = set('<>:"/\\|?*')


@pytest.mark.parametrize("stem, expected", [
    ("P-001-Joint survey", "P-001-Joint-survey"),
    ('a<b>c:d"e/f\\g|h?i*j', "a-b-c-d-e-f-g-h-i-j"),
    ("CON", "_CON"),
    ("nul.txt", "_nul.txt"),
    ("Đá Chữ Thập", "Da-Chu-Thap"),
    ("永暑礁", "file"),
    ("  trailing dots... ", "trailing-dots"),
])
def test_safe_filename_examples(stem, expected):
    assert safe_filename(stem) == expected


@given(st.text(max_size=300))
def test_safe_filename_is_always_portable(stem):
    name = safe_filename(stem, ".csv")
    assert name.endswith(".csv") and len(name) <= 80
    assert not WINDOWS_BAD & set(name) and name.isascii()
    assert not name[:-4].endswith((" ", ".")) and name[:-4]
    assert name.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}


def test_report_tables_cover_every_section_of_an_analysis_report():
    tables = {t.key: t for t in report_tables(sample_report(["fiery-cross-reef"]))}
    assert {"summary", "measures", "layers", "layers.features", "places",
            "claims.envelope_coverage", "claims.summary"} <= set(tables)
    assert "geometry" not in tables and "disclaimer" not in tables
    places = tables["places"]
    row = dict(zip(places.headings, places.rows[0], strict=True))
    assert "永暑礁" in row["names"] and "Đá Chữ Thập" in row["label"]
    child = tables["layers.features"]
    assert child.headings[0] == "layer_id" and child.rows[0][0] == "fao-areas"


def test_report_tables_read_a_real_report_json():
    report_mod = pytest.importorskip("marine.analysis.report")
    report = report_mod.Report(geometry={}, measures=report_mod.Measures(kind="area",
                                                                           area_km2=12.5))
    tables = {t.key: t for t in report_tables(report.to_dict())}
    assert ("area_km2", "12.5") in tables["measures"].rows


def test_csv_cells_never_become_formulas():
    table = csvs.Table("t", "t", ("a",), (("=HYPERLINK(\"x\")",), ("-12.5",), ("@SUM(A1)",)))
    rows = list(csv.reader(io.StringIO(csvs.table_csv(table).decode("utf-8-sig"))))
    assert rows == [["a"], ["'=HYPERLINK(\"x\")"], ["-12.5"], ["'@SUM(A1)"]]


def test_missing_font_names_the_debian_package(monkeypatch):
    fonts.find_fonts.cache_clear()
    monkeypatch.setitem(fonts._WANTED, "cjk", ("Noto Sans CJK SC", "NoSuchFont.ttc",
                                                "NoSuchFont", "fonts-noto-cjk", ("/nowhere",)))
    try:
        with pytest.raises(MarineError, match="apt-get install fonts-noto-cjk"):
            fonts.find_fonts()
    finally:
        fonts.find_fonts.cache_clear()


def test_inputs_are_checked_with_a_remedy():
    with pytest.raises(MarineError, match="YYYY-MM-DD"):
        MeetingInfo(title="t", date="20/11/2026", venue="", working_group="")
    with pytest.raises(MarineError, match="invalid"):
        ProposalSnapshot(id="x", title="t", kind="k", group="g", version=1, text="",
                         attributes={}, report={}, position_counts={},
                         geometry=shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)]))
    content = make_content()
    with pytest.raises(LayerError, match="known layers"):
        PackContent(meeting=content.meeting, proposals=content.proposals,
                    layer_ids=("no-such-layer",), catalogue=content.catalogue)
    with pytest.raises(MarineError, match="page size"):
        PackContent(meeting=content.meeting, proposals=content.proposals, layer_ids=(),
                    catalogue=content.catalogue, page_size="A3")


@pytest.mark.parametrize("page_size, points", [("A4", (595.28, 841.89)), ("Letter", (612, 792))])
def test_atlas_page_sizes_and_literal_text(page_size, points):
    png = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (40, 30), "white").save(png, format="PNG")
    meeting = MeetingInfo(title=f"Meeting {HOSTILE}", date="2026-11-20", venue="v",
                          working_group="w")
    pdf = pdf_atlas.build_atlas(meeting, [], png.getvalue(), [], {"en": "Without prejudice."},
                                page_size, datetime(2026, 11, 21, tzinfo=UTC).isoformat())
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == (
        round(points[0], 1), round(points[1], 1))
    assert HOSTILE.split()[0] in reader.pages[0].extract_text()
