"""Where things live. Everything can be moved with an environment variable."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"

# The study region: about 95–125°E, 5°S–28°N (minx, miny, maxx, maxy), EPSG:4326.
REGION_BOUNDS: tuple[float, float, float, float] = (95.0, -5.0, 125.0, 28.0)


def var_dir() -> Path:
    """The local working folder (SQLite workspace, caches). `MARINE_HOME` moves it."""
    return Path(os.environ.get("MARINE_HOME", REPO_ROOT / "var"))


def cache_dir() -> Path:
    """Where derived layers are built (GeoParquet). `MARINE_CACHE_DIR` moves it."""
    return Path(os.environ.get("MARINE_CACHE_DIR", var_dir() / "cache"))


def base_url() -> str:
    """The workspace's address as its members reach it (links in map packs).
    `MARINE_BASE_URL` sets it; the default is the local app."""
    return os.environ.get("MARINE_BASE_URL", "http://127.0.0.1:8501").rstrip("/")
