"""Fisheries: FAO major fishing areas, China's summer fishing moratorium, fisheries refugia.

Every line is typed from a published definition into `data/fisheries/` with its citation;
where a publication gives no coordinates the layer says how it was approximated. Polygons are
sea: the region cut along the defining lines, minus GSHHS intermediate-resolution land.
"""

from __future__ import annotations

import csv
import hashlib
import json
from functools import lru_cache

import numpy as np
import shapely
from shapely.geometry import LineString, MultiPoint, Point, Polygon, box

from layers._common import region_land
from marine.catalogue import LayerSpec, Style, features_frame
from marine.config import DATA_DIR, REGION_BOUNDS
from marine.errors import LayerError
from marine.geo import geodesic_area_km2, parse_coordinate

FISHERIES_DIR = DATA_DIR / "fisheries"
SEA_RESOLUTION = "i"  # ~1 km coasts are ample for statistical and seasonal areas
CUT_WIDTH_DEG = 1e-6  # width of the cut along a defining line (~0.1 m)
SLIVER_DEG2 = 0.01  # pieces of sea smaller than this (~120 km²) left over by the cuts


def _read_json(name: str) -> dict:
    path = FISHERIES_DIR / name
    if not path.exists():
        raise LayerError(f"fisheries data file {path} is missing; restore it from the repository")
    return json.loads(path.read_text(encoding="utf-8"))


def _lonlat(vertex) -> tuple[float, float]:
    """[lat, lon, ...] as published → (lon, lat)."""
    return parse_coordinate(vertex[1], "lon"), parse_coordinate(vertex[0], "lat")


@lru_cache(maxsize=2)
def region_sea(resolution: str = SEA_RESOLUTION) -> shapely.Geometry:
    """The region box minus GSHHS land (islands are holes)."""
    land = shapely.union_all(np.asarray(region_land(resolution), dtype=object))
    return box(*REGION_BOUNDS).difference(land)


# --------------------------------------------------------------------------- FAO areas
def _malacca_strait(spec: dict) -> Polygon:
    """IHO limits of the strait, closed along the coasts through inland construction points."""
    ring = [
        *(_lonlat(v) for v in spec["west_limit"]),
        *(_lonlat(v) for v in spec["peninsula_construction_points"]),
        *(_lonlat(v) for v in spec["east_and_south_limit"]),
        *(_lonlat(v) for v in spec["sumatra_construction_points"]),
    ]
    strait = Polygon(ring)
    if not strait.is_valid:
        raise LayerError(f"Malacca Strait outline is invalid: {shapely.is_valid_reason(strait)}")
    return strait


def fao_area_pieces() -> dict[str, shapely.Geometry]:
    """Sea of the region split into FAO areas '57', '61', '71' and the strait '57/71'."""
    spec = _read_json("fao_areas.json")
    sea = region_sea()
    strait = _malacca_strait(spec["malacca_strait"])
    line = LineString([_lonlat(v) for v in spec["boundary_61_71"]["vertices"]])
    pieces = shapely.get_parts(sea.difference(strait).difference(line.buffer(CUT_WIDTH_DEG)))
    seeds = {area: Point(_lonlat(v)) for area, v in spec["seeds"].items() if area in spec["areas"]}
    parts: dict[str, list] = {"57": [], "61": [], "71": [], "57/71": [sea.intersection(strait)]}
    for piece in pieces:
        parts[_classify(piece, seeds, strait)].append(piece)
    return {area: shapely.make_valid(shapely.union_all(geoms)) for area, geoms in parts.items()}


def _classify(piece, seeds: dict[str, Point], strait: Polygon) -> str:
    for area, seed in seeds.items():
        if piece.contains(seed):
            return area
    if piece.area < SLIVER_DEG2 and piece.distance(strait) < 10 * CUT_WIDTH_DEG:
        return "57/71"  # coastal slivers left between the strait outline and the coast
    p = piece.representative_point()
    if p.x >= 105.0:  # east of Indochina: Pacific side of the 61/71 line
        return "61" if (p.y > 20 or (p.y > 15 and p.x < 115)) else "71"
    if p.x < 99.0:
        return "57"
    raise LayerError(
        f"a piece of sea at ({p.x:.2f}, {p.y:.2f}) could not be assigned to an FAO area; "
        "add a seed for it in data/fisheries/fao_areas.json"
    )


def _fao_source(area: str, spec: dict) -> str:
    strait = spec["malacca_strait"]
    if area == "57/71":
        return f"{strait['iho_source']}; {strait['fao_source']}"
    if area == "57":
        return f"{strait['fao_source']}; separated from Area 71 at the Malacca Strait ({strait['iho_source']})"
    return spec["boundary_61_71"]["source"]


