"""Reviewing a proposal, pure (no streamlit): its address, its form as a reader reads it, and
the redline between any two versions — of one proposal or of two.

    proposal_link("https://ws.example/", 7, 2)   # "https://ws.example/proposals?proposal=7&version=2"
    rows = field_rows("joint-survey", version.attributes, "vi")
    change = versions_redline(version_a, "joint-survey", version_b, "joint-survey", "en")
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit, urlunsplit

from marine.compare import GeometryDiff, geometry_diff, redline
from marine.errors import ProposalError
from marine.formatting import number
from marine.i18n import translate
from marine.templates import TEMPLATES, Field, choice_label

PROPOSALS_PATH = "proposals"  # the Proposals page's url_path (marine/ui/pages.py)
LINK_PARAMS = ("proposal", "version")


# --------------------------------------------------------------------------- links
def proposal_link(base_url: str, proposal_id: int, version: int | None = None) -> str:
    """The address that opens a proposal (and one of its versions) on the Proposals page of
    the workspace served at `base_url` (for the page itself, e-mails, agendas and packs)."""
    parts = urlsplit(base_url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"base URL {base_url!r} must be http(s)://host[:port][/path]")
    for name, value in (("proposal", proposal_id), ("version", version)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
            raise ValueError(f"{name} number {value!r} must be a whole number from 1")
    path = parts.path.rstrip("/")
    if path.endswith("/" + PROPOSALS_PATH) or path == PROPOSALS_PATH:
        path = path[: -len(PROPOSALS_PATH)].rstrip("/")
    query = {"proposal": proposal_id} | ({} if version is None else {"version": version})
    return urlunsplit((parts.scheme, parts.netloc, f"{path}/{PROPOSALS_PATH}", urlencode(query), ""))


@dataclass(frozen=True)
class LinkTarget:
    proposal_id: int
    version: int | None = None


def link_target(params: Mapping[str, object]) -> LinkTarget | None:
    """What `?proposal=N&version=K` asks for (None without `proposal`); ProposalError naming
    the value when it is not a number."""
    values = {}
    for name in LINK_PARAMS:
        raw = params.get(name)
        if isinstance(raw, list | tuple):
            raw = raw[-1] if raw else None
        if raw is None or str(raw).strip() == "":
            values[name] = None
            continue
        text = str(raw).strip().removeprefix("P-").removeprefix("p-")
        if not text.isdigit() or int(text) < 1:
            raise ProposalError(f"the link's {name} was {str(raw)[:40]!r} but must be a number "
                                "such as 12; check the address")
        values[name] = int(text)
    if values["proposal"] is None:
        return None
    return LinkTarget(values["proposal"], values["version"])


# --------------------------------------------------------------------------- the form as read
@dataclass(frozen=True)
class FieldRow:
    name: str
    label: str
    value: str  # as the reader reads it ("" when not given)


def field_value_text(f: Field, value: object, lang: str) -> str:
    """A stored field value in the reader's words: choices by label, yes/no, numbers grouped."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    if f.type == "choice":
        return choice_label(f, value, lang)
    if f.type == "bool":
        return translate("review.yes" if value is True else "review.no", lang)
    if f.type in ("integer", "number") and isinstance(value, int | float) and not isinstance(value, bool):
        return number(value, lang, 0 if f.type == "integer" else 6, trim=True)
    return str(value)


def form_fields(kind: str | None, attributes: Mapping[str, object]) -> list[Field]:
    """The template's fields in its order, then any stored field it no longer has (known
    elsewhere); the title is the proposal's header and never repeated."""
    template = TEMPLATES.get(kind or "")
    fields = list(template.fields) if template else []
    names = {f.name for f in fields}
    others = {f.name: f for t in TEMPLATES.values() for f in t.fields}
    fields += [others[n] for n in attributes if n not in names and n in others]
    return [f for f in fields if f.name != "title"]


def field_rows(kind: str | None, attributes: Mapping[str, object], lang: str) -> list[FieldRow]:
    """Every form field of the proposal's template by its label in `lang`, with its value."""
    return [FieldRow(f.name, f.label.get(lang) or f.label["en"],
                     field_value_text(f, attributes.get(f.name), lang))
            for f in form_fields(kind, attributes)]


# --------------------------------------------------------------------------- the redline
Segments = list[tuple[str, str]]


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str
    segments: Segments  # word by word, before → after


@dataclass(frozen=True)
class VersionRedline:
    title: Segments
    title_changed: bool
    fields: list[FieldChange]  # the fields whose value changed, in form order
    unchanged_fields: int
    text: Segments
    text_changed: bool
    geometry: GeometryDiff
    extra: dict = field(default_factory=dict)


def versions_redline(a, kind_a: str | None, b, kind_b: str | None, lang: str) -> VersionRedline:
    """What changed from version `a` to `b` (records with title, text, attributes, geometry;
    the same or two proposals, of templates `kind_a` and `kind_b`)."""
    rows_a = {r.name: r for r in field_rows(kind_a, a.attributes or {}, lang)}
    rows_b = {r.name: r for r in field_rows(kind_b, b.attributes or {}, lang)}
    changes, unchanged = [], 0
    for name in [*rows_a, *(n for n in rows_b if n not in rows_a)]:
        ra, rb = rows_a.get(name), rows_b.get(name)
        before, after = (ra.value if ra else ""), (rb.value if rb else "")
        if before == after:
            unchanged += 1
            continue
        label = (ra or rb).label
        changes.append(FieldChange(label, before, after, redline(before, after)))
    return VersionRedline(
        title=redline(a.title, b.title), title_changed=a.title != b.title,
        fields=changes, unchanged_fields=unchanged,
        text=redline(a.text or "", b.text or ""), text_changed=(a.text or "") != (b.text or ""),
        geometry=geometry_diff(a.geometry, b.geometry))
