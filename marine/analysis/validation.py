"""Check a proposal geometry before any analysis: reject what cannot be meant, repair what
can, and say what was repaired.

Rejections raise `GeometryError` naming the value; repairs come back as messages for the
report. Accepted kinds: polygons, lines, point sets (a GeometryCollection is rejected: draw
one kind per proposal).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from marine.config import REGION_BOUNDS
from marine.errors import GeometryError
from marine.formatting import number
from marine.geo import GEOD, KIND_OF_GEOMETRY_TYPE, geodesic_area_km2, geometry_kind

# Errors and repair notes written here are English: the UI quotes them inside a translated
# sentence.
MESSAGES_LANG = "en"
_REGION_BOX = shapely.box(*REGION_BOUNDS)
# A proposal larger than the whole study region cannot be meant.
REGION_AREA_KM2 = geodesic_area_km2(_REGION_BOX)


@dataclass(frozen=True)
class ValidGeometry:
    geometry: BaseGeometry
    kind: str  # "area" | "line" | "points"
    repairs: tuple[str, ...]


def as_geometry(value) -> BaseGeometry:
    """A shapely geometry from a shapely geometry, a GeoJSON geometry or a GeoJSON Feature."""
    if isinstance(value, BaseGeometry):
        return value
    if isinstance(value, Mapping):
        if value.get("type") == "Feature":
            value = value.get("geometry")
            if value is None:
                raise GeometryError("the GeoJSON Feature has no geometry: draw or upload one")
        try:
            return shape(value)
        except Exception as exc:
            raise GeometryError(f"GeoJSON geometry {str(value)[:120]} could not be read: {exc}") from exc
    raise GeometryError(
        f"geometry was a {type(value).__name__}; give a shapely geometry or a GeoJSON mapping"
    )


def validate_geometry(value, max_area_km2: float | None = None) -> ValidGeometry:
    """Reject empty, out-of-range, swapped or oversized geometries; repair invalid ones."""
    geom = as_geometry(value)
    if geom.is_empty:
        raise GeometryError("the proposal geometry is empty: draw an area, a line or points")
    kind = geometry_kind(geom)
    if kind is None:
        raise GeometryError(
            f"geometry type '{geom.geom_type}' is not accepted; use one of {sorted(KIND_OF_GEOMETRY_TYPE)}"
        )
    _check_coordinates(geom)
    repairs: list[str] = []
    geom = _drop_z(geom, repairs)
    if not geom.is_valid:
        geom = _repair(geom, kind, repairs)
    if kind == "area":
        geom = shapely.orient_polygons(geom)  # RFC 7946: exterior counter-clockwise
    _check_region(geom)
    if kind == "area":
        _check_area(geom, max_area_km2 if max_area_km2 is not None else REGION_AREA_KM2)
    return ValidGeometry(geom, kind, tuple(repairs))


def _check_coordinates(geom: BaseGeometry) -> None:
    xy = shapely.get_coordinates(geom)
    if not np.isfinite(xy).all():
        bad = xy[~np.isfinite(xy).all(axis=1)][0]
        raise GeometryError(f"vertex ({bad[0]}, {bad[1]}) is not a finite number")
    lon, lat = xy[:, 0], xy[:, 1]
    if _looks_swapped(lon, lat):
        x, y = xy[0]
        raise GeometryError(
            f"coordinates look swapped: the first vertex reads as longitude {x:g}, latitude "
            f"{y:g}, which lies outside the region, while ({y:g}, {x:g}) lies inside it; "
            "give longitude first (GeoJSON order is [lon, lat])"
        )
    if (np.abs(lat) > 90).any():
        value = lat[np.abs(lat) > 90][0]
        raise GeometryError(f"latitude {value:g} is outside ±90°: check the coordinate order")
    if (np.abs(lon) > 180).any():
        value = lon[np.abs(lon) > 180][0]
        raise GeometryError(f"longitude {value:g} is outside ±180°: check the coordinate")


def _looks_swapped(lon: np.ndarray, lat: np.ndarray) -> bool:
    minx, miny, maxx, maxy = REGION_BOUNDS
    as_given = (lon >= minx) & (lon <= maxx) & (lat >= miny) & (lat <= maxy)
    swapped = (lat >= minx) & (lat <= maxx) & (lon >= miny) & (lon <= maxy)
    return not as_given.any() and bool(swapped.all())


def _drop_z(geom: BaseGeometry, repairs: list[str]) -> BaseGeometry:
    if shapely.has_z(geom):
        repairs.append("heights (z values) were dropped: the analysis is two-dimensional")
        return shapely.force_2d(geom)
    return geom


def _repair(geom: BaseGeometry, kind: str, repairs: list[str]) -> BaseGeometry:
    reason = shapely.is_valid_reason(geom)
    fixed = shapely.make_valid(geom, method="structure", keep_collapsed=False)
    parts = [p for p in shapely.get_parts(fixed)
             if geometry_kind(p) == kind and not p.is_empty]
    if not parts:
        raise GeometryError(
            f"the {geom.geom_type} is invalid ({reason}) and nothing of it is left after "
            "repair: redraw it without collapsed or zero-area rings"
        )
    multi = {"area": shapely.MultiPolygon, "line": shapely.MultiLineString,
             "points": shapely.MultiPoint}[kind]
    repaired = parts[0] if len(parts) == 1 else multi(parts)
    after = f"{repaired.geom_type} of {len(parts)} part(s)"
    if kind == "area":
        after += f", {number(geodesic_area_km2(repaired), MESSAGES_LANG, 1)} km²"
    repairs.append(f"the {geom.geom_type} was invalid ({reason}); repaired into a {after}")
    return repaired


def _check_region(geom: BaseGeometry) -> None:
    if not geom.intersects(_REGION_BOX):
        minx, miny, maxx, maxy = geom.bounds
        raise GeometryError(
            f"the proposal (bounds {minx:g}, {miny:g} to {maxx:g}, {maxy:g}) lies entirely "
            f"outside the study region {REGION_BOUNDS}; check the coordinates"
        )


def _check_area(geom: BaseGeometry, limit_km2: float) -> None:
    area = geodesic_area_km2(geom)
    if area <= 0:
        raise GeometryError("the proposal area is zero: draw a polygon with at least 3 corners")
    if area > limit_km2:
        raise GeometryError(
            f"the proposal covers {number(area, MESSAGES_LANG)} km², more than the limit of {number(limit_km2, MESSAGES_LANG)} km² "
            "(the whole study region); draw a smaller area"
        )


# --------------------------------------------------------------------------- edges
# A drawn edge means the shortest path (a geodesic); a layer edge typed from a document is
# usually a parallel or meridian (straight in lon/lat). Both are densified so that cutting
# in lon/lat (intersections, tiles) and measuring on the ellipsoid agree: with vertices
# every 0.05° the two readings of an edge differ by millimetres.
DENSIFY_DEG = 0.05


def densify_geodesic(geom: BaseGeometry, max_deg: float = DENSIFY_DEG) -> BaseGeometry:
    """Insert points along the geodesic of every edge longer than `max_deg` degrees."""
    if geom.geom_type in ("Point", "MultiPoint"):
        return geom
    return _densify(geom, max_deg)


def _densify(geom: BaseGeometry, max_deg: float) -> BaseGeometry:
    if geom.geom_type == "Polygon":
        return shapely.Polygon(_densify_coords(geom.exterior.coords, max_deg),
                               [_densify_coords(r.coords, max_deg) for r in geom.interiors])
    if geom.geom_type == "LineString":
        return shapely.LineString(_densify_coords(geom.coords, max_deg))
    parts = [_densify(p, max_deg) for p in shapely.get_parts(geom)]
    return type(geom)(parts)


def _densify_coords(coords, max_deg: float) -> np.ndarray:
    xy = np.asarray(coords, dtype=float)[:, :2]
    steps = np.hypot(*np.diff(xy, axis=0).T)
    if not (steps > max_deg).any():
        return xy
    out = [xy[:1]]
    for (x1, y1), (x2, y2), step in zip(xy[:-1], xy[1:], steps, strict=True):
        if step > max_deg:
            n = int(np.ceil(step / max_deg)) - 1
            out.append(np.asarray(GEOD.npts(x1, y1, x2, y2, n)))
        out.append(np.array([[x2, y2]]))
    return np.vstack(out)
