#!/usr/bin/env python3
"""Fetch the map's web assets (Leaflet, plugins, fonts) into static/vendor/ from the npm registry.

The folder is `vendor/` of `marine.config.static_dir()` (`./workspace` sets MARINE_STATIC_DIR to
the checkout's static/); `--vendor-dir` puts them elsewhere, e.g. for an installed wheel.

Reads the table in `marine/offline_assets.py` (`ASSETS`): for each (package, version) it runs
`npm pack` (npm's own cache makes a re-fetch work offline), unpacks the runtime files into
`static/vendor/<package>@<version>/`, makes the derived files, checks that every file of the table
is there and writes `static/vendor/.complete` with the table's hash. A second run with the same
table does nothing.

    scripts/fetch_web_assets.py            fetch what is missing
    scripts/fetch_web_assets.py --check    exit 1 (and list the files) if anything is missing
    scripts/fetch_web_assets.py --list     print the table: url -> vendored path
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run before `pip install -e`

from marine.offline_assets import (  # noqa: E402
    ASSETS,
    COMPLETE_STAMP,
    DERIVED,
    Asset,
    is_complete,
    missing_files,
    table_digest,
    vendor_dir,
)

# Runtime files only: no sources, examples, docs, or Font Awesome's 2,000 loose SVGs.
KEEP_SUFFIXES = {".js", ".css", ".png", ".gif", ".svg", ".woff", ".woff2", ".ttf", ".eot"}
SKIP_DIRS = {"svgs", "sprites", "less", "scss", "example", "examples", "docs", "test", "tests",
             "spec", ".idea", "node_modules", "grunt", "build", "metadata", "js/tests"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendor-dir", type=Path, default=vendor_dir(),
                        help="default: vendor/ of MARINE_STATIC_DIR (./workspace: static/)")
    parser.add_argument("--check", action="store_true", help="only report what is missing")
    parser.add_argument("--list", action="store_true", help="print url -> vendored path")
    args = parser.parse_args(argv)
    vendor: Path = args.vendor_dir
    if args.list:
        for asset in ASSETS:
            print(f"{asset.url} -> {asset.relpath}")
        return 0
    if is_complete(vendor):
        return 0
    if args.check:
        for path in missing_files(vendor) or [vendor / COMPLETE_STAMP]:
            print(f"missing: {path}", file=sys.stderr)
        return 1
    fetch(vendor)
    return 0


def fetch(vendor: Path) -> None:
    vendor.mkdir(parents=True, exist_ok=True)
    (vendor / COMPLETE_STAMP).unlink(missing_ok=True)
    packages = sorted({(a.package, a.version) for a in ASSETS if a.package})
    with tempfile.TemporaryDirectory(prefix="marine-npm-") as tmp:
        for package, version in packages:
            target = vendor / f"{package}@{version}"
            if not _package_has_its_files(package, version, vendor):
                tarball = npm_pack(package, version, Path(tmp))
                unpack(tarball, target)
    for asset in ASSETS:
        if asset.derive:
            make_derived(asset, vendor)
    missing = missing_files(vendor)
    if missing:
        raise SystemExit("fetch_web_assets: still missing after fetching:\n  "
                         + "\n  ".join(map(str, missing))
                         + "\nthe path in marine/offline_assets.py ASSETS is wrong for that "
                           "package: fix the table")
    (vendor / COMPLETE_STAMP).write_text(table_digest() + "\n")
    print(f"fetch_web_assets: {len(ASSETS)} web assets in {vendor}")


def _package_has_its_files(package: str, version: str, vendor: Path) -> bool:
    own = [a for a in ASSETS if (a.package, a.version) == (package, version) and not a.derive]
    return bool(own) and all(a.local_path(vendor).is_file() for a in own)


def npm_pack(package: str, version: str, into: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("fetch_web_assets: `npm` is not installed: `apt-get install npm` "
                         "(./workspace does this when run as root)")
    spec = f"{package}@{version}"
    done = subprocess.run([npm, "pack", spec, "--pack-destination", str(into), "--silent"],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"fetch_web_assets: `npm pack {spec}` failed:\n{done.stderr.strip()}")
    return into / done.stdout.strip().splitlines()[-1]


def unpack(tarball: Path, target: Path) -> None:
    """Runtime files of an npm tarball (`package/...`) into `target`, replacing it."""
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    with tarfile.open(tarball, "r:gz") as tar:
        for member in tar.getmembers():
            rel = _kept_path(member)
            if rel is None:
                continue
            out = staging / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            if source is not None:
                out.write_bytes(source.read())
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)


def _kept_path(member: tarfile.TarInfo) -> str | None:
    if not member.isfile():
        return None
    parts = member.name.split("/")[1:]  # npm tarballs put everything under one top folder
    if not parts or ".." in parts or any(p in SKIP_DIRS for p in parts[:-1]):
        return None
    name = parts[-1]
    if Path(name).suffix.lower() in KEEP_SUFFIXES or name.upper().startswith("LICEN"):
        return "/".join(parts)
    return None


def make_derived(asset: Asset, vendor: Path) -> None:
    out = asset.local_path(vendor)
    out.parent.mkdir(parents=True, exist_ok=True)
    if asset.derive == "glyphicons":
        source = (vendor / asset.folder / "dist/css/bootstrap.css").read_text(encoding="utf-8")
        text = DERIVED["glyphicons"](source)
    else:
        text = DERIVED[asset.derive]()
    out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
