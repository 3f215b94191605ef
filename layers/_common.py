"""Small helpers shared by the layer modules (the region, GSHHS land once per process)."""

from __future__ import annotations

from functools import lru_cache

import shapely

from marine.config import REGION_BOUNDS
from marine.io import gshhs


@lru_cache(maxsize=4)
def region_land(resolution: str = "f") -> tuple[shapely.Geometry, ...]:
    """GSHHS land polygons clipped to the region (tuple so the cache can't be mutated)."""
    return tuple(gshhs.land_geometries(resolution, REGION_BOUNDS))
