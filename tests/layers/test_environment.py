"""Environment layers: protected areas from cited sources, GSHHS reefs named from the gazetteer."""

import pytest
from shapely.geometry import Point

from layers import default_catalogue
from layers.environment import UNNAMED, unlocated_protected_areas
from marine.catalogue import layer_problems
from marine.geo import NM_IN_M, distance_nm


@pytest.fixture(scope="module")
def catalogue():
    return default_catalogue()


@pytest.mark.parametrize("layer_id", ["protected-areas", "reefs"])
def test_layer_loads_through_the_catalogue_without_problems(catalogue, layer_id):
    gdf = catalogue.load(layer_id)
    assert len(gdf) > 0
    assert layer_problems(catalogue.spec(layer_id), gdf) == []


def test_tubbataha_is_present_with_its_published_area(catalogue):
    mpas = catalogue.load("protected-areas").set_index("feature_id")
    tubbataha = mpas.loc["mpa-tubbataha"]
    assert tubbataha["area_ha"] == pytest.approx(97030)
    assert tubbataha.geometry.distance(Point(119.868, 8.953)) < 1e-9
    assert "Tubbataha" in tubbataha["name"]


def test_parks_in_disputed_places_show_all_the_places_names(catalogue):
    mpas = catalogue.load("protected-areas").set_index("feature_id")
    dongsha = mpas.loc["mpa-dongsha-atoll"]
    for name in ("Pratas Island", "东沙岛", "Đông Sa"):
        assert name in dongsha["name"]
    assert dongsha["party"] == "Chinese Taipei"
    assert set(mpas["status"]) == {"official-unilateral"}


def test_unlocated_protected_areas_are_listed_not_drawn(catalogue):
    missing = unlocated_protected_areas()
    drawn = set(catalogue.load("protected-areas")["park_name"])
    assert missing and not (set(missing) & drawn)


def _km(reef_geom, lon, lat):
    from shapely.ops import nearest_points

    near = nearest_points(reef_geom, Point(lon, lat))[0]
    return distance_nm(near.x, near.y, lon, lat) * NM_IN_M / 1000


@pytest.mark.parametrize(
    "lon,lat,place",
    [(114.365, 10.377, "Itu Aba"), (112.336, 16.834, "Woody Island")],
)
def test_gshhs_reefs_include_known_islands_within_1_km(catalogue, lon, lat, place):
    reefs = catalogue.load("reefs")
    distances = [_km(g, lon, lat) for g in reefs.geometry]
    i = min(range(len(distances)), key=distances.__getitem__)
    assert distances[i] < 1.0
    assert place in reefs.iloc[i]["name"]


def test_reefs_are_small_islands_of_the_offshore_groups(catalogue):
    reefs = catalogue.load("reefs")
    assert {"spratly-islands", "paracel-islands"} <= set(reefs["group"])
    assert (reefs["area_km2"] < 5).all()
    assert len(reefs[reefs["group"] == "spratly-islands"]) >= 30
    assert len(reefs[reefs["group"] == "paracel-islands"]) >= 15
    named = reefs[reefs["name"] != UNNAMED]
    assert len(named) >= 6
    # a named feature shows every name of its place, never one alone
    thitu = named[named["name"].str.contains("Thitu")].iloc[0]
    for name in ("中业岛", "Thị Tứ", "Pag-asa"):
        assert name in thitu["name"]
    assert set(reefs["status"]) == {"scientific"}
    assert all("/" in label for label in reefs["group_label"])


def test_each_place_names_only_its_nearest_feature(catalogue):
    reefs = catalogue.load("reefs")
    named = reefs[reefs["name"] != UNNAMED]
    assert not named["name"].duplicated().any()
    assert (named["name_distance_km"] <= 3.0).all()
    # a second polygon near the same place records it as nearby instead of taking its name
    near = reefs[reefs["near_places"] != ""]
    for labels in near["near_places"]:
        for label in labels.split(" ; "):
            assert label in set(named["name"])


MPAS_TOTAL, MPAS_LOCATED = 25, 23  # rows of data/environment/protected_areas.csv: a lost row fails


def test_every_protected_area_row_is_counted_and_cites_its_facts(catalogue):
    from layers.environment import read_protected_areas

    rows = read_protected_areas()
    mpas = catalogue.load("protected-areas")
    assert (len(rows), len(mpas)) == (MPAS_TOTAL, MPAS_LOCATED)
    assert len(unlocated_protected_areas()) == MPAS_TOTAL - MPAS_LOCATED
    for row in rows:
        assert row["designation"].strip(), row["mpa_id"]
        assert row["established"].strip() or "date not found" in row["area_note"], row["mpa_id"]
        assert row["facts_source"].strip(), row["mpa_id"]
        assert row["area_ha"].strip() or row["area_note"].strip(), row["mpa_id"]
        if row["lat"].strip():
            assert row["position_source"].strip() and row["accuracy"].strip(), row["mpa_id"]


def test_malaysian_marine_parks_lie_on_their_islands(catalogue):
    from layers._common import region_land

    land = [g for g in region_land("f") if g.bounds[0] < 105 and g.bounds[1] < 7]
    mpas = catalogue.load("protected-areas").set_index("feature_id")
    for park in ("tioman", "redang", "perhentian", "payar"):
        point = mpas.loc[f"mpa-pulau-{park}-marine-park"].geometry
        assert any(g.contains(point) for g in land), park


def test_a_park_at_a_disputed_feature_carries_all_the_places_names(catalogue):
    mpas = catalogue.load("protected-areas").set_index("feature_id")
    reserve = mpas.loc["mpa-huangyan-dao-reserve"]
    for name in ("Scarborough Shoal", "黄岩岛", "Bajo de Masinloc"):
        assert name in reserve["name"]
    assert reserve["area_ha"] == pytest.approx(3523.67)
