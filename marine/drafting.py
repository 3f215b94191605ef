"""A draft of a measure as the drafter has it: working group, template, every form field, the
text, the geometry and where it came from, and what a save will do (a new proposal, or a new
version of proposal P on top of version k). Pure: the Draft page turns widgets into a `Draft`
and back, the store keeps it (`Store.drafts`).

    draft = Draft(group="legal-matters", template="joint-survey", fields={"title": "..."})
    Draft.from_json(draft.to_json()) == draft
    dropped_fields(draft, TEMPLATES["oil-spill-response"])   # what a switch would lose
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from marine.templates import Field, Template

GEOMETRY_SOURCES = ("drawn", "upload", "typed")


def _plain(value: Any) -> Any:
    """A form value as JSON keeps it: dates as ISO text, NUL characters (not text) removed."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, float) and value.is_integer():
        return value
    return value


def _empty(value: Any) -> bool:
    return value is None or value is False or (isinstance(value, str) and not value.strip())


@dataclass(frozen=True)
class Draft:
    group: str = ""  # working-group slug
    template: str = ""  # template id
    fields: Mapping[str, Any] = field(default_factory=dict)  # field name → JSON value
    text: str = ""
    geometry: Mapping | None = None  # GeoJSON geometry, EPSG:4326
    geometry_kind: str = ""  # "area", "line" or "points"
    geometry_source: str = ""  # one of GEOMETRY_SOURCES
    geometry_label: str = ""  # the uploaded file and what was repaired, if any
    typed_positions: str = ""  # the positions as typed, one per line
    proposal_id: int | None = None  # None: saving makes a new proposal
    base_version: int | None = None  # the version a new version is based on

    def __post_init__(self) -> None:
        plain = {str(k): _plain(v) for k, v in dict(self.fields).items()}
        object.__setattr__(self, "fields", MappingProxyType(plain))
        object.__setattr__(self, "text", _plain(self.text or ""))
        object.__setattr__(self, "typed_positions", _plain(self.typed_positions or ""))
        if self.geometry_source and self.geometry_source not in GEOMETRY_SOURCES:
            raise ValueError(f"geometry source was {self.geometry_source!r}; expected one of "
                             f"{GEOMETRY_SOURCES}")

    @property
    def title(self) -> str:
        return str(self.fields.get("title") or "").strip()

    @property
    def is_empty(self) -> bool:
        """Nothing the drafter wrote or drew (a template chosen alone is not work)."""
        return (self.geometry is None and not self.text.strip()
                and not self.typed_positions.strip()
                and all(_empty(v) for v in self.fields.values()))

    def to_json(self) -> dict:
        """A deep, JSON-safe copy."""
        data = self.plain_json()
        if self.geometry is not None:
            data["geometry"] = json.loads(json.dumps(self.geometry))
        return data

    def plain_json(self) -> dict:
        """The content as JSON would hold it, sharing the geometry (no copy: for writing)."""
        return {"group": self.group, "template": self.template, "fields": dict(self.fields),
                "text": self.text, "geometry": self.geometry, "geometry_kind": self.geometry_kind,
                "geometry_source": self.geometry_source, "geometry_label": self.geometry_label,
                "typed_positions": self.typed_positions, "proposal_id": self.proposal_id, "base_version": self.base_version}

    @classmethod
    def from_json(cls, data: Mapping) -> Draft:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)

    def canonical(self) -> bytes:
        """The content as canonical JSON (UTF-8): what the digest and the size limit read."""
        return json.dumps(self.plain_json(), sort_keys=True, ensure_ascii=False,
                          allow_nan=False).encode("utf-8")

    def digest(self) -> str:
        """SHA-256 of the content: equal drafts, equal digests (autosave writes only changes)."""
        return hashlib.sha256(self.canonical()).hexdigest()

    def with_geometry(self, geojson: Mapping | None, kind: str = "", source: str = "",
                      label: str = "") -> Draft:
        return replace(self, geometry=geojson, geometry_kind=kind if geojson else "",
                       geometry_source=source if geojson else "",
                       geometry_label=label if geojson else "")

    def editing(self, proposal_id: int | None, base_version: int | None) -> Draft:
        return replace(self, proposal_id=proposal_id, base_version=base_version)


def dropped_fields(draft: Draft, template: Template) -> list[Field]:
    """The filled-in fields of `draft` that `template` does not have (lost by switching to it).
    Fields are looked up in the draft's current template for their labels."""
    from marine.templates import TEMPLATES

    keep = {f.name for f in template.fields}
    current = TEMPLATES.get(draft.template)
    by_name = {f.name: f for f in current.fields} if current else {}
    return [by_name[name] for name, value in draft.fields.items()
            if name not in keep and name in by_name and not _empty(value)]


def switch_template(draft: Draft, template: Template) -> Draft:
    """The draft under `template`: the fields both templates share keep their values (title,
    summary, dates...), the others are dropped."""
    keep = {f.name for f in template.fields}
    return replace(draft, template=template.id,
                   fields={k: v for k, v in draft.fields.items() if k in keep})
