"""The overlap report as plain dataclasses that round-trip through JSON.

Every number is geodesic (WGS84): areas in km² and nm², lengths in km and nm. Shares are
fractions of the proposal (its area for polygons, its length for lines, its point count for
point sets). Nothing in a report attributes an area to anyone: the claims context is counts,
shares and the names of agreements in force.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from dataclasses import asdict, dataclass, field

SCHEMA_VERSION = 1


@dataclass
class Measures:
    """Size and position of the proposal itself."""

    kind: str  # "area" | "line" | "points"
    area_km2: float = 0.0
    area_nm2: float = 0.0
    perimeter_km: float = 0.0  # perimeter for areas, length for lines
    perimeter_nm: float = 0.0
    length_km: float = 0.0
    length_nm: float = 0.0
    point_count: int = 0
    centroid_lon: float = 0.0
    centroid_lat: float = 0.0
    centroid_dms: str = ""
    bbox: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # minx, miny, maxx, maxy


@dataclass
class FeatureHit:
    """One feature of a layer touched by the proposal."""

    feature_id: str
    name: str
    status: str = ""
    area_km2: float = 0.0  # overlap area (area proposals against area features)
    share: float = 0.0  # of the proposal's area / length / points
    length_km: float = 0.0  # length inside (line features, or a line proposal inside an area)
    length_nm: float = 0.0
    count: int = 0  # points inside, or crossings
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class LayerOverlap:
    """Everything one layer contributes: totals and the features touched."""

    layer_id: str
    title: str
    theme: str
    status: str
    source: str
    layer_kind: str  # "area" | "line" | "points"
    feature_count: int = 0
    area_km2: float = 0.0
    share: float = 0.0
    length_km: float = 0.0
    length_nm: float = 0.0
    count: int = 0
    features: list[FeatureHit] = field(default_factory=list)
    features_omitted: int = 0  # touched but not listed (largest first are listed)


@dataclass
class PlaceHit:
    """A gazetteer place inside or near the proposal, with every name it has."""

    place_id: str
    label: str
    names: dict[str, str]
    disputed: bool
    inside: bool
    distance_nm: float
    # Where the place is (its representative point): the report's headline says how far and
    # on what bearing the proposal's centre lies from it. Absent in reports made before.
    lat: float | None = None
    lon: float | None = None
    kind: str = ""  # island, reef, group, sea, gulf… (the gazetteer's kind)


@dataclass
class PortHit:
    feature_id: str
    name: str
    country: str
    locode: str
    distance_nm: float
    inside: bool
    lat: float | None = None
    lon: float | None = None


@dataclass
class RouteSummary:
    """Shipping route segments crossed and the route length inside the proposal."""

    segments: int = 0
    length_km: float = 0.0
    length_nm: float = 0.0
    passages: list[str] = field(default_factory=list)


@dataclass
class FaoHit:
    fao_area: str
    name: str
    area_km2: float
    share: float


@dataclass
class MoratoriumHit:
    feature_id: str
    name: str
    season_start: str
    season_end: str
    season_text: str
    area_km2: float
    share: float
    source: str


@dataclass
class EnvironmentHit:
    """A protected area, fisheries refugium or reef touched."""

    layer_id: str
    feature_id: str
    name: str
    status: str
    area_km2: float
    share: float
    count: int = 0
    protected: bool = False  # its layer gives protection in force or advised (a warning)


@dataclass
class EnvelopeCoverage:
    """Share of the proposal covered by exactly `count` indicative 200 nm envelopes."""

    count: int
    area_km2: float
    share: float


@dataclass
class AgreementHit:
    """An agreed boundary crossed or an agreed joint area overlapped, named by agreement."""

    layer_id: str
    agreement: str
    feature_id: str
    name: str
    relation: str  # "crosses" | "overlaps" | "contains points"
    area_km2: float = 0.0
    length_km: float = 0.0
    share: float = 0.0
    source: str = ""


@dataclass
class DepictedLine:
    """Where the depicted dashed line runs relative to the proposal (never a polygon)."""

    status: str
    source: str
    accuracy: str
    dashes: int  # dashes in the layer
    dashes_crossing: int
    dashes_near: int
    distance_nm: float | None  # to the nearest dash; None when the layer has no dashes
    near_threshold_nm: float
    empty_reason: str = ""

    @property
    def crosses(self) -> bool:
        return self.dashes_crossing > 0

    @property
    def near(self) -> bool:
        return self.dashes_near > 0


@dataclass
class ClaimsContext:
    envelope_coverage: list[EnvelopeCoverage] = field(default_factory=list)
    envelope_layer: bool = False  # whether the catalogue had envelope-overlap
    agreements: list[AgreementHit] = field(default_factory=list)
    depicted_line: DepictedLine | None = None

    @property
    def max_envelope_count(self) -> int:
        counts = [c.count for c in self.envelope_coverage if c.share > 0]
        return max(counts, default=0)


@dataclass
class Report:
    """The instant overlap report for one proposal geometry."""

    geometry: dict  # GeoJSON of the analysed (validated, repaired) geometry
    measures: Measures
    layers: list[LayerOverlap] = field(default_factory=list)
    places: list[PlaceHit] = field(default_factory=list)
    routes: RouteSummary | None = None
    ports: list[PortHit] = field(default_factory=list)
    fao_areas: list[FaoHit] = field(default_factory=list)
    moratorium: list[MoratoriumHit] = field(default_factory=list)
    environment: list[EnvironmentHit] = field(default_factory=list)
    claims: ClaimsContext = field(default_factory=ClaimsContext)
    repairs: list[str] = field(default_factory=list)
    skipped_layers: dict[str, str] = field(default_factory=dict)  # layer id → why
    # Of the skipped layers, those that ship no geometry (the rest failed to load).
    empty_layers: list[str] = field(default_factory=list)
    analysed_layers: list[str] = field(default_factory=list)
    # Every report and export carries the one without-prejudice text (see marine.neutrality).
    disclaimer_ref: str = "marine.neutrality.DISCLAIMER"
    disclaimer: dict[str, str] = field(default_factory=dict)  # language → text
    schema_version: int = SCHEMA_VERSION

    def layer(self, layer_id: str) -> LayerOverlap | None:
        return next((lo for lo in self.layers if lo.layer_id == layer_id), None)

    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self, **kwargs) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)

    @classmethod
    def from_dict(cls, data: dict) -> Report:
        return _decode(cls, data)

    @classmethod
    def from_json(cls, text: str) -> Report:
        data = json.loads(text)
        version = data.get("schema_version")
        if version != SCHEMA_VERSION:
            raise ValueError(
                f"report schema_version was {version!r} but this code reads {SCHEMA_VERSION}; "
                "re-run the overlap report"
            )
        return cls.from_dict(data)


# --------------------------------------------------------------------------- decoding
def _decode(tp, value):
    """Rebuild typed values (dataclasses, lists, dicts, tuples, optionals) from JSON data."""
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        names = {f.name for f in dataclasses.fields(tp) if f.init}
        return tp(**{k: _decode(hints[k], v) for k, v in value.items() if k in names})
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return _decode(inner[0], value) if len(inner) == 1 else value
    if origin is list:
        (item,) = typing.get_args(tp)
        return [_decode(item, v) for v in value]
    if origin is tuple:
        args = typing.get_args(tp)
        return tuple(_decode(args[0], v) for v in value)
    if origin is dict:
        _, item = typing.get_args(tp)
        return {k: _decode(item, v) for k, v in value.items()}
    return value
