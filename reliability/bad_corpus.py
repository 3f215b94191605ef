"""The files of the bad-input corpus, built from code so that binary and very large ones need
not be committed.

`SMALL` files (a few KB each) are written once into `tests/data/bad/` by
`tests/data/bad/make_corpus.py` and committed; `LARGE` ones (the 1,000,000-vertex polygon,
zip bombs, files over the upload limit, 1 MB strings) are built at run time into a temporary
folder. What the user must see for each file is in `tests/data/bad/expected.json`.
All positions are inside the Gulf of Thailand box 101–102°E, 8–9°N unless a file is about
positions.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

# Text an attacker (or a careless paste) puts in any field: markup, an attribute break-out,
# a right-to-left override, template and Markdown syntax. `window.__pwned` is what a browser
# test checks stays undefined.
HOSTILE_STRINGS = (
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    '" onmouseover="window.__pwned=1" data-x="',
    "'><svg onload=window.__pwned=1>",
    "evil\u202egpj.exe\u202c",  # right-to-left override: reads as "exe.jpg"
    "{{ 7*7 }} ${7*7}",
    "![x](http://example.invalid/x.png) [link](javascript:window.__pwned=1)",
    '=HYPERLINK("http://example.invalid/","open")',  # a formula for a spreadsheet
)
ONE_MB = 1_000_000
BOX = [[101.0, 8.0], [102.0, 8.0], [102.0, 9.0], [101.0, 9.0], [101.0, 8.0]]


def _fc(*geometries, properties=None) -> bytes:
    features = [{"type": "Feature", "properties": properties or {}, "geometry": g}
                for g in geometries]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def _poly(ring=BOX, *holes) -> dict:
    return {"type": "Polygon", "coordinates": [ring, *holes]}


def _kml(body: str, ns: str = "http://www.opengis.net/kml/2.2", prolog: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<kml xmlns="{ns}"><Document>'
            f"{body}</Document></kml>").encode()


def _kml_polygon(coords: str = "101,8 102,8 102,9 101,9 101,8", name: str = "area") -> str:
    return (f"<Placemark><name>{name}</name><Polygon><outerBoundaryIs><LinearRing>"
            f"<coordinates>{coords}</coordinates></LinearRing></outerBoundaryIs></Polygon>"
            "</Placemark>")


def _zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    """A zip with fixed member dates (the committed files do not change when rebuilt)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as z:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = compression
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    return buf.getvalue()


def _encrypted_flag_zip() -> bytes:
    """A KMZ whose member is marked as password-protected (general purpose flag bit 0 set in
    its local header and central directory entry, as an encrypting zip tool would)."""
    data = bytearray(_zip({"doc.kml": _kml(_kml_polygon())}))
    central = data.index(b"PK\x01\x02")
    data[6] |= 0x1
    data[central + 8] |= 0x1
    return bytes(data)


def _patched_central(offset: int, value: bytes) -> bytes:
    """A KMZ whose central directory entry has `value` written at `offset` (damaged header)."""
    data = bytearray(_zip({"doc.kml": _kml(_kml_polygon())}))
    central = data.index(b"PK\x01\x02")
    data[central + offset: central + offset + len(value)] = value
    return bytes(data)


def _corrupt_member_zip() -> bytes:
    """A KMZ whose compressed stream is damaged in the middle."""
    data = bytearray(_zip({"doc.kml": _kml(_kml_polygon() * 50)}))
    start = 30 + len("doc.kml")
    for i in range(start + 20, start + 60):
        data[i] ^= 0x5A
    return bytes(data)


# --------------------------------------------------------------------------- vector files
def _vector_files(driver: str, crs: str = "EPSG:4326", layers=("area",), encoding=None,
                  names=("a",), table_only: bool = False) -> dict[str, bytes]:
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import box

    ext = ".gpkg" if driver == "GPKG" else ".shp"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"area{ext}"
        for layer in layers:
            if table_only:
                import pyogrio

                pyogrio.write_dataframe(pd.DataFrame({"name": list(names)}), path, layer=layer,
                                        driver=driver)
                continue
            frame = gpd.GeoDataFrame({"name": list(names)},
                                     geometry=[box(101, 8, 102, 9)] * len(names),
                                     crs="EPSG:4326").to_crs(crs)
            kwargs = {"layer": layer} if driver == "GPKG" else {}
            if encoding:
                kwargs["encoding"] = encoding
            frame.to_file(path, driver=driver, **kwargs)
        return {p.name: _pin_write_date(p) for p in sorted(Path(tmp).iterdir())
                if p.stem == "area"}


