"""Draft a measure: working group and template; draw, upload or type the geometry; the
template's form; the text with live neutrality findings; the overlap report beside the map;
save as a new version. The draft lives in session state, so reruns never lose it."""

from __future__ import annotations

import json
import logging
from dataclasses import replace

import shapely
import streamlit as st

from marine.drafting import dropped_fields, switch_template
from marine.errors import GeometryError, MarineError, ProposalError
from marine.geo import GEOMETRY_KINDS
from marine.i18n import translate
from marine.neutrality import lint_text
from marine.templates import TEMPLATES, Template
from marine.ui import data, draft_doc, draft_save, state, uploader
from marine.ui.chrome import disclaimer_banner, disclaimer_text, map_disclaimer_line
from marine.ui.draft_doc import GROUP, TEMPLATE, TEXT, TYPED, field_key
from marine.ui.groups import group_label, template_group
from marine.ui.mapview import show_map
from marine.ui.report_view import show_report
from marine.uploads import (
    TypedPositionsError,
    UploadError,
    drawings_geometry,
    parse_coordinate_text,
    read_upload,
)
from marine.webmap import MapOptions, add_draw, build_map, geometry_group

log = logging.getLogger(__name__)
URL_PATH = "draft"  # the page's address (/draft)
DRAWN = "draft_drawings"  # the last drawings seen in this session, to notice changes
REFUSED = "draft_refused"  # an input refused since the geometry was last set
PENDING = "draft_pending_switch"  # (group, template) waiting for the drafter to confirm
CORRECTED = "draft_corrected_positions"  # the corrected reading offered for typed positions
CONFIRM_DELETE = "draft_confirm_delete"
UPLOAD_TYPES = ["geojson", "json", "kml", "kmz", "gpkg", "zip"]
MAP_RESERVE = 120  # px of the window kept for what is above and below the map


def set_geometry(geom, kind: str, source: str, label: str = "") -> None:
    st.session_state.pop(REFUSED, None)
    draft_doc.set_geometry(geom, kind, source, label)


def refused(what: str) -> None:
    """An input was refused: the report on screen belongs to the previous geometry."""
    st.session_state[REFUSED] = what


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


def _templates_of(slug: str, groups: dict) -> list[str]:
    gid = template_group(groups[slug]) if slug in groups else None
    return [tid for tid, tpl in TEMPLATES.items() if tpl.group == gid] or list(TEMPLATES)


def _ask_to_switch(old_group: str, old_template: str, group: str, template_id: str) -> None:
    """Switch at once when nothing would be lost; else put the old choice back and ask."""
    ss = st.session_state
    template = TEMPLATES[template_id]
    draft = draft_doc.current()
    old = TEMPLATES.get(old_template)
    if old is not None:
        draft = draft_doc.from_widgets(draft, old)
    if old is not None and dropped_fields(draft, template):
        ss[GROUP], ss[TEMPLATE] = old_group, old_template
        ss[PENDING] = (group, template_id)
        return
    _switch(draft, group, template)


def _switch(draft, group: str, template: Template) -> None:
    ss = st.session_state
    ss[GROUP], ss[TEMPLATE] = group, template.id
    for f in TEMPLATES[draft.template].fields if draft.template in TEMPLATES else ():
        if f.name not in {g.name for g in template.fields}:
            ss.pop(field_key(f.name), None)
    ss.pop(PENDING, None)
    draft_doc.keep(switch_template(replace(draft, group=group), template))


def _on_group_change(groups: dict) -> None:
    ss = st.session_state
    draft = draft_doc.current()
    group = ss[GROUP]
    choices = _templates_of(group, groups)
    template_id = draft.template if draft.template in choices else choices[0]
    _ask_to_switch(draft.group or group, draft.template, group, template_id)


def _on_template_change() -> None:
    draft = draft_doc.current()
    ss = st.session_state
    _ask_to_switch(ss[GROUP], draft.template, ss[GROUP], ss[TEMPLATE])


def _confirm_switch() -> None:
    group, template_id = st.session_state[PENDING]
    draft = draft_doc.current()
    if draft.template in TEMPLATES:
        draft = draft_doc.from_widgets(draft, TEMPLATES[draft.template])
    _switch(draft, group, TEMPLATES[template_id])


