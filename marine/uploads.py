"""Geometry from what a drafter brings: an uploaded file or typed coordinates.

    read_upload("area.kmz", data)             → Upload(geometry, kind, count, fmt, notes)
    read_upload_file(Path("area.kmz"))        the same, refusing an oversized file unread
    parse_coordinate_text("16°40′N 112°20′E\n…", "area")

Formats: GeoJSON, KML, KMZ, GeoPackage, zipped shapefile. Untrusted input throughout: XML is
parsed with defusedxml (no DTDs, entities or external references); archives are never
extracted by their member names (members are read into memory with size caps and written,
when a reader needs files, under fixed names inside a private temporary folder); sizes,
vertices and features are counted before any geometry is built. Every failure raises
`UploadError` naming what is wrong (user values shown shortened, control and bidi characters
escaped) and what to do; repairs come back as `Upload.notes`. Nothing here draws a widget.
"""

from __future__ import annotations

import io
import json
import math
import re
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import numpy as np
import shapely
from defusedxml import ElementTree as SafeET
from shapely.geometry import LineString, MultiPoint, Point, Polygon, shape
from shapely.geometry.base import BaseGeometry

from marine.errors import GeometryError
from marine.formatting import number
from marine.geo import GEOMETRY_KINDS, STORAGE_CRS, geometry_kind
from marine.positions import PositionError, parse_positions

# Upload limits (stated in the upload help of every language and in README "Upload limits").
# Errors raised here are English: the UI quotes them inside a translated sentence.
MESSAGES_LANG = "en"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024   # the file as uploaded
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024  # what a KMZ or zip may unpack to, all members
MAX_ZIP_MEMBERS = 200
MAX_FEATURES = 5000
MAX_VERTICES = 100_000                 # all features together; the whole study region's
#                                        coast at drawing resolution needs far fewer
MAX_SHOWN_CHARS = 80                   # a user value quoted in a message is cut to this
FORMATS = {".geojson": "GeoJSON", ".json": "GeoJSON", ".kml": "KML", ".kmz": "KMZ",
           ".gpkg": "GeoPackage", ".zip": "zipped shapefile"}


@dataclass(frozen=True)
class Limits:
    """What one file may hold. Uploads (a proposal's area) use `UPLOAD_LIMITS`; imports into
    the data library (a whole layer, by a facilitator) use the larger `IMPORT_LIMITS`."""

    max_bytes: int
    max_unzipped_bytes: int
    max_zip_members: int
    max_features: int
    max_vertices: int


UPLOAD_LIMITS = Limits(MAX_UPLOAD_BYTES, MAX_UNZIPPED_BYTES, MAX_ZIP_MEMBERS, MAX_FEATURES,
                       MAX_VERTICES)
# A full-resolution coast of the region (GSHHS f: ~50,000 features, ~2,000,000 vertices, ~70 MB
# as GeoJSON) fits; README "Import limits" states the same numbers.
IMPORT_LIMITS = Limits(max_bytes=300 * 1024 * 1024, max_unzipped_bytes=1024 * 1024 * 1024,
                       max_zip_members=200, max_features=200_000, max_vertices=10_000_000)
# The readers below are shared by uploads and imports: the limits in force are a context
# variable (set by `using_limits`) rather than a parameter threaded through every helper.
_LIMITS: ContextVar[Limits] = ContextVar("marine_file_limits", default=UPLOAD_LIMITS)


def active_limits() -> Limits:
    return _LIMITS.get()


@contextmanager
def using_limits(limits: Limits) -> Iterator[Limits]:
    token = _LIMITS.set(limits)
    try:
        yield limits
    finally:
        _LIMITS.reset(token)

# How deep each GeoJSON geometry's `coordinates` nest down to a position (RFC 7946 §3.1).
GEOJSON_DEPTH = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2,
                 "Polygon": 2, "MultiPolygon": 3}
KML_NAMESPACES = frozenset({"", "http://www.opengis.net/kml/2.2",
                            "http://earth.google.com/kml/2.0", "http://earth.google.com/kml/2.1",
                            "http://earth.google.com/kml/2.2"})


