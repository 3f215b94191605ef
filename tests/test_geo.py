"""Geodesy and coordinate parsing: known answers, independent checks against pyproj.Geod."""

import math

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod
from shapely.geometry import LineString, Point, box

from marine.geo import (
    NM_IN_M,
    buffer_nm,
    distance_nm,
    format_dms,
    geodesic_area_km2,
    geodesic_length_km,
    geodesic_length_nm,
    parse_coordinate,
)

WGS84 = Geod(ellps="WGS84")


def test_one_degree_box_at_15n_has_the_known_geodesic_area():
    assert geodesic_area_km2(box(114, 15, 115, 16)) == pytest.approx(11872.84, rel=1e-5)


def test_area_ignores_ring_orientation_and_holes_are_subtracted():
    outer = box(110, 10, 112, 12)
    reversed_ring = shapely.Polygon(list(outer.exterior.coords)[::-1])
    assert geodesic_area_km2(reversed_ring) == pytest.approx(geodesic_area_km2(outer))
    with_hole = outer.difference(box(110.5, 10.5, 111, 11))
    expected = geodesic_area_km2(outer) - geodesic_area_km2(box(110.5, 10.5, 111, 11))
    assert geodesic_area_km2(with_hole) == pytest.approx(expected, rel=1e-9)


def test_multipolygon_area_is_the_sum_of_parts():
    a, b = box(100, 5, 101, 6), box(120, 20, 121, 21)
    assert geodesic_area_km2(shapely.MultiPolygon([a, b])) == pytest.approx(
        geodesic_area_km2(a) + geodesic_area_km2(b)
    )


def test_lengths_and_distances_in_nautical_miles():
    # one minute of latitude near 15°N is ~1 nm (1842.9 m on WGS84 at 15°N)
    line = LineString([(114, 15), (114, 15 + 1 / 60)])
    assert geodesic_length_nm(line) == pytest.approx(1842.9 / NM_IN_M, rel=1e-3)
    _, _, metres = WGS84.inv(103.85, 1.27, 121.0, 14.6)
    assert distance_nm(103.85, 1.27, 121.0, 14.6) == pytest.approx(metres / NM_IN_M)
    perimeter = geodesic_length_km(box(114, 15, 115, 16))
    assert perimeter == pytest.approx(abs(WGS84.geometry_area_perimeter(box(114, 15, 115, 16))[1]) / 1000)


@pytest.mark.parametrize("lon,lat", [(108.0, 20.0), (114.0, 10.0), (121.0, 5.0), (100.0, 0.0)])
def test_buffer_edge_is_the_requested_distance(lon, lat):
    ring = buffer_nm(Point(lon, lat), 200).exterior
    distances = [distance_nm(lon, lat, x, y) for x, y in ring.coords]
    assert min(distances) == pytest.approx(200, abs=0.5)
    assert max(distances) == pytest.approx(200, abs=0.5)


def test_buffer_rejects_non_positive_distance():
    with pytest.raises(ValueError, match="-5 nm"):
        buffer_nm(Point(110, 10), -5)


@pytest.mark.parametrize(
    "text,axis,expected",
    [
        ("16°40.5′N", "lat", 16.675),
        ("112°44.2′E", "lon", 112 + 44.2 / 60),
        ("21°28′12.5″N", "lat", 21 + 28 / 60 + 12.5 / 3600),
        ("08°46′54.7754″N", "lat", 8 + 46 / 60 + 54.7754 / 3600),
        ("2°05′S", "lat", -(2 + 5 / 60)),
        ("108 06 04.3 E", "lon", 108 + 6 / 60 + 4.3 / 3600),
        ("-8.5", "lat", -8.5),
        ("114.365", "lon", 114.365),
        ("10°22'37\"N", "lat", 10 + 22 / 60 + 37 / 3600),
    ],
)
def test_parse_coordinate(text, axis, expected):
    assert parse_coordinate(text, axis) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(
    "text,axis,message",
    [
        ("95°N", "lat", "outside ±90"),
        ("181.5", "lon", "outside ±180"),
        ("16°40.5′E", "lat", "other axis"),
        ("sixteen north", "lat", "neither decimal degrees nor DMS"),
        ("16°75′N", "lat", "60 or more"),
        ("nan", "lat", "not a finite number"),
    ],
)
def test_parse_coordinate_errors_name_the_value(text, axis, message):
    with pytest.raises(ValueError, match=message) as info:
        parse_coordinate(text, axis)
    assert text in str(info.value)


@given(st.floats(-89.99, 89.99), st.sampled_from(["lat", "lon"]))
@settings(max_examples=200, deadline=None)
def test_format_dms_round_trips(value, axis):
    text = format_dms(value, axis, decimals=3)
    assert parse_coordinate(text, axis) == pytest.approx(value, abs=1e-6)
    assert not math.isnan(parse_coordinate(text, axis))