# GDAL stamps the day of writing into a .dbf header (bytes 1-3: years since 1900, month, day)
# and into gpkg_contents.last_change; both are pinned so that the committed corpus is what
# make_corpus writes on any day (tests rebuild it under a faked date and compare bytes).
PINNED_DATE = (2026, 1, 1)


def _pin_write_date(path: Path) -> bytes:
    year, month, day = PINNED_DATE
    if path.suffix == ".gpkg":
        import sqlite3

        with sqlite3.connect(path) as db:
            db.execute("UPDATE gpkg_contents SET last_change = ?",
                       (f"{year:04d}-{month:02d}-{day:02d}T00:00:00.000Z",))
        # The header's change counter depends on how many commits GDAL happened to make;
        # a vacuumed copy starts afresh (application_id and user_version are kept).
        fresh = path.with_name(path.stem + ".vacuumed")
        db.execute("VACUUM INTO ?", (str(fresh),))
        db.close()
        return fresh.read_bytes()
    data = bytearray(path.read_bytes())
    if path.suffix == ".dbf":
        data[1:4] = bytes((year - 1900, month, day))
    return bytes(data)


def _shapefile_zip(drop=(), prefix: str = "", **kw) -> bytes:
    files = _vector_files("ESRI Shapefile", **kw)
    return _zip({prefix + name: data for name, data in files.items()
                 if Path(name).suffix not in drop})


def _latin1_shapefile_zip() -> bytes:
    files = _vector_files("ESRI Shapefile", encoding="ISO-8859-1",
                          names=("São Tomé, Ñandú, Müller",))
    files = {k: v for k, v in files.items() if not k.endswith(".cpg")}  # no code page hint
    return _zip(files)


def _gpkg(**kw) -> bytes:
    return _vector_files("GPKG", **kw)["area.gpkg"]


# --------------------------------------------------------------------------- the small files
XXE = ('<!DOCTYPE kml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')
LAUGHS = ('<!DOCTYPE kml [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;">'
          '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">'
          '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')
BOWTIE = [[101, 8], [102, 9], [102, 8], [101, 9], [101, 8]]
HOLE_OUTSIDE = [[103, 8.2], [103.5, 8.2], [103.5, 8.6], [103, 8.6], [103, 8.2]]