def pending_switch() -> None:
    pending = st.session_state.get(PENDING)
    if not pending:
        return
    t, lang = state.t, state.lang()
    draft = draft_doc.current()
    target = TEMPLATES[pending[1]]
    labels = [f.label.get(lang) or f.label["en"] for f in dropped_fields(draft, target)]
    st.warning(state.tm("draft.switch_drops", template=target.title.get(lang) or target.id,
                        fields="; ".join(labels)))
    yes, no = st.columns(2)
    yes.button(t("draft.switch_confirm"), key="draft_switch_confirm", on_click=_confirm_switch)
    no.button(state.tm("draft.switch_cancel",
                       template=draft_save.template_title(draft.template)),
              key="draft_switch_cancel", on_click=lambda: st.session_state.pop(PENDING, None))


def choose_template():
    """Working group (store record) and template of the draft."""
    t, lang = state.t, state.lang()
    ss = st.session_state
    groups = {g.slug: g for g in group_choices()}
    draft_doc.resend_choices()
    if ss.get(GROUP) not in groups:
        ss[GROUP] = next(iter(groups))
    slug = st.selectbox(t("draft.group"), list(groups), key=GROUP,
                        format_func=lambda s: group_label(groups[s], lang),
                        on_change=_on_group_change, args=(groups,))
    choices = _templates_of(slug, groups)
    if ss.get(TEMPLATE) not in choices:
        ss[TEMPLATE] = choices[0]
    template_id = st.selectbox(t("draft.template"), choices, key=TEMPLATE,
                               format_func=lambda tid: TEMPLATES[tid].title.get(lang) or tid,
                               on_change=_on_template_change)
    pending_switch()
    return slug, TEMPLATES[template_id]


def upload_input() -> None:
    t = state.t
    upload = uploader.file_uploader(t("draft.upload"), UPLOAD_TYPES, key="draft_upload",
                                    help=t("draft.upload_help"))
    if upload is None:
        return
    marker = (upload.name, upload.size)
    if st.session_state.get("draft_upload_seen") == marker:
        return
    st.session_state["draft_upload_seen"] = marker
    try:
        result = read_upload(upload.name, upload.getvalue())
    except UploadError as exc:
        st.error(state.tm("draft.upload_failed", name=upload.name, error=str(exc)))
        refused(state.t("draft.refused_upload", name=upload.name))
        return  # the draft is untouched
    except Exception as exc:  # a reader failing in a way we did not foresee: no traceback
        log.exception("upload %s could not be read", upload.name)
        st.error(state.tm("draft.upload_failed", name=upload.name,
                          error=f"{type(exc).__name__}: {exc}"))
        refused(state.t("draft.refused_upload", name=upload.name))
        return
    # Repairs and reprojections are said now and kept in the label beside the draft: the
    # geometry is already repaired, so the report will not mention them again.
    label = " — ".join([f"{result.fmt}: {upload.name}", *result.notes])
    set_geometry(result.geometry, result.kind, "upload", label)
    st.success(state.tm("draft.upload_ok", name=upload.name, count=result.count))
    for note in result.notes:
        st.info(state.md(note))


def _use_positions(text: str, kind: str) -> None:
    ss = st.session_state
    ss.pop(CORRECTED, None)
    try:
        result = parse_coordinate_text(text, kind)
    except TypedPositionsError as exc:
        ss["draft_positions_error"] = str(exc)
        ss[CORRECTED] = exc.corrected
        refused(state.t("draft.refused_positions"))
        return
    except UploadError as exc:
        ss["draft_positions_error"] = str(exc)
        refused(state.t("draft.refused_positions"))
        return
    ss.pop("draft_positions_error", None)
    set_geometry(result.geometry, result.kind, "typed")


def _use_corrected(kind: str) -> None:
    corrected = st.session_state.pop(CORRECTED)
    st.session_state[TYPED] = corrected
    _use_positions(corrected, kind)


