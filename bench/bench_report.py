"""Benchmark: the overlap report for ~100 realistic proposals against the full-resolution
catalogue, and in the same run a naive baseline (per layer geopandas overlay / clip /
sjoin on the loaded frames, no prepared index, no tiles).

    .venv/bin/python bench/bench_report.py [--n 100] [--baseline-every 1]

Proposals are generated deterministically (seeded) across the region: small boxes around
real reefs and islands of the `reefs` layer, lane corridors (10–20 nm either side of a
track), large basins (3–8° polygons), plus survey lines and point sets. Prints median and
p95 milliseconds per proposal for both, and the ratio. Targets: median ≤ 50 ms and ≥ 20×
faster than the baseline. A benchmark, not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import statistics
from time import perf_counter

import geopandas as gpd
import numpy as np
import shapely
from shapely.ops import nearest_points

import layers
from marine.analysis import AnalysisIndex, overlap_report
from marine.geo import STORAGE_CRS, buffer_nm, distance_nm, geodesic_area_km2, geodesic_length_km

SEED = 20261123
SEA = (105.0, 5.0, 121.0, 21.0)  # where proposals are placed (the sea's core)


# --------------------------------------------------------------------------- proposals
def proposals(catalogue, n: int) -> list[tuple[str, shapely.Geometry]]:
    rng = np.random.default_rng(SEED)
    counts = {"reef box": int(n * 0.4), "lane corridor": int(n * 0.3),
              "large basin": int(n * 0.2)}
    counts["survey line"] = (n - sum(counts.values())) // 2
    counts["point set"] = n - sum(counts.values())
    reefs = _reef_centres(catalogue)
    out = []
    for _ in range(counts["reef box"]):
        x, y = reefs[rng.integers(len(reefs))]
        half = rng.uniform(0.05, 0.3)
        out.append(("reef box", shapely.box(x - half, y - half * 0.8, x + half, y + half)))
    for _ in range(counts["lane corridor"]):
        track = _random_track(rng, rng.uniform(2, 6))
        out.append(("lane corridor", buffer_nm(track, rng.uniform(10, 20))))
    for _ in range(counts["large basin"]):
        out.append(("large basin", _basin(rng)))
    for _ in range(counts["survey line"]):
        out.append(("survey line", _random_track(rng, rng.uniform(1, 8), vertices=6)))
    for _ in range(counts["point set"]):
        x, y = rng.uniform(SEA[0], SEA[2]), rng.uniform(SEA[1], SEA[3])
        pts = np.column_stack([x + rng.normal(0, 0.5, 8), y + rng.normal(0, 0.5, 8)])
        out.append(("point set", shapely.MultiPoint(pts)))
    return out


def _reef_centres(catalogue) -> np.ndarray:
    if "reefs" in catalogue.specs:
        reefs = catalogue.load("reefs")
        if len(reefs):
            return shapely.get_coordinates(reefs.geometry.representative_point())
    return np.array([[114.0, 10.0], [112.3, 16.8], [117.76, 15.15]])  # fallback: 3 places


def _random_track(rng, length_deg: float, vertices: int = 2) -> shapely.LineString:
    x, y = rng.uniform(SEA[0] + 2, SEA[2] - 2), rng.uniform(SEA[1] + 2, SEA[3] - 2)
    heading = rng.uniform(0, 2 * np.pi)
    step = length_deg / (vertices - 1)
    pts = [(x, y)]
    for _ in range(vertices - 1):
        heading += rng.normal(0, 0.3)
        x, y = x + step * np.cos(heading), y + step * np.sin(heading)
        pts.append((x, y))
    return shapely.LineString(pts)


def _basin(rng) -> shapely.Polygon:
    cx, cy = rng.uniform(108, 118), rng.uniform(7, 18)
    r = rng.uniform(1.5, 4.0)
    angles = np.sort(rng.uniform(0, 2 * np.pi, 9))
    radii = r * rng.uniform(0.7, 1.0, 9)
    return shapely.Polygon(np.column_stack([cx + radii * np.cos(angles),
                                            cy + radii * np.sin(angles)]))


# --------------------------------------------------------------------------- baseline
def naive_report(geometry, frames: dict[str, gpd.GeoDataFrame]) -> dict:
    """The straightforward way: per layer, geopandas overlay/clip/sjoin, then measure each
    result geodesically; nearest ports by measuring every port."""
    prop = gpd.GeoDataFrame({"proposal": [1]}, geometry=[geometry], crs=STORAGE_CRS)
    kind = {"Polygon": "area", "MultiPolygon": "area", "LineString": "line",
            "MultiLineString": "line"}.get(geometry.geom_type, "points")
    out: dict[str, float] = {"size": geodesic_area_km2(geometry) or geodesic_length_km(geometry)}
    for layer_id, frame in frames.items():
        if len(frame) == 0:
            continue
        layer_kind = frame.geometry.iloc[0].geom_type
        if "Polygon" in layer_kind and kind != "points":
            pieces = gpd.overlay(prop, frame, how="intersection", keep_geom_type=True)
            measure = geodesic_area_km2 if kind == "area" else geodesic_length_km
            out[layer_id] = sum(measure(g) for g in pieces.geometry)
        elif "Polygon" in layer_kind:
            pts = prop.explode(index_parts=False)
            out[layer_id] = float(len(gpd.sjoin(pts, frame, predicate="within")))
        elif "LineString" in layer_kind and kind == "area":
            out[layer_id] = sum(geodesic_length_km(g) for g in gpd.clip(frame, geometry).geometry)
        elif "LineString" in layer_kind and kind == "line":
            hits = gpd.sjoin(frame, prop, predicate="intersects")
            out[layer_id] = float(sum(len(shapely.get_parts(g.intersection(geometry)))
                                      for g in hits.geometry))
        elif kind == "area":
            out[layer_id] = float(len(gpd.sjoin(frame, prop, predicate="within")))
        if layer_id in ("ports", "places"):
            out[f"{layer_id}-nearest"] = sorted(
                distance_nm(*nearest_points(geometry, p)[0].coords[0],
                            *p.coords[0]) for p in frame.geometry)[:5]
    return out


# --------------------------------------------------------------------------- run
def _stats(ms: list[float]) -> tuple[float, float, float]:
    return statistics.median(ms), float(np.percentile(ms, 95)), statistics.fmean(ms)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100, help="number of proposals")
    parser.add_argument("--baseline-every", type=int, default=1,
                        help="run the baseline on every k-th proposal (1 = all)")
    args = parser.parse_args(argv)

    catalogue = layers.default_catalogue()
    start = perf_counter()
    frames = {s.id: catalogue.load(s.id) for s in catalogue.analysis_layers()
              if s.measured}
    print(f"layers loaded: {len(frames)} in {perf_counter() - start:.1f} s "
          f"({sum(len(f) for f in frames.values()):,} features)")
    start = perf_counter()
    index = AnalysisIndex.for_catalogue(catalogue).warm()
    print(f"index built once: {perf_counter() - start:.1f} s "
          f"({sum(len(k.parts) for layer in index.layers.values() for k in layer.kinds.values()):,}"
          " parts)")
    items = proposals(catalogue, args.n)

    fast, slow, kinds, checks = [], [], [], []
    for i, (kind, geom) in enumerate(items):
        t = perf_counter()
        report = overlap_report(geom, index)
        fast.append((perf_counter() - t) * 1000)
        kinds.append(kind)
        if i % args.baseline_every == 0:
            t = perf_counter()
            naive = naive_report(geom, frames)
            slow.append((perf_counter() - t) * 1000)
            land = report.layer("land")
            if naive.get("land", 0) > 1 and land is not None and kind != "survey line":
                checks.append((abs(land.area_km2 - naive["land"]) / naive["land"],
                               abs(land.area_km2 - naive["land"]), naive["land"], kind))

    print(f"\n{len(items)} proposals; baseline on {len(slow)}")
    for kind in dict.fromkeys(kinds):
        ms = [m for m, k in zip(fast, kinds, strict=True) if k == kind]
        med, p95, _ = _stats(ms)
        print(f"  {kind:14s} n={len(ms):3d}  median {med:7.1f} ms  p95 {p95:7.1f} ms")
    fm, fp, fmean = _stats(fast)
    sm, sp, smean = _stats(slow)
    print(f"\nreport  : median {fm:7.1f} ms  p95 {fp:7.1f} ms  mean {fmean:7.1f} ms")
    print(f"baseline: median {sm:7.1f} ms  p95 {sp:7.1f} ms  mean {smean:7.1f} ms")
    print(f"ratio (baseline / report): median {sm / fm:5.1f}×  p95 {sp / fp:5.1f}×  "
          f"mean {smean / fmean:5.1f}×")
    if checks:
        rel, diff, total, kind = max(checks)
        # The report reads a proposal's edges as geodesics (densified), the baseline as
        # straight lines in lon/lat: where a long edge crosses land the two differ slightly.
        print(f"land overlap vs baseline ({len(checks)} proposals touching land): worst "
              f"{rel:.2e} relative = {diff:.3f} km² of {total:.1f} km² ({kind}); median "
              f"{statistics.median(c[0] for c in checks):.1e} (edges read as geodesics vs "
              "straight lon/lat)")
    print(f"targets: median ≤ 50 ms → {'met' if fm <= 50 else 'NOT met'}; "
          f"≥ 20× baseline → {'met' if sm / fm >= 20 else 'NOT met'}")


if __name__ == "__main__":
    main()
