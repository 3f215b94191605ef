"""On-disk cache of derived layers as GeoParquet, written atomically (temp file + rename)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import geopandas as gpd

from marine import __version__


class LayerCache:
    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def path(self, key: str) -> Path:
        return self.folder / f"{key}-v{__version__}.parquet"

    def read(self, key: str) -> gpd.GeoDataFrame | None:
        path = self.path(key)
        if not path.exists():
            return None
        try:
            return gpd.read_parquet(path)
        except Exception:  # a torn or foreign file: rebuild rather than fail
            return None

    def write(self, key: str, gdf: gpd.GeoDataFrame) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.path(key)
        fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        os.close(fd)
        try:
            gdf.to_parquet(tmp, index=False)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return path