SMALL: dict[str, Callable[[], bytes]] = {
    # GeoJSON: syntax and structure
    "truncated.geojson": lambda: _fc(_poly())[:90],
    "trailing_comma.geojson": lambda: b'{"type": "FeatureCollection", "features": [],}',
    "latin1_text.geojson": lambda: json.dumps(json.loads(_fc(_poly(), properties={
        "name": "São Tomé"})), ensure_ascii=False).encode("latin-1"),
    "not_geojson.json": lambda: b'{"name": "a list of ports", "items": [1, 2, 3]}',
    "array_top.json": lambda: b"[[101, 8], [102, 9]]",
    "deep_brackets.geojson": lambda: b'{"type": "Point", "coordinates": ' + b"[" * 100_000
    + b"]" * 100_000 + b"}",
    "polygon_too_shallow.geojson": lambda: _fc({"type": "Polygon", "coordinates": BOX}),
    "polygon_too_deep.geojson": lambda: _fc({"type": "Polygon", "coordinates": [[BOX]]}),
    "feature_in_feature.geojson": lambda: _fc({"type": "Feature", "geometry": _poly()}),
    "features_not_features.geojson": lambda: json.dumps(
        {"type": "FeatureCollection", "features": [_poly()]}).encode(),
    "features_not_a_list.geojson": lambda: b'{"type": "FeatureCollection", "features": 7}',
    "unknown_type.geojson": lambda: _fc({"type": "Circle", "coordinates": [101.5, 8.5],
                                         "radius": 5000}),
    "string_coordinates.geojson": lambda: _fc({"type": "Point", "coordinates": ["101", "8"]}),
    "ring_too_short.geojson": lambda: _fc(_poly([[101, 8], [102, 8], [101, 8]])),
    "null_coordinates.geojson": lambda: _fc({"type": "Polygon", "coordinates": None}),
    "null_position.geojson": lambda: _fc(_poly([[101, 8], None, [102, 9], [101, 8]])),
    "mixed_dimensions.geojson": lambda: _fc(_poly([[101, 8], [102, 8, 5.0], [102, 9],
                                                   [101, 9], [101, 8]])),
    # GeoJSON: numbers and positions
    "nan.geojson": lambda: _fc(_poly()).replace(b"[102.0, 9.0]", b"[NaN, 9.0]"),
    "infinity.geojson": lambda: _fc(_poly()).replace(b"[102.0, 9.0]", b"[Infinity, 9.0]"),
    "overflow_1e400.geojson": lambda: _fc(_poly()).replace(b"[102.0, 9.0]", b"[1e400, 9.0]"),
    "huge_integer.geojson": lambda: b'{"type": "Point", "coordinates": [' + b"1" * 5000
    + b", 8]}",
    "integer_too_big_for_float.geojson": lambda: b'{"type": "Point", "coordinates": ['
    + b"1" * 400 + b", 8]}",
    "type_not_a_string.geojson": lambda: b'{"type": {"a": 1}, "coordinates": [101, 8]}',
    "latitude_95.geojson": lambda: _fc({"type": "Point", "coordinates": [114.0, 95.0]}),
    "longitude_200.geojson": lambda: _fc({"type": "LineString",
                                          "coordinates": [[114, 10], [200, 10]]}),
    "swapped.geojson": lambda: _fc(_poly([[y, x] for x, y in BOX])),
    "projected_metres.geojson": lambda: _fc(_poly([[500000, 900000], [510000, 900000],
                                                   [510000, 910000], [500000, 900000]])),
    "crs_3857.geojson": lambda: json.dumps({
        "type": "FeatureCollection", "crs": {"type": "name", "properties": {
            "name": "urn:ogc:def:crs:EPSG::3857"}},
        "features": json.loads(_fc(_poly()))["features"]}).encode(),
    "outside_region.geojson": lambda: _fc(_poly([[-30, 10], [-29, 10], [-29, 11], [-30, 11],
                                                 [-30, 10]])),
    "three_d.geojson": lambda: _fc(_poly([[x, y, -20.0] for x, y in BOX])),
    # GeoJSON: geometry kinds and validity
    "empty_polygon.geojson": lambda: _fc({"type": "Polygon", "coordinates": []}),
    "empty_collection.geojson": lambda: _fc(),
    "null_geometry.geojson": lambda: b'{"type": "Feature", "properties": {}, "geometry": null}',
    "geometry_collection.geojson": lambda: _fc({"type": "GeometryCollection", "geometries": [
        _poly(), {"type": "Point", "coordinates": [101.5, 8.5]}]}),
    "mixed_kinds.geojson": lambda: _fc(_poly(), {"type": "Point", "coordinates": [101, 8]}),
    "bowtie.geojson": lambda: _fc(_poly(BOWTIE)),
    "hole_outside_shell.geojson": lambda: _fc(_poly(BOX, HOLE_OUTSIDE)),
    "zero_area.geojson": lambda: _fc(_poly([[101, 8], [102, 8], [103, 8], [101, 8]])),
    # Hostile text where the reader does not use it (properties), and in a quoted value
    "hostile_properties.geojson": lambda: _fc(_poly(), properties={
        f"field{i}": s for i, s in enumerate(HOSTILE_STRINGS)}),
    "hostile_crs_name.geojson": lambda: json.dumps({
        "type": "Point", "coordinates": [101.5, 8.5], "crs": {"type": "name", "properties": {
            "name": HOSTILE_STRINGS[0] + HOSTILE_STRINGS[4] + "x" * 5000}}}).encode(),
    "disguised_zip.geojson": lambda: _zip({"doc.kml": _kml(_kml_polygon())}),
    # KML
    "xxe.kml": lambda: _kml("<Placemark><name>&xxe;</name></Placemark>", prolog=XXE),
    "billion_laughs.kml": lambda: _kml("<Placemark><name>&lol3;</name></Placemark>",
                                       prolog=LAUGHS),
    "external_dtd.kml": lambda: _kml(_kml_polygon(), prolog=(
        '<!DOCTYPE kml SYSTEM "http://example.invalid/kml.dtd">')),
    "wrong_namespace.kml": lambda: _kml(_kml_polygon(), ns="http://www.w3.org/1999/xhtml"),
    "html_as_kml.kml": lambda: b"<html><body><script>window.__pwned=1</script></body></html>",
    "truncated.kml": lambda: _kml(_kml_polygon())[:120],
    "bad_coordinates.kml": lambda: _kml(_kml_polygon("101,8 abc,def 102,9 101,8")),
    "nan_coordinates.kml": lambda: _kml(_kml_polygon("101,8 nan,8 102,9 101,9 101,8")),
    "no_geometry.kml": lambda: _kml("<Placemark><name>only a name</name></Placemark>"),
    "hostile_names.kml": lambda: _kml(_kml_polygon(
        name="<![CDATA[" + HOSTILE_STRINGS[0] + HOSTILE_STRINGS[1] + "]]>\u202eabc")),
    # KMZ and zipped shapefiles
    "traversal.kmz": lambda: _zip({"../../evil.kml": _kml(_kml_polygon())}),
    "absolute_path.kmz": lambda: _zip({"/tmp/evil.kml": _kml(_kml_polygon())}),
    "windows_drive.kmz": lambda: _zip({"C:\\evil.kml": _kml(_kml_polygon())}),
    "no_kml_inside.kmz": lambda: _zip({"readme.txt": b"hello"}),
    "not_a_zip.kmz": lambda: b"PK\x03\x04 this is not really a zip",
    "too_many_members.kmz": lambda: _zip({f"f{i}.txt": b"x" for i in range(201)}),
    "encrypted.kmz": _encrypted_flag_zip,
    "unknown_zip_version.kmz": lambda: _patched_central(6, bytes([247, 0])),
    "bad_member_offset.kmz": lambda: _patched_central(42, (2**32 - 4096).to_bytes(4, "little")),
    "bad_member_name.kmz": lambda: _patched_central(46, b"\xff\xfe"),
    "corrupt_member.kmz": _corrupt_member_zip,
    "xxe_inside.kmz": lambda: _zip({"doc.kml": _kml("<Placemark><name>&xxe;</name>"
                                                    "</Placemark>", prolog=XXE)}),
    "gpkg_not_sqlite.gpkg": lambda: b"GeoPackage? no: plain text",
    # Names and types
    "empty.geojson": lambda: b"",
    "report.docx": lambda: b"PK\x03\x04 a word document",
    # uploaded under a hostile name (expected.json "upload_name")
    "hostile_name_type.bin": lambda: b"MZ an executable",
    "hostile_name_outside.geojson": lambda: _fc(_poly([[-30, 10], [-29, 10], [-29, 11],
                                                       [-30, 10]])),
}