def typed_input() -> None:
    t = state.t
    ss = st.session_state
    kind = st.radio(t("draft.kind"), list(GEOMETRY_KINDS), horizontal=True,
                    key="draft_typed_kind", format_func=lambda k: t(f"draft.kind.{k}"))
    text = st.text_area(t("draft.coordinates"), key=TYPED, help=t("draft.coordinates_help"),
                        on_change=draft_doc.typed, placeholder="9°30.5′N 114°E\nN 9°30′ E 114°30′\n9.5, 114.5")
    if st.button(t("draft.use_coordinates"), key="draft_use_coordinates"):
        _use_positions(text, kind)
    error = ss.get("draft_positions_error")
    if error:
        st.error(state.tm("draft.coordinates_failed", error=error))
    if ss.get(CORRECTED):
        st.info(t("draft.swapped"))
        st.code(ss[CORRECTED], language=None)
        st.button(t("draft.use_corrected"), key="draft_use_corrected", on_click=_use_corrected,
                  args=(kind,))


def take_drawings(result: dict) -> None:
    """New drawings replace the draft geometry; deleting them clears a drawn draft. A fresh
    map (after a refresh) reports no drawings: that keeps the kept drawing. Drawings equal to
    the last ones seen are no change: after an upload the old drawing is still on the map and
    comes back with every rerun, so the very same polygon drawn again (to the last decimal)
    is not told apart from it; any other drawing is taken."""
    drawings = result.get("all_drawings")
    if drawings is None:
        return
    seen = json.dumps(drawings, sort_keys=True)
    before = st.session_state.get(DRAWN)
    if before == seen:
        return
    st.session_state[DRAWN] = seen
    try:
        drawn = drawings_geometry(drawings)
    except UploadError as exc:
        st.error(state.tm("draft.drawing_failed", error=str(exc)))
        refused(state.t("draft.refused_drawing"))
        return
    if drawn is not None:
        set_geometry(drawn.geometry, drawn.kind, "drawn")
    elif before not in (None, "[]") and draft_doc.current().geometry_source == "drawn":
        st.session_state.pop(REFUSED, None)
        draft_doc.clear_geometry()


# --------------------------------------------------------------------------- map and report
@st.cache_resource(show_spinner=False, max_entries=12)
def _base_map_parts(lang: str, name_order: tuple[str, ...]):
    frames, _failures = data.displays(data.default_ids("draft"), name_order)
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


def _shown_by_browser(draft) -> bool:
    """Whether the map's own drawing layer holds the draft's geometry (drawn in this page
    session); otherwise the page draws it (uploads, typed positions, a resumed drawing)."""
    if draft.geometry_source != "drawn":
        return False
    seen = st.session_state.get(DRAWN)
    if not seen:
        return False
    try:
        drawn = drawings_geometry(json.loads(seen))
    except (UploadError, ValueError):
        return False
    return drawn is not None and json.loads(shapely.to_geojson(drawn.geometry)) == draft.geometry


@st.fragment
def map_and_report() -> None:
    t, lang = state.t, state.lang()
    left, right = st.container(), st.container()  # the map at full width, the report below
    with left:
        draft = draft_doc.current()
        groups = []
        if draft.geometry is not None and not _shown_by_browser(draft):
            groups = [geometry_group(dict(draft.geometry), t("draft.current_geometry"))]
        result = show_map(draft_map(lang, state.name_order()), key="draft-map",
                          returned_objects=("all_drawings",), feature_groups=groups,
                          fill_reserve=MAP_RESERVE)
        take_drawings(result)
    with right:
        report_column(draft_doc.current())


def report_column(draft) -> None:
    t = state.t
    if draft.geometry is None:
        st.info(t("draft.no_geometry"))
        return
    refusal = st.session_state.get(REFUSED)
    if refusal:
        st.warning(state.tm("draft.report_previous", what=refusal))
    st.caption(state.tm("draft.geometry_from", source=t(f"draft.source.{draft.geometry_source}"),
                        label=draft.geometry_label))
    try:
        report = data.report_for(json.dumps(dict(draft.geometry), sort_keys=True))
    except GeometryError as exc:
        st.error(state.tm("draft.geometry_invalid", error=str(exc)))
        return
    show_report(report)


# --------------------------------------------------------------------------- form and text
def field_widget(field, template: Template):
    lang = state.lang()
    label = field.label.get(lang) or field.label["en"]
    label = f"{label} *" if field.required else label
    key = field_key(field.name)
    common = {"key": key, "help": field.help.get(lang) or field.help.get("en")}
    if field.type in ("text", "longtext"):
        common["on_change"] = draft_doc.typed
    # A value already in the session (a resumed draft) must not meet a widget default.
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


