"""Sign-in benchmark: do a wrong password, an unknown name and a deactivated account cost the
same, and what does a throttled refusal cost?

    .venv/bin/python bench/bench_signin.py [--tries 15] [--database-url ...]

The baseline, run in the same process on the same store, is a wrong password for a real account
(one argon2 verification plus the two short transactions that count the try). Ratios near 1.0
for an unknown name and a deactivated account mean the answer time tells nothing about which
names exist. Every measured try uses a fresh name, so the back-off never starts; the refused
tries measure the cost of a refusal (no argon2: a guesser learns nothing from it either).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from marine.store import SYSTEM, Store

PASSWORD = "correct horse battery"


def _timed_ms(store: Store, name: str) -> float:
    start = time.perf_counter()
    result = store.users.sign_in(name, "not the password")
    elapsed = (time.perf_counter() - start) * 1000
    assert not result.ok
    return elapsed


def _interleaved(store: Store, kinds: dict[str, list[str]]) -> dict[str, float]:
    """Median per kind, the kinds taking turns (a busy machine slows them all alike)."""
    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    for i in range(len(next(iter(kinds.values())))):
        for kind, names in kinds.items():
            times[kind].append(_timed_ms(store, names[i]))
    return {kind: statistics.median(values) for kind, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=15)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite'}"
    store = Store.open(url)
    n = args.tries
    real = [f"real-{i}" for i in range(n)]
    gone = [f"gone-{i}" for i in range(n)]
    for name in real + gone:
        store.users.create(SYSTEM, name, name, password=PASSWORD)
    for name in gone:
        store.users.set_active(SYSTEM, name, False)
    for _ in range(store.policy.free_failures):  # one name past the free tries, for refusals
        store.users.sign_in("hammered", "guess")
    figures = _interleaved(store, {
        "wrong password": real,
        "unknown name": [f"nobody-{i}" for i in range(n)],
        "deactivated account": gone,
        "refused (too early)": ["hammered"] * n,
    })
    baseline = figures.pop("wrong password")
    print(f"wrong password (baseline): median {baseline:.1f} ms over {n} tries ({store.backend})")
    for label, ms in figures.items():
        print(f"{label:>22}: median {ms:.1f} ms, ratio {ms / baseline:.2f}")
    store.close()


if __name__ == "__main__":
    main()
