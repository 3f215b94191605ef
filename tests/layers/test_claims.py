"""Claims and boundaries: the layers load, keep the conventions, and say what the documents say."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import shapely
from shapely.geometry import box

import layers
from layers import claims
from marine.analysis import overlap_report
from marine.catalogue import layer_problems
from marine.errors import LayerError
from marine.geo import GEOD, distance_nm, geodesic_area_km2, parse_coordinate

CLAIMS_LAYERS = ("baselines", "basepoints", "agreed-boundaries", "joint-areas", "u-shaped-line")


@pytest.fixture(scope="module")
def catalogue():
    return layers.default_catalogue()


def _row(gdf, feature_id):
    rows = gdf[gdf["feature_id"] == feature_id]
    assert len(rows) == 1, f"expected one feature '{feature_id}', got {len(rows)}"
    return rows.iloc[0]


@pytest.mark.parametrize("layer_id", CLAIMS_LAYERS)
def test_layer_loads_through_catalogue_and_keeps_conventions(catalogue, layer_id):
    spec = catalogue.spec(layer_id)
    gdf = catalogue.load(layer_id)
    assert spec.theme == "claims"
    assert layer_problems(spec, gdf) == []
    assert gdf.crs.to_string() == "EPSG:4326"
    if len(gdf):
        assert set(gdf["status"]) == {spec.status}
    else:
        assert spec.empty_reason.strip()


def test_statuses_match_the_kind_of_source(catalogue):
    assert catalogue.spec("baselines").status == "official-unilateral"
    assert catalogue.spec("agreed-boundaries").status == "agreed"
    assert catalogue.spec("u-shaped-line").status == "depicted-approximate"
    # unilateral lines are dashed, agreed ones solid, the depicted line dotted
    assert catalogue.spec("baselines").style.dash_array
    assert catalogue.spec("agreed-boundaries").style.dash_array is None
    assert catalogue.spec("u-shaped-line").style.dash_array.startswith("1 ")


@pytest.mark.parametrize(
    ("feature_id", "lat", "lon"),
    [
        ("cn-1996-paracel-1", 16.675, 112 + 44.2 / 60),  # Dongdao (1): 16°40.5′N 112°44.2′E
        ("cn-2024-beibu-north-1", 19 + 21.1 / 60, 108 + 38.6 / 60),
        ("vn-1982-A2", 8 + 22.8 / 60, 104 + 52.4 / 60),
        ("vn-2025-tonkin-A20", 21 + 1 / 60 + 25.9 / 3600, 107 + 51 / 60 + 46.5 / 3600),
        ("ph-ra9522-1", 21 + 6 / 60 + 57.73 / 3600, 121 + 57 / 60 + 27.71 / 3600),
    ],
)
def test_known_basepoints_parse_to_published_values(catalogue, feature_id, lat, lon):
    point = _row(catalogue.load("basepoints"), feature_id).geometry
    assert point.y == pytest.approx(lat, abs=1e-9)
    assert point.x == pytest.approx(lon, abs=1e-9)


def test_paracel_point_1_is_16_675N_112_7367E(catalogue):
    point = _row(catalogue.load("basepoints"), "cn-1996-paracel-1").geometry
    assert (round(point.y, 4), round(point.x, 4)) == (16.675, 112.7367)


def test_basepoints_keep_the_text_as_printed_and_all_names(catalogue):
    row = _row(catalogue.load("basepoints"), "cn-1996-paracel-8")
    assert (row["lat_text"], row["lon_text"]) == ("15°46.5′N", "111°12.6′E")
    assert row["name_in_instrument"] == "Zhongjiandao (1)"
    assert "Triton Island" in row["name"] and "Đảo Tri Tôn" in row["name"]


def test_baselines_are_lines_through_their_basepoints_in_order(catalogue):
    baselines = catalogue.load("baselines")
    points = catalogue.load("basepoints")
    assert set(baselines.geom_type) == {"LineString"}
    for _, line in baselines.iterrows():
        own = points[points["baseline_id"] == line["feature_id"]].sort_values("seq")
        assert list(line.geometry.coords) == [(p.x, p.y) for p in own.geometry]
        assert line["point_labels"].split() == list(own["point_label"])
        assert line["points_typed"] == len(own)


def test_partial_baselines_say_what_is_missing_and_stay_open(catalogue):
    baselines = catalogue.load("baselines")
    paracel = _row(baselines, "cn-1996-paracel")
    assert paracel["completeness"] == "partial"
    assert (paracel["points_typed"], paracel["points_total"]) == (23, 28)
    assert "24-28" in paracel["missing"]
    # the declaration closes the line at point 1, but not through guessed points
    assert not paracel.geometry.is_closed
    for _, row in baselines[baselines["completeness"] == "partial"].iterrows():
        assert row["missing"].strip(), row["feature_id"]


def test_viet_nam_1982_starts_at_a1_because_point_0_has_no_coordinates(catalogue):
    vn = _row(catalogue.load("baselines"), "vn-1982")
    assert vn["point_labels"].split() == [f"A{i}" for i in range(1, 12)]
    assert "point 0" in vn["missing"] and vn["completeness"] == "partial"
    assert vn.geometry.coords[0] == pytest.approx((103.45, 9.25))  # A1 9°15.0′N 103°27.0′E


def test_beibu_2024_baseline_ends_at_tonkin_boundary_point_1(catalogue):
    beibu = _row(catalogue.load("baselines"), "cn-2024-beibu-north").geometry
    tonkin = _row(catalogue.load("agreed-boundaries"), "tonkin-2000").geometry
    assert beibu.coords[-1] == pytest.approx(tonkin.coords[0], abs=1e-12)


def test_viet_nam_2025_starts_at_a11_of_1982(catalogue):
    points = catalogue.load("basepoints")
    a11_1982 = _row(points, "vn-1982-A11").geometry  # 17°10.0′N 107°20.6′E
    a11_2025 = _row(points, "vn-2025-tonkin-A11").geometry  # 17°10′00.0″N 107°20′36.0″E
    assert a11_1982.equals_exact(a11_2025, tolerance=1e-9)


def test_ra9522_positions_match_the_acts_own_distance_column(catalogue):
    points = catalogue.load("basepoints")
    ph = points[points["baseline_id"] == "ph-ra9522"].sort_values("seq")
    pairs = list(zip(ph.itertuples(), ph.iloc[1:].itertuples(), strict=False))
    checked = 0
    for here, nxt in pairs:
        if here.distance_to_next_nm is None or math.isnan(here.distance_to_next_nm):
            continue
        nm = distance_nm(here.geometry.x, here.geometry.y, nxt.geometry.x, nxt.geometry.y)
        assert nm == pytest.approx(here.distance_to_next_nm, abs=0.02), here.feature_id
        checked += 1
    assert checked == 15


def test_ra9522_long_segment_11_12_matches_limits_in_the_seas_142():
    # LIS 142 (2014) names 11-12, 46-47 and 82-83 as the only RA 9522 segments over 100 nm
    # (none over 125 nm); 11-12 is the one whose both ends are typed here.
    row = {p.label: p for p in claims.read_typed_points(claims.BASELINE_POINTS_CSV)["ph-ra9522"]}
    nm = distance_nm(row["11"].lon, row["11"].lat, row["12"].lon, row["12"].lat)
    assert 100 < nm < 125
    assert nm == pytest.approx(116.26, abs=0.02)


# Points typed per feature: pinned so that a lost (or silently added) row fails a test.
# Change these only together with the CSV rows, features.csv and data/README.md.
TYPED_BASEPOINTS = {
    "cn-1996-paracel": [str(i) for i in range(1, 24)],  # 1-23 of 28
    "cn-2024-beibu-north": [str(i) for i in range(1, 8)],  # complete
    "vn-1982": [f"A{i}" for i in range(1, 12)],  # A1-A11 (point 0 has no coordinates)
    "vn-2025-tonkin": [f"A{i}" for i in range(11, 21)],  # A11-A20 of 14 points
    "ph-ra9522": [str(i) for i in range(1, 17)],  # 1-16 of 101
}
TYPED_BOUNDARY_POINTS = {
    "tonkin-2000": 10,
    "tonkin-2000-south": 10,
    "idvn-2003": 6,
    "thvn-1997": 2,
}


def test_typed_point_counts_are_pinned_against_the_csv_files():
    basepoints = claims.read_typed_points(claims.BASELINE_POINTS_CSV)
    assert {f: [p.label for p in pts] for f, pts in basepoints.items()} == TYPED_BASEPOINTS
    boundaries = claims.read_typed_points(claims.BOUNDARY_POINTS_CSV)
    assert {f: len(pts) for f, pts in boundaries.items()} == TYPED_BOUNDARY_POINTS
    # data/README.md states the total number of basepoints typed
    total = sum(len(v) for v in TYPED_BASEPOINTS.values())
    readme = (_ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert f"{total} basepoints" in readme


def test_features_table_marks_every_untyped_point_as_missing():
    features = claims.read_feature_table(claims.FEATURES_CSV)
    typed = {f: len(p) for f, p in claims.read_typed_points(claims.BASELINE_POINTS_CSV).items()}
    typed.update({f: len(p) for f, p in claims.read_typed_points(claims.BOUNDARY_POINTS_CSV).items()})
    assert set(features) == set(typed)  # no feature row without points, no points without a row
    for feature, meta in features.items():
        total = int(meta["points_total"])
        assert typed[feature] <= total, feature
        # fewer points typed than the instrument has <=> the row says what is missing
        assert (typed[feature] < total) == bool(meta["missing"].strip()), feature
        if typed[feature] < total:
            assert "partial" in meta["name"].lower() or "from a1" in meta["name"].lower(), feature


@pytest.mark.parametrize(
    ("feature_id", "labels"),
    [
        ("tonkin-2000", [str(i) for i in range(1, 11)]),
        ("tonkin-2000-south", [str(i) for i in range(12, 22)]),
        ("idvn-2003", ["20", "H", "H1", "A4", "X1", "25"]),
        ("thvn-1997", ["C", "K"]),
    ],
)
def test_agreed_boundary_vertices_in_published_order(catalogue, feature_id, labels):
    row = _row(catalogue.load("agreed-boundaries"), feature_id)
    assert row["point_labels"].split() == labels
    assert len(row.geometry.coords) == len(labels)
    assert row["agreement"].strip() and row["parties"].count(";") == 1


def test_agreed_boundary_endpoints(catalogue):
    boundaries = catalogue.load("agreed-boundaries")
    idvn = _row(boundaries, "idvn-2003").geometry
    assert idvn.coords[0] == pytest.approx((105.82, 6 + 5 / 60 + 48 / 3600))  # point 20
    assert idvn.coords[-1] == pytest.approx((109.64333333, 6 + 18 / 60 + 12 / 3600))  # point 25
    tonkin = _row(boundaries, "tonkin-2000")
    assert tonkin["completeness"] == "partial" and "point 11" in tonkin["missing"]
    assert tonkin.geometry.coords[0] == pytest.approx((108.10119444, 21.47013889))
    south = _row(boundaries, "tonkin-2000-south")
    assert south.geometry.coords[0] == pytest.approx((107 + 31 / 60 + 40 / 3600, 19 + 39 / 60 + 33 / 3600))
    assert south.geometry.coords[-1] == pytest.approx((107 + 58 / 60, 17 + 47 / 60))  # point 21


def _dms(d, m, s=0.0):
    return d + m / 60 + s / 3600


def test_tonkin_point_21_lies_on_the_gulf_closing_line_of_article_1(catalogue):
    # Article I: from Yinggezui (18°30′19″N 108°41′17″E) past Con Co island to the Vietnamese
    # coast at 16°57′40″N 107°08′42″E; the boundary must end on that line.
    end = _row(catalogue.load("agreed-boundaries"), "tonkin-2000-south").geometry.coords[-1]
    line = GEOD.npts(_dms(108, 41, 17), _dms(18, 30, 19), _dms(107, 8, 42), _dms(16, 57, 40), 2000)
    gap_m = min(GEOD.inv(end[0], end[1], x, y)[2] for x, y in line)
    assert gap_m < 1000


def test_tonkin_gap_at_point_11_is_left_open_not_bridged(catalogue):
    boundaries = catalogue.load("agreed-boundaries")
    north, south = (_row(boundaries, f) for f in ("tonkin-2000", "tonkin-2000-south"))
    # two separate open pieces: 1-10 and 12-21, never a segment from 10 straight to 12
    assert north["point_labels"].split()[-1] == "10" and south["point_labels"].split()[0] == "12"
    assert not north.geometry.intersects(south.geometry)
    assert "misprint" in south["note"] and "19°39′33″N" in south["note"]
    # the published segments 13-14 and 16-17 run along a parallel and a meridian
    coords = list(south.geometry.coords)
    assert coords[1][1] == coords[2][1] and coords[4][0] == coords[5][0]


def test_thailand_viet_nam_states_the_point_c_discrepancy(catalogue):
    row = _row(catalogue.load("agreed-boundaries"), "thvn-1997")
    assert "07°49′00″N" in row["note"] and "discrepancy" in row["note"]
    c = _row(catalogue.load("agreed-boundaries"), "thvn-1997").geometry.coords[0]
    assert c == pytest.approx((103.04166667, 7.8))  # drawn from 07°48′00″N
    # the two published latitudes of C are one minute (about 1.85 km) apart
    alt = parse_coordinate("07°49′00″N", axis="lat")
    assert distance_nm(c[0], c[1], c[0], alt) == pytest.approx(1.0, abs=0.01)


def test_straight_segments_stay_within_1_km_of_the_geodesic(catalogue):
    worst = 0.0
    for layer_id in ("baselines", "agreed-boundaries"):
        for line in catalogue.load(layer_id).geometry:
            coords = list(line.coords)
            for (x1, y1), (x2, y2) in zip(coords, coords[1:], strict=False):
                az, _, dist = GEOD.inv(x1, y1, x2, y2)
                gx, gy, _ = GEOD.fwd(x1, y1, az, dist / 2)
                worst = max(worst, GEOD.inv(gx, gy, (x1 + x2) / 2, (y1 + y2) / 2)[2])
    assert 0 < worst < 1000


# The shared reference folder sits beside the checkout (`../shared`), or two levels up from a
# worktree under `wt/`; absent elsewhere, and then the comparison is skipped.
_ROOT = Path(__file__).resolve().parents[2]
NE_DASHES = next(
    (p for p in (base / "shared" / "reference" / "natural-earth"
                 / "ne_10m_admin_0_boundary_lines_maritime_indicator_chn_scs.geojson"
                 for base in (_ROOT.parent, _ROOT.parent.parent)) if p.exists()),
    _ROOT.parent / "shared" / "reference" / "natural-earth" / "absent.geojson",
)
DASH_POINTS_TOTAL = 27  # 9 dashes × (start, middle, end): a lost row fails


def test_u_shaped_line_is_nine_separate_open_dashes(catalogue):
    gdf = catalogue.load("u-shaped-line")
    assert len(gdf) == 9 and set(gdf.geom_type) == {"LineString"}
    assert set(gdf["status"]) == {"depicted-approximate"}
    assert set(gdf["accuracy"]) == {"schematic: tens of km"}
    assert set(gdf["source"]) == {
        "as depicted by Natural Earth 1:10m, version 5.1.0 (public domain)"}
    assert sum(len(g.coords) for g in gdf.geometry) == DASH_POINTS_TOTAL
    assert all(not g.is_closed and len(g.coords) == 3 for g in gdf.geometry)
    assert list(gdf["dash"]) == list(range(1, 10))


def test_u_shaped_line_is_never_an_area_a_ring_or_joined(catalogue):
    gdf = catalogue.load("u-shaped-line")
    assert not gdf.geom_type.isin(["Polygon", "MultiPolygon", "MultiLineString"]).any()
    geoms = list(gdf.geometry)
    # no two dashes touch: no segment joins one dash to the next
    for i, a in enumerate(geoms):
        for b in geoms[i + 1:]:
            assert a.distance(b) > 1.0  # degrees: the gaps are 200-500 km
    # and no dash contains a segment as long as the shortest gap between dashes (~210 km)
    for line in geoms:
        coords = list(line.coords)
        for (x1, y1), (x2, y2) in zip(coords, coords[1:], strict=False):
            assert GEOD.inv(x1, y1, x2, y2)[2] < 100_000
    assert shapely.polygonize(geoms).is_empty


def test_u_shaped_line_note_says_maps_differ_in_the_number_of_dashes(catalogue):
    spec = catalogue.spec("u-shaped-line")
    for phrase in ("9, 10 or 11", "has 9", "CML/17/2009", "never"):
        assert phrase in spec.description, phrase
    assert not spec.empty_reason
    # drawn dotted, without fill: never in the solid or dashed styles of boundaries
    assert spec.style.dash_array.startswith("1 ") and spec.style.fill_opacity == 0
    assert spec.style != catalogue.spec("agreed-boundaries").style
    assert spec.style != catalogue.spec("baselines").style


@pytest.mark.skipif(not NE_DASHES.exists(), reason="reference Natural Earth file ../shared absent")
def test_u_shaped_line_points_agree_with_the_natural_earth_depiction(catalogue):
    reference = json.loads(NE_DASHES.read_text(encoding="utf-8"))["features"]
    ne = [shapely.geometry.shape(f["geometry"]) for f in reference]
    assert len(ne) == 9
    for dash in catalogue.load("u-shaped-line").geometry:
        (match,) = [line for line in ne if line.distance(dash.centroid) < 0.1]
        ends = [match.coords[0], match.coords[7], match.coords[-1]]
        assert [c for xy in dash.coords for c in xy] == pytest.approx(
            [c for xy in ends for c in xy], abs=1e-5)
        assert dash.hausdorff_distance(match) < 0.05  # degrees, ~5 km: "tens of km" is kept


def test_a_proposal_crossing_a_dash_is_reported_as_crossing(catalogue):
    # a box over the Paracel-side dash (dash 9, 109.3-109.9°E, 15.6-16.6°N)
    report = overlap_report(box(109.4, 15.9, 109.8, 16.3), catalogue)
    line = report.claims.depicted_line
    assert line.dashes == 9 and line.crosses and line.dashes_crossing == 1
    assert line.distance_nm == 0 and line.status == "depicted-approximate"
    near = overlap_report(box(109.9, 16.0, 110.1, 16.2), catalogue).claims.depicted_line
    assert not near.crosses and near.near and 0 < near.distance_nm <= 30


def test_joint_areas_match_published_areas_or_explain_why_empty(catalogue):
    gdf = catalogue.load("joint-areas")
    if gdf.empty:
        assert "7,250" in catalogue.spec("joint-areas").empty_reason
    for _, row in gdf.iterrows():
        assert geodesic_area_km2(row.geometry) == pytest.approx(row["published_area_km2"], rel=0.03)


# ---------------------------------------------------------------- reader and builders
def _csv(tmp_path, body, name="points.csv"):
    path = tmp_path / name
    path.write_text("feature,seq,point_label,lat,lon,source,note\n" + body, encoding="utf-8")
    return path


def test_reader_names_file_line_and_value_of_a_bad_coordinate(tmp_path):
    path = _csv(tmp_path, "x,1,1,16°40.5′N,112°44.2′E,doc,\nx,2,2,16°40.5′E,112°44.2′E,doc,\n")
    with pytest.raises(LayerError, match=r"points.csv line 3 \(point '2'\).*16°40.5′E"):
        claims.read_typed_points(path)


def test_reader_rejects_points_out_of_published_order(tmp_path):
    path = _csv(tmp_path, "x,2,B,1°N,100°E,doc,\nx,1,A,2°N,100°E,doc,\n")
    with pytest.raises(LayerError, match=r"seq values \[2, 1\]"):
        claims.read_typed_points(path)


def test_joint_area_ring_is_closed_and_measured_geodesically(tmp_path):
    # a 1°×1° box at 15°N 114°E is 11,872.84 km² (engineering notes)
    body = "a,1,A,15°N,114°E,doc,\na,2,B,15°N,115°E,doc,\na,3,C,16°N,115°E,doc,\na,4,D,16°N,114°E,doc,\n"
    points = claims.read_typed_points(_csv(tmp_path, body))["a"]
    polygon = claims.ring_through(points)
    assert polygon.exterior.is_closed
    assert geodesic_area_km2(polygon) == pytest.approx(11872.84, rel=1e-4)


def test_a_closed_dash_is_refused(tmp_path):
    body = "d1,1,1,10°N,110°E,doc,\nd1,2,2,11°N,111°E,doc,\nd1,3,3,10°N,110°E,doc,\n"
    points = claims.read_typed_points(_csv(tmp_path, body))["d1"]
    with pytest.raises(LayerError, match="never closed"):
        claims.dash_through(points)
    assert shapely.get_num_points(claims.dash_through(points[:2])) == 2
