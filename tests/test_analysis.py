"""The overlap report on a small fixture catalogue (tests/data/analysis/fixture_layers.geojson):
every layer family, known answers, invariance, additivity, JSON round trip."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, MultiPoint, Point, box

from marine.analysis import AnalysisIndex, Report, overlap_report
from marine.analysis.validation import densify_geodesic
from marine.catalogue import Catalogue, LayerSpec, Style
from marine.compare import compare
from marine.geo import KM2_PER_NM2, distance_nm, geodesic_area_km2, geodesic_length_km
from marine.neutrality import DISCLAIMER
from tests.registry_roles import registry_roles

DATA = Path(__file__).parent / "data" / "analysis"
FIXTURE_LAYERS = {  # id → (theme, status)
    "land": ("base", "scientific"),
    "shipping-routes": ("shipping", "scientific"),
    "ports": ("shipping", "scientific"),
    "places": ("gazetteer", "scientific"),
    "fao-areas": ("fisheries", "scientific"),
    "fishing-moratorium": ("fisheries", "official-unilateral"),
    "protected-areas": ("environment", "official-unilateral"),
    "fisheries-refugia": ("fisheries", "scientific"),
    "reefs": ("environment", "scientific"),
    "envelopes-200nm": ("claims", "computed-indicative"),
    "envelope-overlap": ("claims", "computed-indicative"),
    "agreed-boundaries": ("claims", "agreed"),
    "joint-areas": ("claims", "agreed"),
    "u-shaped-line": ("claims", "depicted-approximate"),
}


def expected_overlap_km2(proposal, feature) -> float:
    """Independent of the index: the proposal's edges are geodesics, a layer's edges are
    straight in lon/lat (both densified as the analysis does), then intersect and measure."""
    piece = shapely.intersection(densify_geodesic(proposal), shapely.segmentize(feature, 0.05))
    return geodesic_area_km2(piece)


def close(expected: float):
    return pytest.approx(expected, rel=1e-6, abs=2e-4)  # reports round to 4 decimals


def fixture_frame(layer_id: str) -> gpd.GeoDataFrame:
    gdf = gpd.read_file(DATA / "fixture_layers.geojson")
    sub = gdf[gdf["layer"] == layer_id].drop(columns="layer").dropna(axis=1, how="all")
    return sub.assign(source="test fixture (tests/data/analysis/README.md)",
                      status=FIXTURE_LAYERS[layer_id][1], accuracy="exact (synthetic)")


def spec(layer_id: str, loader=None, **kwargs) -> LayerSpec:
    theme, status = FIXTURE_LAYERS[layer_id]
    frame = fixture_frame(layer_id) if loader is None else None
    return LayerSpec(id=layer_id, title=f"{layer_id} (fixture)", theme=theme,
                     loader=loader or (lambda: frame.copy()), style=Style(),
                     source="test fixture", status=status, licence="test",
                     **{**registry_roles(layer_id), **kwargs})


def fixture_catalogue(only=None) -> Catalogue:
    return Catalogue([spec(lid) for lid in FIXTURE_LAYERS if only is None or lid in only])


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return fixture_catalogue()


# --------------------------------------------------------------------------- measures
def test_known_area_of_one_degree_box_at_15n(catalogue):
    report = overlap_report(box(114, 15, 115, 16), catalogue)
    m = report.measures
    assert m.kind == "area"
    assert m.area_km2 == pytest.approx(11872.8, abs=0.05)
    assert m.area_nm2 == pytest.approx(m.area_km2 / KM2_PER_NM2, rel=1e-6)
    assert m.perimeter_km == pytest.approx(2 * 111.0 + 2 * 107.3, rel=0.01)
    assert (m.centroid_lon, m.centroid_lat) == pytest.approx((114.5, 15.5), abs=1e-4)
    assert m.centroid_dms == "15°30′00.0″N 114°30′00.0″E"
    assert m.bbox == (114.0, 15.0, 115.0, 16.0)


def _rotated(poly, k: int, reverse: bool):
    ring = list(poly.exterior.coords)[:-1]
    ring = ring[k:] + ring[:k]
    if reverse:
        ring = ring[::-1]
    return shapely.Polygon(ring)


@pytest.mark.parametrize("k", [0, 1, 3])
@pytest.mark.parametrize("reverse", [False, True])
def test_report_invariant_to_ring_orientation_and_start_vertex(catalogue, k, reverse):
    base = shapely.Polygon([(112, 9), (114.5, 8.5), (115.5, 12.5), (113.5, 15.5), (111, 12)])
    a = overlap_report(base, catalogue)
    b = overlap_report(_rotated(base, k, reverse), catalogue)
    assert compare(a, b).changes == []
    assert a.measures.area_km2 == pytest.approx(b.measures.area_km2, rel=1e-12)


@settings(max_examples=25, deadline=None)
@given(
    x0=st.floats(110, 116), y0=st.floats(7, 15), w=st.floats(0.2, 4), h=st.floats(0.2, 4),
    cut=st.floats(0.05, 0.95), vertical=st.booleans(),
)
def test_split_polygons_add_up(catalogue, x0, y0, w, h, cut, vertical):
    # Edges are geodesics, so the whole carries the cut's end vertices too: a vertex added
    # on a parallel changes the shape, one on an existing geodesic edge does not.
    x1, y1 = x0 + w, y0 + h
    if vertical:
        xc = x0 + cut * w
        whole = shapely.Polygon([(x0, y0), (xc, y0), (x1, y0), (x1, y1), (xc, y1), (x0, y1)])
        parts = [box(x0, y0, xc, y1), box(xc, y0, x1, y1)]
    else:
        yc = y0 + cut * h
        whole = shapely.Polygon([(x0, y0), (x1, y0), (x1, yc), (x1, y1), (x0, y1), (x0, yc)])
        parts = [box(x0, y0, x1, yc), box(x0, yc, x1, y1)]
    rw, ra, rb = (overlap_report(g, catalogue) for g in (whole, *parts))
    assert ra.measures.area_km2 + rb.measures.area_km2 == pytest.approx(
        rw.measures.area_km2, rel=1e-7, abs=2e-4)
    # Overlaps are cut in lon/lat and measured geodesically: a layer edge crossing the cut
    # gains a vertex in the parts only, which moves it by metres (≤ 0.05% of the area).
    for lid in ("envelope-overlap", "fao-areas", "fishing-moratorium", "land"):
        sums = [sum(h.area_km2 for h in _hits(r, lid)) for r in (ra, rb)]
        assert sum(sums) == pytest.approx(sum(h.area_km2 for h in _hits(rw, lid)),
                                          rel=5e-4, abs=1e-3)


def _hits(report: Report, layer_id: str):
    if layer_id == "envelope-overlap":
        return [c for c in report.claims.envelope_coverage if c.count > 0]
    if layer_id == "fao-areas":
        return report.fao_areas
    if layer_id == "fishing-moratorium":
        return report.moratorium
    layer = report.layer(layer_id)
    return layer.features if layer else []


# --------------------------------------------------------------------------- families
def test_polygon_layer_overlap_area_and_share(catalogue):
    proposal = box(113.9, 9.9, 114.05, 10.2)
    report = overlap_report(proposal, catalogue)
    land = report.layer("land")
    expected = expected_overlap_km2(proposal, box(114.0, 10.0, 114.1, 10.1))
    assert land.feature_count == 1 and land.features[0].feature_id == "isle-a"
    assert land.area_km2 == close(expected)
    assert land.area_km2 == pytest.approx(geodesic_area_km2(box(114, 10, 114.05, 10.1)), rel=1e-5)
    assert land.share == pytest.approx(expected / geodesic_area_km2(proposal), rel=1e-5)


def test_line_layer_length_inside(catalogue):
    proposal = box(114, 9, 116, 12)
    report = overlap_report(proposal, catalogue)
    inside = LineString([(113, 9), (117, 12)]).intersection(proposal)
    assert report.routes.segments == 1
    assert report.routes.length_km == pytest.approx(geodesic_length_km(inside), rel=1e-4)
    assert report.routes.length_nm == pytest.approx(report.routes.length_km / 1.852, rel=1e-4)
    assert report.routes.passages == ["fixture"]


def test_point_layer_count_names_and_nearest_ports(catalogue):
    report = overlap_report(box(113.5, 9.5, 114.5, 10.5), catalogue)
    ports = report.layer("ports")
    assert ports.count == 1 and [f.name for f in ports.features] == ["Port A"]
    nearest = report.ports
    assert nearest[0].name == "Port A" and nearest[0].inside and nearest[0].distance_nm == 0
    assert nearest[1].name == "Port B"
    assert [p.distance_nm for p in nearest] == sorted(p.distance_nm for p in nearest)


def test_nearest_port_distance_is_geodesic(catalogue):
    report = overlap_report(Point(115.0, 11.0), catalogue)
    assert report.ports[0].name == "Port B"
    assert report.ports[0].distance_nm == pytest.approx(distance_nm(115, 11, 116, 11), abs=0.01)


def test_places_carry_every_name(catalogue):
    report = overlap_report(box(114.2, 10.2, 114.5, 10.5), catalogue)
    (place,) = [p for p in report.places if p.place_id == "itu-aba"]
    assert place.inside and place.disputed
    assert place.names == {"en": "Itu Aba", "zh": "太平岛", "vi": "Ba Bình", "fil": "Ligaw"}
    assert place.label == "Itu Aba / 太平岛 Taiping Dao / Ba Bình / Ligaw"


def test_place_near_but_outside_has_distance(catalogue):
    report = overlap_report(box(117.9, 15.0, 118.2, 15.3), catalogue)
    (place,) = report.places
    assert place.place_id == "scarborough-shoal" and not place.inside
    assert place.distance_nm == pytest.approx(distance_nm(117.76, 15.15, 117.9, 15.15), rel=1e-3)


def test_fao_areas_split_by_share(catalogue):
    report = overlap_report(box(114, 14, 115, 16), catalogue)
    shares = {h.fao_area: h.share for h in report.fao_areas}
    assert set(shares) == {"61", "71"}
    assert sum(shares.values()) == pytest.approx(1.0, abs=1e-6)
    proposal = box(114, 14, 115, 16)
    assert shares["61"] == pytest.approx(expected_overlap_km2(proposal, box(105, 15, 120, 25))
                                         / geodesic_area_km2(proposal), abs=1e-6)
    assert shares["61"] == pytest.approx(0.5, abs=5e-3)


def test_moratorium_overlap_with_its_season(catalogue):
    report = overlap_report(box(117, 11, 119, 13), catalogue)
    (hit,) = report.moratorium
    assert hit.season_text == "1 May 12:00 to 16 August 12:00"
    assert (hit.season_start, hit.season_end) == ("05-01", "08-16")
    assert hit.area_km2 == close(expected_overlap_km2(box(117, 11, 119, 13),
                                                       box(105, 12, 118, 23)))


def test_environment_layers_touched(catalogue):
    report = overlap_report(box(113.95, 9.95, 114.2, 10.2), catalogue)
    assert {(h.layer_id, h.feature_id) for h in report.environment} == {("reefs", "reef-1")}
    report = overlap_report(box(119.7, 8.8, 120.0, 9.1), catalogue)
    assert [h.name for h in report.environment] == ["Protected area (fixture)"]
    assert report.environment[0].share == pytest.approx(
        geodesic_area_km2(box(119.8, 8.9, 119.95, 9.0)) / geodesic_area_km2(
            box(119.7, 8.8, 120.0, 9.1)), rel=1e-5)


# --------------------------------------------------------------------------- claims
def test_envelope_count_shares_and_no_party_named(catalogue):
    report = overlap_report(box(112, 9, 114, 10), catalogue)
    cov = {c.count: c.share for c in report.claims.envelope_coverage}
    assert cov[1] == pytest.approx(0.5, abs=1e-3) and cov[2] == pytest.approx(0.5, abs=1e-3)
    assert cov[0] == pytest.approx(0.0, abs=1e-6)
    assert report.claims.max_envelope_count == 2
    text = report.to_json()
    assert "Party Alpha" not in text and "Party Beta" not in text
    assert report.layer("envelopes-200nm") is None and report.layer("envelope-overlap") is None


def test_area_outside_every_envelope_counts_zero(catalogue):
    report = overlap_report(box(108, 9, 112, 10), catalogue)
    cov = {c.count: c.share for c in report.claims.envelope_coverage}
    assert cov[0] == pytest.approx(0.5, abs=1e-3) and cov[1] == pytest.approx(0.5, abs=1e-3)
    assert sum(cov.values()) == pytest.approx(1.0, abs=1e-9)


def test_agreements_named_by_agreement(catalogue):
    report = overlap_report(box(107.5, 19.5, 108.5, 20.5), catalogue)
    (hit,) = report.claims.agreements
    assert hit.agreement == "Fixture Boundary Agreement 2000" and hit.relation == "crosses"
    # The box's top and bottom are geodesics, bowing a few metres north of 19.5/20.5°N.
    assert hit.length_km == pytest.approx(geodesic_length_km(LineString([(108, 19.5),
                                                                          (108, 20.5)])), rel=1e-4)
    report = overlap_report(box(103.5, 6.5, 104.5, 7.5), catalogue)
    (hit,) = report.claims.agreements
    assert hit.relation == "overlaps" and hit.share == pytest.approx(0.25, abs=0.01)


def test_depicted_line_crossing_near_and_far(catalogue):
    crossing = overlap_report(box(111.5, 12.2, 112.5, 12.8), catalogue).claims.depicted_line
    assert crossing.crosses and crossing.dashes_crossing == 1 and crossing.distance_nm == 0
    assert crossing.status == "depicted-approximate" and crossing.dashes == 2
    near = overlap_report(box(118.2, 16.2, 118.5, 16.5), catalogue).claims.depicted_line
    assert not near.crosses and near.near
    assert near.distance_nm == pytest.approx(distance_nm(118, 16.35, 118.2, 16.35), rel=0.01)
    far = overlap_report(box(104, 20, 105, 21), catalogue).claims.depicted_line
    assert not far.crosses and not far.near and far.distance_nm > 300


def test_empty_depicted_line_layer_reports_its_reason():
    reason = "no coordinates were published (fixture)"
    empty = LayerSpec(id="u-shaped-line", title="dashes", theme="claims",
                      loader=lambda: fixture_frame("u-shaped-line").iloc[0:0],
                      style=Style(), source="fixture", status="depicted-approximate",
                      licence="test", empty_reason=reason, **registry_roles("u-shaped-line"))
    report = overlap_report(box(111, 12, 113, 13), Catalogue([empty]))
    line = report.claims.depicted_line
    assert line.dashes == 0 and line.distance_nm is None and line.empty_reason == reason
    assert report.skipped_layers == {"u-shaped-line": reason}


# --------------------------------------------------------------------------- kinds
def test_line_proposal_lengths_and_crossings(catalogue):
    line = LineString([(107, 20), (109, 20)])
    report = overlap_report(line, catalogue)
    assert report.measures.kind == "line"
    assert report.measures.length_km == close(geodesic_length_km(line))
    (agreement,) = report.claims.agreements
    assert agreement.relation == "crosses"
    assert report.layer("agreed-boundaries").count == 1
    fao = {h.fao_area: h.share for h in report.fao_areas}
    assert fao == {"61": pytest.approx(1.0)}


def test_points_proposal_counts_points_inside(catalogue):
    pts = MultiPoint([(114.05, 10.05), (114.55, 10.55), (112.0, 2.0)])
    report = overlap_report(pts, catalogue)
    assert report.measures.point_count == 3
    land = report.layer("land")
    assert land.count == 2 and land.share == pytest.approx(2 / 3)
    assert {h.fao_area: h.share for h in report.fao_areas} == {"71": pytest.approx(1.0)}


# --------------------------------------------------------------------------- index
def test_tiling_large_polygons_does_not_change_the_overlap(monkeypatch):
    coast = shapely.segmentize(box(100, 10, 103.5, 13.5), 0.005)  # ~2,800 vertices
    frame = gpd.GeoDataFrame(
        {"feature_id": ["coast"], "name": ["land"], "source": ["fixture"],
         "status": ["scientific"], "accuracy": ["exact"]}, geometry=[coast], crs="EPSG:4326")
    proposal = shapely.Polygon([(99.5, 11.2), (102.7, 9.6), (104, 12.9), (101.3, 14)])
    tiled_cat = Catalogue([spec("land", loader=lambda: frame.copy())])
    index = AnalysisIndex.for_catalogue(tiled_cat)
    assert len(index.layers["land"].kinds["area"].parts) > 1  # cut on the 1° grid
    assert AnalysisIndex.for_catalogue(tiled_cat) is index  # built once per catalogue
    AnalysisIndex.forget(tiled_cat)
    assert AnalysisIndex.for_catalogue(tiled_cat) is not index
    tiled = overlap_report(proposal, tiled_cat).layer("land")
    monkeypatch.setattr("marine.analysis.index.TILE_MIN_VERTICES", 10**9)
    whole_cat = Catalogue([spec("land", loader=lambda: frame.copy())])
    assert len(AnalysisIndex.for_catalogue(whole_cat).layers["land"].kinds["area"].parts) == 1
    whole = overlap_report(proposal, whole_cat).layer("land")
    assert tiled.feature_count == whole.feature_count == 1
    assert tiled.area_km2 == pytest.approx(whole.area_km2, rel=1e-6)
    assert tiled.area_km2 == pytest.approx(expected_overlap_km2(proposal, coast), rel=1e-6)


def test_a_layer_that_fails_to_load_is_listed_not_fatal():
    def broken():
        raise OSError("disk unreadable")

    cat = Catalogue([spec("fao-areas"), spec("ports", loader=broken)])
    report = overlap_report(box(114, 14, 115, 16), cat)
    assert "ports" in report.skipped_layers and "disk unreadable" in report.skipped_layers["ports"]
    assert {h.fao_area for h in report.fao_areas} == {"61", "71"}
    assert report.ports == []


def test_absent_layers_are_not_reported():
    report = overlap_report(box(114, 14, 115, 16), fixture_catalogue(only={"fao-areas"}))
    assert report.routes is None and report.places == [] and report.claims.depicted_line is None
    assert report.analysed_layers == ["fao-areas"]


# --------------------------------------------------------------------------- JSON
def test_json_round_trip_and_disclaimer(catalogue):
    report = overlap_report(box(112, 9, 115, 12), catalogue)
    text = report.to_json()
    again = Report.from_json(text)
    assert again == report
    assert again.to_json() == text
    assert again.disclaimer == dict(DISCLAIMER)
    assert again.disclaimer_ref == "marine.neutrality.DISCLAIMER"
    assert json.loads(text)["geometry"]["type"] == "Polygon"


def test_from_json_rejects_another_schema(catalogue):
    data = overlap_report(box(112, 9, 113, 10), catalogue).to_dict()
    data["schema_version"] = 99
    with pytest.raises(ValueError, match="schema_version was 99"):
        Report.from_json(json.dumps(data))


# --------------------------------------------------------------------------- many sessions
def test_sessions_asking_at_once_load_each_layer_and_build_the_index_once():
    """Twenty sessions opening a report just after a restart: each layer loads once and the
    index is built once; the others wait for it (they used to build it side by side, twenty
    times the work, and the load test timed out)."""
    import threading
    import time

    calls: dict[str, int] = {}
    lock = threading.Lock()

    def counted(layer_id):
        frame = fixture_frame(layer_id)

        def load():
            with lock:
                calls[layer_id] = calls.get(layer_id, 0) + 1
            time.sleep(0.05)  # long enough for every thread to arrive while it loads
            return frame.copy()
        return load

    cat = Catalogue([spec(lid, loader=counted(lid)) for lid in FIXTURE_LAYERS])
    start = threading.Barrier(20)
    indexes = []

    def session():
        start.wait()
        indexes.append(AnalysisIndex.for_catalogue(cat))

    threads = [threading.Thread(target=session) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(indexes) == 20 and all(index is indexes[0] for index in indexes)
    assert calls == {s.id: 1 for s in cat.analysis_layers() if s.measured}
