"""Neutral wording: the text check for proposals, neutral labels for places, and the one
without-prejudice text every map and export carries.

    lint_text("Joint survey in our waters near Pag-asa", "en")
    → [Finding(rule_id="en.possessive", ...), Finding(rule_id="any.single-name", ...)]

Rules are data (`marine.lint_rules`). A finding names the span, the rule, why the wording
is loaded and a neutral alternative. Findings are advice for the drafter: nothing is
rewritten automatically.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from types import MappingProxyType

from marine.gazetteer import Place, neutral_label
from marine.i18n import LANGUAGES, default_name_order
from marine.lint_rules import DISCLAIMER_TEXTS, RULES, sea_name_rules

__all__ = ["DISCLAIMER", "LANGUAGES", "Finding", "disclaimer", "lint_text", "neutral_label"]

DISCLAIMER: Mapping[str, str] = MappingProxyType(dict(DISCLAIMER_TEXTS))
_BEFORE_CHARS, _AFTER_CHARS = 100, 40
# Scripts without spaces between words: no word boundaries around their patterns.
_NO_BOUNDARY_LANGS = frozenset({"zh"})


def disclaimer(lang: str = "en") -> str:
    """The without-prejudice text in `lang`."""
    try:
        return DISCLAIMER[lang]
    except KeyError:
        raise ValueError(f"language '{lang}' is not one of {sorted(LANGUAGES)}") from None


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    text: str  # the words found
    rule_id: str
    severity: str  # "warning" (loaded wording) or "advice" (naming)
    explanation: str
    suggestion: str


@dataclass(frozen=True)
class _Compiled:
    rule: Mapping
    pattern: re.Pattern
    before: re.Pattern | None
    after: re.Pattern | None
    others: re.Pattern | None


def _bounded(pattern: str, lang: str) -> str:
    if lang in _NO_BOUNDARY_LANGS:
        return f"(?:{pattern})"
    return rf"(?<![\w-])(?:{pattern})(?!\w)"


@cache
def _compiled(lang: str) -> tuple[_Compiled, ...]:
    flags = re.IGNORECASE | re.UNICODE
    out = []
    for rule in (*RULES, *_sea_rules()):
        if rule["lang"] not in (lang, "any"):
            continue
        opt = {k: re.compile(rule[k], flags) if rule.get(k) else None
               for k in ("unless_before", "unless_after", "other_names")}
        pattern_lang = lang if rule["lang"] == "any" else rule["lang"]
        out.append(_Compiled(rule, re.compile(_bounded(rule["pattern"], pattern_lang), flags),
                             opt["unless_before"], opt["unless_after"], opt["other_names"]))
    return tuple(out)


def lint_text(text: str, lang: str, places: Iterable[Place] | None = None) -> list[Finding]:
    """Loaded wording in `text` (written in `lang`), in order of position.

    `places`: the places to check single-name references of disputed places against (by
    default the project gazetteer's). Seas are left to the sea-name rules.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"language '{lang}' is not one of {sorted(LANGUAGES)}")
    if not text or not text.strip():
        return []
    findings = [f for c in _compiled(lang) for f in _rule_findings(c, text)]
    disputed = [p for p in (places if places is not None else default_places())
                if p.disputed and p.kind != "sea"]
    findings += _single_name_findings(text, lang, disputed)
    findings = [replace(f, explanation=explanation(f.rule_id, lang, f.explanation))
                for f in findings]
    return sorted(_drop_nested(findings), key=lambda f: (f.start, f.rule_id))


def explanation(rule_id: str, lang: str, default: str = "") -> str:
    """Why a rule flags wording, in `lang` (the catalogue's `lint.explain.<family>`, where
    the family is the rule id without its language and number: "vi.possessive" and
    "any.sea-name.2" → "possessive", "sea-name"); `default` when there is none."""
    from marine.i18n import translate

    family = rule_id.split(".")[1] if "." in rule_id else rule_id
    return translate(f"lint.explain.{family}", lang, default=default)


def _rule_findings(c: _Compiled, text: str) -> list[Finding]:
    matches = list(c.pattern.finditer(text))
    if matches and c.others is not None and _other_name_present(c, text, matches):
        return []
    out = []
    for m in matches:
        before = text[max(0, m.start() - _BEFORE_CHARS): m.start()]
        after = text[m.end(): m.end() + _AFTER_CHARS]
        if c.before is not None and c.before.search(before):
            continue
        if c.after is not None and c.after.search(after):
            continue
        out.append(Finding(m.start(), m.end(), m.group(0), c.rule["id"], c.rule["severity"],
                           c.rule["explanation"],
                           c.rule["suggestion"].replace("{match}", m.group(0))))
    return out


def _other_name_present(c: _Compiled, text: str, own: list[re.Match]) -> bool:
    """Whether the text also gives another name of the sea (so this one is not alone)."""
    own_spans = [(m.start(), m.end()) for m in own]
    for m in c.others.finditer(text):
        if not any(s < m.end() and m.start() < e for s, e in own_spans):
            return True
    return False


# --------------------------------------------------------------------------- place names
# The gazetteer owns every name (data/gazetteer/places.csv, short forms in aliases.csv): the
# lint reads them from there, once per process, and types none itself.
@lru_cache(maxsize=1)
def default_places() -> tuple[Place, ...]:
    """The disputed places of the project gazetteer."""
    from layers.gazetteer import load_gazetteer

    return tuple(p for p in load_gazetteer() if p.disputed)


@lru_cache(maxsize=1)
def _alias_rows() -> tuple[dict, ...]:
    from layers.gazetteer import read_alias_records

    return tuple(read_alias_records())


@lru_cache(maxsize=1)
def _sea_rules() -> tuple[dict, ...]:
    seas = [p for p in default_places() if p.kind == "sea"]
    return tuple(rule for sea in seas for rule in sea_name_rules(sea, _alias_rows()))


def short_forms(place_id: str) -> tuple[tuple[str, str], ...]:
    """(language, short form) of a place seen in running text ("the Spratlys"): found like
    names, never shown in labels, and one name with their full form ("the Spratlys …
    Spratly Islands" is still one name)."""
    return tuple((r["lang"], r["name"]) for r in _alias_rows()
                 if r["place_id"] == place_id and r["use"] == "short")


def _single_name_findings(text: str, lang: str, places: Iterable[Place]) -> list[Finding]:
    out = []
    for place in places:
        spans = _name_spans(text, place)
        if not spans or len({group for _, _, group in spans}) > 1:
            continue  # not mentioned, or mentioned with more than one of its names
        order = default_name_order(lang)
        label = neutral_label(place, order, include_other=False)
        for start, end, _ in spans:
            out.append(Finding(
                start, end, text[start:end], "any.single-name", "advice",
                "A disputed place named by one name only: every name it has is shown, so "
                "that no name reads as settling whose it is.",
                label,
            ))
    return out


def _name_spans(text: str, place: Place) -> list[tuple[int, int, str]]:
    """Non-overlapping mentions of any of the place's names, longest names first.

    Returns (start, end, language group): Chinese characters and their pinyin count as one
    name, as do aliases and the full name of the same language.
    """
    taken: list[tuple[int, int, str]] = []
    for pattern, group in _place_patterns(place):
        for m in pattern.finditer(text):
            if not any(s < m.end() and m.start() < e for s, e, _ in taken):
                taken.append((m.start(), m.end(), group))
    return sorted(taken)


_PATTERNS: dict[tuple, tuple[tuple[re.Pattern, str], ...]] = {}


def _place_patterns(place: Place) -> tuple[tuple[re.Pattern, str], ...]:
    """The compiled name patterns of a place, longest name first, built once per place (the
    gazetteer's thousand names are more than `re`'s own cache holds, so building them per
    call recompiled every one of them for every paragraph)."""
    key = (place.id, tuple(sorted(place.names.items())))
    found = _PATTERNS.get(key)
    if found is None:
        pairs = [(n, _lang_group(lang)) for lang, n in place.all_names()]
        pairs += [(a, _lang_group(lang)) for lang, a in short_forms(place.id)]
        compiled = []
        for name, group in sorted(pairs, key=lambda item: -len(item[0])):
            pattern = re.escape(name).replace(r"\ ", r"\s+")
            if not _is_cjk(name):
                pattern = rf"(?<![\w-]){pattern}(?![\w-])"
            # Case-sensitive: names are proper nouns ("Pag-asa" the island, "pag-asa" hope).
            compiled.append((re.compile(pattern), group))
        if len(_PATTERNS) > 5_000:  # places made on the fly (tests, imports) do not pile up
            _PATTERNS.clear()
        found = _PATTERNS[key] = tuple(compiled)
    return found


def _lang_group(lang: str) -> str:
    return {"zh_pinyin": "zh"}.get(lang, lang)  # characters and their pinyin: one name


def _is_cjk(name: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in name)


def _drop_nested(findings: list[Finding]) -> list[Finding]:
    """When two findings of one rule family overlap, keep the longer one."""
    kept: list[Finding] = []
    for f in sorted(findings, key=lambda f: (f.start, -(f.end - f.start))):
        if any(k.rule_id == f.rule_id and k.start <= f.start and f.end <= k.end for k in kept):
            continue
        kept.append(f)
    return kept
