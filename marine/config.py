"""Where things live. Everything can be moved with an environment variable.

The source data files ship inside the installed product as the package `marine_data` (the
repository's `data/` folder; see pyproject.toml) and are found through `importlib.resources`,
so an installed wheel run from any folder reads the same files as a checkout. Nothing here
looks at the working directory or at a source checkout.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

DATA_PACKAGE = "marine_data"

# The study region: about 95–125°E, 5°S–28°N (minx, miny, maxx, maxy), EPSG:4326.
REGION_BOUNDS: tuple[float, float, float, float] = (95.0, -5.0, 125.0, 28.0)


def package_path(package: str, *parts: str) -> Path:
    """A file or folder shipped inside an installed package (data, catalogues, migrations):
    the one way the product finds its own files."""
    root = resources.files(package)
    if not isinstance(root, Path):  # e.g. a zipped install: GDAL and pandas need real files
        raise RuntimeError(
            f"the package {package!r} is installed as {type(root).__name__} ({root}), not as "
            "a folder; install the wheel unpacked (pip install, not zipimport)"
        )
    return root.joinpath(*parts)


def data_dir() -> Path:
    """The folder of the shipped data files (`data/` of the repository)."""
    return package_path(DATA_PACKAGE)


DATA_DIR: Path = data_dir()


def var_dir() -> Path:
    """The local working folder (SQLite workspace, caches, served web assets). `MARINE_HOME`
    moves it; by default it is the user's data folder (`$XDG_DATA_HOME/marine-workspace`, i.e.
    `~/.local/share/marine-workspace`), never the working directory."""
    if home := os.environ.get("MARINE_HOME"):
        return Path(home)
    xdg = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(xdg) / "marine-workspace"


def cache_dir() -> Path:
    """Where derived layers are built (GeoParquet). `MARINE_CACHE_DIR` moves it."""
    return Path(os.environ.get("MARINE_CACHE_DIR", var_dir() / "cache"))


def static_dir() -> Path:
    """The folder Streamlit serves at `/app/static` (vendored web assets under `vendor/`).
    `MARINE_STATIC_DIR` moves it; by default `static/` inside `var_dir()`. `./workspace` sets
    it to the checkout's `static/`, where `scripts/fetch_web_assets.py` puts the assets."""
    return Path(os.environ.get("MARINE_STATIC_DIR", var_dir() / "static"))
