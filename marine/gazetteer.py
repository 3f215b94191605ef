"""One place, every name: a gazetteer that finds a place by any of its names, in any script.

Pure: it takes records (dicts, e.g. rows of `data/gazetteer/places.csv` read by
`layers.gazetteer`) and never opens a file. No name is preferred: `neutral_label` shows every
name a place has, in an order the user picks.

Matching is accent-, case- and whitespace-insensitive ("Bajo de Masinloc" = "bajo  de MASINLOC",
"Quần đảo Trường Sa" = "quan dao truong sa", "Rén'ài Jiāo" = "renai jiao"), script-insensitive
for Chinese (traditional characters are folded to simplified with OpenCC, so "南威島" finds
南威岛) and pinyin matches written as one word too ("Zhongjiandao" = "Zhongjian Dao"); Chinese
names match exactly or as a substring. Exact matches rank before prefix matches, prefix matches before
word matches, word matches before substring matches.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from marine.i18n import NAME_LANGUAGES

# Languages a place can be named in (marine.i18n owns the list); "zh_pinyin" is the
# romanisation of "zh" and "other" holds further names (traditional characters, alternative
# or partial names), ";"-separated.
_ROMANISED = {"zh": "zh_pinyin"}
LANGUAGES = (*(code for lang in NAME_LANGUAGES
               for code in (lang, _ROMANISED.get(lang)) if code), "other")
DEFAULT_ORDER = NAME_LANGUAGES
LABEL_SEPARATOR = " / "

# Ranks of a match, best first.
EXACT, PREFIX, WORD, SUBSTRING = 0, 1, 2, 3

# Letters that Unicode decomposition does not reduce to ASCII.
_FOLD = str.maketrans({"đ": "d", "Đ": "d", "ı": "i", "ł": "l", "ø": "o", "æ": "ae", "ß": "ss"})
_APOSTROPHES = re.compile(r"[’'`´ʼ]")
_SEPARATORS = re.compile(r"[\-‐–—_.,()\[\]“”\"/]")


@dataclass(frozen=True)
class Place:
    """A named place. `names` maps a language code (see LANGUAGES) to its name there."""

    id: str
    names: Mapping[str, str]
    lat: float
    lon: float
    disputed: bool = False
    kind: str = "feature"
    extra: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = sorted(set(self.names) - set(LANGUAGES))
        if unknown:
            raise ValueError(
                f"place '{self.id}' has names in unknown languages {unknown}; use {LANGUAGES}"
            )
        if not any(v.strip() for v in self.names.values()):
            raise ValueError(f"place '{self.id}' has no name at all; give at least one")
        if not (-90 <= self.lat <= 90 and -180 <= self.lon <= 180):
            raise ValueError(f"place '{self.id}' position ({self.lat}, {self.lon}) is out of range")

    def all_names(self) -> list[tuple[str, str]]:
        """Every (language, name) pair, splitting combined names ("A / B", "A; B")."""
        pairs: list[tuple[str, str]] = []
        for lang in LANGUAGES:
            for name in split_names(self.names.get(lang, "")):
                pairs.append((lang, name))
        return pairs


@dataclass(frozen=True)
class Match:
    place: Place
    name: str  # the name that matched
    lang: str
    rank: int  # EXACT, PREFIX, WORD or SUBSTRING


def split_names(text: str) -> list[str]:
    """'A / B; C' → ['A', 'B', 'C'] (empty parts dropped)."""
    parts = re.split(r"\s*(?:;|\s/\s)\s*", text or "")
    return [p.strip() for p in parts if p.strip()]


def normalise(text: str) -> str:
    """Fold case, accents, tone marks, đ→d, punctuation and runs of whitespace."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = _APOSTROPHES.sub("", stripped.translate(_FOLD))
    stripped = _SEPARATORS.sub(" ", stripped).casefold()
    return " ".join(stripped.split())


