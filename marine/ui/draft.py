"""Draft a measure: working group and template; draw, upload or type the geometry; the
template's form; the text with live neutrality findings; the overlap report beside the map;
save as a new version. The draft lives in session state, so reruns never lose it."""

from __future__ import annotations

import json
import logging

import shapely
import streamlit as st

from marine.errors import ConflictError, GeometryError, MarineError, ProposalError
from marine.geo import GEOMETRY_KINDS
from marine.i18n import translate
from marine.neutrality import lint_text
from marine.templates import TEMPLATES, Template
from marine.ui import data, state
from marine.ui.chrome import disclaimer_banner, disclaimer_text, map_disclaimer_line
from marine.ui.groups import group_label, template_group
from marine.ui.mapview import show_map
from marine.ui.report_view import show_report
from marine.uploads import UploadError, drawings_geometry, parse_coordinate_text, read_upload
from marine.webmap import MapOptions, add_draw, build_map, geometry_group

log = logging.getLogger(__name__)
DRAFT = "draft"  # session key: {"geojson", "kind", "source"} of the current geometry
DRAWN = "draft_drawings"  # the last drawings seen, to notice changes
CONTEXT_LAYERS = ("land-display", "agreed-boundaries", "joint-areas", "baselines",
                  "u-shaped-line", "places")
UPLOAD_TYPES = ["geojson", "json", "kml", "kmz", "gpkg", "zip"]
MAP_RESERVE = 120  # px of the window kept for what is above and below the map
PERSISTENT = ("draft_group", "draft_template", "draft_text", "draft_title")


KEPT = "draft_kept"  # widget values as of the last run of this page


def _draft_widget(key: str) -> bool:
    return key in PERSISTENT or str(key).startswith("draft_field:")


def restore_widget_values() -> None:
    """Streamlit forgets the values of widgets on pages not shown: after a visit to another
    page, put back what the drafter had. Only missing keys are restored, so a value being
    typed is never overwritten by an older one."""
    for key, value in st.session_state.get(KEPT, {}).items():
        if key not in st.session_state:
            st.session_state[key] = value


def remember_widget_values() -> None:
    st.session_state[KEPT] = {k: st.session_state[k] for k in list(st.session_state)
                              if _draft_widget(k)}


def set_geometry(geom, kind: str, source: str, label: str = "") -> None:
    """`source` is "drawn", "upload" or "typed"; `label` names the file, if any."""
    st.session_state[DRAFT] = {"geojson": json.loads(shapely.to_geojson(geom)), "kind": kind,
                               "source": source, "label": label}


def current() -> dict | None:
    return st.session_state.get(DRAFT)


# --------------------------------------------------------------------------- inputs
def group_choices() -> list:
    """The working groups the drafter can write in (all of them before signing in)."""
    store = data.store()
    user = state.user()
    if user is not None:
        groups = [m.group for m in store.groups.memberships(user)
                  if m.role in ("facilitator", "member")]
        if groups:
            return groups
    return store.groups.list()


def choose_template():
    """Working group (store record) and template of the draft."""
    t, lang = state.t, state.lang()
    groups = {g.slug: g for g in group_choices()}

    slug = st.selectbox(t("draft.group"), list(groups), key="draft_group",
                        format_func=lambda s: group_label(groups[s], lang))
    gid = template_group(groups[slug]) if slug else None
    choices = [tid for tid, tpl in TEMPLATES.items() if tpl.group == gid] or list(TEMPLATES)
    template_id = st.selectbox(t("draft.template"), choices, key="draft_template",
                               format_func=lambda tid: TEMPLATES[tid].title.get(lang) or tid)
    return slug, TEMPLATES[template_id]


def upload_input() -> None:
    t = state.t
    upload = st.file_uploader(t("draft.upload"), type=UPLOAD_TYPES, key="draft_upload",
                              help=t("draft.upload_help"))
    if upload is None:
        return
    marker = (upload.name, upload.size)
    if st.session_state.get("draft_upload_seen") == marker:
        return
    try:
        result = read_upload(upload.name, upload.getvalue())
    except UploadError as exc:
        st.error(state.tm("draft.upload_failed", name=upload.name, error=str(exc)))
        return  # the draft in session is untouched
    except Exception as exc:  # a reader failing in a way we did not foresee: no traceback
        log.exception("upload %s could not be read", upload.name)
        st.error(state.tm("draft.upload_failed", name=upload.name,
                          error=f"{type(exc).__name__}: {exc}"))
        return
    st.session_state["draft_upload_seen"] = marker
    # Repairs and reprojections are said now and kept in the label beside the draft: the
    # geometry is already repaired, so the report will not mention them again.
    label = " — ".join([f"{result.fmt}: {upload.name}", *result.notes])
    set_geometry(result.geometry, result.kind, "upload", label)
    st.success(state.tm("draft.upload_ok", name=upload.name, count=result.count))
    for note in result.notes:
        st.info(state.md(note))


