"""`marine check [--quick]`: run every hardening check and print its figures in one table.

    marine check            full sizes (the figures quoted in README "Reliability")
    marine check --quick    the small sizes the test suite uses
    marine check --only writers,kills

PostgreSQL writers run too when MARINE_CHECK_POSTGRES_URL names a server database the
command may create databases from (e.g. postgresql+psycopg://marine@127.0.0.1:5432/postgres).
Exit code 1 when any figure misses its bar.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

COLUMNS = ("check", "scenario", "measure", "value", "ok")
HARNESS = "reliability"  # top-level package of the source checkout, not in the wheel
NEEDS_CHECKOUT = (
    "marine check: the reliability checks (concurrent writers, killed writers, app sessions, "
    "bad inputs) live in the source checkout's reliability/ folder, not in the installed "
    "package; run them from a checkout with `./workspace check` (or put the checkout on "
    "PYTHONPATH: `PYTHONPATH=/path/to/checkout marine check`)"
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="hardening figures: writers, kills, sessions, bad inputs")
    p.add_argument("--quick", action="store_true", help="small sizes (about a minute)")
    p.add_argument("--only", default="", help="comma-separated check names, e.g. writers,kills")
    p.add_argument("--workdir", type=Path, help="keep the databases and logs here")
    p.set_defaults(func=_check)


def format_table(figures) -> str:
    rows = [(f.check, f.scenario, f.measure, str(f.value), "ok" if f.ok else "FAIL")
            for f in figures]
    widths = [max(len(c), *(len(r[i]) for r in rows)) if rows else len(c)
              for i, c in enumerate(COLUMNS)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))  # noqa: E731
    return "\n".join([line(COLUMNS), line(["-" * w for w in widths]), *map(line, rows)])


def _selected(checks, only: str):
    if not only:
        return checks
    wanted = {n.strip() for n in only.split(",") if n.strip()}
    known = {c.name for c in checks}
    if wanted - known:
        raise SystemExit(f"marine check: unknown check(s) {sorted(wanted - known)}; "
                         f"choose from {sorted(known)}")
    return [c for c in checks if c.name in wanted]


def harness_checks() -> list:
    """The harness's checks; a clear exit when the harness is not importable (installed
    package without a checkout)."""
    try:
        from reliability.checks import load_checks
    except ModuleNotFoundError as missing:
        if missing.name != HARNESS:
            raise
        raise SystemExit(NEEDS_CHECKOUT) from None
    return load_checks()


def _check(args: argparse.Namespace) -> int:
    checks = _selected(harness_checks(), args.only)
    figures, started = [], time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="marine-check-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        for check in checks:
            print(f"marine check: {check.name} — {check.description} ...", file=sys.stderr,
                  flush=True)
            for result in check.run(args.quick, workdir):
                figures += result.rows()
                for problem in getattr(result, "problems", ())[:20]:
                    print(f"  {check.name}: {problem}", file=sys.stderr)
    print(format_table(figures))
    failed = [f for f in figures if not f.ok]
    print(f"\n{len(figures)} figures, {len(failed)} failing, "
          f"{time.perf_counter() - started:.0f} s ({'quick' if args.quick else 'full'} sizes)")
    return 1 if failed else 0
