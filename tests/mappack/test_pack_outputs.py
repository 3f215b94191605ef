"""The real outputs of one pack built from the fixtures (see conftest.py)."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from xml.etree import ElementTree as ET

import geopandas as gpd
import pyogrio
import pytest
import shapely
from pack_fixtures import HOSTILE, PLACES, fixture_catalogue, proposals
from pypdf import PdfReader

from marine.mappack import manifest
from marine.mappack.content import disclaimer_texts

KML_NS = {"k": "http://www.opengis.net/kml/2.2"}


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _pdf_pages(files) -> list[str]:
    """Text per page: pdftotext (poppler) when installed, else pypdf (which splits CJK glyphs
    of fallback fonts with NULs: those are dropped)."""
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=files["atlas.pdf"],
                             capture_output=True, check=True, timeout=60).stdout.decode()
        pages = out.split("\f")
        return [_squash(p) for p in (pages[:-1] if pages and not pages[-1].strip() else pages)]
    reader = PdfReader(io.BytesIO(files["atlas.pdf"]))
    return [_squash((page.extract_text() or "").replace("\x00", "")) for page in reader.pages]


# --------------------------------------------------------------------------- the zip
def test_pack_holds_every_format(built_pack):
    names = set(built_pack["files"])
    assert {"atlas.pdf", "map.html", "manifest.json", "data/pack.gpkg",
            "data/google-earth.kmz", "data/csv/gazetteer.csv"} <= names
    assert sum(n.startswith("data/proposals/") and n.endswith(".geojson") for n in names) == 3
    assert any(n.startswith("data/csv/report-P-001-") for n in names)


def test_file_names_are_safe_on_windows_and_macos(built_pack):
    for name in built_pack["files"]:
        for part in name.split("/"):
            assert not re.search(r'[<>:"\\|?*\x00-\x1f]', part), name
            assert part.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL"}
            assert len(part) <= 100 and not part.endswith((" ", "."))


def test_progress_is_reported_in_order_and_ends_at_one(built_pack):
    fractions = [f for f, _ in built_pack["progress"]]
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1.0 and len(fractions) >= 8
    assert any("map" in m for _, m in built_pack["progress"])


# --------------------------------------------------------------------------- manifest
def test_manifest_hashes_match_the_files(built_pack):
    files = built_pack["files"]
    man = json.loads(files["manifest.json"])
    rest = {k: v for k, v in files.items() if k != "manifest.json"}
    assert manifest.verify(man, rest) == []
    assert {p["id"]: p["version"] for p in man["proposals"]} == {"P-001": 3, "P-002": 1,
                                                                  "P-003": 2}
    assert {layer["id"] for layer in man["layers"]} == {"places", "fao-areas",
                                                        "agreed-boundaries", "u-shaped-line"}
    assert all(layer["source"] for layer in man["layers"])
    assert man["software_version"] and man["generated_at"] == "2026-11-21 09:30 UTC"


def test_manifest_verify_notices_a_changed_file(built_pack):
    files = dict(built_pack["files"])
    man = json.loads(files.pop("manifest.json"))
    files["map.html"] = files["map.html"] + b" "
    assert manifest.verify(man, files) == ["map.html: hash or size differs"]


# --------------------------------------------------------------------------- PDF
def test_pdf_text_has_titles_all_names_and_the_disclaimer_on_every_page(built_pack):
    pages = _pdf_pages(built_pack["files"])
    text = " ".join(pages)
    for p in proposals():
        assert _squash(p.title) in text
    # every name of a disputed place, in Chinese and Vietnamese (and English, Filipino)
    for name in ("永暑礁", "Đá Chữ Thập", "Kagitingan", "太平岛", "Ba Bình", "中业岛", "Thị Tứ"):
        assert name in text, name
    disclaimer = _squash(disclaimer_texts()["en"])
    missing = [i + 1 for i, page in enumerate(pages) if disclaimer not in page]
    assert missing == []
    for heading in ("The proposals at a glance", "Annex A", "Annex B",
                    "Comments (not attributed)", "Positions (counts, not attributed)",
                    "The measure as proposed", "Generated at", "/proposals?proposal=1&version=3"):
        assert heading in text, heading


def test_atlas_is_a_briefing_of_at_most_four_pages_a_proposal(built_pack):
    pages = _pdf_pages(built_pack["files"])
    assert len(pages) <= 4 * len(proposals())
    text = " ".join(pages)
    for raw in ("schema_version", "bbox", "_km2", '{"', "True", "False", "None",
                "centroid", "features_omitted", "layer_id"):
        assert raw not in text, raw


def test_each_measure_text_is_on_the_first_page_of_its_section(built_pack):
    pages = _pdf_pages(built_pack["files"])
    for p in proposals():
        heading = _squash(f"{p.id} — {p.title}")
        first = next(i for i, page in enumerate(pages) if heading in page)
        assert _squash(p.text) in pages[first], p.id
        assert "The measure as proposed" in pages[first]


def test_every_disputed_place_in_the_atlas_text_carries_all_its_names(built_pack):
    text = " ".join(_pdf_pages(built_pack["files"]))
    for p in proposals():  # a title may name a place ("… around Fiery Cross Reef")
        text = text.replace(_squash(p.title), "")
    for _pid, en, zh, vi, fil, ms, _lat, _lon in PLACES:
        if en in text:
            label = " / ".join(n for n in (en, zh, vi, fil, ms) if n)
            for at in [m.start() for m in re.finditer(re.escape(en), text)]:
                assert text[at:at + len(label)] == label, text[at:at + len(label) + 20]


def test_pdf_shows_hostile_text_literally(built_pack):
    text = " ".join(_pdf_pages(built_pack["files"]))
    assert _squash(HOSTILE) in text


def test_pdf_annex_lists_every_layer_with_provenance(built_pack):
    from marine.presenter import layer_name, status_word

    pages = _pdf_pages(built_pack["files"])
    annex = pages[-1]
    assert "Annex B" in annex
    cat = fixture_catalogue()
    for layer_id in ("places", "fao-areas", "agreed-boundaries", "u-shaped-line"):
        spec = cat.spec(layer_id)
        assert _squash(layer_name(layer_id, "en", spec.title)) in annex, layer_id
        assert status_word(spec.status, "en") in annex
        assert spec.licence in annex or spec.empty_reason  # an empty layer has no licence row
    # the empty layer is listed apart, with its reason for users (no developer notes)
    assert "Layers without data" in annex
    assert "no coordinates for it have been published" in annex and "data/" not in annex


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils not installed")
def test_pdf_first_page_renders_not_blank(built_pack, tmp_path):
    from PIL import Image

    pdf = tmp_path / "atlas.pdf"
    pdf.write_bytes(built_pack["files"]["atlas.pdf"])
    subprocess.run(["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-png", str(pdf),
                    str(tmp_path / "p")], check=True, timeout=60)
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    dark = sum(image.histogram()[:128])
    assert dark > 500  # title and text drawn, not a white page
    overview = tmp_path / "o"
    subprocess.run(["pdftoppm", "-r", "30", "-f", "2", "-l", "2", "-png", str(pdf),
                    str(overview)], check=True, timeout=60)
    colours = Image.open(next(tmp_path.glob("o*.png"))).convert("RGB").getcolors(1_000_000)
    assert len(colours) > 50  # the overview map is drawn (land, sea, layers)


# --------------------------------------------------------------------------- GeoPackage
def test_gpkg_reads_back_equal_to_the_sources(built_pack, tmp_path):
    path = tmp_path / "pack.gpkg"
    path.write_bytes(built_pack["files"]["data/pack.gpkg"])
    tables = {name for name, _ in pyogrio.list_layers(path)}
    assert tables == {"places", "fao_areas", "agreed_boundaries", "u_shaped_line", "proposals"}
    cat = fixture_catalogue()
    for layer_id in ("places", "fao-areas", "agreed-boundaries"):
        source = cat.load(layer_id)
        back = pyogrio.read_dataframe(path, layer=layer_id.replace("-", "_"))
        assert list(back["feature_id"]) == list(source["feature_id"])
        assert all(shapely.equals_exact(back.geometry.values, source.geometry.values, 1e-9))
        for col in ("name", "source", "status", "accuracy"):
            assert list(back[col]) == list(source[col])
    places = pyogrio.read_dataframe(path, layer="places")
    assert list(places["name_zh"]) == [p[2] for p in PLACES]
    assert list(places["name_vi"]) == [p[3] for p in PLACES]
    props = pyogrio.read_dataframe(path, layer="proposals")
    src = proposals()
    assert list(props["proposal_id"]) == [p.id for p in src]
    assert list(props["version"]) == [p.version for p in src]
    assert list(props["title"]) == [p.title for p in src]
    assert [json.loads(a) for a in props["attributes"]] == [dict(p.attributes) for p in src]
    assert all(shapely.equals_exact(props.geometry.values, [p.geometry for p in src], 1e-9))
    assert len(pyogrio.read_dataframe(path, layer="u_shaped_line")) == 0


# --------------------------------------------------------------------------- KML / GeoJSON / CSV
def test_kml_parses_and_has_placemarks_with_all_names(built_pack):
    with zipfile.ZipFile(io.BytesIO(built_pack["files"]["data/google-earth.kmz"])) as kmz:
        assert kmz.namelist() == ["doc.kml"]
        root = ET.fromstring(kmz.read("doc.kml"))
    marks = root.findall(".//k:Placemark", KML_NS)
    names = [m.findtext("k:name", namespaces=KML_NS) for m in marks]
    for _pid, en, zh, vi, fil, _ms, _lat, _lon in PLACES[:4]:
        label = next(n for n in names if n.startswith(en))
        assert zh in label and vi in label and fil in label
    proposal_names = [n for n in names if n.startswith("P-")]
    assert len(proposal_names) == 3 and any(HOSTILE in n for n in proposal_names)
    # descriptions are HTML for Google Earth: hostile text arrives escaped, never as markup
    description = next(m.findtext("k:description", namespaces=KML_NS) for m in marks
                       if m.findtext("k:name", namespaces=KML_NS).startswith("P-002"))
    assert "<script>" not in description and "&lt;script&gt;" in description
    styles = root.findall(".//k:Style", KML_NS)
    assert styles and all(s.findtext("k:BalloonStyle/k:text", namespaces=KML_NS)
                          == "$[description]" for s in styles)


def test_geojson_per_proposal_round_trips(built_pack):
    src = {p.id: p for p in proposals()}
    for name, data in built_pack["files"].items():
        if name.startswith("data/proposals/"):
            gdf = gpd.read_file(io.BytesIO(data))
            feature = json.loads(data)["features"][0]
            p = src[feature["properties"]["proposal_id"]]
            assert feature["properties"]["version"] == p.version
            assert shapely.equals(gdf.geometry.iloc[0], p.geometry)


def test_gazetteer_csv_has_every_name_and_report_csv_is_neutralised(built_pack):
    gaz = built_pack["files"]["data/csv/gazetteer.csv"].decode("utf-8-sig")
    assert "永暑礁" in gaz and "Đá Chữ Thập" in gaz and "Kagitingan" in gaz
    assert "Woody Island" not in gaz  # far from every proposal: not in the subset
    places = built_pack["files"]["data/csv/report-P-002-nearby-places.csv"].decode("utf-8-sig")
    assert "太平岛" in places and "Ba Bình" in places
    assert places.splitlines()[0] == "Names,Where"  # human headings


def test_csv_headings_are_human_and_documented_in_the_data_dictionary(built_pack):
    files = built_pack["files"]
    dictionary = files["data/DATA-DICTIONARY.csv"].decode("utf-8-sig")
    for name, data in files.items():
        if name.startswith("data/csv/"):
            header = data.decode("utf-8-sig").splitlines()[0]
            assert not re.search(r"[a-z]+_[a-z]+", header), (name, header)
            assert name in dictionary
    assert "name_zh,name_zh,name in Chinese" in dictionary and "feature_id" in dictionary
    assert 'data/csv/gazetteer.csv,Latitude,lat,"latitude in decimal degrees' in dictionary


# --------------------------------------------------------------------------- HTML (static)
def test_html_is_self_contained_and_escapes_hostile_text(built_pack):
    from marine.offline_assets import external_loads

    page = built_pack["files"]["map.html"].decode("utf-8")
    assert external_loads(page) == []
    assert "cdn.jsdelivr" not in page and "<script src=" not in page
    assert HOSTILE not in page and "<img src=x" not in page
    # the title panel is escaped HTML carried in a JSON string (where & is \u0026)
    assert "\\u0026lt;script\\u0026gt;alert(1)\\u0026lt;/script\\u0026gt;" in page
    assert "without prejudice" in page.lower()