def load_fao_areas():
    spec = _read_json("fao_areas.json")
    pieces = fao_area_pieces()
    records, geoms = [], []
    for area, geom in pieces.items():
        if geom.is_empty:
            continue
        split = area == "57/71"
        records.append({
            "feature_id": f"fao-{area.replace('/', '-')}",
            "fao_area": area,
            "name": (
                "Malacca Strait: split between FAO Areas 57 and 71 (boundary not typed)"
                if split else f"FAO Major Fishing Area {area} ({spec['areas'][area]}), within the region"
            ),
            "source": _fao_source(area, spec),
            "accuracy": (
                "strait limits from IHO S-23; the FAO 57/71 line inside the strait is not typed"
                if split else "lines exact as defined by FAO; coasts GSHHS intermediate (~1 km)"
            ),
            "area_km2": round(geodesic_area_km2(geom)),
        })
        geoms.append(geom)
    return features_frame(records, geoms, status="scientific")


# --------------------------------------------------------------------------- moratorium
def _gshhs_extreme(probe_latlon: list, which: str) -> tuple[float, float]:
    """Easternmost ('east') or southernmost ('south') vertex of the GSHHS full-resolution
    polygon containing the probe point."""
    probe = Point(_lonlat(probe_latlon))
    for geom in region_land("f"):
        if geom.contains(probe):
            coords = np.asarray(shapely.get_coordinates(geom))
            i = coords[:, 0].argmax() if which == "east" else coords[:, 1].argmin()
            return float(coords[i, 0]), float(coords[i, 1])
    raise LayerError(f"no GSHHS land polygon contains the probe point {probe.wkt}; check the data file")


def moratorium_polygon(spec: dict) -> shapely.Geometry:
    south = parse_coordinate(spec["southern_limit"], "lat")
    north_spec = spec["northern_limit"]
    nanao = _gshhs_extreme(north_spec["nanao_island_probe"], "east")
    eluanbi = _gshhs_extreme(north_spec["taiwan_probe"], "south")
    east = parse_coordinate(spec["eastern_limit"]["approximation_lon"], "lon")
    west = parse_coordinate(spec["western_limit_construction_lon"], "lon")
    top = nanao[1] + 1.0  # on the mainland north of Nan'ao
    outline = Polygon([
        (west, south), (east, south), (east, eluanbi[1]), eluanbi, nanao,
        (nanao[0], top), (west, top),
    ])
    sea = region_sea().intersection(outline)
    parts = [p for p in shapely.get_parts(sea) if p.area >= SLIVER_DEG2]
    return shapely.make_valid(shapely.union_all(parts))


def load_moratorium():
    spec = _read_json("moratorium.json")
    geom = moratorium_polygon(spec)
    history = "; ".join(f"{h['period']}: {h['text']} ({h['source']})" for h in spec["history"])
    record = {
        "feature_id": "moratorium-scs",
        "name": f"{spec['name']} / {spec['name_zh']}",
        "season_start": spec["season_start"],
        "season_end": spec["season_end"],
        "season_text": spec["season_text"],
        "area_text": spec["area_text"],
        "history": history,
        "exemptions": spec["exemptions"],
        "limits_method": (
            f"north: {spec['northern_limit']['approximation']}; "
            f"east: {spec['eastern_limit']['approximation']}"
        ),
        "source": spec["area_source"],
        "accuracy": spec["accuracy"],
        "area_km2": round(geodesic_area_km2(geom)),
    }
    return features_frame([record], [geom], status="official-unilateral")


# --------------------------------------------------------------------------- refugia
def load_refugia():
    """Refugia located by a cited source: the sea within published bounding coordinates, or
    the published point(s) of a site."""
    path = FISHERIES_DIR / "refugia.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if _located(r)]
    records, geoms = [], []
    for row in rows:
        geoms.append(_refugium_geometry(row))
        records.append({
            "feature_id": f"refugia-{row['site_id']}",
            "name": row["name"],
            "country": row["country"],
            "habitat": row["habitat"],
            "species": row["species"],
            "season": row["season"],
            "published_area_km2": float(row["published_area_km2"]) if row["published_area_km2"] else None,
            "position_published": row["position_published"],
            "source": row["source"],
            "accuracy": row["accuracy"],
        })
    return features_frame(records, geoms, status="scientific")


def _located(row) -> bool:
    return bool(row["south"].strip() or row["points"].strip())


