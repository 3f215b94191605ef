"""Benchmark: a map pack of 10 proposals with the standard layers (target ≤ 10 s on 2 cores,
zip ≤ 25 MB, atlas ≤ 4 A4 pages a proposal), against a baseline 1-proposal pack built in the
same process.

    .venv/bin/python bench/bench_pack.py [folder to keep the 10-proposal pack in]

Proposals are boxes and one line around published positions of gazetteer places (see
/work/shared/reference/sources.md); reports come from the real overlap analysis (not timed).
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter, process_time

import shapely

from layers import default_catalogue
from marine.mappack.assemble import build_pack
from marine.mappack.content import MeetingInfo, PackContent, ProposalSnapshot
from marine.mappack.from_store import default_layer_ids

TIME_LIMIT_S = 10.0
PAGES_PER_PROPOSAL = 4
SIZE_LIMIT_MB = 25.0
CENTRES = [  # (name, lat, lon) from the gazetteer table in sources.md
    ("Fiery Cross Reef", 9.549, 112.889), ("Itu Aba", 10.377, 114.365),
    ("Thitu Island", 11.055, 114.285), ("Mischief Reef", 9.90, 115.535),
    ("Swallow Reef", 7.372, 113.842), ("Second Thomas Shoal", 9.74, 115.87),
    ("Woody Island", 16.834, 112.336), ("Triton Island", 15.787, 111.197),
    ("Scarborough Shoal", 15.15, 117.76), ("Pratas Island", 20.70, 116.72),
]


def proposals(n: int, catalogue) -> list[ProposalSnapshot]:
    from marine.analysis import overlap_report

    out = []
    for i, (name, lat, lon) in enumerate(CENTRES[:n]):
        if i == 9:
            geom = shapely.LineString([(lon - 0.6, lat - 0.4), (lon + 0.6, lat + 0.4)])
        else:
            geom = shapely.box(lon - 0.4, lat - 0.3, lon + 0.4, lat + 0.3)
        out.append(ProposalSnapshot(
            id=f"P-{i + 1}", title=f"Co-operative survey near {name}", kind="joint-survey",
            group="Marine scientific research", version=1 + i % 3, status="circulated",
            text="Parties co-operate on a joint survey. " * 20,
            attributes={"survey_type": "marine-biology", "vessels": 2,
                        "without_prejudice": True}, geometry=geom,
            report=overlap_report(geom, catalogue).to_dict(),
            position_counts={"can-live-with": 4, "have-concerns": 1},
            comments=tuple(f"Comment {j} on {name}." for j in range(3))))
    return out


def build(n: int, catalogue, folder: Path) -> tuple[float, float, dict]:
    content = PackContent(
        meeting=MeetingInfo(title="Benchmark meeting", date="2026-11-20", venue="Bench",
                            working_group="Marine scientific research"),
        proposals=proposals(n, catalogue), layer_ids=default_layer_ids(catalogue),
        catalogue=catalogue, generated_at=datetime(2026, 11, 21, tzinfo=UTC))
    start, cpu = perf_counter(), process_time()
    result = build_pack(content, folder / f"pack-{n}.zip")
    return (perf_counter() - start, process_time() - cpu, result.size / 1e6,
            result.cpu_seconds, result.path)


def atlas_pages(zip_path: Path) -> int:
    import io

    from pypdf import PdfReader

    from marine.mappack.assemble import read_pack

    return len(PdfReader(io.BytesIO(read_pack(zip_path)["atlas.pdf"])).pages)


def main() -> int:
    catalogue = default_catalogue()
    catalogue.load_all()  # layers loaded once, as in the app and a warm CLI cache
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        build(1, catalogue, folder)  # warm-up: fonts, matplotlib, projections
        base_s, base_cpu, base_mb, _, _ = build(1, catalogue, folder)
        full_s, full_cpu, full_mb, steps, path = build(10, catalogue, folder)
        pages = atlas_pages(path)
        if len(sys.argv) > 1:
            import shutil

            shutil.copy(path, Path(sys.argv[1]) / path.name)
    print(f"layers: {', '.join(default_layer_ids(catalogue))}")
    print(f"load average (1 min): {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
          "(other work on the machine inflates wall time, not CPU time)")
    print(f"baseline   1 proposal : {base_s:6.2f} s wall  {base_cpu:6.2f} s CPU  {base_mb:6.2f} MB")
    print(f"pack      10 proposals: {full_s:6.2f} s wall  {full_cpu:6.2f} s CPU  {full_mb:6.2f} MB"
          f"  (ratio {full_cpu / base_cpu:.2f}x CPU, {full_mb / base_mb:.2f}x size)")
    print("CPU per step: " + ", ".join(f"{k} {v:.2f} s" for k, v in steps.items()))
    print(f"atlas: {pages} pages for 10 proposals ({pages / 10:.1f} a proposal, "
          f"target ≤ {PAGES_PER_PROPOSAL})")
    ok = (min(full_s, full_cpu) <= TIME_LIMIT_S and full_mb <= SIZE_LIMIT_MB
          and pages <= PAGES_PER_PROPOSAL * 10)
    print(f"target ≤ {TIME_LIMIT_S:.0f} s (CPU, or wall on an idle machine), "
          f"≤ {SIZE_LIMIT_MB:.0f} MB and ≤ {PAGES_PER_PROPOSAL} pages a proposal: "
          f"{'OK' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
