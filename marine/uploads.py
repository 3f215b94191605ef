"""Geometry from what a drafter brings: an uploaded file or typed coordinates.

    read_upload("area.kmz", data)             → Upload(geometry, kind, count, fmt, notes)
    parse_coordinate_text("16°40′N 112°20′E\n…", "area")

Formats: GeoJSON, KML, KMZ, GeoPackage, zipped shapefile. Untrusted input throughout: XML is
parsed with defusedxml (no entities, no external references), archives are opened without
extracting outside a private folder, with limits on members and sizes (zip bombs). Every
failure raises `UploadError` naming what is wrong and what to do; nothing here draws a widget.
"""

from __future__ import annotations

import io
import json
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import shapely
from defusedxml import ElementTree as SafeET
from shapely.geometry import LineString, MultiPoint, Point, Polygon, shape
from shapely.geometry.base import BaseGeometry

from marine.errors import GeometryError
from marine.geo import STORAGE_CRS, parse_coordinate

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_ZIP_MEMBERS = 200
MAX_FEATURES = 5000
FORMATS = {".geojson": "GeoJSON", ".json": "GeoJSON", ".kml": "KML", ".kmz": "KMZ",
           ".gpkg": "GeoPackage", ".zip": "zipped shapefile"}
KIND_OF_TYPE = {"Polygon": "area", "MultiPolygon": "area", "LineString": "line",
                "MultiLineString": "line", "Point": "points", "MultiPoint": "points"}


class UploadError(GeometryError):
    """An upload or typed coordinates could not be turned into a geometry (message says why)."""


@dataclass(frozen=True)
class Upload:
    geometry: BaseGeometry
    kind: str  # "area" | "line" | "points"
    count: int  # features read
    fmt: str
    notes: tuple[str, ...] = field(default_factory=tuple)


# --------------------------------------------------------------------------- entry point
def read_upload(filename: str, data: bytes) -> Upload:
    """The geometry in an uploaded file, one kind (areas, lines or points), in EPSG:4326."""
    suffix = Path(filename or "").suffix.lower()
    if suffix not in FORMATS:
        raise UploadError(f"'{filename}' is not a file type we read ({', '.join(FORMATS)}); "
                          "export it as GeoJSON, KML/KMZ, GeoPackage or a zipped shapefile")
    if not data:
        raise UploadError(f"'{filename}' is empty")
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(f"'{filename}' is {len(data) / 1e6:.1f} MB; the limit is "
                          f"{MAX_UPLOAD_BYTES / 1e6:.0f} MB: simplify or clip it first")
    fmt = FORMATS[suffix]
    reader = {"GeoJSON": geojson_geometries, "KML": kml_geometries, "KMZ": kmz_geometries,
              "GeoPackage": gpkg_geometries, "zipped shapefile": shapefile_zip_geometries}[fmt]
    geoms = reader(data)
    return combine(geoms, filename, fmt)


def combine(geoms: list[BaseGeometry], filename: str, fmt: str) -> Upload:
    """One geometry of one kind from the features of a file."""
    geoms = [g for g in geoms if g is not None and not g.is_empty]
    if not geoms:
        raise UploadError(f"'{filename}' ({fmt}) holds no geometry: draw the area or check "
                          "that the file has features")
    if len(geoms) > MAX_FEATURES:
        raise UploadError(f"'{filename}' has {len(geoms)} features; the limit is {MAX_FEATURES}")
    parts = [p for g in geoms for p in shapely.get_parts(g)]
    kinds = {KIND_OF_TYPE.get(p.geom_type) for p in parts}
    if None in kinds:
        odd = sorted({p.geom_type for p in parts if p.geom_type not in KIND_OF_TYPE})
        raise UploadError(f"'{filename}' contains {odd}, which a proposal cannot use")
    if len(kinds) > 1:
        raise UploadError(f"'{filename}' mixes {' and '.join(sorted(kinds))}: a proposal is "
                          "one kind — keep only the areas, the lines or the points")
    kind = kinds.pop()
    notes = []
    if any(shapely.has_z(p) for p in parts):
        parts = [shapely.force_2d(p) for p in parts]
        notes.append("heights (z) dropped")
    if kind == "area":
        geom = parts[0] if len(parts) == 1 else shapely.multipolygons(parts)
    elif kind == "line":
        geom = parts[0] if len(parts) == 1 else shapely.multilinestrings(parts)
    else:
        geom = parts[0] if len(parts) == 1 else MultiPoint(parts)
    _check_lon_lat(geom, filename)
    return Upload(geom, kind, len(geoms), fmt, tuple(notes))