def typed_input() -> None:
    t = state.t
    kind = st.radio(t("draft.kind"), list(GEOMETRY_KINDS), horizontal=True,
                    key="draft_typed_kind", format_func=lambda k: t(f"draft.kind.{k}"))
    text = st.text_area(t("draft.coordinates"), key="draft_coordinates",
                        help=t("draft.coordinates_help"), placeholder="16°40.5′N 112°20′E")
    if st.button(t("draft.use_coordinates"), key="draft_use_coordinates"):
        try:
            result = parse_coordinate_text(text, kind)
        except UploadError as exc:
            st.error(state.tm("draft.coordinates_failed", error=str(exc)))
            return
        set_geometry(result.geometry, result.kind, "typed")


def take_drawings(result: dict) -> None:
    """New drawings replace the draft geometry; clearing them clears a drawn draft."""
    drawings = result.get("all_drawings")
    if drawings is None:
        return
    seen = json.dumps(drawings, sort_keys=True)
    if st.session_state.get(DRAWN) == seen:
        return
    st.session_state[DRAWN] = seen
    try:
        drawn = drawings_geometry(drawings)
    except UploadError as exc:
        st.error(state.tm("draft.drawing_failed", error=str(exc)))
        return
    if drawn is not None:
        set_geometry(drawn.geometry, drawn.kind, "drawn")
    elif (current() or {}).get("source") == "drawn":
        st.session_state.pop(DRAFT, None)


# --------------------------------------------------------------------------- map and report
@st.cache_resource(show_spinner=False, max_entries=12)
def _base_map_parts(lang: str, name_order: tuple[str, ...]):
    frames, _failures = data.displays(CONTEXT_LAYERS, name_order)
    return frames


def draft_map(lang: str, name_order: tuple[str, ...]):
    """The drawing map: context layers, Draw, legend, disclaimer. It stays the same across
    reruns (same HTML, same key), so the browser keeps unsaved drawings."""
    frames = _base_map_parts(lang, name_order)
    options = MapOptions(lang=lang, name_order=name_order, disclaimer=disclaimer_text(lang),
                         disclaimer_short=map_disclaimer_line(), key="draft")
    m = build_map(data.catalogue(), list(frames), options, frames=frames,
                  labels={i: data.labels(i, name_order) for i in frames})
    add_draw(m, lang)
    return m


@st.fragment
def map_and_report() -> None:
    t, lang = state.t, state.lang()
    left, right = st.container(), st.container()  # the map at full width, the report below
    with left:
        draft = current()
        groups = []
        if draft and draft["source"] != "drawn":  # uploads and typed positions, not redrawn
            groups = [geometry_group(draft["geojson"], t("draft.current_geometry"))]
        result = show_map(draft_map(lang, state.name_order()), key="draft-map",
                          returned_objects=("all_drawings",), feature_groups=groups,
                          fill_reserve=MAP_RESERVE)
        take_drawings(result)
    with right:
        draft = current()
        if draft is None:
            st.info(t("draft.no_geometry"))
            return
        st.caption(state.tm("draft.geometry_from", source=t(f"draft.source.{draft['source']}"),
                     label=draft.get("label", "")))
        try:
            report = data.report_for(json.dumps(draft["geojson"], sort_keys=True))
        except GeometryError as exc:
            st.error(state.tm("draft.geometry_invalid", error=str(exc)))
            return
        show_report(report)


# --------------------------------------------------------------------------- form and text
def field_widget(field, template: Template):
    lang = state.lang()
    label = field.label.get(lang) or field.label["en"]
    label = f"{label} *" if field.required else label
    key = f"draft_field:{template.id}:{field.name}"
    common = {"key": key, "help": field.help.get(lang) or field.help.get("en")}
    # A value already in the session (a reopened version) must not meet a widget default.
    empty = {} if key in st.session_state else {"value": None}
    if field.type == "longtext":
        return st.text_area(label, max_chars=field.max_length, **common)
    if field.type == "text":
        return st.text_input(label, max_chars=field.max_length, **common)
    if field.type in ("integer", "number"):
        value = st.number_input(label, min_value=field.minimum, max_value=field.maximum,
                                step=1.0 if field.type == "number" else None, **empty, **common)
        return int(value) if field.type == "integer" and value is not None else value
    if field.type == "date":
        return st.date_input(label, **empty, **common)
    if field.type == "choice":
        return st.selectbox(label, field.choices, **({} if empty == {} else {"index": None}),
                            format_func=lambda c: translate(f"template.choice.{c}", lang,
                                                            default=c),
                            **common)
    if field.type == "bool":
        return st.checkbox(label, **common)
    raise ProposalError(f"field '{field.name}' has unknown type '{field.type}'")


