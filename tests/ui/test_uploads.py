"""Uploads and typed coordinates: every format, and clear refusals of bad or hostile files."""

from __future__ import annotations

import io
import json
import zipfile

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point, Polygon, box

from marine.positions import parse_position
from marine.uploads import (
    MAX_UNZIPPED_BYTES,
    UploadError,
    parse_coordinate_text,
    read_upload,
)

# A box in the Gulf of Thailand (well inside the study region).
AREA = box(101.0, 8.0, 102.0, 9.0)


def _geojson(*geoms) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": g.__geo_interface__} for g in geoms
    ]}).encode()


def _kml(body: str) -> bytes:
    return (f'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
            f"{body}</Document></kml>").encode()


POLY_KML = ("<Placemark><Polygon><outerBoundaryIs><LinearRing><coordinates>"
            "101,8 102,8 102,9 101,9 101,8</coordinates></LinearRing></outerBoundaryIs>"
            "</Polygon></Placemark>")


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def _vector_bytes(tmp_path, driver: str, crs="EPSG:4326", geoms=(AREA,)) -> dict[str, bytes]:
    frame = gpd.GeoDataFrame({"name": ["a"] * len(geoms)}, geometry=list(geoms), crs="EPSG:4326")
    if crs != "EPSG:4326":
        frame = frame.to_crs(crs)
    ext = ".gpkg" if driver == "GPKG" else ".shp"
    path = tmp_path / f"area{ext}"
    frame.to_file(path, driver=driver)
    return {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.stem == "area"}


def test_geojson_polygon():
    up = read_upload("area.geojson", _geojson(AREA))
    assert up.kind == "area" and up.geometry.equals(AREA) and up.fmt == "GeoJSON"


def test_geojson_two_lines_become_one_multiline():
    up = read_upload("l.json", _geojson(LineString([(110, 10), (111, 11)]),
                                        LineString([(112, 10), (113, 11)])))
    assert up.kind == "line" and up.geometry.geom_type == "MultiLineString" and up.count == 2


def test_kml_and_kmz():
    up = read_upload("area.kml", _kml(POLY_KML))
    assert up.kind == "area" and up.geometry.equals(AREA)
    kmz = _zip({"doc.kml": _kml(POLY_KML), "files/icon.png": b"\x89PNG"})
    assert read_upload("area.kmz", kmz).geometry.equals(AREA)


def test_geopackage(tmp_path):
    data = _vector_bytes(tmp_path, "GPKG")["area.gpkg"]
    up = read_upload("area.gpkg", data)
    assert up.kind == "area" and up.geometry.equals_exact(AREA, 1e-9)


def test_zipped_shapefile_in_a_projected_crs_is_reprojected(tmp_path):
    parts = _vector_bytes(tmp_path, "ESRI Shapefile", crs="EPSG:32648")  # UTM 48N
    up = read_upload("area.zip", _zip({f"folder/{k}": v for k, v in parts.items()}))
    assert up.kind == "area"
    assert up.geometry.symmetric_difference(AREA).area < 0.01 * AREA.area


def test_shapefile_without_prj_is_refused_with_the_remedy(tmp_path):
    parts = _vector_bytes(tmp_path, "ESRI Shapefile")
    parts.pop("area.prj")
    with pytest.raises(UploadError, match=r"no coordinate system.*\.prj"):
        read_upload("area.zip", _zip(parts))


@pytest.mark.parametrize(("name", "data", "message"), [
    ("area.docx", b"PK..", "not a file type we read"),
    ("area.geojson", b"", "is empty"),
    ("area.geojson", b"{not json", "not valid GeoJSON"),
    ("area.geojson", b'{"features": []}', "not GeoJSON"),
    ("area.geojson", _geojson(), "holds no geometry"),
    ("mixed.geojson", _geojson(AREA, Point(101, 8)), "mixes area and points"),
    ("area.kml", b"<kml><Placemark>", "not well-formed"),
    ("area.kmz", b"not a zip", "not a valid zip"),
    ("area.kmz", _zip({"readme.txt": b"x"}), "no .kml document"),
    ("area.zip", _zip({"a.txt": b"x"}), "no .shp"),
    ("area.gpkg", b"hello", "not a GeoPackage"),
    ("utm.geojson", _geojson(box(500000, 900000, 510000, 910000)), "projected system"),
])
def test_bad_uploads_say_what_is_wrong(name, data, message):
    with pytest.raises(UploadError, match=message):
        read_upload(name, data)


def test_xml_entities_are_refused():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><kml>&b;</kml>')
    with pytest.raises(UploadError, match="refused for safety"):
        read_upload("bomb.kml", bomb)
    external = b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]><kml>&x;</kml>'
    with pytest.raises(UploadError, match="refused for safety"):
        read_upload("xxe.kml", external)


def test_archive_paths_outside_the_folder_are_refused():
    with pytest.raises(UploadError, match="unsafe path '../evil.kml'"):
        read_upload("area.kmz", _zip({"../evil.kml": _kml(POLY_KML)}))


def test_archive_that_unpacks_too_large_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("doc.kml", b"\0" * (MAX_UNZIPPED_BYTES + 10))
    with pytest.raises(UploadError, match="unpacks to"):
        read_upload("bomb.kmz", buf.getvalue())


@pytest.mark.parametrize(("line", "expected"), [
    ("16.675, 112.5", (112.5, 16.675)),
    ("16.675 112.5", (112.5, 16.675)),
    ("16°40.5′N 112°30′E", (112.5, 16.675)),
    ("112°30′E, 16°40.5′N", (112.5, 16.675)),
    ("21°28′12.5″N 108°06′04.3″E", (108 + 6 / 60 + 4.3 / 3600, 21 + 28 / 60 + 12.5 / 3600)),
    ("5 30 S 105 15 E", (105.25, -5.5)),
])
def test_positions_decimal_or_dms(line, expected):
    assert parse_position(line) == pytest.approx(expected)


def test_typed_area_line_points():
    text = "8N 101E\n8N 102E\n9N 102E\n9N 101E\n8N 101E\n"
    area = parse_coordinate_text(text, "area")
    assert area.kind == "area" and area.geometry.equals(Polygon(AREA.exterior.coords))
    assert parse_coordinate_text("10, 110\n11, 111", "line").geometry.length > 0
    assert parse_coordinate_text("10, 110", "points").geometry.equals(Point(110, 10))


def test_typed_errors_name_the_line():
    with pytest.raises(UploadError, match=r"line 2 \('95, 200'\): lat '95' is outside"):
        parse_coordinate_text("10, 110\n95, 200\n", "line")
    with pytest.raises(UploadError, match=r"line 1 .*: position '112E 112E' gives two longitudes"):
        parse_coordinate_text("112E 112E", "points")
    with pytest.raises(UploadError, match="2 position"):
        parse_coordinate_text("10, 110\n11, 111", "area")

