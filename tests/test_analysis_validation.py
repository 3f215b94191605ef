"""Proposal geometry validation: rejections name the value, repairs are reported."""

from __future__ import annotations

import pytest
import shapely
from shapely.geometry import LineString, MultiPoint, Point, Polygon, box

from marine.analysis import overlap_report
from marine.analysis.validation import REGION_AREA_KM2, densify_geodesic, validate_geometry
from marine.catalogue import Catalogue
from marine.errors import GeometryError
from marine.geo import geodesic_area_km2, geodesic_length_km

EMPTY = Catalogue([])


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        (Polygon(), "empty"),
        (Point(114, 95), "latitude 95 is outside ±90°"),
        (LineString([(114, 10), (190, 11)]), "longitude 190 is outside ±180°"),
        (box(10, 110, 12, 112), "coordinates look swapped"),
        (Point(float("nan"), 10), "not a finite number"),
        (box(-60, 30, -50, 40), "outside the study region"),
        (shapely.GeometryCollection([Point(114, 10), box(114, 10, 115, 11)]),
         "'GeometryCollection' is not accepted"),
        (box(60, -30, 170, 60), "more than the limit"),
        ({"type": "Feature", "geometry": None}, "has no geometry"),
        ("POLYGON ((0 0, 1 0, 1 1, 0 0))", "give a shapely geometry or a GeoJSON mapping"),
    ],
)
def test_rejections_name_the_value(geometry, message):
    with pytest.raises(GeometryError, match=message):
        validate_geometry(geometry)


def test_swapped_message_gives_both_readings():
    with pytest.raises(GeometryError) as info:
        validate_geometry(Point(15.15, 117.76))
    assert "longitude 15.15, latitude 117.76" in str(info.value)
    assert "(117.76, 15.15) lies inside" in str(info.value)


def test_stated_area_limit():
    with pytest.raises(GeometryError, match="11,873 km², more than the limit of 5,000 km²"):
        validate_geometry(box(114, 15, 115, 16), max_area_km2=5000)
    assert validate_geometry(box(114, 15, 115, 16)).kind == "area"
    assert REGION_AREA_KM2 > 1e7  # the whole region, 30° × 33°


def test_bow_tie_is_repaired_and_reported():
    bow_tie = Polygon([(114, 10), (115, 11), (115, 10), (114, 11)])
    valid = validate_geometry(bow_tie)
    assert valid.geometry.is_valid and valid.geometry.geom_type == "MultiPolygon"
    assert len(valid.repairs) == 1
    assert "Self-intersection" in valid.repairs[0] and "2 part(s)" in valid.repairs[0]
    report = overlap_report(bow_tie, EMPTY)
    assert report.repairs == list(valid.repairs)
    assert report.measures.area_km2 == pytest.approx(
        geodesic_area_km2(box(114, 10, 115, 11)) / 2, rel=2e-3)


def test_collapsed_polygon_is_rejected():
    with pytest.raises(GeometryError, match="nothing of it is left"):
        validate_geometry(Polygon([(114, 10), (115, 10), (116, 10), (114, 10)]))


def test_z_values_dropped_with_a_note():
    valid = validate_geometry(Polygon([(114, 10, 5), (115, 10, 5), (115, 11, 5)]))
    assert not shapely.has_z(valid.geometry)
    assert any("z values" in r for r in valid.repairs)


def test_geojson_feature_and_mapping_accepted():
    feature = {"type": "Feature", "properties": {},
               "geometry": {"type": "Point", "coordinates": [114.3, 10.4]}}
    assert validate_geometry(feature).kind == "points"
    assert validate_geometry(shapely.geometry.mapping(MultiPoint([(114, 10), (115, 11)]))
                             ).kind == "points"


def test_polygons_are_oriented_counter_clockwise():
    clockwise = Polygon([(114, 10), (114, 11), (115, 11), (115, 10)])
    assert shapely.is_ccw(validate_geometry(clockwise).geometry.exterior)


def test_densified_edges_keep_geodesic_measures():
    poly = box(110, 5, 118, 13)
    dense = densify_geodesic(poly)
    assert shapely.get_num_coordinates(dense) > 500
    assert geodesic_area_km2(dense) == pytest.approx(geodesic_area_km2(poly), rel=1e-9)
    line = LineString([(105, 5), (120, 20)])
    assert geodesic_length_km(densify_geodesic(line)) == pytest.approx(
        geodesic_length_km(line), rel=1e-9)