class UploadError(GeometryError):
    """An upload or typed coordinates could not be turned into a geometry (message says why)."""


class TypedPositionsError(UploadError):
    """Typed positions refused; `corrected` is the text with latitude and longitude put in
    order, when that is all that was wrong."""

    def __init__(self, message: str, corrected: str | None = None):
        super().__init__(message)
        self.corrected = corrected


@dataclass(frozen=True)
class Upload:
    geometry: BaseGeometry
    kind: str  # "area" | "line" | "points"
    count: int  # features read
    fmt: str
    notes: tuple[str, ...] = field(default_factory=tuple)


def shown(value: object, limit: int = MAX_SHOWN_CHARS) -> str:
    """A user-supplied value safe to quote in a message: cut to `limit` characters, control
    and format characters (right-to-left overrides, zero-width marks, NUL) written as \\uXXXX
    so that a file name cannot reorder or hide the text around it."""
    text = str(value)
    cut = len(text) > limit
    text = "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) in ("Cc", "Cf") else c
                   for c in text[:limit])
    return text + ("…" if cut else "")


def limits_text() -> str:
    """The upload limits in one sentence (README and tests quote the same numbers)."""
    return (f"up to {MAX_UPLOAD_BYTES // 2**20} MB per file, {number(MAX_FEATURES, MESSAGES_LANG)} features and "
            f"{number(MAX_VERTICES, MESSAGES_LANG)} vertices")


# --------------------------------------------------------------------------- entry points
def read_upload(filename: str, data: bytes) -> Upload:
    """The geometry in an uploaded file, one kind (areas, lines or points), in EPSG:4326."""
    fmt = _format_of(filename)
    if not data:
        raise UploadError(f"'{shown(filename)}' is empty: choose the file again")
    _check_size(filename, len(data))
    notes: list[str] = []
    geoms = reader_of(fmt)(data, notes)
    return combine(geoms, filename, fmt, notes)


def read_upload_file(path: Path, filename: str | None = None) -> Upload:
    """`read_upload` for a file on disk; an oversized file is refused before it is read."""
    path = Path(path)
    name = filename or path.name
    _format_of(name)
    _check_size(name, path.stat().st_size)
    return read_upload(name, path.read_bytes())


def reader_of(fmt: str):
    """The safe reader of a format (one of FORMATS' values): (data, notes, properties=None)."""
    return {"GeoJSON": geojson_geometries, "KML": kml_geometries, "KMZ": kmz_geometries,
            "GeoPackage": gpkg_geometries, "zipped shapefile": shapefile_zip_geometries}[fmt]


def format_of(filename: str) -> str:
    """The format of `filename` by its suffix, or UploadError naming the formats read."""
    return _format_of(filename)


def _format_of(filename: str) -> str:
    suffix = Path(filename or "").suffix.lower()
    if suffix not in FORMATS:
        raise UploadError(f"'{shown(filename)}' is not a file type we read "
                          f"({', '.join(FORMATS)}); export it as GeoJSON, KML/KMZ, GeoPackage "
                          "or a zipped shapefile")
    return FORMATS[suffix]


def _check_size(filename: str, size: int) -> None:
    limit = active_limits().max_bytes
    if size > limit:
        raise UploadError(f"'{shown(filename)}' is {number(size / 2**20, MESSAGES_LANG, 1)} MB; "
                          f"the limit is {limit // 2**20} MB: simplify or clip it first")


def _check_vertices(count: int, where: str) -> None:
    limit = active_limits().max_vertices
    if count > limit:
        raise UploadError(f"{where} has {number(count, MESSAGES_LANG)} vertices; the limit is "
                          f"{number(limit, MESSAGES_LANG)}: "
                          "simplify it (e.g. to 0.001°) or clip it to the area meant")


def check_feature_count(count: int, where: str) -> None:
    limit = active_limits().max_features
    if count > limit:
        raise UploadError(f"{where} has {number(count, MESSAGES_LANG)} features; the limit is "
                          f"{number(limit, MESSAGES_LANG)}: keep only the features needed")


