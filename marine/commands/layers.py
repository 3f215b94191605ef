"""`marine layers list|build` — the catalogue from the command line."""

from __future__ import annotations

import argparse
from time import perf_counter


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("layers", help="list or build the layer catalogue")
    lsub = p.add_subparsers(dest="layers_command", required=True)
    lp = lsub.add_parser("list", help="print every layer with theme, status, features and source")
    lp.add_argument("--no-load", action="store_true", help="don't load layers (no counts)")
    lp.set_defaults(func=_list)
    bp = lsub.add_parser("build", help="rebuild the derived layers into the cache")
    bp.add_argument("ids", nargs="*", help="layer ids (default: all derived layers)")
    bp.set_defaults(func=_build)


def _list(args: argparse.Namespace) -> int:
    from layers import default_catalogue

    catalogue = default_catalogue()
    for theme, specs in catalogue.by_theme().items():
        print(f"\n== {theme}")
        for spec in specs:
            count = "" if args.no_load else f"{len(catalogue.load(spec.id)):>6} features  "
            note = f"  [no geometry: {spec.empty_reason}]" if spec.empty_reason else ""
            print(f"  {spec.id:<24} {count}{spec.status:<22} {spec.title}{note}")
            print(f"  {'':<24} source: {spec.source}  licence: {spec.licence}")
    return 0


def _build(args: argparse.Namespace) -> int:
    from layers import default_catalogue

    catalogue = default_catalogue()
    start = perf_counter()
    seconds = catalogue.build(args.ids or None)
    for layer_id, s in seconds.items():
        print(f"built {layer_id:<24} {s:6.2f} s")
    print(f"total {perf_counter() - start:.2f} s")
    return 0
