"""`marine` — the workspace's capabilities, headless.

Each command family lives in its own module exposing `register(subparsers)`; this file only
lists them, so adding a family touches one line here.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from marine.errors import MarineError

# (module, attribute) of every command family; a family whose module is missing is skipped
# only while the workspace is being assembled, never silently in a release (tests list them).
COMMAND_MODULES = (
    "marine.commands.layers",
    "marine.commands.serve",
    "marine.store.commands",
    "marine.mappack.commands",
    "marine.commands.check",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="marine",
        description="Co-operative marine management workspace for the South China Sea "
        "(without prejudice to territorial and jurisdictional claims).",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if not exc.name or not name.startswith(exc.name):
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except MarineError as exc:
        print(f"marine: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
