"""What goes into a map pack, as plain dataclasses: independent of the store and the UI.

The CLI and the app adapt store objects into a `PackContent`; every format module reads only
these classes and the layer frames the catalogue gives.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

from marine.catalogue import Catalogue, LayerSpec
from marine.errors import MarineError
from marine.formatting import number
from marine.i18n import NAME_LANGUAGES

# The pack's headings and tables are written in English (its disclaimer in every language):
# numbers in them are written as English writes them.
PACK_LANGUAGE = "en"
PAGE_SIZES = ("A4", "Letter")
# Layers drawn under every static map as context, whether or not the pack includes them.
COAST_LAYER_IDS = ("land-display", "land")
PLACES_LAYER_ID = "places"


def nfc(text: object) -> str:
    """Text as NFC (composed Vietnamese diacritics render and search reliably)."""
    return unicodedata.normalize("NFC", "" if text is None else str(text))


@dataclass(frozen=True)
class MeetingInfo:
    title: str
    date: str  # ISO date of the meeting, YYYY-MM-DD; also fixes the files' timestamps
    venue: str
    working_group: str

    def __post_init__(self) -> None:
        if not self.title.strip():
            raise MarineError("the meeting title is empty; give --title")
        try:
            date.fromisoformat(self.date)
        except ValueError:
            raise MarineError(
                f"meeting date '{self.date}' is not an ISO date; write it as YYYY-MM-DD"
            ) from None

    @property
    def day(self) -> date:
        return date.fromisoformat(self.date)


@dataclass(frozen=True)
class ProposalSnapshot:
    """One proposal at one version, with what the pack shows about it (no attribution)."""

    id: str
    title: str
    kind: str
    group: str
    version: int
    text: str
    attributes: Mapping[str, object]
    geometry: BaseGeometry
    report: Mapping[str, object] | str  # Report.to_json(): a dict or its JSON text
    position_counts: Mapping[str, int]
    comments: Sequence[str] = ()

    def __post_init__(self) -> None:
        if self.geometry is None or self.geometry.is_empty:
            raise MarineError(f"proposal '{self.id}' has no geometry; save an area first")
        if not shapely.is_valid(self.geometry):
            raise MarineError(
                f"proposal '{self.id}' geometry is invalid "
                f"({shapely.is_valid_reason(self.geometry)}); repair it before packing"
            )

    @property
    def report_dict(self) -> dict:
        if isinstance(self.report, str):
            return json.loads(self.report) if self.report.strip() else {}
        return dict(self.report or {})

    @property
    def label(self) -> str:
        return f"{self.id} — {nfc(self.title)} (v{self.version})"


@dataclass(frozen=True)
class PackRequest:
    """What a user asks for (CLI flags or the app's form), before the store is read."""

    group: str
    proposal_ids: tuple[str, ...]
    layer_ids: tuple[str, ...]
    title: str
    date: str
    venue: str = ""
    page_size: str = "A4"


@dataclass
class PackContent:
    meeting: MeetingInfo
    proposals: Sequence[ProposalSnapshot]
    layer_ids: Sequence[str]
    catalogue: Catalogue
    page_size: str = "A4"
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    software_version: str = ""

    def __post_init__(self) -> None:
        if self.page_size not in PAGE_SIZES:
            raise MarineError(f"page size '{self.page_size}' is not one of {PAGE_SIZES}")
        if not self.proposals:
            raise MarineError("a map pack needs at least one proposal; give --proposal")
        ids = [p.id for p in self.proposals]
        if len(set(ids)) != len(ids):
            raise MarineError(f"proposal ids repeat in the pack: {ids}")
        for layer_id in self.layer_ids:
            self.catalogue.spec(layer_id)  # raises LayerError naming the known layers
        if not self.software_version:
            from marine import __version__

            self.software_version = __version__

    @property
    def generated_at_text(self) -> str:
        return self.generated_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")

    def specs(self) -> list[LayerSpec]:
        return [self.catalogue.spec(i) for i in self.layer_ids]

    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        return {i: self.catalogue.load(i) for i in self.layer_ids}

    def coast_layer_id(self) -> str | None:
        return next((i for i in COAST_LAYER_IDS if i in self.catalogue.specs), None)


def surroundings(geometry: BaseGeometry, margin_ratio: float = 0.6,
                 min_margin_deg: float = 0.5) -> tuple[float, float, float, float]:
    """The box shown around a proposal on its map: its bounds grown on every side."""
    minx, miny, maxx, maxy = geometry.bounds
    margin = max(min_margin_deg, margin_ratio * max(maxx - minx, maxy - miny))
    return (minx - margin, miny - margin, maxx + margin, maxy + margin)


_LETTERS = str.maketrans({"đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae"})
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
             *(f"LPT{i}" for i in range(1, 10))}


def safe_filename(stem: str, suffix: str = "", max_length: int = 80) -> str:
    """A file name that Windows, macOS and Linux all accept, readable and length-limited."""
    text = unicodedata.normalize("NFKD", nfc(stem).translate(_LETTERS))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _UNSAFE.sub("-", text)
    text = re.sub(r"[^\w.\-]+", "-", text, flags=re.ASCII)
    text = re.sub(r"-{2,}", "-", text).strip("-. ")
    text = text[: max_length - len(suffix)].rstrip("-. ") or "file"
    if text.split(".")[0].upper() in _RESERVED:
        text = f"_{text}"
    return f"{text}{suffix}"


