"""Proposal analysis: a proposal geometry against the catalogue's layers → a `Report`.

    report = overlap_report(geometry, catalogue)   # shapely geometry or GeoJSON
    report.to_json()

The catalogue is indexed once (`AnalysisIndex.for_catalogue`, cached per catalogue object);
layers absent from the catalogue are simply not reported; a layer that fails to load is
listed in `report.skipped_layers` with the reason. Pure: no files, no database, no widgets.
"""

from __future__ import annotations

import json

import shapely

from marine.analysis.index import AnalysisIndex
from marine.analysis.measure import Proposal, measure_layer
from marine.analysis.report import (
    AgreementHit,
    ClaimsContext,
    DepictedLine,
    EnvelopeCoverage,
    EnvironmentHit,
    FaoHit,
    FeatureHit,
    LayerOverlap,
    Measures,
    MoratoriumHit,
    PlaceHit,
    PortHit,
    Report,
    RouteSummary,
)
from marine.analysis.sections import (
    claims_section,
    environment_section,
    fao_section,
    layer_overlap,
    moratorium_section,
    places_section,
    ports_section,
    routes_section,
)
from marine.analysis.validation import (
    REGION_AREA_KM2,
    ValidGeometry,
    densify_geodesic,
    validate_geometry,
)
from marine.catalogue import OWN_SECTIONS, Catalogue
from marine.geo import format_position, km2_to_nm2
from marine.neutrality import DISCLAIMER

__all__ = [
    "AgreementHit", "AnalysisIndex", "ClaimsContext", "DepictedLine", "EnvelopeCoverage",
    "EnvironmentHit", "FaoHit", "FeatureHit", "LayerOverlap", "Measures", "MoratoriumHit",
    "PlaceHit", "PortHit", "REGION_AREA_KM2", "Report", "RouteSummary", "ValidGeometry",
    "measures_of", "overlap_report", "validate_geometry",
]
KM_PER_NM = 1.852


def overlap_report(geometry, catalogue: Catalogue | AnalysisIndex,
                   max_area_km2: float | None = None) -> Report:
    """The instant overlap report of `geometry` against every analysis layer.

    Raises `GeometryError` (naming the value) for empty, out-of-range, swapped or oversized
    geometries; invalid ones are repaired and the repair is listed in `report.repairs`.
    """
    valid = validate_geometry(geometry, max_area_km2)
    index = catalogue if isinstance(catalogue, AnalysisIndex) else (
        AnalysisIndex.for_catalogue(catalogue))
    proposal = Proposal(densify_geodesic(valid.geometry), valid.kind)
    measures = {lid: measure_layer(proposal, layer) for lid, layer in index.layers.items()}
    empty = {lid: ly.spec.empty_reason or "no features" for lid, ly in index.layers.items()
             if not ly.kinds}
    report = Report(
        geometry=json.loads(shapely.to_geojson(valid.geometry)),
        measures=measures_of(proposal, valid.geometry),
        repairs=list(valid.repairs),
        skipped_layers={**index.skipped, **empty},
        analysed_layers=sorted(lid for lid, layer in index.layers.items() if layer.kinds),
        empty_layers=sorted(empty),
        disclaimer=dict(DISCLAIMER),
    )
    _fill_sections(report, proposal, index, measures)
    return report


def _fill_sections(report: Report, proposal: Proposal, index: AnalysisIndex,
                   measures: dict) -> None:
    # Which layer feeds which section is declared in the registry (`LayerSpec.section`);
    # every other layer, imported ones included, gets the generic section.
    for lid, layer in index.layers.items():
        if layer.spec.section not in OWN_SECTIONS and measures[lid].rows:
            report.layers.append(layer_overlap(layer, measures[lid], proposal))
    for layer in index.with_section("nearby-places")[:1]:
        report.places = places_section(proposal, layer)
    for layer in index.with_section("nearest-ports")[:1]:
        report.ports = ports_section(proposal, layer)
    for layer in index.with_section("routes")[:1]:
        report.routes = routes_section(layer, measures[layer.spec.id])
    for layer in index.with_section("fishing-areas")[:1]:
        report.fao_areas = fao_section(layer, measures[layer.spec.id])
    for layer in index.with_section("moratorium")[:1]:
        report.moratorium = moratorium_section(layer, measures[layer.spec.id])
    for layer in index.with_section("environment"):
        report.environment += environment_section(layer, measures[layer.spec.id])
    report.claims = claims_section(proposal, index, measures)


def measures_of(proposal: Proposal, drawn=None) -> Measures:
    """Area and length of the analysed (densified) geometry; centroid and bounds of the
    geometry as drawn (`drawn`, default the analysed one)."""
    g = drawn if drawn is not None else proposal.geometry
    c = g.centroid  # of the area, the line or the points (planar, in degrees)
    length = proposal.length_km
    return Measures(
        kind=proposal.kind,
        area_km2=round(proposal.area_km2, 4),
        area_nm2=round(km2_to_nm2(proposal.area_km2), 4),
        perimeter_km=round(length if proposal.kind == "area" else 0.0, 4),
        perimeter_nm=round(length / KM_PER_NM if proposal.kind == "area" else 0.0, 4),
        length_km=round(length if proposal.kind == "line" else 0.0, 4),
        length_nm=round(length / KM_PER_NM if proposal.kind == "line" else 0.0, 4),
        point_count=len(proposal.points),
        centroid_lon=round(c.x, 6), centroid_lat=round(c.y, 6),
        centroid_dms=format_position(c.x, c.y),
        bbox=tuple(round(v, 6) for v in g.bounds),
    )
