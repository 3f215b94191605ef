"""Measuring one proposal against one indexed layer: per feature row, the overlap area,
the length inside, the points inside or the crossings, by proposal kind × layer kind.

| proposal \\ layer | area                   | line                  | points        |
|------------------|------------------------|-----------------------|---------------|
| area             | overlap km²            | length inside         | points inside |
| line             | proposal length inside | crossings             | —             |
| points           | proposal points inside | —                     | —             |
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from marine.analysis.index import (
    KindIndex,
    LayerIndex,
    geodesic_areas_km2,
    geodesic_lengths_km,
)
from marine.geo import geodesic_area_km2, geodesic_length_km


@dataclass
class Proposal:
    """A validated proposal geometry, prepared once for every layer query."""

    geometry: BaseGeometry
    kind: str  # "area" | "line" | "points"

    def __post_init__(self) -> None:
        shapely.prepare(self.geometry)

    @cached_property
    def area_km2(self) -> float:
        return geodesic_area_km2(self.geometry) if self.kind == "area" else 0.0

    @cached_property
    def length_km(self) -> float:
        return geodesic_length_km(self.geometry)  # perimeter for areas

    @cached_property
    def points(self) -> np.ndarray:
        return shapely.get_parts(self.geometry) if self.kind == "points" else np.empty(0)

    @property
    def denominator(self) -> float:
        """What shares are fractions of: area, length or number of points."""
        return {"area": self.area_km2, "line": self.length_km,
                "points": float(len(self.points))}[self.kind]


@dataclass
class RowMeasure:
    """How much of the proposal meets one feature (one row of the layer frame)."""

    row: int
    area_km2: float = 0.0
    length_km: float = 0.0
    count: int = 0
    share: float = 0.0

    @property
    def size(self) -> float:
        return self.area_km2 or self.length_km or float(self.count)


@dataclass
class LayerMeasure:
    rows: dict[int, RowMeasure] = field(default_factory=dict)

    def row(self, row: int) -> RowMeasure:
        return self.rows.setdefault(row, RowMeasure(row))


def measure_layer(proposal: Proposal, layer: LayerIndex) -> LayerMeasure:
    """Every feature of `layer` the proposal meets, with its measure."""
    out = LayerMeasure()
    for kind_index in layer.kinds.values():
        handler = _HANDLERS.get((proposal.kind, kind_index.kind))
        if handler is not None:
            handler(proposal, kind_index, out)
    denominator = proposal.denominator
    for m in out.rows.values():
        if denominator > 0:
            value = {"area": m.area_km2, "line": m.length_km, "points": m.count}[proposal.kind]
            m.share = min(1.0, value / denominator)
    return out


def _candidates(proposal: Proposal, index: KindIndex) -> np.ndarray:
    return index.tree.query(proposal.geometry, predicate="intersects")


def _accumulate(out: LayerMeasure, owners: np.ndarray, values: np.ndarray, attr: str) -> None:
    if len(owners) == 0:
        return
    rows, inverse = np.unique(owners, return_inverse=True)
    totals = np.bincount(inverse, weights=values)
    for row, total in zip(rows, totals, strict=True):
        m = out.row(int(row))
        setattr(m, attr, getattr(m, attr) + float(total))


def _area_in_area(proposal: Proposal, index: KindIndex, out: LayerMeasure) -> None:
    idx = _candidates(proposal, index)
    if len(idx) == 0:
        return
    covered = shapely.covers(proposal.geometry, index.parts[idx])
    area = np.zeros(len(idx))
    area[covered] = index.part_area_km2[idx[covered]]
    cut = ~covered
    if cut.any():
        pieces = shapely.intersection(index.parts[idx[cut]], proposal.geometry)
        area[cut] = geodesic_areas_km2(pieces)
    keep = area > 0
    _accumulate(out, index.owner[idx[keep]], area[keep], "area_km2")


def _line_in_area(proposal: Proposal, index: KindIndex, out: LayerMeasure) -> None:
    idx = _candidates(proposal, index)
    if len(idx) == 0:
        return
    covered = shapely.covers(proposal.geometry, index.parts[idx])
    length = np.zeros(len(idx))
    length[covered] = index.part_length_km[idx[covered]]
    cut = ~covered
    if cut.any():
        pieces = shapely.intersection(index.parts[idx[cut]], proposal.geometry)
        length[cut] = geodesic_lengths_km(pieces)
    _accumulate(out, index.owner[idx], length, "length_km")
    for row in np.unique(index.owner[idx]):
        out.row(int(row))  # a line touching the area only at a point still counts as met


def _points_in_area(proposal: Proposal, index: KindIndex, out: LayerMeasure) -> None:
    idx = _candidates(proposal, index)
    _accumulate(out, index.owner[idx], np.ones(len(idx)), "count")


def _proposal_line_in_area(proposal: Proposal, index: KindIndex, out: LayerMeasure) -> None:
    idx = _candidates(proposal, index)
    if len(idx) == 0:
        return
    pieces = shapely.intersection(proposal.geometry, index.parts[idx])
    _accumulate(out, index.owner[idx], geodesic_lengths_km(pieces), "length_km")


def _line_crossings(proposal: Proposal, index: KindIndex, out: LayerMeasure) -> None:
    idx = _candidates(proposal, index)
    if len(idx) == 0:
        return
    pieces = shapely.intersection(proposal.geometry, index.parts[idx])
    crossings = np.array([len(shapely.get_parts(p)) for p in pieces], dtype=float)
    _accumulate(out, index.owner[idx], crossings, "count")


def _proposal_points_in_area(proposal: Proposal, index: KindIndex, out: LayerMeasure) -> None:
    pt_idx, part_idx = index.tree.query(proposal.points, predicate="intersects")
    if len(pt_idx) == 0:
        return
    # A point on a tile seam meets two parts of one feature: count it once per feature.
    pairs = np.unique(np.stack([index.owner[part_idx], pt_idx], axis=1), axis=0)
    _accumulate(out, pairs[:, 0], np.ones(len(pairs)), "count")


_HANDLERS = {
    ("area", "area"): _area_in_area,
    ("area", "line"): _line_in_area,
    ("area", "points"): _points_in_area,
    ("line", "area"): _proposal_line_in_area,
    ("line", "line"): _line_crossings,
    ("points", "area"): _proposal_points_in_area,
}
