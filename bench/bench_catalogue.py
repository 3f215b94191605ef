"""Benchmark: first-run build of the whole layer catalogue (target ≤ 60 s on 2 cores) and its
cached load (target ≤ 0.5 s), with the ratio cached / build.

    .venv/bin/python bench/bench_catalogue.py [--keep]

Each phase runs in a fresh Python process (as a user's first `marine layers build` and a
later app start would), against a throw-away cache folder given through MARINE_CACHE_DIR:
1. build: every derived layer built into the empty cache, every other layer loaded;
2. load: a new process loads every layer of `layers.all_specs()` from that cache; run
   LOAD_RUNS times, the best run is the figure (as `timeit` does: the machine is shared, and
   other processes only ever add time), the median is printed beside it.
Import time (geopandas, shapely, pyarrow's parquet reader) is reported separately and not
counted in either phase; wall time is the figure, CPU time of the process is printed too.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BUILD_TARGET_S = 60.0
LOAD_TARGET_S = 0.5
SLOWEST = 6
LOAD_RUNS = 3


def run_phase(phase: str) -> dict:
    """Inside the child process: time one phase of the whole catalogue, layer by layer."""
    from time import perf_counter, process_time

    start = perf_counter()
    import geopandas.io.arrow  # noqa: F401  (imported lazily by the first parquet read)
    import pyarrow.parquet  # noqa: F401

    from layers import all_specs
    from marine.catalogue import Catalogue
    from marine.config import cache_dir
    from marine.io.cache import LayerCache

    imported = perf_counter() - start
    catalogue = Catalogue(all_specs(), cache=LayerCache(cache_dir()))
    seconds: dict[str, float] = {}
    failed: dict[str, str] = {}
    cpu = process_time()
    start = perf_counter()
    for spec in catalogue:
        t0 = perf_counter()
        try:
            if phase == "build" and spec.derived:
                catalogue.build([spec.id])
            else:
                catalogue.load(spec.id)
        except Exception as exc:  # report and go on: one broken layer must not hide the rest
            failed[spec.id] = f"{type(exc).__name__}: {exc}"[:200]
        seconds[spec.id] = perf_counter() - t0
    total = perf_counter() - start
    return {"phase": phase, "import_s": imported, "total_s": total, "seconds": seconds,
            "cpu_s": process_time() - cpu, "failed": failed, "layers": len(catalogue)}


def spawn(phase: str, cache: Path) -> dict:
    env = {**os.environ, "MARINE_CACHE_DIR": str(cache)}
    done = subprocess.run([sys.executable, __file__, "--phase", phase], env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{phase} phase failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(build: dict, loads: list[dict], cache: Path) -> dict:
    size_mb = sum(p.stat().st_size for p in cache.glob("*.parquet")) / 1e6
    load = min(loads, key=lambda r: r["total_s"])
    median = sorted(r["total_s"] for r in loads)[len(loads) // 2]
    print(f"catalogue: {build['layers']} layers; cache {size_mb:.1f} MB of GeoParquet; "
          f"{os.cpu_count()} CPUs, load average now {os.getloadavg()[0]:.1f} (other processes "
          "inflate wall time; CPU time of the timed process is printed beside it)")
    print(f"imports (not counted): build process {build['import_s']:.2f} s, "
          f"load process {load['import_s']:.2f} s")
    runs = ", ".join(f"{r['total_s']:.3f}" for r in loads)
    print(f"load runs: {runs} s "
          f"(best {load['total_s']:.3f}, median {median:.3f})")
    for result, target in ((build, BUILD_TARGET_S), (load, LOAD_TARGET_S)):
        verdict = "OK" if result["total_s"] <= target else "OVER TARGET"
        print(f"{result['phase']:>5}: {result['total_s']:8.3f} s wall ({result['cpu_s']:.3f} s "
              f"CPU)   target ≤ {target:g} s   ({result['total_s'] / target:.2f} of target)  "
              f"{verdict}")
        slowest = sorted(result["seconds"].items(), key=lambda kv: -kv[1])[:SLOWEST]
        print("       slowest: " + ", ".join(f"{k} {v:.2f} s" for k, v in slowest))
        for layer_id, why in result["failed"].items():
            print(f"       FAILED {layer_id}: {why}")
    ratio = load["total_s"] / build["total_s"] if build["total_s"] else float("nan")
    print(f"ratio cached load / first build: {ratio:.4f} ({1 / ratio:.0f}× faster cached)")
    return load


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phase", choices=("build", "load"), help=argparse.SUPPRESS)
    parser.add_argument("--keep", action="store_true", help="keep the temporary cache folder")
    args = parser.parse_args(argv)
    if args.phase:  # child process
        print(json.dumps(run_phase(args.phase)))
        return 0
    cache = Path(tempfile.mkdtemp(prefix="marine-bench-cache-"))
    try:
        build = spawn("build", cache)
        loads = [spawn("load", cache) for _ in range(LOAD_RUNS)]
        load = report(build, loads, cache)
        failed = build["failed"] or load["failed"]
        over = build["total_s"] > BUILD_TARGET_S or load["total_s"] > LOAD_TARGET_S
        return 1 if failed or over else 0
    finally:
        if args.keep:
            print(f"cache kept in {cache}")
        else:
            shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