def _check_lon_lat(geom: BaseGeometry, filename: str) -> None:
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise UploadError(f"'{filename}' has coordinates outside longitude/latitude "
                          f"(bounds {minx:.1f}, {miny:.1f}, {maxx:.1f}, {maxy:.1f}): it is in a "
                          "projected system; export it in WGS84 (EPSG:4326)")


# --------------------------------------------------------------------------- GeoJSON
def geojson_geometries(data: bytes) -> list[BaseGeometry]:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UploadError(f"the file is not valid GeoJSON (JSON error: {exc})") from None
    if not isinstance(doc, dict) or "type" not in doc:
        raise UploadError("the file is JSON but not GeoJSON: no 'type' member")
    kind = doc["type"]
    if kind == "FeatureCollection":
        items = [f.get("geometry") for f in doc.get("features") or [] if isinstance(f, dict)]
    elif kind == "Feature":
        items = [doc.get("geometry")]
    else:
        items = [doc]
    _check_geojson_crs(doc)
    out = []
    for i, item in enumerate(items):
        if item is None:
            continue
        try:
            out.append(shape(item))
        except Exception as exc:
            raise UploadError(f"GeoJSON feature {i + 1} has a geometry we cannot read: "
                              f"{exc}") from None
    return out


def _check_geojson_crs(doc: dict) -> None:
    """Old-style GeoJSON may name a CRS; anything but WGS84 longitude/latitude is refused."""
    name = str(((doc.get("crs") or {}).get("properties") or {}).get("name", ""))
    if name and not re.search(r"(CRS84|4326)$", name):
        raise UploadError(f"the GeoJSON declares CRS '{name}'; export it in WGS84 (EPSG:4326)")


# --------------------------------------------------------------------------- KML / KMZ
def kml_geometries(data: bytes) -> list[BaseGeometry]:
    try:
        root = SafeET.fromstring(data)
    except SafeET.ParseError as exc:
        raise UploadError(f"the KML is not well-formed XML ({exc})") from None
    except Exception as exc:  # defusedxml refuses entities and external references
        raise UploadError(f"the KML was refused for safety ({type(exc).__name__}): remove "
                          "DOCTYPE/entity declarations and upload again") from None
    out: list[BaseGeometry] = []
    for element in root.iter():
        tag = _local(element.tag)
        if tag == "Point":
            out += [Point(c) for c in _kml_coords(element)[:1]]
        elif tag == "LineString":
            coords = _kml_coords(element)
            if len(coords) >= 2:
                out.append(LineString(coords))
        elif tag == "Polygon":
            out.append(_kml_polygon(element))
    return out


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _kml_coords(element) -> list[tuple[float, float]]:
    text = next((e.text for e in element.iter() if _local(e.tag) == "coordinates"), "") or ""
    coords = []
    for token in text.split():
        values = token.split(",")
        try:
            coords.append((float(values[0]), float(values[1])))
        except (ValueError, IndexError):
            raise UploadError(f"KML coordinate '{token[:40]}' is not 'longitude,latitude'") \
                from None
    return coords


def _kml_polygon(element) -> Polygon:
    def ring(name: str) -> list:
        return [_kml_coords(e) for e in element.iter() if _local(e.tag) == name]

    outer = ring("outerBoundaryIs")
    if not outer or len(outer[0]) < 3:
        raise UploadError("a KML Polygon has no outer boundary with at least 3 positions")
    return Polygon(outer[0], [r for r in ring("innerBoundaryIs") if len(r) >= 3])


def kmz_geometries(data: bytes) -> list[BaseGeometry]:
    with _open_zip(data, "KMZ") as archive:
        names = [n for n in archive.namelist() if n.lower().endswith(".kml")]
        if not names:
            raise UploadError("the KMZ has no .kml document inside")
        main = "doc.kml" if "doc.kml" in names else names[0]
        return kml_geometries(_read_member(archive, main))


# --------------------------------------------------------------------------- zips
def _open_zip(data: bytes, what: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UploadError(f"the {what} is not a valid zip archive") from None
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        raise UploadError(f"the {what} has {len(infos)} files; the limit is {MAX_ZIP_MEMBERS}")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED_BYTES:
        raise UploadError(f"the {what} unpacks to {total / 1e6:.0f} MB; the limit is "
                          f"{MAX_UNZIPPED_BYTES / 1e6:.0f} MB")
    for info in infos:
        if not _safe_member(info.filename):
            raise UploadError(f"the {what} contains an unsafe path '{info.filename}'")
    return archive


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name.replace("\\", "/"))
    return not path.is_absolute() and ".." not in path.parts and ":" not in name


def _read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    with archive.open(info) as member:
        data = member.read(MAX_UNZIPPED_BYTES + 1)  # the header's size may lie
    if len(data) > MAX_UNZIPPED_BYTES:
        raise UploadError(f"'{name}' unpacks beyond {MAX_UNZIPPED_BYTES / 1e6:.0f} MB")
    return data