def combine(geoms: list[BaseGeometry], filename: str, fmt: str,
            notes: list[str] | None = None, validate: bool = True) -> Upload:
    """One checked geometry of one kind from the features of a file (repairs in `notes`).
    `validate=False` leaves range, region and repairs to the overlap report (drawings: the
    report says what it repaired beside the map)."""
    notes = list(notes or [])
    geoms = [g for g in geoms if g is not None and not g.is_empty]
    name = shown(filename)
    if not geoms:
        raise UploadError(f"'{name}' ({fmt}) holds no geometry: draw the area or check "
                          "that the file has features")
    check_feature_count(len(geoms), f"'{name}'")
    _check_vertices(int(shapely.get_num_coordinates(np.asarray(geoms, dtype=object)).sum()),
                    f"'{name}'")
    if any(g.geom_type == "GeometryCollection" for g in geoms):
        raise UploadError(f"'{name}' contains a GeometryCollection, which a proposal cannot "
                          "use: save areas, lines or points as separate features")
    parts = [p for g in geoms for p in shapely.get_parts(g)]
    kinds = {geometry_kind(p) for p in parts}
    if None in kinds:
        odd = sorted({p.geom_type for p in parts if geometry_kind(p) is None})
        raise UploadError(f"'{name}' contains {odd}, which a proposal cannot use")
    if len(kinds) > 1:
        raise UploadError(f"'{name}' mixes {' and '.join(sorted(kinds))}: a proposal is "
                          "one kind — keep only the areas, the lines or the points")
    kind = kinds.pop()
    multi = {"area": shapely.multipolygons, "line": shapely.multilinestrings,
             "points": MultiPoint}[kind]
    geom = parts[0] if len(parts) == 1 else multi(parts)
    _check_lon_lat(geom, name)
    repairs: list[str] = []
    if validate:
        geom, repairs = _validated(geom, name)
    return Upload(geom, kind, len(geoms), fmt, tuple(notes + repairs))


def _check_lon_lat(geom: BaseGeometry, name: str) -> None:
    xy = shapely.get_coordinates(geom)
    if not np.isfinite(xy).all():
        bad = xy[~np.isfinite(xy).all(axis=1)][0]
        raise UploadError(f"'{name}' has a vertex ({bad[0]}, {bad[1]}) that is not a finite "
                          "number: fix or remove it")
    if (np.abs(xy) > 360).any():
        minx, miny, maxx, maxy = geom.bounds
        raise UploadError(f"'{name}' has coordinates outside longitude/latitude "
                          f"(bounds {minx:.1f}, {miny:.1f}, {maxx:.1f}, {maxy:.1f}): it is in a "
                          "projected system; export it in WGS84 (EPSG:4326)")


def _validated(geom: BaseGeometry, name: str) -> tuple[BaseGeometry, list[str]]:
    """The checks every proposal geometry gets (range, swapped axes, region, repairs)."""
    from marine.analysis.validation import validate_geometry

    try:
        valid = validate_geometry(geom)
    except GeometryError as exc:
        raise UploadError(f"'{name}': {exc}") from None
    return valid.geometry, list(valid.repairs)


# --------------------------------------------------------------------------- GeoJSON
def geojson_geometries(data: bytes, notes: list[str] | None = None,
                       properties: list[dict] | None = None) -> list[BaseGeometry]:
    doc = _load_json(data)
    if not isinstance(doc, dict) or "type" not in doc:
        raise UploadError("the file is JSON but not GeoJSON: no 'type' member at the top; "
                          "export it as GeoJSON")
    _check_geojson_crs(doc)
    budget = [0]  # vertices counted so far, over all features
    out = []
    items = _geojson_items(doc)
    check_feature_count(len(items), "the GeoJSON")
    for i, item, props in items:
        _check_geojson_geometry(item, i, budget)
        if properties is not None:
            properties.append({str(k): json_scalar(v) if not isinstance(v, dict | list)
                               else json.dumps(v, ensure_ascii=False)[:500]
                               for k, v in props.items()})
        try:
            out.append(shape(item))
        except Exception as exc:  # shapely/GEOS: whatever the checks above did not foresee
            raise UploadError(f"feature {i}'s {item['type']} could not be built "
                              f"({shown(exc, 80)}): export the file again") from None
    return out


