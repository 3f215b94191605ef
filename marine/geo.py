"""Coordinate systems, geodesic measures, nautical-mile buffers and coordinate parsing.

Two coordinate systems, named: everything is stored and shown in `STORAGE_CRS`; areas and
lengths are geodesic on the WGS84 ellipsoid (pyproj.Geod) or, for bulk overlay work, in the
named equal-area `EQUAL_AREA_CRS`. Distances in nautical miles are buffered per feature in a
local azimuthal equidistant projection. Never measure in degrees or Web Mercator.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from types import MappingProxyType

import shapely
from pyproj import CRS, Geod, Transformer
from shapely.geometry.base import BaseGeometry

# Typed and published coordinates are read by the one parser in `marine.positions`.
from marine.positions import parse_coordinate  # noqa: F401  (re-exported for the layers)

STORAGE_CRS = "EPSG:4326"
# Lambert azimuthal equal-area centred on the sea: equal-area everywhere, used to compute
# overlap shares in bulk (ratios); absolute areas always come from GEOD.
EQUAL_AREA_CRS = "+proj=laea +lat_0=12 +lon_0=114 +datum=WGS84 +units=m +no_defs"
NM_IN_M = 1852.0  # international nautical mile
KM2_PER_NM2 = (NM_IN_M / 1000.0) ** 2
GEOD = Geod(ellps="WGS84")

# What a person draws or uploads is an area, a line or points. The one map from geometry
# type names to these kinds: every other module asks `geometry_kind` (a convention test in
# tests/test_shared_facts.py fails on a second map).
GEOMETRY_KINDS = ("area", "line", "points")
KIND_OF_GEOMETRY_TYPE: Mapping[str, str] = MappingProxyType({
    "Polygon": "area", "MultiPolygon": "area",
    "LineString": "line", "MultiLineString": "line", "LinearRing": "line",
    "Point": "points", "MultiPoint": "points",
})


def geometry_kind(geom: BaseGeometry | str) -> str | None:
    """'area', 'line' or 'points' for a geometry or a geometry type name ('MultiPolygon' →
    'area'); None for a GeometryCollection or an unknown type (their parts have kinds)."""
    geom_type = geom if isinstance(geom, str) else geom.geom_type
    return KIND_OF_GEOMETRY_TYPE.get(geom_type)


def dominant_kind(geom_types: Iterable[str], default: str = "line") -> str:
    """The kind that draws first of several geometry types: areas, then lines, then points
    (`default` when none has a kind, e.g. an empty layer)."""
    kinds = {KIND_OF_GEOMETRY_TYPE.get(t) for t in geom_types}
    return next((k for k in GEOMETRY_KINDS if k in kinds), default)


# --------------------------------------------------------------------------- measures
def geodesic_area_km2(geom: BaseGeometry) -> float:
    """Geodesic area on WGS84 in km² (0 for lines and points); orientation does not matter."""
    if geom is None or geom.is_empty:
        return 0.0
    total = 0.0
    for part in shapely.get_parts(geom):
        if part.geom_type == "Polygon":
            area, _ = GEOD.geometry_area_perimeter(shapely.orient_polygons(part))
            total += abs(area)
        elif part.geom_type in ("MultiPolygon", "GeometryCollection"):
            total += geodesic_area_km2(part) * 1e6
    return total / 1e6


def geodesic_length_km(geom: BaseGeometry) -> float:
    """Geodesic length of lines, or perimeter of polygons (all rings), in km."""
    if geom is None or geom.is_empty:
        return 0.0
    total = 0.0
    for part in shapely.get_parts(geom):
        if part.geom_type in ("LineString", "LinearRing"):
            total += GEOD.geometry_length(part)
        elif part.geom_type == "Polygon":
            total += sum(GEOD.geometry_length(r) for r in [part.exterior, *part.interiors])
        elif part.geom_type in ("MultiLineString", "MultiPolygon", "GeometryCollection"):
            total += geodesic_length_km(part) * 1000
    return total / 1000.0


def geodesic_length_nm(geom: BaseGeometry) -> float:
    """Geodesic length (or perimeter) in nautical miles."""
    return geodesic_length_km(geom) * 1000.0 / NM_IN_M


def distance_nm(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Geodesic distance between two points in nautical miles."""
    _, _, metres = GEOD.inv(lon1, lat1, lon2, lat2)
    return metres / NM_IN_M


def km2_to_nm2(km2: float) -> float:
    return km2 / KM2_PER_NM2


# --------------------------------------------------------------------------- projections
@lru_cache(maxsize=64)
def _transformers(proj4: str) -> tuple[Transformer, Transformer]:
    crs = CRS.from_user_input(proj4)
    fwd = Transformer.from_crs(STORAGE_CRS, crs, always_xy=True)
    inv = Transformer.from_crs(crs, STORAGE_CRS, always_xy=True)
    return fwd, inv


def aeqd_proj4(lon: float, lat: float) -> str:
    """A local azimuthal equidistant projection: distances from (lon, lat) are exact."""
    return f"+proj=aeqd +lat_0={lat:.4f} +lon_0={lon:.4f} +datum=WGS84 +units=m +no_defs"


def to_projected(geom: BaseGeometry, proj4: str) -> BaseGeometry:
    fwd, _ = _transformers(proj4)
    return shapely.transform(geom, fwd.transform, interleaved=False)


def to_storage(geom: BaseGeometry, proj4: str) -> BaseGeometry:
    _, inv = _transformers(proj4)
    return shapely.transform(geom, inv.transform, interleaved=False)


def buffer_nm(geom: BaseGeometry, nm: float, resolution: int = 16) -> BaseGeometry:
    """Buffer `geom` by `nm` nautical miles in a projection centred on it (exact near it).

    Suitable for features up to a few hundred km across; for long coasts, buffer pieces
    separately and union (see `layers.envelopes`).
    """
    if nm <= 0:
        raise ValueError(f"buffer distance was {nm} nm but must be positive")
    c = geom.centroid
    proj = aeqd_proj4(c.x, c.y)
    buffered = to_projected(geom, proj).buffer(nm * NM_IN_M, quad_segs=resolution)
    return to_storage(buffered, proj)


# --------------------------------------------------------------------------- coordinates
def format_dms(value: float, axis: str, decimals: int = 1) -> str:
    """16.675, 'lat' → 16°40′30.0″N."""
    hem = ("N" if value >= 0 else "S") if axis == "lat" else ("E" if value >= 0 else "W")
    v = abs(value)
    deg = int(v)
    minutes_full = (v - deg) * 60
    minutes = int(minutes_full)
    seconds = round((minutes_full - minutes) * 60, decimals)
    if seconds >= 60:
        seconds -= 60
        minutes += 1
    if minutes >= 60:
        minutes -= 60
        deg += 1
    return f"{deg}°{minutes:02d}′{seconds:0{3 + decimals}.{decimals}f}″{hem}"


def format_position(lon: float, lat: float) -> str:
    return f"{format_dms(lat, 'lat')} {format_dms(lon, 'lon')}"