# Files written through GDAL (shapefiles, GeoPackages) are built at test time, never committed:
# their bytes depend on the GDAL and SQLite versions (a GeoPackage header records the SQLite
# library version), so a committed copy would differ on another machine. Dates are pinned
# (`_pin_write_date`) so that a build does not depend on the day either.
WRITTEN_BY_GDAL: dict[str, Callable[[], bytes]] = {
    "shp_traversal.zip": lambda: _shapefile_zip(prefix="../../"),
    "shp_missing_shp.zip": lambda: _shapefile_zip(drop=(".shp",)),
    "shp_missing_dbf.zip": lambda: _shapefile_zip(drop=(".dbf",)),
    "shp_missing_prj.zip": lambda: _shapefile_zip(drop=(".prj",)),
    "shp_projected_utm48n.zip": lambda: _shapefile_zip(crs="EPSG:32648"),
    "shp_latin1_dbf.zip": _latin1_shapefile_zip,
    "shp_local_cs_prj.zip": lambda: _zip({
        **{k: v for k, v in _vector_files("ESRI Shapefile").items() if k != "area.prj"},
        "area.prj": b'LOCAL_CS["site grid",UNIT["metre",1]]'}),
    "shp_garbage_prj.zip": lambda: _zip({
        **{k: v for k, v in _vector_files("ESRI Shapefile").items() if k != "area.prj"},
        "area.prj": b"PROJCS[garbage"}),
    "shp_cgcs2000.zip": lambda: _shapefile_zip(crs="EPSG:4490"),
    "shp_two_shapefiles.zip": lambda: _zip({**{f"a/{k}": v for k, v in
                                               _vector_files("ESRI Shapefile").items()},
                                            **{f"b/{k}": v for k, v in
                                               _vector_files("ESRI Shapefile").items()}}),
    # GeoPackage
    "gpkg_no_geometry.gpkg": lambda: _gpkg(table_only=True),
    "gpkg_several_layers.gpkg": lambda: _gpkg(layers=("areas", "more_areas")),
    "gpkg_truncated.gpkg": lambda: _gpkg()[:2048],
    "gpkg_projected_3857.gpkg": lambda: _gpkg(crs="EPSG:3857"),
}

