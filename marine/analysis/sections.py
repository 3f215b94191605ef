"""The report's sections: generic per-layer overlaps, then the sections keyed on agreed
layer ids and columns (places, ports, routes, FAO areas, moratorium, environment, claims).

Claims context is neutral by construction: envelope coverage is a count of indicative
envelopes with no party named, agreements are named by their agreement, and the depicted
line is reported as crossing / near / distance — never as enclosing anything.
"""

from __future__ import annotations

import math

import numpy as np
import shapely

from marine.analysis.index import AnalysisIndex, KindIndex, LayerIndex, distance_nm_to
from marine.analysis.measure import LayerMeasure, Proposal, RowMeasure
from marine.analysis.report import (
    AgreementHit,
    ClaimsContext,
    DepictedLine,
    EnvelopeCoverage,
    EnvironmentHit,
    FaoHit,
    FeatureHit,
    LayerOverlap,
    MoratoriumHit,
    PlaceHit,
    PortHit,
    RouteSummary,
)
from marine.geo import NM_IN_M

KM_PER_NM = NM_IN_M / 1000.0
MAX_FEATURES = 25  # per layer; the rest are counted in `features_omitted`
ATTRIBUTE_COLUMNS = (
    "agreement", "party", "instrument", "fao_area", "season_text", "label", "passage",
    "country", "locode", "designation", "point_label", "connects", "place_id",
)
PLACE_NEAR_NM = 30.0
PORTS_NEAREST = 5
# The depicted line is digitised from a small-scale map (accuracy: tens of km), so "near"
# uses a threshold of the same order.
DEPICTED_LINE_NEAR_NM = 30.0


def _text(layer: LayerIndex, row: int, column: str, default: str = "") -> str:
    value = layer.records[row].get(column)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return default
    return str(value)


def _flag(layer: LayerIndex, row: int, column: str) -> bool:
    value = layer.records[row].get(column)
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "1")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    return bool(value)


def _sorted(measure: LayerMeasure) -> list[RowMeasure]:
    return sorted(measure.rows.values(), key=lambda m: (-m.size, m.row))


# --------------------------------------------------------------------------- generic
def layer_overlap(layer: LayerIndex, measure: LayerMeasure, proposal: Proposal) -> LayerOverlap:
    spec = layer.spec
    rows = _sorted(measure)
    features = [_feature_hit(layer, m) for m in rows[:MAX_FEATURES]]
    area = sum(m.area_km2 for m in rows)
    length = sum(m.length_km for m in rows)
    value = {"area": area, "line": length, "points": 0.0}[proposal.kind]
    share = value / proposal.denominator if proposal.kind != "points" and proposal.denominator else 0.0
    if proposal.kind == "points" and proposal.denominator:
        # Share of the proposal's points inside any feature of this layer (each point once).
        share = _points_share(proposal, layer)
    return LayerOverlap(
        layer_id=spec.id, title=spec.title, theme=spec.theme, status=spec.status,
        source=spec.source, layer_kind=layer.layer_kind, feature_count=len(rows),
        area_km2=round(area, 4), share=round(min(share, 1.0), 6),
        length_km=round(length, 4), length_nm=round(length / KM_PER_NM, 4),
        count=int(sum(m.count for m in rows)), features=features,
        features_omitted=max(0, len(rows) - MAX_FEATURES),
    )


def _points_share(proposal: Proposal, layer: LayerIndex) -> float:
    inside = np.zeros(len(proposal.points), dtype=bool)
    for k in layer.kinds.values():
        if k.kind == "area":
            pt_idx, _ = k.tree.query(proposal.points, predicate="intersects")
            inside[pt_idx] = True
    return float(inside.mean()) if len(inside) else 0.0


def _feature_hit(layer: LayerIndex, m: RowMeasure) -> FeatureHit:
    attributes = {c: _text(layer, m.row, c) for c in ATTRIBUTE_COLUMNS if _text(layer, m.row, c)}
    return FeatureHit(
        feature_id=_text(layer, m.row, "feature_id"), name=_text(layer, m.row, "name"),
        status=_text(layer, m.row, "status"), area_km2=round(m.area_km2, 4),
        share=round(m.share, 6), length_km=round(m.length_km, 4),
        length_nm=round(m.length_km / KM_PER_NM, 4), count=m.count, attributes=attributes,
    )