def _refugium_geometry(row):
    if row["south"].strip():
        west, east = (parse_coordinate(row[k], "lon") for k in ("west", "east"))
        south, north = (parse_coordinate(row[k], "lat") for k in ("south", "north"))
        return shapely.make_valid(region_sea().intersection(box(west, south, east, north)))
    points = []
    for pair in row["points"].split(";"):
        lat_text, lon_text = (part.strip() for part in pair.split(","))
        points.append(Point(parse_coordinate(lon_text, "lon"), parse_coordinate(lat_text, "lat")))
    return points[0] if len(points) == 1 else MultiPoint(points)


def unlocated_refugia() -> list[str]:
    """Named refugia sites the project could not locate from a cited source."""
    with (FISHERIES_DIR / "refugia.csv").open(encoding="utf-8", newline="") as handle:
        return [r["name"] for r in csv.DictReader(handle) if not _located(r)]


def _data_version() -> str:
    """Cache version of the derived layers: changes whenever a data file they read changes."""
    digest = hashlib.sha256()
    for path in (FISHERIES_DIR / "fao_areas.json", FISHERIES_DIR / "moratorium.json", FISHERIES_DIR / "refugia.csv"):
        digest.update(path.read_bytes() if path.exists() else b"missing")
    return "2-" + digest.hexdigest()[:12]  # 2: refugia may be published points


LAYERS = [
    LayerSpec(
        id="fao-areas",
        section="fishing-areas",
        in_packs=True,
        title="FAO major fishing areas (statistical)",
        theme="fisheries",
        loader=load_fao_areas,
        style=Style(color="#2b6c8f", weight=1.2, fill_color="#2b6c8f", fill_opacity=0.05,
                    dash_array="2 6"),
        source="FAO CWP Handbook of Fishery Statistical Standards (major fishing areas); IHO S-23 (1953)",
        status="scientific",
        licence="Project data (Apache-2.0); area definitions are FAO's, typed from its text",
        description=(
            "FAO major fishing areas 57, 61 and 71 as sea polygons within the region. These are "
            "statistical areas defined by FAO for reporting catches, not jurisdictional zones; "
            "status 'scientific' is used because no status describes an international "
            "statistical convention better. The 61/71 line is typed from FAO's definition; "
            "the 57/71 split inside the Malacca Strait was not found in a citable text, so the "
            "strait (IHO limits) is one feature with fao_area '57/71'."
        ),
        derived=True,
        cache_version=_data_version(),
        display_tolerance=0.01,
    ),
    LayerSpec(
        id="fishing-moratorium",
        section="moratorium",
        in_packs=True,
        title="Summer fishing moratorium (China), South China Sea area",
        theme="fisheries",
        loader=load_moratorium,
        style=Style(color="#b5651d", weight=1.5, fill_color="#b5651d", fill_opacity=0.08,
                    dash_array="6 4"),
        source="Ministry of Agriculture (China) notices on the summer fishing moratorium, 2009–2017, as reported",
        status="official-unilateral",
        licence="Project data (Apache-2.0); facts from the cited notices",
        description=(
            "Published by one state and shown as context: the South China Sea north of 12°N "
            "up to the Fujian–Guangdong line, including the Beibu Gulf, 1 May 12:00 – 16 "
            "August 12:00. Only the 12°N limit is published as a coordinate: the northern "
            "limit is approximated by the Nan'ao–Eluanbi line and the eastern limit, not "
            "published, is drawn at 121°E and the Philippine coasts. Showing it implies "
            "nothing about jurisdiction."
        ),
        derived=True,
        cache_version=_data_version(),
        display_tolerance=0.01,
    ),
    LayerSpec(
        id="fisheries-refugia",
        section="environment",
        protection=True,
        in_packs=True,
        title="Fisheries refugia (UNEP/GEF/SEAFDEC)",
        theme="fisheries",
        loader=load_refugia,
        style=Style(color="#2e7d32", weight=1.2, fill_color="#2e7d32", fill_opacity=0.15),
        source="SEAFDEC/UNEP/GEF project 'Establishment and operation of a regional system of fisheries refugia in the South China Sea and Gulf of Thailand' (reports 2018–2022)",
        status="scientific",
        licence="Project data (Apache-2.0); facts from the cited reports",
        description=(
            "15 priority refugia sites in six countries (~1.36 million ha) were adopted by the "
            "project; only sites whose position a cited source gives are drawn: Phu Quoc as the "
            "sea within published bounding coordinates, three candidate shrimp refugia in West "
            "Kalimantan at their published points. Named, with species, season and published "
            "area where known, but not located: Trat, Surat Thani (Ban Don Bay), Koh Kong, Kep, "
            "Kampot and two adopted sites in Cambodia, Kuala Baram, Tanjung Leman (Johor), Bangka "
            "Belitung, Coron."),
        derived=True,
        cache_version=_data_version(),
    ),
]
