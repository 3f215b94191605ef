"""What a popup, a KML description or a table says about one feature or proposal: a list of
(human label, human value) pairs in the reader's language. One owner for the app map
(`marine.webmap`), the offline map and the KML of a map pack.

Columns that identify a row to the program (feature_id, place_id, layer) are never shown;
names come first (every name of a place, as the gazetteer labels it); the source reads as a
citation; yes/no, statuses and numbers are words and numbers of the language.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence

from marine.gazetteer import LANGUAGES as NAME_LANGS
from marine.gazetteer import Place, neutral_label
from marine.i18n import NAME_LANGUAGES, translate
from marine.presenter import format_number, status_word

# Feature columns shown in popups, in this order, each with its label key `label.<column>`.
DETAIL_FIELDS = ("party", "agreement", "instrument", "designation", "point_label", "fao_area",
                 "season_text", "count", "country", "locode", "passage", "connects",
                 "completeness", "missing", "disputed")
PROVENANCE_FIELDS = ("status", "source", "accuracy")
NAME_FIELDS = ("names", "label", "name")


def field_label(column: str, lang: str) -> str:
    """The label of a feature column in `lang` (a humanised column name for one we do not
    know: never the raw key with its underscores)."""
    return translate(f"label.{column}", lang,
                     default=column.replace("_", " ").strip().capitalize())


def _empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def value_text(column: str, value: object, lang: str) -> str:
    """A cell as a person reads it: yes/no, a status word, a formatted number, the text."""
    if column == "status" and isinstance(value, str):
        return status_word(value, lang)
    if isinstance(value, bool) or column == "disputed":
        truth = value if isinstance(value, bool) else str(value).strip().lower() in (
            "true", "yes", "1")
        return translate("label.yes" if truth else "label.no", lang)
    if isinstance(value, float):
        return format_number(value, lang, 0 if value.is_integer() else 2)
    if isinstance(value, int):
        return format_number(value, lang)
    if isinstance(value, Mapping | list | tuple):
        return "; ".join(value_text(column, v, lang) for v in
                         (value.values() if isinstance(value, Mapping) else value))
    return str(value).strip()


def all_names(props: Mapping, order: Sequence[str] = NAME_LANGUAGES) -> str:
    """Every name of the feature in the reader's order (gazetteer label), else its name."""
    names = {lang: str(props[f"name_{lang}"]).strip() for lang in NAME_LANGS
             if not _empty(props.get(f"name_{lang}"))}
    if names:
        return neutral_label(Place(id=str(props.get("feature_id", "")), names=names,
                                   lat=0.0, lon=0.0), order)
    for column in NAME_FIELDS:
        if not _empty(props.get(column)):
            return str(props[column]).strip()
    return ""


def detail_pairs(props: Mapping) -> list[list[str]]:
    """The detail columns a feature has, as [column, text] pairs (language-neutral: the app
    caches these per layer; `feature_rows` or the popup script puts labels on them)."""
    return [[c, value_text(c, props[c], "en") if c != "disputed" else str(props[c])]
            for c in DETAIL_FIELDS if c in props and not _empty(props[c])]


def detail_json(props: Mapping) -> str:
    """`detail_pairs` as compact JSON (the form a display frame carries to the browser)."""
    return json.dumps(detail_pairs(props), ensure_ascii=False, separators=(",", ":"))


def detail_labels(lang: str) -> dict[str, str]:
    """Label and yes/no words for every detail column, for a popup script in `lang`."""
    return {c: field_label(c, lang) for c in DETAIL_FIELDS}


def feature_rows(props: Mapping, lang: str, layer_title: str = "",
                 order: Sequence[str] = NAME_LANGUAGES) -> list[tuple[str, str]]:
    """(label, value) rows for a feature: names, layer, details, then status, source (the
    citation) and accuracy."""
    rows = []
    names = all_names(props, order)
    if names:
        rows.append((field_label("names", lang), names))
    if layer_title:
        rows.append((field_label("layer", lang), layer_title))
    for column in DETAIL_FIELDS:
        if column in props and not _empty(props[column]):
            rows.append((field_label(column, lang), value_text(column, props[column], lang)))
    for column in PROVENANCE_FIELDS:
        if column in props and not _empty(props[column]):
            rows.append((field_label(column, lang), value_text(column, props[column], lang)))
    return rows


def proposal_rows(number: str, title: str, version: int, template_title: str, group: str,
                  fields: Sequence[tuple[str, str]], positions: Sequence[tuple[str, str]],
                  lang: str) -> list[tuple[str, str]]:
    """(label, value) rows for a proposal: what it is, its fields (already labelled and
    translated by the caller, who knows the template) and its position counts."""
    rows = [(field_label("proposal", lang), number), (field_label("title", lang), title),
            (field_label("version", lang), format_number(version, lang))]
    if template_title:
        rows.append((field_label("measure", lang), template_title))
    if group:
        rows.append((field_label("working_group", lang), group))
    rows += list(fields)
    rows += [(translate("label.positions", lang, stance=stance), count)
             for stance, count in positions]
    return rows


def template_title(template_id: str, lang: str) -> str:
    """The measure template's title in `lang` (a humanised id for one no longer defined)."""
    from marine.templates import TEMPLATES

    template = TEMPLATES.get(template_id)
    if template is None:
        return template_id.replace("-", " ").replace("_", " ").strip().capitalize()
    return template.title.get(lang) or template.title["en"]


def measure_fields(template_id: str, attributes: Mapping[str, object],
                   lang: str) -> list[tuple[str, str]]:
    """A proposal's fields as (label, value) in `lang`: the template's field labels, choice
    values translated, yes/no for ticks; fields of no template by a humanised name."""
    from marine.templates import TEMPLATES

    template = TEMPLATES.get(template_id)
    known = {f.name: f for f in template.fields} if template else {}
    rows = []
    for name, value in attributes.items():
        if _empty(value):
            continue
        f = known.get(name)
        label = (f.label.get(lang) or f.label["en"]) if f else field_label(name, lang)
        if f is not None and f.type == "choice":
            text = translate(f"choice.{value}", lang, default=str(value).replace("-", " "))
        else:
            text = value_text(name, value, lang)
        rows.append((label, text))
    return rows


def position_rows(counts: Mapping[str, int], lang: str) -> list[tuple[str, str]]:
    """Position counts as (stance in words, count), in the order given."""
    return [(translate(f"stance.{k}", lang, default=str(k).replace("-", " ")),
             format_number(int(v), lang)) for k, v in counts.items()]
