"""The overlap report against the real catalogue (`layers.default_catalogue()`): whatever
layers exist today are analysed, the known answers hold, and the neutrality rules hold on
real data. Slow: the first run builds GSHHS land and the index."""

from __future__ import annotations

import json

import pytest
import shapely
from shapely.geometry import LineString, MultiPoint, box

from marine.analysis import overlap_report
from marine.geo import distance_nm
from marine.neutrality import lint_text

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def catalogue():
    layers = pytest.importorskip("layers")
    return layers.default_catalogue()


def test_known_area_and_every_analysis_layer_considered(catalogue):
    report = overlap_report(box(114, 15, 115, 16), catalogue)
    assert report.measures.area_km2 == pytest.approx(11872.8, abs=0.05)
    analysed = set(report.analysed_layers) | set(report.skipped_layers)
    expected = {s.id for s in catalogue.analysis_layers()} - {"envelopes-200nm"}
    assert analysed == expected


def test_spratly_box_finds_islands_with_all_their_names(catalogue):
    report = overlap_report(box(114.2, 10.3, 114.5, 10.5), catalogue)
    land = report.layer("land")
    assert land is not None and 0 < land.area_km2 < 5  # Itu Aba and reefs nearby: tiny land
    if "places" in report.analysed_layers:
        itu = next(p for p in report.places if p.place_id == "itu-aba")
        assert itu.inside and itu.disputed
        assert {"en", "zh", "vi", "fil"} <= set(itu.names)
        assert all(name in itu.label for lang, name in itu.names.items()
                   if lang in ("en", "zh", "vi", "fil"))


def test_nearest_port_distance_is_geodesic(catalogue):
    report = overlap_report(box(113.5, 9.5, 115, 11), catalogue)
    assert report.ports, "ports layer missing"
    first = report.ports[0]
    ports = catalogue.load("ports").set_index("feature_id")
    pt = ports.loc[first.feature_id].geometry
    corner = shapely.ops.nearest_points(box(113.5, 9.5, 115, 11), pt)[0]
    assert first.distance_nm == pytest.approx(distance_nm(corner.x, corner.y, pt.x, pt.y),
                                              rel=0.01)
    assert [p.distance_nm for p in report.ports] == sorted(p.distance_nm for p in report.ports)


def test_claims_context_is_counts_and_agreements_only(catalogue):
    report = overlap_report(box(112, 8, 116, 12), catalogue)
    text = report.to_json()
    if report.claims.envelope_layer:
        shares = [c.share for c in report.claims.envelope_coverage]
        assert sum(shares) == pytest.approx(1.0, abs=1e-3)
    parties = set(catalogue.load("envelopes-200nm")["party"]) if (
        "envelopes-200nm" in catalogue.specs) else set()
    coverage_json = json.dumps(report.to_dict()["claims"]["envelope_coverage"],
                               ensure_ascii=False)
    assert parties  # the envelopes layer names its parties; the coverage must not
    for party in parties:
        assert party not in coverage_json
    for hit in report.claims.agreements:
        assert hit.agreement and hit.relation in ("crosses", "overlaps", "contains points")
    assert "envelopes-200nm" not in text


def test_every_kind_of_proposal_runs(catalogue):
    line = overlap_report(LineString([(105, 5), (120, 20)]), catalogue)
    assert line.measures.kind == "line" and line.measures.length_km > 2000
    assert line.routes is None or line.routes.segments > 0
    pts = overlap_report(MultiPoint([(114.36, 10.38), (112.34, 16.83)]), catalogue)
    assert pts.measures.point_count == 2
    basin = overlap_report(box(109, 10, 115, 16), catalogue)
    assert basin.layer("land").area_km2 > 1000  # reaches the mainland coast near 109°E


def test_report_titles_and_labels_pass_the_wording_check(catalogue):
    report = overlap_report(box(111, 8, 117, 17), catalogue)
    texts = [lo.title for lo in report.layers] + [p.label for p in report.places]
    for text in texts:
        findings = [f for f in lint_text(text, "en") if f.severity == "warning"]
        assert findings == [], text
