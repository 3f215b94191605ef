"""Labels of named features on the map, pure: a layer's rows in, `MapLabel`s out.

A label shows every name of a disputed place, always: where space is short the map may use
the place's short form, and for a disputed place that short form still carries every
language's name (stacked on lines instead of one long line); only an undisputed feature may
shrink to one name. The tooltip of every label holds all names, other names included
(`gazetteer.neutral_label`). Which zooms a label appears at depends on the kind of feature: the
sea and gulfs at the overview, island groups soon after, single reefs and islands close up.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

import geopandas as gpd

from marine.gazetteer import DEFAULT_ORDER, LABEL_SEPARATOR, Place, neutral_label, place_from_record

# (first zoom, last zoom, rank): a lower rank wins a place on a crowded map.
KIND_ZOOMS: Mapping[str, tuple[int, int, int]] = {
    "sea": (3, 7, 0),
    "gulf": (5, 10, 1),
    "group": (5, 10, 1),
    "strait": (6, 13, 2),
    "bank": (7, 18, 3),
    "shoals": (7, 18, 3),
}
DEFAULT_KIND_ZOOM = (8, 18, 4)


@dataclass(frozen=True)
class MapLabel:
    """One label: where, what it says in full and short, and its tooltip (every name)."""

    id: str
    lat: float
    lon: float
    full: str  # every name of the place, one line
    short: str  # the short form: every name again (stacked) if disputed, else one name
    stacked: bool  # the short form is shown one name per line
    tooltip: str  # every name, other names included
    disputed: bool
    kind: str
    min_zoom: int
    max_zoom: int
    rank: int

    def to_json(self) -> dict:
        return asdict(self)


def _place(row: Mapping, point, kind: str) -> Place | None:
    record = {k: v for k, v in row.items()
              if v is not None and not (isinstance(v, float) and math.isnan(v))}
    record.update(lat=point.y, lon=point.x)
    record.setdefault("place_id", str(row.get("feature_id", "")))
    record["kind"] = str(row.get("kind") or kind)
    try:
        return place_from_record(record)
    except (ValueError, KeyError):
        return None  # a row with no name at all gets no label (its popup still shows it)


def feature_labels(gdf: gpd.GeoDataFrame, order: Sequence[str] = DEFAULT_ORDER,
                   kind: str = "feature") -> list[MapLabel]:
    """Labels of a layer's named features (points, or the representative point of shapes).
    `kind` is used for rows without a `kind` column (e.g. straits)."""
    labels = []
    rows = gdf.drop(columns=gdf.geometry.name).to_dict("records")
    for row, geom in zip(rows, gdf.geometry.values, strict=True):
        if geom is None or geom.is_empty:
            continue
        point = geom if geom.geom_type == "Point" else geom.representative_point()
        place = _place(row, point, kind)
        if place is None:
            continue
        labels.append(place_label(place, order))
    return labels


def place_label(place: Place, order: Sequence[str] = DEFAULT_ORDER) -> MapLabel:
    """The label of one place in the reader's order of names."""
    full = neutral_label(place, order, include_other=False)
    names = full.split(LABEL_SEPARATOR)
    disputed = bool(place.disputed)
    short = "\n".join(names) if disputed else names[0]
    first, last, rank = KIND_ZOOMS.get(place.kind, DEFAULT_KIND_ZOOM)
    return MapLabel(id=place.id, lat=round(place.lat, 5), lon=round(place.lon, 5), full=full,
                    short=short, stacked=disputed and len(names) > 1,
                    tooltip=neutral_label(place, order), disputed=disputed, kind=place.kind,
                    min_zoom=first, max_zoom=last, rank=rank)


FOCUS_ZOOMS: Mapping[str, int] = {"sea": 5, "gulf": 7, "group": 7, "strait": 8, "bank": 9,
                                  "shoals": 9}


def focus_zoom(kind: str) -> int:
    """The zoom a search flies to: the whole of a sea or a group, close to a reef."""
    return FOCUS_ZOOMS.get(kind, 11)