def _load_json(data: bytes):
    def constant(name: str):
        raise UploadError(f"the GeoJSON contains {name}, which JSON does not allow: replace "
                          "it with a number or remove that vertex")

    try:
        return json.loads(data.decode("utf-8-sig"), parse_constant=constant)
    except UnicodeDecodeError as exc:
        raise UploadError(f"the file is not valid GeoJSON: it is not UTF-8 text (byte "
                          f"{exc.start}); save it as UTF-8 GeoJSON") from None
    except json.JSONDecodeError as exc:
        raise UploadError(f"the file is not valid GeoJSON (JSON error: {exc}); it may be cut "
                          "short: export it again") from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise UploadError(f"the file is not valid GeoJSON ({shown(exc, 80)})") from None
    except RecursionError:
        raise UploadError("the file is not valid GeoJSON: its brackets nest too deeply") \
            from None


def _geojson_items(doc: dict) -> list[tuple[int, dict, dict]]:
    """(feature number, geometry object, properties) for every feature with a geometry."""
    kind = doc["type"]
    if kind == "FeatureCollection":
        features = doc.get("features")
        if not isinstance(features, list):
            raise UploadError("the FeatureCollection has no 'features' list")
    elif kind == "Feature":
        features = [doc]
    else:
        return [(1, doc, {})]
    items = []
    for i, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            what = feature.get("type") if isinstance(feature, dict) else type(feature).__name__
            raise UploadError(f"feature {i} is a '{shown(what)}', not a Feature: the GeoJSON "
                              "is nested wrongly; export it again")
        if feature.get("geometry") is not None:
            props = feature.get("properties")
            items.append((i, feature["geometry"], props if isinstance(props, dict) else {}))
    return items


def _check_geojson_geometry(item, i: int, budget: list[int]) -> None:
    if not isinstance(item, dict):
        raise UploadError(f"feature {i}'s geometry is a {type(item).__name__}, not a GeoJSON "
                          "geometry object")
    kind = item.get("type")
    if kind == "GeometryCollection":
        raise UploadError(f"feature {i} is a GeometryCollection, which a proposal cannot use: "
                          "save areas, lines or points as separate features")
    if not isinstance(kind, str) or kind not in GEOJSON_DEPTH:
        raise UploadError(f"feature {i} has geometry type '{shown(kind)}'; expected one of "
                          f"{', '.join(GEOJSON_DEPTH)}")
    coords = item.get("coordinates")
    total = _count_positions(coords, GEOJSON_DEPTH[kind], f"feature {i} ({kind})")
    budget[0] += total
    _check_vertices(budget[0], f"the GeoJSON (up to feature {i})")
    _check_rings(coords, kind, i)


def _count_positions(coords, depth: int, where: str) -> int:
    """Positions under `coords`, checking the nesting and that each is [lon, lat(, z)]."""
    level = [coords]
    for _ in range(depth):
        if not all(isinstance(c, list) for c in level):
            break
        level = [c for sub in level for c in sub]
        if len(level) > active_limits().max_vertices * 4:  # no need to look further to refuse
            return len(level)
    bad = [] if _all_positions(level) else [c for c in level if not _is_position(c)][:1]
    if bad or not isinstance(coords, list):  # (a bad value may itself be null)
        raise UploadError(f"{where}: coordinates are nested wrongly or are not numbers near "
                          f"{shown(json.dumps(bad[0] if bad else coords))[:60]}; a "
                          "position is [longitude, latitude] (RFC 7946)")
    if len({len(c) for c in level}) > 1:
        raise UploadError(f"{where} mixes positions with and without height; give every "
                          "position as [longitude, latitude] or every one with a height")
    return len(level)


def _all_positions(level: list) -> bool:
    """The same test as `_is_position` on every item, in bulk (set comprehensions instead of
    a generator per position: a 2,000,000-vertex import spends seconds here otherwise)."""
    if {type(c) for c in level} != {list} or not {len(c) for c in level} <= {2, 3}:
        return False
    return {type(v) for c in level for v in c} <= {int, float}


