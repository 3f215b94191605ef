"""`marine layers list|build|import|remove` — the catalogue from the command line."""

from __future__ import annotations

import argparse
from pathlib import Path
from time import perf_counter


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("layers", help="list, build, import or remove layers of the catalogue")
    lsub = p.add_subparsers(dest="layers_command", required=True)
    lp = lsub.add_parser("list", help="print every layer with theme, status, features and source")
    lp.add_argument("--no-load", action="store_true", help="don't load layers (no counts)")
    _database_option(lp)
    lp.set_defaults(func=_list)
    bp = lsub.add_parser("build", help="rebuild the derived layers into the cache")
    bp.add_argument("ids", nargs="*", help="layer ids (default: all derived layers)")
    bp.set_defaults(func=_build)
    _register_import(lsub)
    rp = lsub.add_parser("remove", help="remove a data-library layer (its versions are kept)")
    rp.add_argument("id", help="layer id")
    _database_option(rp)
    rp.set_defaults(func=_remove)


def _database_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--database-url",
                   help="SQLAlchemy URL (default: $MARINE_DATABASE_URL, else var/workspace.sqlite)")


def _register_import(lsub) -> None:
    from marine.catalogue import STATUSES, THEMES

    ip = lsub.add_parser(
        "import", help="import a GeoJSON, KML/KMZ, GeoPackage or zipped shapefile into the "
        "data library (a new version when the id exists)")
    ip.add_argument("path", type=Path, help="the file to import")
    ip.add_argument("--id", required=True, dest="layer_id", help="layer id, e.g. national-parks")
    ip.add_argument("--title", required=True, help="the layer's title")
    ip.add_argument("--theme", required=True, choices=THEMES)
    ip.add_argument("--status", required=True, choices=STATUSES)
    ip.add_argument("--source", required=True, help="document and date the data comes from")
    ip.add_argument("--licence", required=True, help="licence of the data")
    ip.add_argument("--accuracy", required=True, help="how accurate the positions are")
    ip.add_argument("--label-field", help="attribute that names each feature")
    ip.add_argument("--group", help="working group that alone sees it (default: all participants)")
    _database_option(ip)
    ip.set_defaults(func=_import)


def _open_store(args):
    from marine.store.service import Store

    return Store.open(args.database_url)


def _list(args: argparse.Namespace) -> int:
    from layers import default_catalogue
    from marine.library import catalogue_with_library
    from marine.store.access import SYSTEM

    store = _open_store(args)
    try:
        catalogue = catalogue_with_library(default_catalogue(), store, SYSTEM)
        for theme, specs in catalogue.by_theme().items():
            print(f"\n== {theme}")
            for spec in specs:
                count = "" if args.no_load else f"{len(catalogue.load(spec.id)):>6} features  "
                note = f"  [no geometry: {spec.empty_reason}]" if spec.empty_reason else ""
                where = "  [data library]" if spec.imported else ""
                print(f"  {spec.id:<24} {count}{spec.status:<22} {spec.title}{note}{where}")
                print(f"  {'':<24} source: {spec.source}  licence: {spec.licence}")
    finally:
        store.close()
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


def _import(args: argparse.Namespace) -> int:
    from layers import default_catalogue
    from marine.errors import LayerError
    from marine.library import LayerMeta, import_file
    from marine.store.access import SYSTEM
    from marine.uploads import IMPORT_LIMITS, shown

    meta = LayerMeta(layer_id=args.layer_id, title=args.title, theme=args.theme,
                     status=args.status, source=args.source, licence=args.licence,
                     accuracy=args.accuracy, label_field=args.label_field, group=args.group)
    if not args.path.is_file():
        raise LayerError(f"'{shown(args.path)}' is not a file: give the path of the file")
    if args.path.stat().st_size > IMPORT_LIMITS.max_bytes:
        raise LayerError(f"'{shown(args.path.name)}' is larger than the import limit of "
                         f"{IMPORT_LIMITS.max_bytes // 2**20} MB: clip or simplify it first")
    start = perf_counter()
    store = _open_store(args)
    try:
        layer, notes = import_file(store, SYSTEM, default_catalogue(), meta, args.path.name,
                                   args.path.read_bytes())
    finally:
        store.close()
    for note in notes:
        print(f"note: {note}")
    print(f"imported {layer.layer_id} version {layer.version}: {layer.feature_count} features "
          f"({perf_counter() - start:.1f} s)")
    return 0


def _remove(args: argparse.Namespace) -> int:
    from marine.store.access import SYSTEM

    store = _open_store(args)
    try:
        layer = store.library.remove(SYSTEM, args.id)
    finally:
        store.close()
    print(f"removed {layer.layer_id} from the catalogue; its {layer.version} version(s) are kept")
    return 0