# --------------------------------------------------------------------------- shared tables
@dataclass(frozen=True)
class Table:
    """A titled table of text cells: the PDF draws it, the CSV writer writes it."""

    key: str  # short, file-name-safe identifier of the section
    title: str
    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def cell_text(value: object, lang: str = PACK_LANGUAGE) -> str:
    if isinstance(value, float):
        return number(value, lang, 3, trim=True) if abs(value) < 1e15 else str(value)
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return nfc(value)


def _is_scalar(value: object) -> bool:
    return not isinstance(value, Mapping | list | tuple)


def _is_records(value: object) -> bool:
    return isinstance(value, list | tuple) and bool(value) and all(
        isinstance(v, Mapping) for v in value)


def _rows_of_dicts(items: Sequence[Mapping]) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    headings: list[str] = []
    for item in items:
        headings += [str(k) for k in item if str(k) not in headings]
    rows = tuple(tuple(cell_text(item.get(h, "")) for h in headings) for item in items)
    return tuple(headings), rows


def _title(path: str) -> str:
    return path.replace("_", " ").replace(".", " — ").capitalize()


# Report keys that are not tables: the analysed geometry (the pack has it as data) and the
# disclaimer (on every page already).
REPORT_SKIP = ("geometry", "disclaimer", "disclaimer_ref")


def report_tables(report: Mapping[str, object], prefix: str = "") -> list[Table]:
    """Any report dict as tables: scalars in a summary, each mapping or list of records as its
    own table; records nested in records (features of a layer) become a child table keyed by
    the parent's first column. Generic on purpose: the report grows without the pack changing.
    """
    tables: list[Table] = []
    scalars = [(k, v) for k, v in report.items() if _is_scalar(v) and k not in REPORT_SKIP]
    if scalars:
        key = f"{prefix}.summary" if prefix else "summary"
        tables.append(Table(key, _title(prefix or "summary"), ("item", "value"),
                            tuple((nfc(k), cell_text(v)) for k, v in scalars)))
    for key, value in report.items():
        if key in REPORT_SKIP or _is_scalar(value):
            continue
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping):
            if all(_is_scalar(v) or isinstance(v, list | tuple) and all(map(_is_scalar, v))
                   for v in value.values()):
                tables.append(Table(path, _title(path), ("item", "value"),
                                    tuple((nfc(k), cell_text(v)) for k, v in value.items())))
            else:
                tables += report_tables(value, prefix=path)
        elif _is_records(value):
            tables += _record_tables(path, value)
        else:
            tables.append(Table(path, _title(path), ("value",),
                                tuple((cell_text(v),) for v in value)))
    return tables


def _record_tables(path: str, records: Sequence[Mapping]) -> list[Table]:
    nested = [k for k in records[0] if any(_is_records(r.get(k)) for r in records)]
    flat = [{k: v for k, v in r.items() if k not in nested} for r in records]
    headings, rows = _rows_of_dicts(flat)
    tables = [Table(path, _title(path), headings, rows)]
    parent = headings[0] if headings else "parent"
    for key in nested:
        children = [{parent: r.get(parent, ""), **child} for r in records
                    for child in (r.get(key) or [])]
        c_headings, c_rows = _rows_of_dicts(children)
        tables.append(Table(f"{path}.{key}", _title(f"{path}.{key}"), c_headings, c_rows))
    return tables


NAME_COLUMNS = tuple(f"name_{lang}" for lang in NAME_LANGUAGES)


def places_near(places: gpd.GeoDataFrame | None,
                proposals: Sequence[ProposalSnapshot]) -> gpd.GeoDataFrame | None:
    """The gazetteer subset: places inside any proposal's map surroundings, in id order."""
    if places is None:
        return None
    if not len(places):
        return places
    boxes = shapely.union_all([shapely.box(*surroundings(p.geometry)) for p in proposals])
    subset = places[places.intersects(boxes)]
    order = "place_id" if "place_id" in subset.columns else "feature_id"
    return subset.sort_values(order).reset_index(drop=True)


def place_table(places: gpd.GeoDataFrame, within: BaseGeometry | None = None) -> Table:
    """Places with every name (and the disputed flag), optionally limited to a box."""
    frame = places if within is None else places[places.intersects(within)]
    cols = [c for c in ("place_id", *NAME_COLUMNS, "disputed") if c in frame.columns]
    if not any(c in cols for c in NAME_COLUMNS):
        cols = [c for c in ("feature_id", "label", "name") if c in frame.columns]
    rows = tuple(
        (*(cell_text(r[c]) for c in cols), f"{pt.y:.4f}", f"{pt.x:.4f}")
        for (_, r), pt in zip(frame.iterrows(), frame.geometry.representative_point(), strict=True)
    )
    return Table("places", "Named places in and near the area (every name)",
                 (*cols, "lat", "lon"), rows)


def disclaimer_texts() -> dict[str, str]:
    """The without-prejudice disclaimer in every language (marine.neutrality owns the text)."""
    from marine.neutrality import DISCLAIMER

    if "en" not in DISCLAIMER:
        raise MarineError(f"marine.neutrality.DISCLAIMER has no English text: {sorted(DISCLAIMER)}")
    return {k: nfc(v) for k, v in DISCLAIMER.items()}


def without_prejudice(text: str) -> str:
    """The disclaimer as one line that starts by saying what it is."""
    text = nfc(text).strip()
    return text if text.lower().startswith("without prejudice") else f"Without prejudice: {text}"