def template_form(template: Template) -> None:
    st.subheader(state.t("draft.form"))
    for f in template.fields:
        field_widget(f, template)


def text_with_findings() -> None:
    """The measure's text, checked for loaded wording as the drafter writes."""
    t, lang = state.t, state.lang()
    text = st.text_area(t("draft.text"), key=TEXT, height=180, help=t("draft.text_help"),
                        on_change=draft_doc.typed)
    findings = lint_text(text, lang) if text.strip() else []
    if text.strip() and not findings:
        st.success(t("draft.lint_clean"))
    for f in findings:
        st.warning(state.tm("draft.lint_finding", words=f.text, why=f.explanation,
                            suggestion=f.suggestion))


# --------------------------------------------------------------------------- my drafts
def _draft_label(saved) -> str:
    t = state.t
    draft = saved.draft
    title = draft.title or t("draft.untitled")
    when = saved.updated_at.strftime("%Y-%m-%d %H:%M UTC")
    editing = f" · P-{draft.proposal_id} v{draft.base_version}" if draft.proposal_id else ""
    return f"{title} · {draft_save.template_title(draft.template)}{editing} · {when}"


def my_drafts() -> None:
    """The signed-in drafter's kept drafts: open one, start a new one, delete (asked once)."""
    t = state.t
    if state.user() is None:
        return
    kept = draft_doc.kept_drafts()
    with st.expander(t("draft.my_drafts", count=len(kept)), expanded=False):
        st.button(t("draft.new_draft"), key="draft_new", on_click=draft_doc.new_blank)
        for saved in kept:
            _kept_row(saved)


def _kept_row(saved) -> None:
    t = state.t
    ss = st.session_state
    text, open_, delete = st.columns([6, 1, 1])
    mark = t("draft.open_now") if saved.id == draft_doc.current_id() else ""
    text.markdown(state.md(_draft_label(saved)) + (f" — **{mark}**" if mark else ""))
    open_.button(t("draft.open"), key=f"draft_open_{saved.id}", on_click=draft_doc.open_kept,
                 args=(saved.id,), disabled=bool(mark))
    delete.button(t("draft.delete"), key=f"draft_delete_{saved.id}",
                  on_click=lambda: ss.__setitem__(CONFIRM_DELETE, saved.id))
    if ss.get(CONFIRM_DELETE) == saved.id:
        st.warning(state.tm("draft.delete_confirm", title=saved.draft.title or t("draft.untitled")))
        yes, no = st.columns(2)
        yes.button(t("draft.delete_yes"), key=f"draft_delete_yes_{saved.id}", type="primary",
                   on_click=_delete, args=(saved.id,))
        no.button(t("draft.delete_no"), key=f"draft_delete_no_{saved.id}",
                  on_click=lambda: ss.pop(CONFIRM_DELETE, None))


def _delete(draft_id: int) -> None:
    st.session_state.pop(CONFIRM_DELETE, None)
    try:
        draft_doc.delete_kept(draft_id)
    except MarineError as exc:
        st.session_state[draft_doc.NOT_KEPT] = state.md(exc)


def render() -> None:
    t = state.t
    st.title(t("draft.title"))
    disclaimer_banner()
    draft_doc.start()
    header, kept = st.container(), st.container()  # filled last: they show this run's save
    top = st.columns(2)
    with top[0]:
        _group, template = choose_template()
    draft_doc.resend_values(template)
    with top[1]:
        upload_tab, typed_tab = st.tabs([t("draft.tab_upload"), t("draft.tab_type")])
        with upload_tab:
            upload_input()
        with typed_tab:
            typed_input()
    st.caption(t("draft.draw_hint"))
    map_and_report()
    template_form(template)
    text_with_findings()
    draft = draft_doc.from_widgets(draft_doc.current(), template)
    draft_doc.keep(draft)  # autosave: within the run that saw the change
    draft_save.save_section(draft_doc.current(), template)
    with header:
        draft_save.header(draft_doc.current())
    with kept:
        my_drafts()
