"""Autosave benchmark: the server time of keeping a draft after one change (issue 11: median
<= 20 ms), on a temp SQLite file or a PostgreSQL database.

    .venv/bin/python bench/bench_drafts.py
    .venv/bin/python bench/bench_drafts.py --database-url postgresql+psycopg://u@127.0.0.1/db

What the Draft page does after every change is timed: the draft's digest, compared with what
the store holds, and `Store.drafts.save` (one transaction: the caller's rights, the owner check,
the write). Printed with ratios against baselines run in the same process on the same data:
an autosave of unchanged content (no write), and saving the same content as a new proposal
version (what a save did before drafts were kept). Synthetic draft: a 200-vertex area in the
study region, every common field filled, a text of 2,000 characters.
"""

from __future__ import annotations

import argparse
import math
import statistics
import tempfile
import time
from pathlib import Path

import shapely

from marine.drafting import Draft
from marine.store import SYSTEM, Store

TARGET_MS = 20.0


def sample_draft() -> Draft:
    ring = [(114 + math.cos(a) * 0.8, 10 + math.sin(a) * 0.5)
            for a in (i * 2 * math.pi / 200 for i in range(200))]
    area = shapely.Polygon(ring)
    return Draft(group="marine-scientific-research", template="joint-survey",
                 fields={"title": "Joint plankton survey", "summary": "Two vessels. " * 20,
                         "participants": "Institutes A and B", "start_date": "2027-03-01",
                         "without_prejudice": True, "survey_type": "oceanography",
                         "vessels": 2},
                 text="A joint survey of plankton, open to all parties. " * 40,
                 geometry=shapely.geometry.mapping(area), geometry_kind="area",
                 geometry_source="drawn")


def timed(fn, n: int) -> list[float]:
    out = []
    for i in range(n):
        start = time.perf_counter()
        fn(i)
        out.append((time.perf_counter() - start) * 1000)
    return out


def run(url: str, n: int) -> dict[str, float]:
    store = Store.open(url)
    try:
        user = store.users.create(SYSTEM, "bench-drafter", "Bench drafter")
        store.groups.add_member(SYSTEM, "marine-scientific-research", user.id, "member")
        base = sample_draft()
        kept = store.drafts.save(user, base)
        state = {"digest": kept.digest}

        def autosave(i: int) -> None:  # one change: a character more in the text
            draft = Draft.from_json({**base.to_json(), "text": base.text + str(i)})
            digest = draft.digest()
            if digest != state["digest"]:
                state["digest"] = store.drafts.save(user, draft, kept.id).digest

        same = Draft.from_json({**base.to_json(), "text": base.text + "same"})
        store.drafts.save(user, same, kept.id)
        unchanged = timed(lambda i: store.drafts.save(user, same, kept.id), n)
        changed = timed(autosave, n)
        geometry = shapely.geometry.shape(base.geometry)
        proposal = store.proposals.create(user, group=base.group, kind=base.template,
                                          title=base.title, text=base.text, geometry=geometry,
                                          attributes=dict(base.fields))
        versions = {"n": 1}

        def version(i: int) -> None:
            store.proposals.save_version(user, proposal.id, base_version=versions["n"],
                                         title=base.title, text=base.text + str(i),
                                         geometry=geometry, attributes=dict(base.fields))
            versions["n"] += 1

        saves = timed(version, max(20, n // 5))
        assert len(store.drafts.list(user)) == 1  # every autosave updated the one draft
        return {"autosave": statistics.median(changed),
                "autosave p95": sorted(changed)[int(len(changed) * 0.95) - 1],
                "unchanged": statistics.median(unchanged),
                "version": statistics.median(saves)}
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a temp SQLite file")
    parser.add_argument("-n", type=int, default=300, help="changes to time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        figures = run(url, args.n)
    print(f"autosave after one change: median {figures['autosave']:.1f} ms "
          f"(p95 {figures['autosave p95']:.1f} ms), target <= {TARGET_MS:g} ms: "
          f"{'met' if figures['autosave'] <= TARGET_MS else 'MISSED'}")
    print(f"  vs unchanged content (no write): {figures['unchanged']:.1f} ms, ratio "
          f"{figures['autosave'] / figures['unchanged']:.2f}")
    print(f"  vs saving a proposal version:    {figures['version']:.1f} ms, ratio "
          f"{figures['autosave'] / figures['version']:.2f}")


if __name__ == "__main__":
    main()
