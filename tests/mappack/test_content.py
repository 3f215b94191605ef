"""Pieces of the pack on their own: file names, report tables, column widths, fonts, inputs,
page sizes."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime

import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st
from pack_fixtures import HOSTILE, make_content, proposals
from pypdf import PdfReader

from marine.errors import LayerError, MarineError
from marine.mappack import csvs, fonts, pdf_atlas
from marine.mappack.content import (
    MeetingInfo,
    PackContent,
    ProposalSnapshot,
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


def test_report_csv_tables_have_human_headings_and_cells():
    from marine.mappack.assemble import report_csv_tables

    tables = {t.key: t for t in report_csv_tables(proposals()[0], "en")}
    assert {"summary", "nearby-places", "layers"} <= set(tables)
    summary = dict(tables["summary"].rows)
    assert summary["Area"].endswith("nm²") and "Centre" in summary
    places = tables["nearby-places"]
    assert places.headings == ("Names", "Where")
    assert any("永暑礁" in row[0] and "Đá Chữ Thập" in row[0] for row in places.rows)
    cells = " ".join(c for t in tables.values() for row in t.rows for c in (*t.headings, *row))
    for raw in ("_km2", "schema_version", "bbox", '{"', "True", "False", "None", "layer_id"):
        assert raw not in cells, raw
    vi = {t.key: t for t in report_csv_tables(proposals()[0], "vi")}
    assert vi["nearby-places"].headings == ("Tên gọi", "Vị trí")


def test_column_widths_follow_the_content():
    from marine.mappack.pdf_atlas import Atlas, content_widths

    pdf = Atlas("A4", "Without prejudice.", "t", "en")
    pdf.add_page()
    pdf.set_font("NotoSans", size=7)
    source = "Agreement between the parties on the delimitation of the Gulf, 25 December 2000 " * 2
    widths = content_widths(pdf, ("Layer", "Status", "Source"),
                            [("Agreed boundaries", "agreed", source)] * 3)
    assert abs(sum(widths) - pdf.epw) < 1e-6
    assert widths[2] > 2 * widths[0] > 2 * pdf.get_string_width("boundaries")  # source wraps
    assert widths[1] >= pdf.get_string_width("agreed")  # a short column keeps its word


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
    pdf = pdf_atlas.build_atlas(pdf_atlas.AtlasInput(
        meeting, [], png.getvalue(), [], {"en": "Without prejudice."}, page_size,
        datetime(2026, 11, 21, tzinfo=UTC).isoformat()))
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == (
        round(points[0], 1), round(points[1], 1))
    assert HOSTILE.split()[0] in reader.pages[0].extract_text()


def test_empty_layers_are_never_a_default():
    from pack_fixtures import fixture_catalogue

    from marine.mappack.from_store import default_layer_ids, is_empty_layer

    cat = fixture_catalogue()
    assert is_empty_layer(cat, "u-shaped-line") and not is_empty_layer(cat, "agreed-boundaries")
    defaults = default_layer_ids(cat)
    assert "u-shaped-line" not in defaults and "agreed-boundaries" in defaults


def test_empty_layers_get_no_offline_toggle_and_no_kml_folder(built_pack):
    page = built_pack["files"]["map.html"].decode("utf-8")
    assert "Depicted dashed line" not in page and "U-shaped line" not in page
    kmz = zipfile.ZipFile(io.BytesIO(built_pack["files"]["data/google-earth.kmz"]))
    kml = kmz.read("doc.kml").decode("utf-8")
    assert "U-shaped line" not in kml and "Depicted dashed line" not in kml