# --------------------------------------------------------------------------- GeoPackage / SHP
def _read_vector(path: Path, what: str) -> list[BaseGeometry]:
    import geopandas as gpd

    try:
        frame = gpd.read_file(path)
    except Exception as exc:
        raise UploadError(f"the {what} could not be read: {exc}") from None
    if frame.crs is None:
        raise UploadError(f"the {what} has no coordinate system (for a shapefile: the .prj "
                          "file); include it, in WGS84 (EPSG:4326) if possible")
    if frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(STORAGE_CRS)
    return list(frame.geometry.values)


def gpkg_geometries(data: bytes) -> list[BaseGeometry]:
    if not data.startswith(b"SQLite format 3\x00"):
        raise UploadError("the file is not a GeoPackage (no SQLite header)")
    with tempfile.TemporaryDirectory(prefix="marine-upload-") as tmp:
        path = Path(tmp) / "upload.gpkg"
        path.write_bytes(data)
        return _read_vector(path, "GeoPackage")


def shapefile_zip_geometries(data: bytes) -> list[BaseGeometry]:
    with _open_zip(data, "zipped shapefile") as archive, \
            tempfile.TemporaryDirectory(prefix="marine-upload-") as tmp:
        shps = [n for n in archive.namelist() if n.lower().endswith(".shp")]
        if not shps:
            raise UploadError("the zip holds no .shp file: zip the .shp with its .shx, .dbf "
                              "and .prj")
        if len(shps) > 1:
            raise UploadError(f"the zip holds {len(shps)} shapefiles ({', '.join(shps[:3])}); "
                              "upload one")
        stem = shps[0][:-4]
        wanted = [n for n in archive.namelist() if n[: len(stem)] == stem
                  and n[len(stem):].lower() in (".shp", ".shx", ".dbf", ".prj", ".cpg")]
        missing = {".shx", ".dbf"} - {n[len(stem):].lower() for n in wanted}
        if missing:
            raise UploadError(f"the shapefile lacks {sorted(missing)}: zip all its parts")
        for name in wanted:  # written under fixed names: nothing lands outside `tmp`
            target = Path(tmp) / ("upload" + name[len(stem):].lower())
            target.write_bytes(_read_member(archive, name))
        return _read_vector(Path(tmp) / "upload.shp", "shapefile")


# --------------------------------------------------------------------------- typed text
_HEMI = "NSEWnsew"
_PAIR_HEMI = re.compile(rf"^\s*([^{_HEMI}]+[{_HEMI}])\s*[,;]?\s*([^{_HEMI}]+[{_HEMI}])\s*$")


def parse_position(line: str) -> tuple[float, float]:
    """'16°40.5′N 112°20′E', '16.675, 112.333' (latitude first) → (lon, lat)."""
    text = line.strip()
    m = _PAIR_HEMI.match(text)
    if m:
        a, b = m.group(1).strip(), m.group(2).strip()
        if a[-1].upper() in "EW":
            a, b = b, a
        return _coordinate(b, "lon"), _coordinate(a, "lat")
    parts = [p for p in re.split(r"[,;\t]|\s+", text) if p]
    if len(parts) != 2:
        raise UploadError(f"position '{text}' should be 'latitude, longitude' (decimal) or "
                          "carry N/S and E/W (DMS), e.g. 16°40.5′N 112°20′E")
    return parse_coordinate(parts[1], "lon"), parse_coordinate(parts[0], "lat")


_DECIMAL_HEMI = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([NSEWnsew])\s*$")


def _coordinate(token: str, axis: str) -> float:
    """Like `parse_coordinate`, also taking decimal degrees with a hemisphere ("8.5S")."""
    m = _DECIMAL_HEMI.match(token)
    if m:
        hemi = m.group(2).upper()
        if hemi in ({"lat": "EW", "lon": "NS"}[axis]):
            raise ValueError(f"{axis} '{token}' carries hemisphere '{hemi}' of the other axis")
        value = float(m.group(1))
        token = str(-value if hemi in "SW" else value)
    return parse_coordinate(token, axis)


def parse_coordinate_text(text: str, kind: str) -> Upload:
    """Typed positions, one per line, as an area (closed for the drafter), a line or points."""
    if kind not in ("area", "line", "points"):
        raise ValueError(f"kind was '{kind}' but must be 'area', 'line' or 'points'")
    positions = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            positions.append(parse_position(line))
        except ValueError as exc:
            raise UploadError(f"line {number} ('{line.strip()}'): {exc}") from None
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
    return combine(geoms, "the drawing", "drawing")
