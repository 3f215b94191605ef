"""A per-catalogue spatial index, built once: every analysis layer as arrays of parts in an
STRtree, huge polygons cut into tiles, geodesic areas and lengths of every part precomputed.

A query then touches only candidate parts; parts the proposal covers entirely take their
precomputed measure, and only the parts cut by the proposal's edge are intersected.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field
from functools import cached_property

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from marine.analysis.validation import DENSIFY_DEG
from marine.catalogue import Catalogue, LayerSpec
from marine.errors import LayerError
from marine.geo import GEOD, NM_IN_M, geometry_kind

TILE_DEG = 1.0  # tile size for cutting large polygons (measured: ~0.6 ms per 1° box query)
TILE_MIN_VERTICES = 500  # polygons with more vertices than this are tiled


# --------------------------------------------------------------------------- measures
def geodesic_areas_km2(geoms: np.ndarray) -> np.ndarray:
    """Geodesic area of each (multi)polygon in km²; 0 for anything else.

    Rings go to `Geod.polygon_area_perimeter` as numpy arrays (the shapely → array.array
    path of `geometry_area_perimeter` costs more than the geodesy itself); the exterior
    counts positive and holes negative whatever their orientation.
    """
    out = np.zeros(len(geoms))
    for i, g in enumerate(geoms):
        if g is not None and not g.is_empty:
            out[i] = _area_m2(g) / 1e6
    return out


def _area_m2(geom: BaseGeometry) -> float:
    if geom.geom_type == "Polygon":
        total = abs(_ring_area_m2(geom.exterior))
        return total - sum(abs(_ring_area_m2(r)) for r in geom.interiors)
    if geom.geom_type in ("MultiPolygon", "GeometryCollection"):
        return sum(_area_m2(p) for p in shapely.get_parts(geom))
    return 0.0


def _ring_area_m2(ring) -> float:
    xy = shapely.get_coordinates(ring)
    return GEOD.polygon_area_perimeter(xy[:, 0], xy[:, 1])[0]


def geodesic_lengths_km(geoms: np.ndarray) -> np.ndarray:
    """Geodesic length of the linear parts of each geometry in km (points count 0)."""
    out = np.zeros(len(geoms))
    for i, g in enumerate(geoms):
        if g is None or g.is_empty:
            continue
        for part in shapely.get_parts(g):
            if part.geom_type in ("LineString", "LinearRing"):
                xy = shapely.get_coordinates(part)
                out[i] += GEOD.line_length(xy[:, 0], xy[:, 1])
    return out / 1000.0


def distance_nm_to(origin: BaseGeometry, geoms: np.ndarray) -> np.ndarray:
    """Geodesic distance in nm from `origin` to each geometry, 0 where they intersect.

    The closest pair of points is found in degrees (shapely.shortest_line) and measured on
    the ellipsoid: exact for points, within a fraction of a percent at these scales.
    """
    if len(geoms) == 0:
        return np.zeros(0)
    lines = shapely.shortest_line(origin, geoms)
    xy = shapely.get_coordinates(lines).reshape(-1, 2, 2)
    _, _, metres = GEOD.inv(xy[:, 0, 0], xy[:, 0, 1], xy[:, 1, 0], xy[:, 1, 1])
    dist = np.asarray(metres, dtype=float) / NM_IN_M
    dist[shapely.intersects(origin, geoms)] = 0.0
    return dist


# --------------------------------------------------------------------------- tiling
def tile_polygon(geom: BaseGeometry, size: float = TILE_DEG,
                 max_vertices: int = TILE_MIN_VERTICES) -> list[BaseGeometry]:
    """Cut a polygon into pieces on a `size`-degree grid until each piece has at most
    `max_vertices` vertices or fits in one grid cell (polygonal pieces only).

    Recursive halving along grid lines: each level touches every vertex once, so a
    130,000-vertex coast costs O(n log n) rather than one full intersection per cell.
    """
    out: list[BaseGeometry] = []
    stack = [geom]
    while stack:
        g = stack.pop()
        minx, miny, maxx, maxy = g.bounds
        cut = _grid_cut(minx, miny, maxx, maxy, size)
        if cut is None or shapely.get_num_coordinates(g) <= max_vertices:
            out.extend(p for p in shapely.get_parts(g) if p.geom_type == "Polygon" and p.area > 0)
            continue
        axis, at = cut
        halves = ((minx, miny, at, maxy), (at, miny, maxx, maxy)) if axis == "x" else (
            (minx, miny, maxx, at), (minx, at, maxx, maxy))
        for bounds in halves:
            # clip_by_rect is many times faster than an overlay; its output is not
            # guaranteed valid, so an invalid piece is redone with the exact overlay.
            piece = shapely.clip_by_rect(g, *bounds)
            if not piece.is_valid:
                piece = shapely.intersection(g, shapely.box(*bounds))
            if not piece.is_empty:
                stack.append(piece)
    return out


def _grid_cut(minx: float, miny: float, maxx: float, maxy: float, size: float):
    """The grid line nearest the middle of the longer side, or None inside one cell."""
    for axis, lo, hi in sorted((("x", minx, maxx), ("y", miny, maxy)),
                               key=lambda a: a[1] - a[2]):
        at = round((lo + hi) / 2 / size) * size
        if lo < at < hi:
            return axis, at
        inner = np.arange(np.floor(lo / size) * size + size, hi, size)
        if len(inner):
            return axis, float(inner[len(inner) // 2])
    return None


# --------------------------------------------------------------------------- index
@dataclass
class KindIndex:
    """Parts of one geometry kind of one layer: part → feature row, STRtree, measures."""

    kind: str
    parts: np.ndarray
    owner: np.ndarray  # row of the layer frame each part belongs to
    tree: shapely.STRtree = field(init=False)

    def __post_init__(self) -> None:
        shapely.prepare(self.parts)
        self.tree = shapely.STRtree(self.parts)

    @cached_property
    def part_area_km2(self) -> np.ndarray:
        return geodesic_areas_km2(self.parts)

    @cached_property
    def part_length_km(self) -> np.ndarray:
        return geodesic_lengths_km(self.parts)


@dataclass
class LayerIndex:
    spec: LayerSpec
    frame: gpd.GeoDataFrame
    kinds: dict[str, KindIndex]

    @cached_property
    def records(self) -> list[dict]:
        """Attributes of every feature row, as plain dicts (fast to read per row)."""
        return self.frame.drop(columns=self.frame.geometry.name).to_dict("records")

    @property
    def layer_kind(self) -> str:
        return next(iter(self.kinds)) if len(self.kinds) == 1 else "mixed"

    @classmethod
    def build(cls, spec: LayerSpec, frame: gpd.GeoDataFrame) -> LayerIndex:
        geoms = np.asarray(frame.geometry.values, dtype=object)
        by_kind: dict[str, tuple[list, list]] = {}
        for row, geom in enumerate(geoms):
            if geom is None or geom.is_empty:
                continue
            kind = geometry_kind(geom)
            if kind is None:  # a collection: index each part under its own kind
                for part in shapely.get_parts(geom):
                    _add(by_kind, geometry_kind(part), row, part)
                continue
            _add(by_kind, kind, row, geom)
        kinds = {k: KindIndex(k, np.asarray(parts, dtype=object), np.asarray(owner, dtype=int))
                 for k, (parts, owner) in by_kind.items()}
        return cls(spec, frame, kinds)


def _add(by_kind: dict, kind: str | None, row: int, geom: BaseGeometry) -> None:
    if kind is None:
        return
    parts, owner = by_kind.setdefault(kind, ([], []))
    if kind in ("area", "line"):
        # Edges typed from documents run along parallels/meridians (straight in lon/lat):
        # vertices every DENSIFY_DEG keep cutting in lon/lat and measuring on the ellipsoid
        # consistent (see marine.analysis.validation.densify_geodesic).
        geom = shapely.segmentize(geom, DENSIFY_DEG)
    pieces = [geom]
    if kind == "area" and shapely.get_num_coordinates(geom) > TILE_MIN_VERTICES:
        # Cut edges along parallels are densified too, so a cut edge measures the same from
        # the tiles on both sides (geodesic areas of the tiles add up to the whole).
        pieces = list(shapely.segmentize(np.asarray(tile_polygon(geom), dtype=object),
                                         DENSIFY_DEG))
    parts.extend(pieces)
    owner.extend([row] * len(pieces))


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_BUILDING = threading.Lock()  # held while an index is built (see for_catalogue)


@dataclass
class AnalysisIndex:
    """Every analysis layer of a catalogue, indexed once (`for_catalogue` caches it)."""

    layers: dict[str, LayerIndex]
    skipped: dict[str, str]  # layer id → why it is not analysed

    @classmethod
    def for_catalogue(cls, catalogue: Catalogue) -> AnalysisIndex:
        index = _CACHE.get(catalogue)
        if index is not None:
            return index
        # One build at a time: twenty people opening proposals just after a restart wait for
        # one index instead of building twenty side by side (each a full core for seconds).
        with _BUILDING:
            return cls._cached_or_built(catalogue)

    @classmethod
    def _cached_or_built(cls, catalogue: Catalogue) -> AnalysisIndex:
        index = _CACHE.get(catalogue)
        if index is None:
            base = getattr(catalogue, "base", None)
            if base is not None:  # an extended catalogue (data library): index only its own
                index = cls._cached_or_built(base).merged(cls.build(catalogue, skip=base.specs))
            else:
                index = cls.build(catalogue)
            _CACHE[catalogue] = index
        return index

    def with_section(self, section: str) -> list[LayerIndex]:
        """The indexed layers feeding report section `section` (see `LayerSpec.section`)."""
        return [layer for layer in self.layers.values() if layer.spec.section == section]

    def merged(self, other: AnalysisIndex) -> AnalysisIndex:
        return AnalysisIndex({**self.layers, **other.layers}, {**self.skipped, **other.skipped})

    @classmethod
    def forget(cls, catalogue: Catalogue) -> None:
        """Drop the cached index (call after rebuilding the catalogue's layers)."""
        _CACHE.pop(catalogue, None)

    @classmethod
    def build(cls, catalogue: Catalogue, skip=()) -> AnalysisIndex:
        layers: dict[str, LayerIndex] = {}
        skipped: dict[str, str] = {}
        for spec in catalogue.analysis_layers():
            # Layers declared `measured=False` (per-party envelopes: the report gives how many
            # envelopes cover an area, never whose) are never indexed.
            if not spec.measured or spec.id in skip:
                continue
            try:
                frame = catalogue.load(spec.id)
            except LayerError as exc:  # one broken layer must not stop the report
                skipped[spec.id] = str(exc)
                continue
            # Empty layers stay in: the report says why they show nothing (empty_reason).
            layers[spec.id] = LayerIndex.build(spec, frame)
        return cls(layers, skipped)

    def warm(self) -> AnalysisIndex:
        """Precompute every part's geodesic measure now rather than at the first query."""
        for layer in self.layers.values():
            _ = layer.records
            for k in layer.kinds.values():
                _ = k.part_area_km2 if k.kind == "area" else k.part_length_km
        return self