def template_form(template: Template) -> dict:
    st.subheader(state.t("draft.form"))
    return {f.name: field_widget(f, template) for f in template.fields}


def text_with_findings() -> str:
    """The measure's text, checked for loaded wording as the drafter writes."""
    t, lang = state.t, state.lang()
    text = st.text_area(t("draft.text"), key="draft_text", height=180,
                        help=t("draft.text_help"))
    findings = lint_text(text, lang) if text.strip() else []
    if text.strip() and not findings:
        st.success(t("draft.lint_clean"))
    for f in findings:
        st.warning(state.tm("draft.lint_finding", words=f.text, why=f.explanation,
                     suggestion=f.suggestion))
    return text


# --------------------------------------------------------------------------- saving
EDITING = "draft_editing"  # {"proposal_id", "base_version"} once the draft is saved
CONFLICT = "draft_conflict"  # the other version and the drafter's, after a ConflictError


def _save(user, group: str, template: Template, attributes: dict, text: str) -> None:
    draft = current()
    clean = template.validate(attributes, draft["kind"])
    geometry = shapely.geometry.shape(draft["geojson"])
    report = data.report_for(json.dumps(draft["geojson"], sort_keys=True)).to_json()
    title = str(clean.get("title") or "")
    proposals = data.store().proposals
    editing = st.session_state.get(EDITING)
    if editing:
        version = proposals.save_version(
            user, editing["proposal_id"], base_version=editing["base_version"], title=title,
            text=text, geometry=geometry, attributes=clean, report=report)
        st.session_state[EDITING] = {"proposal_id": editing["proposal_id"],
                                     "base_version": version.number}
        pid, number = editing["proposal_id"], version.number
    else:
        proposal = proposals.create(user, group=group, kind=template.id, title=title,
                                    text=text, geometry=geometry, attributes=clean,
                                    report=report)
        st.session_state[EDITING] = {"proposal_id": proposal.id, "base_version": 1}
        pid, number = proposal.id, 1
    st.session_state.pop(CONFLICT, None)
    st.success(state.t("draft.saved", id=pid, version=number))


def save_section(group: str, template: Template, attributes: dict, text: str) -> None:
    t = state.t
    user = state.user()
    editing = st.session_state.get(EDITING)
    if editing:
        st.caption(t("draft.editing", id=editing["proposal_id"],
                     version=editing["base_version"]))
    if user is None:
        st.info(t("draft.sign_in_to_save"))
        return
    # Never disabled: drawings arrive in the map's fragment, after this button was drawn.
    if st.button(t("draft.save"), type="primary", key="draft_save"):
        if current() is None:
            st.error(t("draft.no_geometry"))
            return
        try:
            _save(user, group, template, attributes, text)
        except ConflictError as exc:
            st.session_state[CONFLICT] = {"message": str(exc), "theirs":
                                          exc.latest_version.text, "number":
                                          exc.latest_version.number, "title":
                                          exc.latest_version.title}
        except (MarineError, ValueError) as exc:
            st.error(state.tm("draft.save_failed", error=str(exc)))
    show_conflict()


def show_conflict() -> None:
    """Both versions side by side; the drafter's text is kept and can be merged by hand."""
    conflict = st.session_state.get(CONFLICT)
    if not conflict:
        return
    t = state.t
    st.error(state.md(conflict["message"]))
    theirs, mine = st.columns(2)
    theirs.text_area(t("draft.conflict_theirs", version=conflict["number"]),
                     conflict["theirs"], disabled=True, height=220,
                     key="draft_conflict_theirs")
    mine.caption(t("draft.conflict_mine"))
    mine.code(st.session_state.get("draft_text", ""), language=None)
    if st.button(t("draft.conflict_merge", version=conflict["number"]), key="draft_merge"):
        editing = st.session_state[EDITING]
        st.session_state[EDITING] = {**editing, "base_version": conflict["number"]}
        st.session_state.pop(CONFLICT)
        st.rerun()


def render() -> None:
    t = state.t
    st.title(t("draft.title"))
    disclaimer_banner()
    restore_widget_values()
    top = st.columns(2)
    with top[0]:
        group, template = choose_template()
    with top[1]:
        upload_tab, typed_tab = st.tabs([t("draft.tab_upload"), t("draft.tab_type")])
        with upload_tab:
            upload_input()
        with typed_tab:
            typed_input()
    st.caption(t("draft.draw_hint"))
    map_and_report()
    attributes = template_form(template)
    text = text_with_findings()
    save_section(group, template, attributes, text)
    remember_widget_values()
