"""`marine pack`: build a map pack (atlas, offline map, data) for a meeting."""

from __future__ import annotations

import argparse
import sys
from datetime import date


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("pack", help="build a map pack zip: PDF atlas, offline map, GPKG/KML/CSV")
    p.add_argument("--group", required=True, help="working group (slug, name or number)")
    p.add_argument("--proposal", action="append", default=[], metavar="N[@V]",
                   help="proposal number, optionally @version (repeat; default: the whole group)")
    p.add_argument("--layers", default="",
                   help="comma-separated layer ids, a data-library layer optionally as id@version "
                        "(default: the standard context layers and the data library's)")
    p.add_argument("--title", required=True, help="meeting title (cover of the atlas)")
    p.add_argument("--date", default=date.today().isoformat(), help="meeting date, YYYY-MM-DD")
    p.add_argument("--venue", default="", help="meeting venue")
    p.add_argument("--page-size", choices=("A4", "Letter"), default="A4")
    p.add_argument("--lang", default="en",
                   help="language of the atlas, the offline map and the CSV headings "
                        "(en, zh, vi, fil, ms, id)")
    p.add_argument("--out", required=True, help="where to write the .zip")
    p.add_argument("--database-url",
                   help="SQLAlchemy URL (default: $MARINE_DATABASE_URL, else var/workspace.sqlite)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_pack)


def progress_bar(stream=None, width: int = 30):
    """A progress callback drawing `[#####-----]  50% message` on one terminal line."""
    stream = stream or sys.stderr

    def show(fraction: float, message: str) -> None:
        done = int(round(max(0.0, min(1.0, fraction)) * width))
        stream.write(f"\r[{'#' * done}{'-' * (width - done)}] {fraction:4.0%} {message:<40.40}")
        if fraction >= 1.0:
            stream.write("\n")
        stream.flush()

    return show


def _pack(args: argparse.Namespace) -> int:
    from layers import default_catalogue
    from marine.library import catalogue_with_library, split_versions
    from marine.mappack.assemble import build_pack
    from marine.mappack.content import PackRequest
    from marine.mappack.from_store import content_from_store
    from marine.store.access import SYSTEM
    from marine.store.service import Store

    # Data-library layers may be pinned to the version a pack used before: --layers id@2.
    layer_ids, versions = split_versions([i.strip() for i in args.layers.split(",") if i.strip()])
    request = PackRequest(
        group=args.group, proposal_ids=tuple(args.proposal), layer_ids=layer_ids,
        title=args.title, date=args.date, venue=args.venue, page_size=args.page_size,
        lang=args.lang)
    store = Store.open(args.database_url)
    try:
        catalogue = catalogue_with_library(default_catalogue(), store, SYSTEM, versions)
        content = content_from_store(store, request, catalogue)
    finally:
        store.close()
    if content.context_only:
        print(f"working group '{content.meeting.working_group}' has no proposals yet: "
              "the pack holds the context layers only (cover, overview, a map per theme, "
              "sources, offline map and data)")
    result = build_pack(content, args.out, progress=None if args.quiet else progress_bar())
    print(f"wrote {result.path} ({result.size / 1e6:.1f} MB, {len(result.manifest['files'])} "
          f"files, {len(content.proposals)} proposals, {sum(result.seconds.values()):.1f} s)")
    return 0