def _is_position(value) -> bool:
    return (isinstance(value, list) and 2 <= len(value) <= 3
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value))


def _check_rings(coords, kind: str, i: int) -> None:
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    for polygon in polygons:
        for ring in polygon:
            if len(ring) < 4:
                raise UploadError(f"feature {i} ({kind}) has a ring of {len(ring)} position(s);"
                                  " a ring needs at least 4, the first repeated at the end")
    if kind in ("LineString", "MultiLineString"):
        lines = [coords] if kind == "LineString" else coords
        if any(len(line) < 2 for line in lines):
            raise UploadError(f"feature {i} ({kind}) has a line of fewer than 2 positions")


def _check_geojson_crs(doc: dict) -> None:
    """Old-style GeoJSON may name a CRS; anything but WGS84 longitude/latitude is refused."""
    crs = doc.get("crs") if isinstance(doc.get("crs"), dict) else {}
    props = crs.get("properties") if isinstance(crs.get("properties"), dict) else {}
    name = str(props.get("name", ""))
    if name and not re.search(r"(CRS84|4326)$", name):
        raise UploadError(f"the GeoJSON declares CRS '{shown(name)}'; export it in WGS84 "
                          "(EPSG:4326)")


# --------------------------------------------------------------------------- KML / KMZ
def kml_geometries(data: bytes, notes: list[str] | None = None,
                   properties: list[dict] | None = None) -> list[BaseGeometry]:
    root = _parse_xml(data)
    namespace, _, tag = root.tag[1:].partition("}") if root.tag.startswith("{") \
        else ("", "", root.tag)
    if tag != "kml" or namespace not in KML_NAMESPACES:
        raise UploadError(f"the file is not KML: its root element is '{shown(tag)}' in "
                          f"namespace '{shown(namespace)}'; KML starts with "
                          '<kml xmlns="http://www.opengis.net/kml/2.2">')
    budget = [0]
    if properties is not None:
        return _kml_placemarks(root, budget, properties)
    out: list[BaseGeometry] = []
    for element in root.iter():
        name = _kml_tag(element)
        if name == "Point":
            out += [Point(c) for c in _kml_coords(element, budget)[:1]]
        elif name == "LineString":
            coords = _kml_coords(element, budget)
            if len(coords) >= 2:
                out.append(LineString(coords))
        elif name == "Polygon":
            out.append(_kml_polygon(element, budget))
    return out


def _kml_placemarks(root, budget: list[int], properties: list[dict]) -> list[BaseGeometry]:
    """One geometry per Placemark (its parts combined), with its name and ExtendedData."""
    out: list[BaseGeometry] = []
    for placemark in (e for e in root.iter() if _kml_tag(e) == "Placemark"):
        parts: list[BaseGeometry] = []
        for element in placemark.iter():
            name = _kml_tag(element)
            if name == "Point":
                parts += [Point(c) for c in _kml_coords(element, budget)[:1]]
            elif name == "LineString":
                coords = _kml_coords(element, budget)
                if len(coords) >= 2:
                    parts.append(LineString(coords))
            elif name == "Polygon":
                parts.append(_kml_polygon(element, budget))
        if not parts:
            continue
        check_feature_count(len(out) + 1, "the KML")
        out.append(parts[0] if len(parts) == 1 else shapely.GeometryCollection(parts)
                   if len({p.geom_type for p in parts}) > 1 else _multi(parts))
        properties.append(_kml_properties(placemark))
    return out


def _multi(parts: list[BaseGeometry]) -> BaseGeometry:
    kind = parts[0].geom_type
    return {"Point": MultiPoint, "LineString": shapely.multilinestrings,
            "Polygon": shapely.multipolygons}[kind](parts)