# --------------------------------------------------------------------------- the large files
def _million_vertex_geojson() -> bytes:
    """A closed ring of 1,000,000 vertices round a 0.5° circle (about 14 MB)."""
    import numpy as np

    n = 1_000_000
    angle = np.linspace(0, 2 * np.pi, n, endpoint=False)
    xs, ys = 101.5 + 0.5 * np.cos(angle), 8.5 + 0.5 * np.sin(angle)
    ring = ",".join(f"[{x:.5f},{y:.5f}]" for x, y in zip(xs, ys, strict=True))
    first = f"[{xs[0]:.5f},{ys[0]:.5f}]"
    return ('{"type":"Polygon","coordinates":[[' + ring + "," + first + "]]}").encode()


def _million_vertex_kml() -> bytes:
    import numpy as np

    angle = np.linspace(0, 2 * np.pi, 1_000_000, endpoint=False)
    coords = " ".join(f"{101.5 + 0.5 * np.cos(a):.4f},{8.5 + 0.5 * np.sin(a):.4f}"
                      for a in angle)
    return _kml(_kml_polygon(coords))


def _many_features() -> bytes:
    points = [{"type": "Point", "coordinates": [101 + i * 1e-4, 8.5]} for i in range(5001)]
    return _fc(*points)


def _zip_bomb(member: str, lie: bool = False) -> bytes:
    """A small archive (~120 KB) unpacking to 120 MB of zeros; with `lie`, its central
    directory claims the member unpacks to 1,000 bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z, \
            z.open(member, "w") as out:
        block = b"\0" * 2**20
        for _ in range(120):
            out.write(block)
    data = bytearray(buf.getvalue())
    if lie:
        central = data.index(b"PK\x01\x02")
        data[central + 24: central + 28] = (1000).to_bytes(4, "little")
    return bytes(data)


def _one_mb_strings() -> bytes:
    huge = "\u202e" + "<script>window.__pwned=1</script>" * (ONE_MB // 33)
    return _fc(_poly(), properties={"name": huge, "description": "A" * ONE_MB})


def _one_mb_kml_coordinate() -> bytes:
    return _kml(_kml_polygon("101,8 " + "9" * ONE_MB + ",8 102,9 101,8"))


LARGE: dict[str, Callable[[], bytes]] = {
    "million_vertices.geojson": _million_vertex_geojson,
    "million_vertices.kml": _million_vertex_kml,
    "too_many_features.geojson": _many_features,
    "zip_bomb.kmz": lambda: _zip_bomb("doc.kml"),
    "zip_bomb_shapefile.zip": lambda: _zip_bomb("area.shp"),
    "zip_bomb_lying_header.kmz": lambda: _zip_bomb("doc.kml", lie=True),
    "one_mb_strings.geojson": _one_mb_strings,
    "one_mb_coordinate.kml": _one_mb_kml_coordinate,
}
# Files far over the upload limit are made sparse (no disk blocks, no memory): only their
# size is ever looked at, before reading.
OVERSIZED = {"over_limit_21mb.geojson": 21 * 2**20, "far_over_limit_2gb.kmz": 2 * 2**30}


def write_small(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, build in SMALL.items():
        path = folder / name
        path.write_bytes(build())
        paths.append(path)
    return paths


def write_gdal_built(folder: Path) -> list[Path]:
    """The GDAL-written files into `folder` (each build on any day gives the same bytes)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, build in WRITTEN_BY_GDAL.items():
        path = folder / name
        path.write_bytes(build())
        paths.append(path)
    return paths


def write_large(folder: Path) -> list[Path]:
    """Every file built at test time: the GDAL-written ones, the large and the oversized."""
    paths = write_gdal_built(folder)
    for name, build in LARGE.items():
        path = folder / name
        path.write_bytes(build())
        paths.append(path)
    for name, size in OVERSIZED.items():
        path = folder / name
        with path.open("wb") as out:
            out.write(b'{"type": "FeatureCollection", "features": [')
            out.truncate(size)
        paths.append(path)
    return paths
