"""Gazetteer: one record per place with every name it has, read from `data/gazetteer/places.csv`.

The CSV is typed by the project from the documents cited in its `position_source` and
`name_source` columns (see data/README.md). Positions may be written as decimal degrees or as
published (DMS); they are parsed with `marine.geo.parse_coordinate`. No name is preferred:
the layer's `name` and `label` show all names joined " / " (English, Chinese with pinyin,
Vietnamese, Filipino, Malay); users pick another order through `neutral_label`.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from shapely.geometry import Point

from marine.catalogue import LayerSpec, Style, features_frame
from marine.config import DATA_DIR
from marine.errors import LayerError
from marine.gazetteer import LANGUAGES, Gazetteer, neutral_label, place_from_record
from marine.geo import parse_coordinate

PLACES_CSV = DATA_DIR / "gazetteer" / "places.csv"
PLACES_SOURCE = (
    "Project gazetteer (data/gazetteer/places.csv), typed 2026-11-23 and 2026-12-03 from the "
    "documents cited per place: GSHHS full resolution, China's Paracel baselines declaration "
    "(15 May 1996), the China–Viet Nam Gulf of Tonkin agreement (25 Dec 2000), P. Kang on "
    "Pratas/Scarborough naming, Viet Nam's place-name list Thông tư 33/2024/TT-BTNMT, the "
    "AMTI Island Tracker, Wikipedia feature pages, Natural Earth 1:10m (English names of "
    "regional features)"
)
NAME_COLUMNS = tuple(f"name_{lang}" for lang in LANGUAGES)


def read_place_records(path: Path = PLACES_CSV) -> list[dict]:
    """Rows of the places CSV with `lat`/`lon` parsed to floats and `disputed` to bool."""
    if not path.exists():
        raise LayerError(f"gazetteer file {path} is missing; restore data/gazetteer/places.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    records = []
    for line, row in enumerate(rows, start=2):
        try:
            row["lat"] = parse_coordinate(row["lat"], "lat")
            row["lon"] = parse_coordinate(row["lon"], "lon")
        except ValueError as exc:
            raise LayerError(f"{path.name} line {line} ({row.get('place_id')}): {exc}") from exc
        row["disputed"] = row.get("disputed", "").strip().lower() == "true"
        records.append(row)
    return records


ALIASES_CSV = DATA_DIR / "gazetteer" / "aliases.csv"
# What a row of aliases.csv is to the wording check: a short form of one of the place's
# names, a spelling or script variant, or a name in one party's usage ("national:<usage>").
ALIAS_USES = ("short", "variant", "national")


def read_alias_records(path: Path = ALIASES_CSV) -> list[dict]:
    """Rows of aliases.csv (`place_id`, `lang`, `name`, `use`), checked against the places."""
    if not path.exists():
        raise LayerError(f"gazetteer file {path} is missing; restore data/gazetteer/aliases.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    known = {r["place_id"] for r in read_place_records()}
    for line, row in enumerate(rows, start=2):
        problem = _alias_problem(row, known)
        if problem:
            raise LayerError(f"{path.name} line {line}: {problem}; fix the row")
    return rows


def _alias_problem(row: dict, known: set[str]) -> str:
    if row.get("place_id") not in known:
        return f"place '{row.get('place_id')}' is not in places.csv"
    if (row.get("use") or "").split(":")[0] not in ALIAS_USES:
        return f"use '{row.get('use')}' is not one of {ALIAS_USES}"
    if not (row.get("name") or "").strip():
        return "the name is empty"
    return ""


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The project gazetteer (places indexed by every name), read once per process."""
    return Gazetteer(place_from_record(r) for r in read_place_records())


def load_places():
    records, geoms = [], []
    gazetteer = load_gazetteer()
    for row in read_place_records():
        place = gazetteer.get(row["place_id"])
        label = neutral_label(place)
        records.append({
            "feature_id": place.id,
            "place_id": place.id,
            "name": label,
            "label": label,
            "kind": place.kind,
            "disputed": place.disputed,
            **{col: row.get(col, "") for col in NAME_COLUMNS},
            "source": f"position: {row['position_source']}; names: {row['name_source']}",
            "accuracy": row["accuracy"],
        })
        geoms.append(Point(place.lon, place.lat))
    return features_frame(records, geoms, status="scientific")


LAYERS = [
    LayerSpec(
        id="places",
        role="gazetteer",
        section="nearby-places",
        on_by_default=True,
        draft_context=True,
        in_packs=True,
        title="Places and all their names",
        theme="gazetteer",
        loader=load_places,
        style=Style(color="#1f3b73", weight=1.0, fill_color="#ffffff", fill_opacity=1.0, radius=4),
        source=PLACES_SOURCE,
        status="scientific",
        licence="Project data (Apache-2.0); names and positions are facts from the cited documents",
        description=(
            "One point per place with every name it has (English, Chinese with pinyin, "
            "Vietnamese, Filipino, Malay and other names). Labels always show all names; the "
            "order is the user's choice. Positions are reference points with their accuracy "
            "stated (\"approximate\" where GSHHS shows no island or reef within 10 km); a "
            "position or a name implies nothing about sovereignty."
        ),
    ),
]