def _kml_properties(placemark) -> dict:
    props: dict = {}
    for element in placemark:
        if _kml_tag(element) in ("name", "description") and element.text:
            props[_kml_tag(element)] = element.text.strip()[:500]
    for element in placemark.iter():
        tag = _kml_tag(element)
        if tag == "Data" and element.get("name"):
            value = next((e.text for e in element if _kml_tag(e) == "value"), "") or ""
            props[str(element.get("name"))[:100]] = value.strip()[:500]
        elif tag == "SimpleData" and element.get("name"):
            props[str(element.get("name"))[:100]] = (element.text or "").strip()[:500]
    return props


def _parse_xml(data: bytes):
    try:
        return SafeET.fromstring(data, forbid_dtd=True)
    except SafeET.ParseError as exc:
        raise UploadError(f"the KML is not well-formed XML ({exc}); it may be cut short: "
                          "export it again") from None
    except Exception as exc:  # defusedxml: DTDForbidden, EntitiesForbidden, ExternalReference…
        raise UploadError(f"the KML was refused for safety ({type(exc).__name__}): remove "
                          "DOCTYPE/entity declarations and upload again") from None


def _kml_tag(element) -> str:
    """The element's name when it is in a KML namespace, else ''."""
    tag = element.tag if isinstance(element.tag, str) else ""
    namespace, _, name = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    return name if namespace in KML_NAMESPACES else ""


def _kml_coords(element, budget: list[int]) -> list[tuple[float, float]]:
    text = next((e.text for e in element.iter() if _kml_tag(e) == "coordinates"), "") or ""
    tokens = text.split()
    budget[0] += len(tokens)
    _check_vertices(budget[0], "the KML")
    coords = []
    for token in tokens:
        values = token.split(",")
        try:
            x, y = float(values[0]), float(values[1])
        except (ValueError, IndexError):
            raise UploadError(f"KML coordinate '{shown(token, 40)}' is not "
                              "'longitude,latitude'") from None
        if not (math.isfinite(x) and math.isfinite(y)):
            raise UploadError(f"KML coordinate '{shown(token, 40)}' is not a finite number: "
                              "fix or remove that vertex")
        coords.append((x, y))
    return coords


def _kml_polygon(element, budget: list[int]) -> Polygon:
    def rings(name: str) -> list:
        return [_kml_coords(e, budget) for e in element.iter() if _kml_tag(e) == name]

    outer = rings("outerBoundaryIs")
    if not outer or len(outer[0]) < 3:
        raise UploadError("a KML Polygon has no outer boundary with at least 3 positions")
    return Polygon(outer[0], [r for r in rings("innerBoundaryIs") if len(r) >= 3])


def kmz_geometries(data: bytes, notes: list[str] | None = None,
                   properties: list[dict] | None = None) -> list[BaseGeometry]:
    with _open_zip(data, "KMZ") as archive:
        names = [n for n in archive.namelist() if n.lower().endswith(".kml")]
        if not names:
            raise UploadError("the KMZ has no .kml document inside: export it from the "
                              "mapping tool again")
        main = "doc.kml" if "doc.kml" in names else names[0]
        return kml_geometries(_read_member(archive, main), properties=properties)


# --------------------------------------------------------------------------- zips
def _open_zip(data: bytes, what: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError,
            NotImplementedError):  # damaged headers, unknown zip versions
        raise UploadError(f"the {what} is not a valid zip archive: zip it again") from None
    infos = archive.infolist()
    limits = active_limits()
    if len(infos) > limits.max_zip_members:
        raise UploadError(f"the {what} has {len(infos)} files; the limit is "
                          f"{limits.max_zip_members}: zip only the layer's own files")
    for info in infos:
        if not _safe_member(info.filename):
            raise UploadError(f"the {what} contains an unsafe path '{shown(info.filename)}' "
                              "(absolute, '..' or a drive): nothing was unpacked; zip the "
                              "files from inside their folder")
    total = sum(i.file_size for i in infos)
    if total > limits.max_unzipped_bytes:
        raise UploadError(f"the {what} unpacks to {number(total / 2**20, MESSAGES_LANG)} MB; the "
                          f"limit is {limits.max_unzipped_bytes // 2**20} MB: nothing was unpacked")
    return archive


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name.replace("\\", "/"))
    return (not path.is_absolute() and ".." not in path.parts and ":" not in name
            and "\x00" not in name)


