"""Environment: marine protected areas and the reefs and small islands of the offshore groups.

Protected areas are typed into `data/environment/protected_areas.csv` from the documents cited
per row; an area whose position no cited source gives stays in the file, marked "not
located", and is left off the map. Reefs are GSHHS full-resolution small islands within the
Spratly, Paracel, Pratas and Scarborough groups, named from the gazetteer (all names) when a
gazetteer place lies within 3 km (published positions of atolls and basepoints on reef rims
lie up to ~2.7 km from the GSHHS polygon).
"""

from __future__ import annotations

import csv
import hashlib
import json

import numpy as np
import shapely
from shapely.geometry import Point, box
from shapely.ops import nearest_points

from layers._common import region_land
from layers.base import GSHHS_LICENCE, GSHHS_SOURCE
from layers.gazetteer import load_gazetteer
from marine.catalogue import LayerSpec, Style, features_frame
from marine.config import DATA_DIR
from marine.errors import LayerError
from marine.gazetteer import neutral_label
from marine.geo import NM_IN_M, distance_nm, geodesic_area_km2, parse_coordinate

ENVIRONMENT_DIR = DATA_DIR / "environment"
KM_PER_DEG = 111.32  # only to pre-screen distances in degrees; final distances are geodesic
UNNAMED = "unnamed GSHHS feature"
LOADER_VERSION = "2"  # bump when the reefs loader's output changes for the same data


