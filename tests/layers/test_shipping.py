"""Shipping layers: MARNET routes and ports from the installed `searoute`, cited straits."""

import pytest
import shapely
from shapely.geometry import Point

from layers import default_catalogue
from marine.config import REGION_BOUNDS
from marine.geo import distance_nm


@pytest.fixture(scope="module")
def catalogue():
    return default_catalogue()


def test_routes_are_clipped_lines_with_geodesic_lengths(catalogue):
    routes = catalogue.load("shipping-routes")
    assert len(routes) > 100  # 155+ MARNET segments reach the region
    assert set(routes.geom_type) <= {"LineString", "MultiLineString"}
    box = shapely.box(*REGION_BOUNDS).buffer(1e-9)
    assert routes.geometry.within(box).all()
    assert (routes["length_nm"] > 0).all()
    assert "malacca" in set(routes["passage"])


def test_ports_include_major_ports_with_neutral_country_labels(catalogue):
    ports = catalogue.load("ports")
    names = set(ports["name"])
    assert {"Singapore", "Manila", "Kaohsiung"} & names
    assert "Taiwan" not in set(ports["country"])  # equal footing: "Chinese Taipei"
    singapore = ports[ports["locode"] == "SGSIN"].geometry.iloc[0]
    assert distance_nm(singapore.x, singapore.y, 103.85, 1.27) < 15


def test_no_port_sits_on_a_disputed_group(catalogue):
    ports = catalogue.load("ports")
    for box in [(111, 15.5, 113, 17.2), (112, 7, 117, 12), (116, 20.4, 117, 21), (117.5, 14.8, 118, 15.4)]:
        assert not ports.geometry.within(shapely.box(*box)).any(), box


def test_straits_have_all_names_and_cited_positions(catalogue):
    straits = catalogue.load("straits").set_index("feature_id")
    balabac = straits.loc["balabac-strait"]
    assert balabac.geometry.equals(Point(117.0, 7 + 40 / 60))
    assert "Kipot ng Balabak" in balabac["label"] and "巴拉巴克海峡" in balabac["label"]
    karimata = straits.loc["karimata-strait"].geometry
    assert karimata.y == pytest.approx(-(2 + 5 / 60))  # southern hemisphere parsed
    assert straits["source"].str.len().min() > 20