# --------------------------------------------------------------------------- proximity
def near(proposal: Proposal, index: KindIndex, nm: float) -> tuple[np.ndarray, np.ndarray]:
    """Parts within `nm` nautical miles of the proposal: (part indices, distances in nm)."""
    minx, miny, maxx, maxy = proposal.geometry.bounds
    dlat = nm / 60.0
    dlon = dlat / max(0.05, math.cos(math.radians(min(89.0, max(abs(miny), abs(maxy)) + dlat))))
    box = shapely.box(minx - dlon, miny - dlat, maxx + dlon, maxy + dlat)
    idx = index.tree.query(box)
    dist = distance_nm_to(proposal.geometry, index.parts[idx])
    keep = dist <= nm
    return idx[keep], dist[keep]


def nearest(proposal: Proposal, index: KindIndex, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The `k` parts nearest the proposal (geodesic), nearest first."""
    planar = shapely.distance(proposal.geometry, index.parts)
    order = np.argsort(planar, kind="stable")[: max(3 * k, k + 10)]
    dist = distance_nm_to(proposal.geometry, index.parts[order])
    best = np.argsort(dist, kind="stable")[:k]
    return order[best], dist[best]


# --------------------------------------------------------------------------- sections
def places_section(proposal: Proposal, layer: LayerIndex) -> list[PlaceHit]:
    frame = layer.frame
    name_columns = [c for c in frame.columns if c.startswith("name_")]
    best: dict[int, float] = {}
    for k in layer.kinds.values():
        idx, dist = near(proposal, k, PLACE_NEAR_NM)
        for row, d in zip(k.owner[idx], dist, strict=True):
            best[int(row)] = min(d, best.get(int(row), math.inf))
    hits = []
    for row, d in sorted(best.items(), key=lambda item: (item[1], item[0])):
        names = {c.removeprefix("name_"): _text(layer, row, c) for c in name_columns
                 if _text(layer, row, c)}
        disputed = _flag(layer, row, "disputed")
        at = layer.frame.geometry.iloc[row].representative_point()
        hits.append(PlaceHit(
            place_id=_text(layer, row, "place_id") or _text(layer, row, "feature_id"),
            label=_text(layer, row, "label") or " / ".join(dict.fromkeys(names.values())),
            names=names, disputed=disputed, inside=bool(d == 0.0), distance_nm=round(float(d), 2),
            lat=round(at.y, 6), lon=round(at.x, 6), kind=_text(layer, row, "kind"),
        ))
    return hits


def ports_section(proposal: Proposal, layer: LayerIndex) -> list[PortHit]:
    k = layer.kinds.get("points")
    if k is None or len(k.parts) == 0:
        return []
    idx, dist = nearest(proposal, k, PORTS_NEAREST)
    return [
        PortHit(
            feature_id=_text(layer, row, "feature_id"), name=_text(layer, row, "name"),
            country=_text(layer, row, "country"), locode=_text(layer, row, "locode"),
            distance_nm=round(float(d), 2), inside=bool(d == 0.0),
            lat=round(float(pt.y), 6), lon=round(float(pt.x), 6),
        )
        for row, d, pt in zip(k.owner[idx], dist, k.parts[idx], strict=True)
    ]


def routes_section(layer: LayerIndex, measure: LayerMeasure) -> RouteSummary:
    rows = list(measure.rows.values())
    length = sum(m.length_km for m in rows)
    passages = sorted({_text(layer, m.row, "passage") for m in rows} - {""})
    return RouteSummary(segments=len(rows), length_km=round(length, 3),
                        length_nm=round(length / KM_PER_NM, 3), passages=passages)


def fao_section(layer: LayerIndex, measure: LayerMeasure) -> list[FaoHit]:
    out: dict[str, FaoHit] = {}
    for m in _sorted(measure):
        code = _text(layer, m.row, "fao_area") or _text(layer, m.row, "name")
        hit = out.setdefault(code, FaoHit(code, _text(layer, m.row, "name"), 0.0, 0.0))
        hit.area_km2 = round(hit.area_km2 + m.area_km2, 4)
        hit.share = round(min(1.0, hit.share + m.share), 6)
    return sorted(out.values(), key=lambda h: h.fao_area)


def moratorium_section(layer: LayerIndex, measure: LayerMeasure) -> list[MoratoriumHit]:
    return [
        MoratoriumHit(
            feature_id=_text(layer, m.row, "feature_id"), name=_text(layer, m.row, "name"),
            season_start=_text(layer, m.row, "season_start"), season_end=_text(layer, m.row, "season_end"),
            season_text=_text(layer, m.row, "season_text"), area_km2=round(m.area_km2, 4),
            share=round(m.share, 6), source=_text(layer, m.row, "source"),
        )
        for m in _sorted(measure)
    ]


def environment_section(layer: LayerIndex, measure: LayerMeasure) -> list[EnvironmentHit]:
    return [
        EnvironmentHit(
            layer_id=layer.spec.id, feature_id=_text(layer, m.row, "feature_id"),
            name=_text(layer, m.row, "label") or _text(layer, m.row, "name"),
            status=_text(layer, m.row, "status"), area_km2=round(m.area_km2, 4),
            share=round(m.share, 6), count=m.count, protected=layer.spec.protection,
        )
        for m in _sorted(measure)
    ]


def envelope_section(layer: LayerIndex, measure: LayerMeasure,
                     proposal: Proposal) -> list[EnvelopeCoverage]:
    """Share of the proposal at each envelope count, including 0 (no envelope)."""
    by_count: dict[int, list[float]] = {}
    for m in measure.rows.values():
        count = int(float(_text(layer, m.row, "count", "0")))
        acc = by_count.setdefault(count, [0.0, 0.0])
        acc[0] += m.area_km2
        acc[1] += m.share
    covered_share = min(1.0, sum(v[1] for v in by_count.values()))
    by_count[0] = [max(0.0, proposal.area_km2 - sum(v[0] for v in by_count.values())),
                   max(0.0, 1.0 - covered_share)]
    return [EnvelopeCoverage(c, round(v[0], 4), round(v[1], 6))
            for c, v in sorted(by_count.items())]


def agreements_section(layer: LayerIndex, measure: LayerMeasure,
                       proposal: Proposal) -> list[AgreementHit]:
    relation = "crosses" if layer.layer_kind == "line" else (
        "contains points" if proposal.kind == "points" else "overlaps")
    return [
        AgreementHit(
            layer_id=layer.spec.id,
            agreement=_text(layer, m.row, "agreement") or _text(layer, m.row, "name"),
            feature_id=_text(layer, m.row, "feature_id"), name=_text(layer, m.row, "name"),
            relation=relation, area_km2=round(m.area_km2, 4),
            length_km=round(m.length_km, 4), share=round(m.share, 6),
            source=_text(layer, m.row, "source"),
        )
        for m in _sorted(measure)
    ]


def depicted_line_section(proposal: Proposal, layer: LayerIndex) -> DepictedLine:
    frame, spec = layer.frame, layer.spec
    best: dict[int, float] = {}
    for k in layer.kinds.values():
        dist = distance_nm_to(proposal.geometry, k.parts)
        for row, d in zip(k.owner, dist, strict=True):
            best[int(row)] = min(float(d), best.get(int(row), math.inf))
    distances = list(best.values())
    accuracy = _text(layer, 0, "accuracy") if len(frame) else ""
    return DepictedLine(
        status=spec.status, source=spec.source, accuracy=accuracy, dashes=len(frame),
        dashes_crossing=int(sum(d == 0.0 for d in distances)),
        dashes_near=int(sum(0.0 < d <= DEPICTED_LINE_NEAR_NM for d in distances)),
        distance_nm=round(min(distances), 2) if distances else None,
        near_threshold_nm=DEPICTED_LINE_NEAR_NM, empty_reason=spec.empty_reason,
    )


def claims_section(proposal: Proposal, index: AnalysisIndex,
                   measures: dict[str, LayerMeasure]) -> ClaimsContext:
    claims = ClaimsContext()
    for layer in index.with_section("envelope-coverage")[:1]:
        claims.envelope_layer = True
        claims.envelope_coverage = envelope_section(layer, measures[layer.spec.id], proposal)
    for layer in index.with_section("agreements"):
        claims.agreements += agreements_section(layer, measures[layer.spec.id], proposal)
    for layer in index.with_section("depicted-line")[:1]:
        claims.depicted_line = depicted_line_section(proposal, layer)
    return claims