def _read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    """A member's bytes, read at most to the limit (a header's size may lie)."""
    info = archive.getinfo(name)
    limit = active_limits().max_unzipped_bytes
    if info.flag_bits & 0x1:
        raise UploadError(f"'{shown(name)}' in the archive is password-protected: zip it again "
                          "without a password")
    try:
        with archive.open(info) as member:
            data = member.read(limit + 1)
    except (RuntimeError, NotImplementedError, zipfile.BadZipFile, zlib.error, EOFError,
            OSError, ValueError) as exc:  # unknown compression, CRC, offsets, name damage
        raise UploadError(f"'{shown(name)}' in the archive could not be unpacked: it is "
                          f"damaged ({shown(exc, 60)}); zip it again") from None
    if len(data) > limit:
        raise UploadError(f"'{shown(name)}' unpacks beyond {limit // 2**20} MB: "
                          "nothing was kept")
    return data


# --------------------------------------------------------------------------- GeoPackage / SHP
def _spatial_layer(path: Path, what: str) -> str:
    import pyogrio

    try:
        layers = [(str(n), t) for n, t in pyogrio.list_layers(path)]
    except Exception as exc:  # GDAL refuses a damaged or foreign file
        raise UploadError(f"the {what} could not be read: it is damaged or cut short (GDAL: "
                          f"{shown(exc, 60)}); export it again") from None
    spatial = [n for n, geometry_type in layers if geometry_type is not None]
    if not spatial:
        tables = ", ".join(shown(n, 30) for n, _ in layers[:5]) or "none"
        raise UploadError(f"the {what} has no geometry column (tables: {tables}): export a "
                          "layer with geometry")
    if len(spatial) > 1:
        names = ", ".join(shown(n, 30) for n in spatial[:5])
        raise UploadError(f"the {what} holds {len(spatial)} layers with geometry ({names}); "
                          "save the one for the proposal on its own and upload that")
    return spatial[0]


def _read_vector(path: Path, what: str, notes: list[str],
                 properties: list[dict] | None = None) -> list[BaseGeometry]:
    """The geometries of the file's one spatial layer in EPSG:4326; with `properties`, one
    dict of attributes per geometry is appended to it (imports keep a label field)."""
    import pyogrio
    from pyproj import CRS

    layer = _spatial_layer(path, what)
    try:
        info = pyogrio.read_info(path, layer=layer)
        check_feature_count(info["features"], f"the {what}")
        if not info["crs"]:
            raise UploadError(f"the {what} has no coordinate system (for a shapefile: the "
                              ".prj file); include it, in WGS84 (EPSG:4326) if possible")
        frame = pyogrio.read_dataframe(path, layer=layer,
                                       columns=None if properties is not None else [])
    except UploadError:
        raise
    except Exception as exc:
        raise UploadError(f"the {what} could not be read ({shown(exc, 120)}): export it "
                          "again") from None
    _check_vertices(int(shapely.get_num_coordinates(frame.geometry.values).sum()),
                    f"the {what}")
    if properties is not None:
        properties.extend(_frame_properties(frame))
    try:
        crs = CRS.from_user_input(info["crs"])
        if crs.to_epsg() == 4326:
            return list(frame.geometry.values)
        frame = frame.to_crs(STORAGE_CRS)
    except Exception as exc:  # pyproj: a local or engineering system has no way to WGS84
        raise UploadError(f"the {what}'s coordinate system ({shown(info['crs'], 60)}) cannot "
                          f"be converted to longitude/latitude ({shown(exc, 60)}): export it "
                          "in WGS84 (EPSG:4326)") from None
    notes.append(f"reprojected from {shown(crs.to_string(), 40)} ({shown(crs.name, 60)}) "
                 "to WGS84 longitude/latitude")
    return list(frame.geometry.values)


def _frame_properties(frame) -> list[dict]:
    """Attributes as JSON-safe scalars (dates as ISO text, missing values as None)."""
    columns = [c for c in frame.columns if c != frame.geometry.name]
    out = []
    for record in frame[columns].to_dict("records"):
        out.append({str(k): json_scalar(v) for k, v in record.items()})
    return out


