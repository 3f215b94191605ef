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
from marine.review import proposal_link as workspace_link

# The pack's headings and tables are written in English (its disclaimer in every language):
# numbers in them are written as English writes them.
PACK_LANGUAGE = "en"
PAGE_SIZES = ("A4", "Letter")


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
    status: str = ""  # draft, circulated, discussed… (the store's proposal status)

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

    @property
    def number(self) -> str:
        """The proposal's number in the workspace (P-12 → 12), as its link uses it."""
        return self.id.removeprefix("P-")


def proposal_link(base_url: str, proposal: ProposalSnapshot) -> str:
    """Where the packed version of the proposal opens in the workspace
    (`/proposals?proposal=N&version=K` under `base_url`; the one link format is marine.review's)."""
    if not proposal.number.isdigit():  # a pack of proposals from outside a workspace
        return f"{base_url.rstrip('/')} ({proposal.id})"
    return workspace_link(base_url, int(proposal.number), proposal.version)


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
    lang: str = "en"  # the language the atlas, the offline map and the CSV headers speak


@dataclass
class PackContent:
    meeting: MeetingInfo
    proposals: Sequence[ProposalSnapshot]
    layer_ids: Sequence[str]
    catalogue: Catalogue
    page_size: str = "A4"
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    software_version: str = ""
    lang: str = "en"
    base_url: str = ""  # the workspace's address, for the proposals' links (default: config)

    def __post_init__(self) -> None:
        from marine.i18n import LANGUAGES

        if self.page_size not in PAGE_SIZES:
            raise MarineError(f"page size '{self.page_size}' is not one of {PAGE_SIZES}")
        if self.lang not in LANGUAGES:
            raise MarineError(f"language '{self.lang}' is not one of {sorted(LANGUAGES)}")
        if not self.base_url:
            from marine.config import base_url

            self.base_url = base_url()
        ids = [p.id for p in self.proposals]
        if len(set(ids)) != len(ids):
            raise MarineError(f"proposal ids repeat in the pack: {ids}")
        for layer_id in self.layer_ids:
            self.catalogue.spec(layer_id)  # raises LayerError naming the known layers
        if not self.software_version:
            from marine import __version__

            self.software_version = __version__

    @property
    def context_only(self) -> bool:
        """A pack of the context layers alone (a group without proposals yet)."""
        return not self.proposals

    @property
    def generated_at_text(self) -> str:
        return self.generated_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")

    def specs(self) -> list[LayerSpec]:
        return [self.catalogue.spec(i) for i in self.layer_ids]

    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        return {i: self.catalogue.load(i) for i in self.layer_ids}

    def coast_layer_id(self) -> str | None:
        """The coastline drawn under every map: its display variant, else the full one."""
        spec = self.catalogue.by_role("coast-display") or self.catalogue.by_role("coast")
        return None if spec is None else spec.id

    def places_layer_id(self) -> str | None:
        spec = self.catalogue.by_role("gazetteer")
        return None if spec is None else spec.id


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
    columns: tuple[str, ...] = ()  # machine name of each column (the data dictionary's)


def cell_text(value: object, lang: str = PACK_LANGUAGE) -> str:
    if isinstance(value, float):
        return number(value, lang, 3, trim=True) if abs(value) < 1e15 else str(value)
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return nfc(value)


NAME_COLUMNS = tuple(f"name_{lang}" for lang in NAME_LANGUAGES)


def places_near(places: gpd.GeoDataFrame | None,
                proposals: Sequence[ProposalSnapshot]) -> gpd.GeoDataFrame | None:
    """The gazetteer subset: places inside any proposal's map surroundings (every place for a
    pack without proposals), in id order."""
    if places is None:
        return None
    if not len(places):
        return places
    if proposals:
        boxes = shapely.union_all([shapely.box(*surroundings(p.geometry)) for p in proposals])
        subset = places[places.intersects(boxes)]
    else:  # a context pack: the whole gazetteer
        subset = places
    order = "place_id" if "place_id" in subset.columns else "feature_id"
    return subset.sort_values(order).reset_index(drop=True)


def place_table(places: gpd.GeoDataFrame, within: BaseGeometry | None = None,
                lang: str = "en") -> Table:
    """Places with every name (and whether disputed), optionally limited to a box; headings
    in `lang` (the data dictionary of the pack gives the machine column of each)."""
    from marine.feature_labels import all_names, value_text
    from marine.i18n import LANGUAGES, translate

    frame = places if within is None else places[places.intersects(within)]
    names = [c for c in NAME_COLUMNS if c in frame.columns]
    heading = translate("present.col.name", lang)
    headings = (translate("present.col.names", lang),
                *(f"{heading} — {LANGUAGES[c.removeprefix('name_')]}" for c in names),
                translate("label.disputed", lang), translate("atlas.latitude", lang),
                translate("atlas.longitude", lang))
    rows = tuple(
        (all_names(r), *(nfc(r[c]) if isinstance(r[c], str) else "" for c in names),
         value_text("disputed", r.get("disputed", False), lang), f"{pt.y:.4f}", f"{pt.x:.4f}")
        for (_, r), pt in zip(frame.iterrows(), frame.geometry.representative_point(), strict=True)
    )
    columns = ("label", *names, "disputed", "lat", "lon")
    return Table("gazetteer", translate("present.section.places", lang), headings, rows,
                 columns)


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