_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=1)
def _traditional_to_simplified():
    import opencc  # imported on first Chinese text only: the converter loads its dictionaries

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional Chinese characters in `text` as simplified ones (other text unchanged)."""
    if not _HAN.search(text):
        return text
    return _traditional_to_simplified().convert(text)


def search_key(text: str) -> str:
    """What a name and a query are compared on: simplified characters, then `normalise`."""
    return normalise(to_simplified(text))


def index_keys(lang: str, name: str) -> list[str]:
    """The keys a name is found under: its search key and, for pinyin, the same written as
    one word ("Zhongjian Dao" is also found as "Zhongjiandao", the 1996 declaration's form)."""
    key = search_key(name)
    keys = [key]
    if lang == "zh_pinyin" and " " in key:
        keys.append(key.replace(" ", ""))
    return keys


def neutral_label(
    place: Place,
    order: Sequence[str] = DEFAULT_ORDER,
    separator: str = LABEL_SEPARATOR,
    include_other: bool = True,
) -> str:
    """All the names of `place` in the user's `order`, then any language not in `order`,
    then (unless `include_other` is false) its other names: traditional characters,
    alternative and partial names ("West Philippine Sea (part)").

    Pinyin follows its characters ("太平岛 Taiping Dao"); each name is shown once.
    """
    bad = [lang for lang in order if lang not in LANGUAGES or lang == "zh_pinyin"]
    if bad:
        allowed = [lang for lang in LANGUAGES if lang != "zh_pinyin"]
        raise ValueError(f"label order {list(order)} names unknown languages {bad}; use {allowed}")
    langs = [*order, *(lang for lang in DEFAULT_ORDER if lang not in order)]
    if include_other and "other" not in langs:
        langs.append("other")
    parts: list[str] = []
    for lang in langs:
        for name in _label_names(place, lang):
            if name not in parts:
                parts.append(name)
    if not parts:  # a place named only by "other" names
        parts = split_names(place.names.get("other", ""))
    return separator.join(parts)


def _label_names(place: Place, lang: str) -> list[str]:
    name = (place.names.get(lang) or "").strip()
    if lang == "other":
        return split_names(name)
    if lang == "zh" and name and place.names.get("zh_pinyin"):
        return [f"{name} {place.names['zh_pinyin'].strip()}"]
    return [name] if name else []


class Gazetteer:
    """Places indexed by every name they have."""

    def __init__(self, places: Iterable[Place]):
        self.places: dict[str, Place] = {}
        for place in places:
            if place.id in self.places:
                raise ValueError(f"place id '{place.id}' appears twice; ids must be unique")
            self.places[place.id] = place
        self._index: list[tuple[str, str, str, Place]] = [
            (key, name, lang, place)
            for place in self.places.values()
            for lang, name in place.all_names()
            for key in index_keys(lang, name)
        ]

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, object]]) -> Gazetteer:
        return cls(place_from_record(r) for r in records)

    def __len__(self) -> int:
        return len(self.places)

    def __iter__(self):
        return iter(self.places.values())

    def get(self, place_id: str) -> Place:
        try:
            return self.places[place_id]
        except KeyError:
            raise KeyError(
                f"no place with id '{place_id}'; look it up by name with Gazetteer.lookup"
            ) from None

    def search(self, query: str, limit: int = 20) -> list[Match]:
        """Matches of `query` against every name, best first, one per place."""
        q = search_key(query)
        if not q:
            return []
        best: dict[str, Match] = {}
        compact = q.replace(" ", "")  # "Wan an Tan" for "Wan'an Tan": pinyin syllables split
        for key, name, lang, place in self._index:
            rank = _rank(q, key)
            if rank is None and lang == "zh_pinyin" and compact != q:
                rank = _rank(compact, key)
            if rank is None:
                continue
            current = best.get(place.id)
            if current is None or rank < current.rank:
                best[place.id] = Match(place, name, lang, rank)
        ranked = sorted(best.values(), key=lambda m: (m.rank, len(m.name), m.place.id))
        return ranked[:limit]

    def lookup(self, query: str, limit: int = 20) -> list[Place]:
        """Places any of whose names match `query`, best match first."""
        return [m.place for m in self.search(query, limit)]


def _rank(q: str, key: str) -> int | None:
    if key == q:
        return EXACT
    if key.startswith(q):
        return PREFIX
    if f" {q}" in f" {key}":
        return WORD
    if q in key:
        return SUBSTRING
    return None


def place_from_record(record: Mapping[str, object]) -> Place:
    """A Place from a flat record with `place_id`, `lat`, `lon`, `name_<lang>` columns."""
    try:
        place_id = str(record["place_id"]).strip()
        lat, lon = float(record["lat"]), float(record["lon"])  # type: ignore[arg-type]
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(
            f"gazetteer record {dict(record)!r} needs place_id, lat and lon: {exc}"
        ) from exc
    names = {
        lang: str(record.get(f"name_{lang}") or "").strip()
        for lang in LANGUAGES
        if str(record.get(f"name_{lang}") or "").strip()
    }
    return Place(
        id=place_id,
        names=names,
        lat=lat,
        lon=lon,
        disputed=_as_bool(record.get("disputed", False)),
        kind=str(record.get("kind") or "feature"),
    )


def _as_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "1"):
        return True
    if text in ("false", "no", "0", "", "none", "nan"):
        return False
    raise ValueError(f"disputed was '{value}' but must be true/false")