def json_scalar(value):
    """`value` as a JSON scalar: numbers and text kept, NaN/None as None, anything else text."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(value) else None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    try:
        if value != value:  # pandas NaT / NA
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def gpkg_geometries(data: bytes, notes: list[str] | None = None,
                    properties: list[dict] | None = None) -> list[BaseGeometry]:
    if not data.startswith(b"SQLite format 3\x00"):
        raise UploadError("the file is not a GeoPackage (no SQLite header): export it as "
                          "GeoPackage again")
    with tempfile.TemporaryDirectory(prefix="marine-upload-") as tmp:
        path = Path(tmp) / "upload.gpkg"
        path.write_bytes(data)
        return _read_vector(path, "GeoPackage", notes if notes is not None else [], properties)


def shapefile_zip_geometries(data: bytes, notes: list[str] | None = None,
                             properties: list[dict] | None = None) -> list[BaseGeometry]:
    with _open_zip(data, "zipped shapefile") as archive, \
            tempfile.TemporaryDirectory(prefix="marine-upload-") as tmp:
        shps = [n for n in archive.namelist() if n.lower().endswith(".shp")]
        if not shps:
            raise UploadError("the zip holds no .shp file: zip the .shp with its .shx, .dbf "
                              "and .prj")
        if len(shps) > 1:
            listed = ", ".join(shown(n, 40) for n in shps[:3])
            raise UploadError(f"the zip holds {len(shps)} shapefiles ({listed}); upload one")
        stem = shps[0][:-4]
        wanted = [n for n in archive.namelist() if n[: len(stem)] == stem
                  and n[len(stem):].lower() in (".shp", ".shx", ".dbf", ".prj", ".cpg")]
        missing = {".shx", ".dbf"} - {n[len(stem):].lower() for n in wanted}
        if missing:
            raise UploadError(f"the shapefile lacks {sorted(missing)}: zip all its parts "
                              "(.shp, .shx, .dbf, .prj)")
        for name in wanted:  # written under fixed names: nothing lands outside `tmp`
            target = Path(tmp) / ("upload" + name[len(stem):].lower())
            target.write_bytes(_read_member(archive, name))
        return _read_vector(Path(tmp) / "upload.shp", "shapefile",
                            notes if notes is not None else [], properties)


# --------------------------------------------------------------------------- typed text
def parse_coordinate_text(text: str, kind: str) -> Upload:
    """Typed positions, one per line, as an area (closed for the drafter), a line or points."""
    if kind not in GEOMETRY_KINDS:
        raise ValueError(f"kind was '{kind}' but must be one of {GEOMETRY_KINDS}")
    lines = sum(1 for line in text.splitlines() if line.strip())
    _check_vertices(lines, "the typed text")
    try:
        positions = parse_positions(text)  # the one parser of typed positions
    except PositionError as exc:
        raise TypedPositionsError(shown(exc, 300), exc.corrected) from None
    need = {"area": 3, "line": 2, "points": 1}[kind]
    if len(positions) < need:
        raise UploadError(f"{len(positions)} position(s) typed; {kind} needs at least {need}")
    if kind == "area":
        if positions[0] == positions[-1]:
            positions = positions[:-1]
        geom: BaseGeometry = Polygon(positions)
    elif kind == "line":
        geom = LineString(positions)
    elif len(positions) == 1:
        geom = Point(positions[0])
    else:
        geom = MultiPoint(positions)
    return Upload(geom, kind, 1, "typed coordinates")


def drawings_geometry(features) -> Upload | None:
    """The geometry drawn on the map (`all_drawings` of streamlit-folium: GeoJSON Features),
    one kind; None when nothing is drawn."""
    geoms = []
    for feature in features or []:
        geometry = (feature or {}).get("geometry")
        if not geometry:
            continue
        try:
            geoms.append(shape(geometry))
        except Exception as exc:
            raise UploadError(f"a drawing could not be read ({exc}); remove it and draw again") \
                from None
    if not geoms:
        return None
    return combine(geoms, "the drawing", "drawing", validate=False)
