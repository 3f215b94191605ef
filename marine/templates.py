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
                raise ProposalError(f"field '{self.name}' was {value!r} but must be one of "
                                    f"{list(self.choices)}")
            return value
        if self.type == "bool":
            return self._bool(value)
        raise ProposalError(f"field '{self.name}' has unknown type '{self.type}'")

    def _text(self, value: object) -> str:
        if not isinstance(value, str):
            raise ProposalError(f"field '{self.name}' was {value!r} but must be text")
        text = value.strip()
        if self.max_length and len(text) > self.max_length:
            raise ProposalError(f"field '{self.name}' has {len(text)} characters; the limit is "
                                f"{self.max_length}: shorten it")
        return text

    def _number(self, value: object) -> float | int:
        try:
            number = int(value) if self.type == "integer" else float(value)  # type: ignore[arg-type]
            if self.type == "integer" and float(value) != number:  # type: ignore[arg-type]
                raise ValueError
        except (TypeError, ValueError):
            raise ProposalError(f"field '{self.name}' was {value!r} but must be "
                                f"{'a whole number' if self.type == 'integer' else 'a number'}"
                                ) from None
        if self.minimum is not None and number < self.minimum or (
                self.maximum is not None and number > self.maximum):
            raise ProposalError(f"field '{self.name}' was {number} but must be between "
                                f"{self.minimum:g} and {self.maximum:g}")
        return number

    def _date(self, value: object) -> str:
        if isinstance(value, dt.date):
            return value.isoformat()
        try:
            return dt.date.fromisoformat(str(value).strip()).isoformat()
        except ValueError:
            raise ProposalError(f"field '{self.name}' was {value!r} but must be a date written "
                                "YYYY-MM-DD") from None

    def _bool(self, value: object) -> bool:
        if not isinstance(value, bool):
            raise ProposalError(f"field '{self.name}' was {value!r} but must be true or false")
        if self.must_be_true and not value:
            raise ProposalError(f"field '{self.name}' must be confirmed (true): every measure "
                                "is without prejudice to the positions of the parties")
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
                    raise ProposalError(f"field '{f.name}' ({f.label['en']}) is required for "
                                        f"template '{self.id}'")
                continue
            clean[f.name] = f.clean(value)
        _check_dates(clean)
        return clean


def _check_dates(clean: Mapping[str, object]) -> None:
    start, end = clean.get("start_date"), clean.get("end_date")
    if start and end and str(end) < str(start):
        raise ProposalError(f"end_date {end} is before start_date {start}: swap or correct them")


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
