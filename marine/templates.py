"""Measure templates: the kinds of co-operative measure a proposal can be, each with its
form fields (type, required or optional, label and help in every UI language) and
validation. Templates are data (`marine.template_data`) in one registry, like layers.

    template = TEMPLATES["joint-survey"]
    clean = template.validate({"title": "...", ...}, geometry_kind="area")
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from marine.errors import ProposalError
from marine.template_data import FIELDS, GROUPS, LANGS
from marine.template_data import TEMPLATES as _TEMPLATE_DATA

FIELD_TYPES = ("text", "longtext", "integer", "number", "date", "choice", "bool")
# What can be wrong with a field's value, in English; the Draft page says the same in the
# reader's language (`draft.problem.<problem>` in the catalogues), naming the field's label.
FIELD_PROBLEMS = {
    "required": "“{label}” is required: fill it in",
    "text": "“{label}” was {value!r} but must be text",
    "too_long": "“{label}” has {length} characters; the limit is {limit}: shorten it",
    "number": "“{label}” was {value!r} but must be a number",
    "whole_number": "“{label}” was {value!r} but must be a whole number",
    "range": "“{label}” was {value} but must be between {minimum:g} and {maximum:g}",
    "date": "“{label}” was {value!r} but must be a date written YYYY-MM-DD",
    "choice": "“{label}” was {value!r} but must be one of {choices}",
    "bool": "“{label}” was {value!r} but must be ticked or not",
    "must_be_true": "“{label}” must be confirmed: every measure is without prejudice to the "
                    "positions of the parties",
    "end_before_start": "“{label}” ({value}) is before “{start_label}” ({start}): swap or "
                        "correct them",
}


class FieldError(ProposalError):
    """A field's value was refused: `field`, `problem` (a key of FIELD_PROBLEMS) and the
    `details` its message is filled with, so a page can say it in the reader's language."""

    def __init__(self, field: Field, problem: str, **details: object):
        self.field, self.problem, self.details = field, problem, details
        super().__init__(FIELD_PROBLEMS[problem].format(label=field.label["en"], **details)
                         + f" (field '{field.name}')")


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    label: Mapping[str, str]
    help: Mapping[str, str]
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None
    must_be_true: bool = False

    def clean(self, value: object) -> object:
        """The value converted to the field's type; ProposalError naming field and value."""
        if self.type in ("text", "longtext"):
            return self._text(value)
        if self.type in ("integer", "number"):
            return self._number(value)
        if self.type == "date":
            return self._date(value)
        if self.type == "choice":
            if value not in self.choices:
                raise FieldError(self, "choice", value=value, choices=list(self.choices))
            return value
        if self.type == "bool":
            return self._bool(value)
        raise ProposalError(f"field '{self.name}' has unknown type '{self.type}'")

    def _text(self, value: object) -> str:
        if not isinstance(value, str):
            raise FieldError(self, "text", value=value)
        text = value.strip()
        if self.max_length and len(text) > self.max_length:
            raise FieldError(self, "too_long", length=len(text), limit=self.max_length)
        return text

    def _number(self, value: object) -> float | int:
        try:
            number = int(value) if self.type == "integer" else float(value)  # type: ignore[arg-type]
            if self.type == "integer" and float(value) != number:  # type: ignore[arg-type]
                raise ValueError
        except (TypeError, ValueError):
            raise FieldError(self, "whole_number" if self.type == "integer" else "number",
                             value=value) from None
        if self.minimum is not None and number < self.minimum or (
                self.maximum is not None and number > self.maximum):
            raise FieldError(self, "range", value=number, minimum=self.minimum,
                             maximum=self.maximum)
        return number

    def _date(self, value: object) -> str:
        if isinstance(value, dt.date):
            return value.isoformat()
        try:
            return dt.date.fromisoformat(str(value).strip()).isoformat()
        except ValueError:
            raise FieldError(self, "date", value=value) from None

    def _bool(self, value: object) -> bool:
        if not isinstance(value, bool):
            raise FieldError(self, "bool", value=value)
        if self.must_be_true and not value:
            raise FieldError(self, "must_be_true")
        return value


@dataclass(frozen=True)
class Template:
    id: str
    group: str
    title: Mapping[str, str]
    geometry_kinds: tuple[str, ...]
    fields: tuple[Field, ...]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"template '{self.id}' has no field '{name}'; fields: "
                       f"{[f.name for f in self.fields]}")

    def validate(self, attributes: Mapping[str, object], geometry_kind: str | None = None
                 ) -> dict[str, object]:
        """Cleaned attributes, or ProposalError naming the first problem and its remedy."""
        if geometry_kind is not None and geometry_kind not in self.geometry_kinds:
            raise ProposalError(f"template '{self.id}' takes a geometry of kind "
                                f"{list(self.geometry_kinds)}, not '{geometry_kind}'")
        known = {f.name for f in self.fields}
        unknown = sorted(set(attributes) - known)
        if unknown:
            raise ProposalError(f"template '{self.id}' has no fields {unknown}; its fields are "
                                f"{sorted(known)}")
        clean: dict[str, object] = {}
        for f in self.fields:
            value = attributes.get(f.name)
            if value is None or (isinstance(value, str) and not value.strip()):
                if f.required:
                    raise FieldError(f, "required")
                continue
            clean[f.name] = f.clean(value)
        self._check_dates(clean)
        return clean

    def _check_dates(self, clean: Mapping[str, object]) -> None:
        start, end = clean.get("start_date"), clean.get("end_date")
        if start and end and str(end) < str(start):
            raise FieldError(self.field("end_date"), "end_before_start", value=end, start=start,
                             start_label=self.field("start_date").label["en"])


def _build() -> dict[str, Template]:
    templates = {}
    for tid, data in _TEMPLATE_DATA.items():
        fields = []
        for name, required in data["fields"]:
            spec = dict(FIELDS[name])
            ftype, label, help_ = spec.pop("type"), spec.pop("label"), spec.pop("help")
            if ftype not in FIELD_TYPES:
                raise ValueError(f"field '{name}' has type '{ftype}', not one of {FIELD_TYPES}")
            if "choices" in spec:
                spec["choices"] = tuple(spec["choices"])
            fields.append(Field(name, ftype, MappingProxyType(label), MappingProxyType(help_),
                                required, **spec))
        if data["group"] not in GROUPS:
            raise ValueError(f"template '{tid}' names unknown group '{data['group']}'")
        templates[tid] = Template(tid, data["group"], MappingProxyType(data["title"]),
                                  tuple(data["geometry_kinds"]), tuple(fields))
    return templates


TEMPLATES: Mapping[str, Template] = MappingProxyType(_build())
WORKING_GROUPS: Mapping[str, Mapping[str, str]] = MappingProxyType(GROUPS)
UI_LANGUAGES = LANGS


def templates_for(group: str) -> list[Template]:
    if group not in GROUPS:
        raise KeyError(f"working group '{group}' is not one of {sorted(GROUPS)}")
    return [t for t in TEMPLATES.values() if t.group == group]


def template_for_geometry(kind: str) -> list[Template]:
    """Templates that accept a geometry of `kind` ("area", "line", "points")."""
    return [t for t in TEMPLATES.values() if kind in t.geometry_kinds]


def choice_label(field: Field, value: object, lang: str) -> str:
    """How a reader sees a stored choice: its label in `lang` (English when missing); a value
    that is not one of the field's choices (an older template's) is shown as it was stored."""
    from marine.template_data import CHOICE_LABELS

    labels = CHOICE_LABELS.get(field.name, {}).get(str(value))
    if not labels:
        return str(value)
    return labels.get(lang) or labels["en"]
