"""Comparing two versions of a proposal (or two proposals) for the redline view: what area
was added and removed, the words of a text added and removed, and how the overlap figures
changed layer by layer."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

import shapely
from shapely.geometry.base import BaseGeometry

from marine.analysis.report import Report
from marine.analysis.validation import as_geometry
from marine.geo import geodesic_area_km2, geodesic_length_km, geometry_kind, km2_to_nm2


@dataclass
class GeometryDiff:
    added_km2: float  # in b, not in a
    removed_km2: float  # in a, not in b
    kept_km2: float  # in both
    added: dict  # GeoJSON of the added part (may be empty)
    removed: dict
    length_change_km: float = 0.0  # for lines: b's length minus a's

    @property
    def net_km2(self) -> float:
        return self.added_km2 - self.removed_km2

    @property
    def added_nm2(self) -> float:
        return km2_to_nm2(self.added_km2)

    @property
    def removed_nm2(self) -> float:
        return km2_to_nm2(self.removed_km2)


@dataclass
class FigureChange:
    section: str  # "measures", a layer id, "fao:<code>", "envelopes:<count>"...
    figure: str  # "area_km2", "share", "length_km", "count", "feature_count"
    before: float
    after: float

    @property
    def change(self) -> float:
        return self.after - self.before


@dataclass
class Comparison:
    changes: list[FigureChange] = field(default_factory=list)
    layers_added: list[str] = field(default_factory=list)  # touched by b only
    layers_removed: list[str] = field(default_factory=list)  # touched by a only
    places_added: list[str] = field(default_factory=list)  # labels
    places_removed: list[str] = field(default_factory=list)
    agreements_added: list[str] = field(default_factory=list)
    agreements_removed: list[str] = field(default_factory=list)


def geometry_diff(a, b) -> GeometryDiff:
    """Area added and removed going from geometry `a` to `b` (geodesic km²)."""
    ga, gb = _geom(a), _geom(b)
    added = shapely.difference(gb, ga)
    removed = shapely.difference(ga, gb)
    kept = shapely.intersection(ga, gb)
    return GeometryDiff(
        added_km2=round(geodesic_area_km2(added), 4),
        removed_km2=round(geodesic_area_km2(removed), 4),
        kept_km2=round(geodesic_area_km2(kept), 4),
        added=shapely.geometry.mapping(added),
        removed=shapely.geometry.mapping(removed),
        length_change_km=round(_line_length(gb) - _line_length(ga), 4),
    )


def _geom(value) -> BaseGeometry:
    if isinstance(value, Report):
        return as_geometry(value.geometry)
    return as_geometry(value)


def _line_length(g: BaseGeometry) -> float:
    return geodesic_length_km(g) if geometry_kind(g) == "line" else 0.0


def compare(report_a: Report, report_b: Report, tolerance: float = 1e-6) -> Comparison:
    """Every figure that differs between two reports, and what entered or left them."""
    out = Comparison()
    for figure in ("area_km2", "perimeter_km", "length_km", "point_count"):
        _change(out, "measures", figure, getattr(report_a.measures, figure),
                getattr(report_b.measures, figure), tolerance)
    layers_a = {lo.layer_id: lo for lo in report_a.layers}
    layers_b = {lo.layer_id: lo for lo in report_b.layers}
    out.layers_added = sorted(set(layers_b) - set(layers_a))
    out.layers_removed = sorted(set(layers_a) - set(layers_b))
    for lid in sorted(set(layers_a) | set(layers_b)):
        la, lb = layers_a.get(lid), layers_b.get(lid)
        for figure in ("area_km2", "share", "length_km", "count", "feature_count"):
            _change(out, lid, figure, getattr(la, figure, 0.0), getattr(lb, figure, 0.0),
                    tolerance)
    envelopes_a = {c.count: c.share for c in report_a.claims.envelope_coverage}
    envelopes_b = {c.count: c.share for c in report_b.claims.envelope_coverage}
    for count in sorted(set(envelopes_a) | set(envelopes_b)):
        _change(out, f"envelopes:{count}", "share", envelopes_a.get(count, 0.0),
                envelopes_b.get(count, 0.0), tolerance)
    places_a = {p.label for p in report_a.places if p.inside}
    places_b = {p.label for p in report_b.places if p.inside}
    out.places_added, out.places_removed = sorted(places_b - places_a), sorted(places_a - places_b)
    agr_a = {h.agreement for h in report_a.claims.agreements}
    agr_b = {h.agreement for h in report_b.claims.agreements}
    out.agreements_added, out.agreements_removed = sorted(agr_b - agr_a), sorted(agr_a - agr_b)
    return out


def _change(out: Comparison, section: str, figure: str, before, after, tolerance: float) -> None:
    before, after = float(before or 0.0), float(after or 0.0)
    if abs(after - before) > tolerance:
        out.changes.append(FigureChange(section, figure, before, after))


# --------------------------------------------------------------------------- text
_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|\w+|\s+|[^\w\s]", re.UNICODE)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


# Word-by-word comparison costs up to (tokens)²: beyond this many tokens, texts are first
# compared line by line and only changed blocks this small are compared word by word (a
# 1 MB text otherwise kept the Proposals page busy for minutes).
MAX_WORD_TOKENS = 5000


def redline(before: str, after: str) -> list[tuple[str, str]]:
    """[(op, text)] with op "same", "removed" or "added", in reading order."""
    if len(tokens(before)) + len(tokens(after)) <= MAX_WORD_TOKENS:
        return _word_redline(before, after)
    a, b = (before or "").splitlines(keepends=True), (after or "").splitlines(keepends=True)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b).get_opcodes():
        old, new = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            out.append(("same", old))
        elif len(tokens(old)) + len(tokens(new)) <= MAX_WORD_TOKENS:
            out += _word_redline(old, new)
        else:  # a long changed block is shown whole: removed, then added
            out += [(kind, text) for kind, text in (("removed", old), ("added", new)) if text]
    return out


def _word_redline(before: str, after: str) -> list[tuple[str, str]]:
    a, b = tokens(before), tokens(after)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("same", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(("removed", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(("added", "".join(b[j1:j2])))
    return out