# --------------------------------------------------------------------------- protected areas
def read_protected_areas() -> list[dict]:
    path = ENVIRONMENT_DIR / "protected_areas.csv"
    if not path.exists():
        raise LayerError(f"{path} is missing; restore data/environment/protected_areas.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_protected_areas():
    gazetteer = load_gazetteer()
    records, geoms = [], []
    for row in read_protected_areas():
        if not row["lat"].strip():
            continue  # not located: kept in the data file, not drawn
        lon, lat = parse_coordinate(row["lon"], "lon"), parse_coordinate(row["lat"], "lat")
        place_label = neutral_label(gazetteer.get(row["place_id"])) if row["place_id"] else ""
        name = row["name"] + (f" ({row['name_local']})" if row["name_local"] else "")
        records.append({
            "feature_id": f"mpa-{row['mpa_id']}",
            "name": name + (f" — place: {place_label}" if place_label else ""),
            "park_name": row["name"],
            "park_name_local": row["name_local"],
            "party": row["party"],
            "designation": row["designation"],
            "established": row["established"],
            "area_ha": float(row["area_ha"]) if row["area_ha"].strip() else None,
            "area_note": row["area_note"],
            "place_label": place_label,
            "source": f"facts: {row['facts_source']}; position: {row['position_source']}",
            "accuracy": row["accuracy"],
        })
        geoms.append(Point(lon, lat))
    return features_frame(records, geoms, status="official-unilateral")


def unlocated_protected_areas() -> list[str]:
    """Protected areas named in the data file that no cited source locates."""
    return [r["name"] for r in read_protected_areas() if not r["lat"].strip()]


# --------------------------------------------------------------------------- reefs
def _reef_config() -> dict:
    return json.loads((ENVIRONMENT_DIR / "reef_groups.json").read_text(encoding="utf-8"))


def _geodesic_areas(geoms: np.ndarray, screen: np.ndarray) -> np.ndarray:
    """Geodesic km² where `screen` is true, NaN elsewhere (geodesic area is the slow part)."""
    areas = np.full(len(geoms), np.nan)
    for i in np.flatnonzero(screen):
        areas[i] = geodesic_area_km2(geoms[i])
    return areas


def reef_candidates(config: dict) -> list[tuple[str, shapely.Geometry, float]]:
    """(group place_id, polygon, area km²) for every small GSHHS island of each group."""
    geoms = np.asarray(region_land("f"), dtype=object)
    # Planar areas in degrees² only pre-screen (a degree² is ≤ 12,400 km² in the region):
    # every polygon that could be "large land" or a candidate is then measured geodesically.
    could_be_large = shapely.area(geoms) * KM_PER_DEG**2 > config["large_land_km2"] * 0.9
    large = geoms[_geodesic_areas(geoms, could_be_large) > config["large_land_km2"]]
    min_deg = config["min_distance_from_large_land_km"] / KM_PER_DEG
    points = shapely.point_on_surface(geoms)
    out = []
    for group in config["groups"]:
        bounds = (group["west"], group["south"], group["east"], group["north"])
        # large land near this group only: distances to the clipped pieces are cheap
        reach = np.array(bounds) + np.array([-1, -1, 1, 1]) * 2 * min_deg
        nearby_large = shapely.union_all(shapely.clip_by_rect(large, *reach))
        inside = shapely.contains(box(*bounds), points)
        for i in np.flatnonzero(inside):
            area = geodesic_area_km2(geoms[i])
            if area < config["max_area_km2"] and not shapely.dwithin(nearby_large, geoms[i], min_deg):
                out.append((group["place_id"], geoms[i], area))
    return out


def _km_to(geom, lon: float, lat: float) -> float:
    """Geodesic km from (lon, lat) to the nearest point of `geom`."""
    near = nearest_points(geom, Point(lon, lat))[0]
    return distance_nm(near.x, near.y, lon, lat) * NM_IN_M / 1000


def name_features(geoms: list, max_km: float) -> tuple[dict[int, list], dict[int, list]]:
    """Each gazetteer place names the ONE feature nearest to it if within `max_km`
    (geodesic); other features within `max_km` of the place only record it as nearby.
    Returns ({feature index: [(km, label)]} named, {feature index: [(km, label)]} nearby)."""
    named: dict[int, list] = {}
    nearby: dict[int, list] = {}
    tree = shapely.STRtree(geoms)
    for place in load_gazetteer():
        if place.kind not in ("island", "reef", "shoal", "bank"):
            continue
        window = Point(place.lon, place.lat).buffer(max_km / KM_PER_DEG * 1.5)
        hits = sorted(
            (km, int(i)) for i in tree.query(window)
            if (km := _km_to(geoms[i], place.lon, place.lat)) <= max_km
        )
        label = neutral_label(place)
        for rank, (km, i) in enumerate(hits):
            (named if rank == 0 else nearby).setdefault(i, []).append((km, label))
    return named, nearby


def _labels(pairs: list) -> str:
    return " ; ".join(label for _, label in sorted(pairs))


def load_reefs():
    config = _reef_config()
    gazetteer = load_gazetteer()
    candidates = reef_candidates(config)
    geoms = [geom for _, geom, _ in candidates]
    named, nearby = name_features(geoms, config["name_match_km"])
    records = []
    for i, (group_id, geom, area) in enumerate(candidates):
        c = geom.representative_point()
        records.append({
            "feature_id": f"reef-{group_id}-{i:03d}",
            "name": _labels(named.get(i, [])) or UNNAMED,
            "gazetteer_names": _labels(named.get(i, [])),
            "name_distance_km": round(min(named[i])[0], 2) if i in named else None,
            "near_places": _labels(nearby.get(i, [])),
            "group": group_id,
            "group_label": neutral_label(gazetteer.get(group_id)),
            "area_km2": round(area, 4),
            "lon": round(c.x, 5),
            "lat": round(c.y, 5),
        })
    if not records:
        raise LayerError("no GSHHS small islands found in the reef groups; check reef_groups.json")
    return features_frame(
        records, geoms, source=GSHHS_SOURCE, status="scientific",
        accuracy="GSHHS full resolution (~0.1 km nominal); positions match published ones within ~1 km",
    )


def _data_version() -> str:
    """Cache version of the derived layers: changes whenever a data file they read changes."""
    digest = hashlib.sha256()
    for path in (ENVIRONMENT_DIR / "reef_groups.json", DATA_DIR / "gazetteer" / "places.csv"):
        digest.update(path.read_bytes() if path.exists() else b"missing")
    return f"{LOADER_VERSION}-" + digest.hexdigest()[:12]


LAYERS = [
    LayerSpec(
        id="protected-areas",
        section="environment",
        protection=True,
        in_packs=True,
        title="Marine protected areas",
        theme="environment",
        loader=load_protected_areas,
        style=Style(color="#1b7f5b", weight=1.5, fill_color="#1b7f5b", fill_opacity=0.6, radius=6),
        source="National designations and UNESCO listings, typed from the documents cited per area",
        status="official-unilateral",
        licence="Project data (Apache-2.0); facts from the cited documents",
        description=(
            "Marine protected areas that a cited source locates, as points with their published "
            "area and the accuracy of the position. Each is a designation by one party, shown "
            "for co-operation on conservation; a park in a disputed area also shows all the "
            "names of the place. Parks without published coordinates are placed on their main "
            "island (a point inside its GSHHS polygon, accuracy stated). Not yet located: Nha "
            "Trang Bay, Apo Reef."
        ),
    ),
    LayerSpec(
        id="reefs",
        section="environment",
        in_packs=True,
        title="Reefs and small islands (GSHHS)",
        theme="environment",
        loader=load_reefs,
        style=Style(color="#8a6d3b", weight=1.0, fill_color="#f2e3b3", fill_opacity=1.0),
        source=GSHHS_SOURCE,
        status="scientific",
        licence=GSHHS_LICENCE,
        description=(
            "GSHHS full-resolution small islands (< 5 km², > 40 km from large land) in the "
            "Spratly, Paracel and Pratas groups and at Scarborough Shoal. A feature is named "
            "with every name of the gazetteer place for which it is the nearest feature within "
            "3 km (other features near that place list it in 'near_places'), otherwise 'unnamed GSHHS "
            "feature'. GSHHS shows only features above water at its scale: many reefs and "
            "shoals are missing."
        ),
        derived=True,
        cache_version=_data_version(),
    ),
]
