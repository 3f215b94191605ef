"""Store benchmark: 10,000 proposals, list/filter and "touching this view" bbox queries.

    .venv/bin/python bench/bench_store.py                       # temp SQLite file
    .venv/bin/python bench/bench_store.py --database-url postgresql+psycopg://u@127.0.0.1:5432/db

Targets (issue 4): list/filter median <= 100 ms, bbox median <= 50 ms. Each figure is printed
with its ratio against a baseline run in the same process on the same data: the same answer
computed without the store's indexes (every visible row read, filtered, sorted and
intersected in Python with shapely). Synthetic proposals: random polygons in the study region
(seeded, reproducible) — benchmark load, not data.

Seeding writes the rows the way `Proposals.create` does (same validation and WKB), in bulk in
one transaction; a sample of real `create` calls measures the save rate separately.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely
from sqlalchemy import insert, select

from marine.config import REGION_BOUNDS
from marine.store import SYSTEM, Store
from marine.store.models import ProposalRow, VersionRow, utcnow
from marine.store.proposals import _version_fields

STATUSES = ("draft",) * 8 + ("circulated",) * 6 + ("discussed",) * 3 + ("recommended",) * 2 + ("withdrawn",)
KINDS = ("joint-research-area", "fisheries-cooperation", "marine-protected-area", "search-and-rescue")
WORDS = ("reef", "survey", "fisheries", "navigation", "monitoring", "joint", "pilot", "data", "habitat")
TARGETS_MS = {"list": 100.0, "bbox": 50.0}


def random_polygon(rng: np.random.Generator) -> shapely.Polygon:
    minx, miny, maxx, maxy = REGION_BOUNDS
    cx, cy = rng.uniform(minx + 1, maxx - 1), rng.uniform(miny + 1, maxy - 1)
    radius = rng.uniform(0.05, 1.0)
    points = np.column_stack([cx + radius * rng.uniform(-1, 1, 10), cy + radius * rng.uniform(-1, 1, 10)])
    return shapely.MultiPoint(points).convex_hull


def seed(store: Store, n: int, rng: np.random.Generator):
    """n proposals with one version each, spread over the five groups, plus the readers."""
    groups = [g.id for g in store.groups.list()]
    author = store.users.create(SYSTEM, "bench-author", "Bench author", is_admin=True)
    member = store.users.create(SYSTEM, "bench-member", "Bench member")
    store.groups.add_member(SYSTEM, groups[0], member.id, "member")
    store.groups.add_member(SYSTEM, groups[1], member.id, "observer")
    now = utcnow()
    proposals, versions = [], []
    for i in range(1, n + 1):
        title = " ".join(rng.choice(WORDS, 3)) + f" {i}"
        fields = _version_fields(title, "text", random_polygon(rng), {"i": i}, {"area_km2": float(i)})
        status = str(rng.choice(STATUSES))
        proposals.append({
            "id": i, "kind": str(rng.choice(KINDS)), "group_id": int(rng.choice(groups)), "status": status,
            "was_circulated": status != "draft", "created_by": author.id, "created_at": now,
            "updated_at": now, "latest_version": 1,
            **{k: fields[k] for k in ("title", "geometry_wkb", "minx", "miny", "maxx", "maxy")},
        })
        versions.append({"proposal_id": i, "number": 1, "created_at": now, "created_by": author.id, **fields})
    with store.db.writing() as session:
        for start in range(0, n, 2000):
            session.execute(insert(ProposalRow.__table__), proposals[start : start + 2000])
            session.execute(insert(VersionRow.__table__), versions[start : start + 2000])
        if store.backend == "postgresql":
            for table in ("proposals", "proposal_versions"):
                session.connection().exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
    if store.backend == "postgresql":
        with store.db.engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
    return author, member


def median_ms(fn, repeat: int) -> float:
    fn()  # warm caches and statement compilation
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def baseline_rows(store: Store, member_groups: set[int]):
    """Every visible row with its geometry, read without any index-backed filter."""
    with store.db.reading() as session:
        rows = session.execute(select(ProposalRow)).scalars().all()
    return [r for r in rows if r.group_id in member_groups or
            (r.status != "draft" and (r.status != "withdrawn" or r.was_circulated))]


def baseline_list(store, member_groups, status=None, search=None):
    rows = [r for r in baseline_rows(store, member_groups)
            if (status is None or r.status == status) and (search is None or search in r.title.lower())]
    return sorted(rows, key=lambda r: (r.updated_at, r.id), reverse=True)[:100]


def baseline_bbox(store, member_groups, view):
    rows = baseline_rows(store, member_groups)
    geoms = shapely.from_wkb([r.geometry_wkb for r in rows])
    hits = shapely.intersects(geoms, shapely.box(*view))
    return sorted((r for r, h in zip(rows, hits, strict=True) if h),
                  key=lambda r: (r.updated_at, r.id), reverse=True)[:100]


def random_views(rng, count: int, size: tuple[float, float]):
    minx, miny, maxx, maxy = REGION_BOUNDS
    views = []
    for _ in range(count):
        x, y = rng.uniform(minx, maxx - size[0]), rng.uniform(miny, maxy - size[1])
        views.append((x, y, x + size[0], y + size[1]))
    return views


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=25)
    parser.add_argument("--database-url", help="an EMPTY database (default: a temp SQLite file)")
    args = parser.parse_args()
    rng = np.random.default_rng(20261123)
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp(prefix='bench-store-')) / 'w.sqlite'}"
    store = Store.open(url)
    print(f"backend {store.backend}, spatial index {store.db.spatial}, {args.n} proposals")
    start = time.perf_counter()
    _, member = seed(store, args.n, rng)
    print(f"seeded in {time.perf_counter() - start:.1f} s (bulk)")
    member_groups = {m.group.id for m in store.groups.memberships(member) if m.role != "observer"}

    results = []
    list_cases = {
        "list: first page": (lambda: store.proposals.list(member), lambda: baseline_list(store, member_groups)),
        "list: status=circulated": (lambda: store.proposals.list(member, status="circulated"),
                                    lambda: baseline_list(store, member_groups, status="circulated")),
        "list: title search 'reef'": (lambda: store.proposals.list(member, search="reef"),
                                      lambda: baseline_list(store, member_groups, search="reef")),
    }
    for name, (ours, base) in list_cases.items():
        assert [s.id for s in ours()] == [r.id for r in base()], name
        results.append((name, "list", median_ms(ours, args.repeat), median_ms(base, max(5, args.repeat // 5))))
    for label, size in (("bbox: 5x4 deg view", (5.0, 4.0)), ("bbox: 1x1 deg view", (1.0, 1.0))):
        views = random_views(rng, args.repeat, size)
        for view in views[:5]:
            assert [s.id for s in store.proposals.list(member, bbox=view)] == \
                [r.id for r in baseline_bbox(store, member_groups, view)], view
        it = iter(views * 2)
        ours = median_ms(lambda it=it: store.proposals.list(member, bbox=next(it)), args.repeat - 1)
        base = median_ms(lambda v=views[0]: baseline_bbox(store, member_groups, v), max(5, args.repeat // 5))
        results.append((label, "bbox", ours, base))

    print(f"\n{'query':<30}{'median ms':>10}{'baseline ms':>13}{'ratio':>8}  target")
    failed = False
    for name, kind, ours, base in results:
        ok = ours <= TARGETS_MS[kind]
        failed |= not ok
        print(f"{name:<30}{ours:>10.2f}{base:>13.1f}{ours / base:>8.3f}  <= {TARGETS_MS[kind]:.0f} ms "
              f"{'ok' if ok else 'MISSED'}")

    author = store.users.find("bench-author")
    geometry = random_polygon(rng)
    save = median_ms(lambda: store.proposals.create(author, group="legal-matters", kind="k", title="t",
                                                    text="", geometry=geometry), 20)
    print(f"\nProposals.create (one transaction, with audit): median {save:.1f} ms")
    store.close()
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
