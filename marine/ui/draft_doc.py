"""The working draft of this browser session, kept by the store for the signed-in drafter.

Pages talk to it through `marine.drafting.Draft` values, never through the Draft page's widget
keys: `current()`, `replace_with(draft)` (open a draft or a proposal's version), `set_geometry`.
Autosave (`keep`) runs after every change: unchanged content writes nothing, and nothing here
ever makes a proposal or a version. A visitor who is not signed in keeps the draft in the tab;
signing in hands it to the store (`adopt`).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import replace

import shapely
import streamlit as st

from marine.drafting import Draft
from marine.errors import AccessDenied, MarineError
from marine.templates import TEMPLATES, Template
from marine.ui import data, state

log = logging.getLogger(__name__)
DOC = "draft_doc"  # the working Draft
DOC_ID = "draft_doc_id"  # its id in the store (None: not kept yet)
DOC_OWNER = "draft_doc_owner"  # whose draft it is (None: a visitor's)
KEPT = "draft_kept_digest"  # digest of what the store holds
NOT_KEPT = "draft_not_kept"  # why the store does not keep it (observer, error)
TYPING = "draft_typing_run"  # set by a text box's on_change: this run comes from typing
GROUP, TEMPLATE, TEXT, TYPED = "draft_group", "draft_template", "draft_text", "draft_coordinates"


def field_key(name: str) -> str:
    return f"draft_field:{name}"


def current() -> Draft:
    return st.session_state.get(DOC) or Draft()


def current_id() -> int | None:
    return st.session_state.get(DOC_ID)


# --------------------------------------------------------------------------- widgets ↔ draft
def widget_value(field, value):
    """A stored field value as its widget takes it (dates as dates, choices among choices;
    None only where the widget can be empty)."""
    if field.type == "bool":
        return bool(value)
    if field.type in ("text", "longtext"):
        return "" if value is None else str(value)
    if value is None:
        return None
    if field.type == "date":
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            return None
    if field.type == "choice":
        return value if value in field.choices else None
    return value if isinstance(value, int | float) else None


def fill_widgets(draft: Draft, *, overwrite: bool) -> None:
    """Put the draft's values into the Draft page's widgets (before they are drawn). Without
    `overwrite`, only widgets Streamlit forgot (after a visit to another page) are filled."""
    ss = st.session_state
    template = TEMPLATES.get(draft.template)
    values = {GROUP: draft.group or None, TEMPLATE: draft.template or None, TEXT: draft.text,
              TYPED: draft.typed_positions}
    if template:
        for f in template.fields:
            values[field_key(f.name)] = widget_value(f, draft.fields.get(f.name))
    for key, value in values.items():
        if value is None and key in (GROUP, TEMPLATE):
            continue
        if overwrite or key not in ss:
            ss[key] = value
    if overwrite:
        for key in [k for k in ss if str(k).startswith("draft_field:") and k not in values]:
            del ss[key]


def from_widgets(draft: Draft, template: Template) -> Draft:
    """The draft with the values the widgets hold now."""
    ss = st.session_state
    fields = {}
    for f in template.fields:
        value = ss.get(field_key(f.name))
        if f.type == "integer" and isinstance(value, float) and value.is_integer():
            value = int(value)
        fields[f.name] = value
    return replace(draft, group=ss.get(GROUP) or draft.group, template=template.id,
                   fields=fields, text=ss.get(TEXT) or "",
                   typed_positions=ss.get(TYPED) or "")


# --------------------------------------------------------------------------- keeping
def _user_id():
    user = state.user()
    return None if user is None else user.id


def start() -> Draft:
    """At the top of the Draft page: the session's draft, resumed from the store when the
    session has none (a refresh, a new tab, after signing in again), with widgets filled."""
    ss = st.session_state
    uid = _user_id()
    if uid is not None and ss.get(DOC_OWNER) != uid:
        if DOC in ss and not current().is_empty and ss.get(DOC_OWNER) is None:
            adopt(state.user())
        else:
            _resume_latest(uid)
    draft = current()
    fill_widgets(draft, overwrite=False)
    return draft


def typed() -> None:
    """The on_change of every text box: this run comes from the drafter typing."""
    st.session_state[TYPING] = True


def resend_values(template: Template) -> None:
    """Send the text boxes' values again, except in a run that comes from typing.

    A box drawn anew (another language, template or page, a draft resumed while the boxes were
    not drawn) shows empty while Python still holds its value (streamlit/streamlit#2701), and
    which of those happened is not always known here: the walk in
    tests/ui/test_drafting_walk.py found boxes empty after a sign-in and after switching
    templates twice, with every value in the session and the store. So every run sends them,
    but one: a value sent from Python replaces what the browser shows, and in a run started by
    leaving one box the drafter may already be typing in the next, so a run that comes from
    typing (which cannot change the language, template or page) sends nothing. Called once the
    template shown is known and before any text box is drawn; it ends the run's typing mark."""
    if st.session_state.pop(TYPING, False):
        return
    _send_again([TEXT, TYPED] + [field_key(f.name) for f in template.fields
                                 if f.type in ("text", "longtext")])


def resend_choices() -> None:
    """The working group and template choices, sent again like the text boxes (drawn anew
    after the draft was resumed on the Sign in page they showed the first choice, not the
    draft's: the walk found it, seed 12). Called before they are drawn, so before
    `resend_values` ends the run's typing mark."""
    if not st.session_state.get(TYPING):
        _send_again([GROUP, TEMPLATE])


def _send_again(keys: list[str]) -> None:
    ss = st.session_state
    for key in keys:
        if key in ss:
            ss[key] = ss[key]


def _resume_latest(uid: int) -> None:
    try:
        drafts = data.store().drafts.list(uid)
    except MarineError as exc:
        log.warning("drafts of user %s not listed: %s", uid, exc)
        drafts = []
    if drafts:
        _open(drafts[0].draft, drafts[0].id, uid)
    else:
        _open(Draft(), None, uid)


def _open(draft: Draft, draft_id: int | None, owner: int | None) -> None:
    ss = st.session_state
    ss[DOC], ss[DOC_ID], ss[DOC_OWNER] = draft, draft_id, owner
    ss[KEPT] = draft.digest() if draft_id is not None else None
    ss.pop(NOT_KEPT, None)
    # Now, not on a later run: called from a button's callback (before the page is drawn) or
    # before the Draft page's widgets, so an edit made just after always wins.
    fill_widgets(draft, overwrite=True)


def adopt(user) -> None:
    """A visitor signed in: their draft becomes a draft of `user` in the store."""
    ss = st.session_state
    if ss.get(DOC_OWNER) is None and DOC in ss:
        ss[DOC_OWNER], ss[DOC_ID], ss[KEPT] = user.id, None, None
        keep(current())


def keep(draft: Draft) -> None:
    """Autosave: the draft becomes the session's, and the store's when it changed."""
    ss = st.session_state
    ss[DOC] = draft
    user = state.user()
    if user is None or ss.get(DOC_OWNER) != user.id:
        return
    digest = draft.digest()
    if digest == ss.get(KEPT) or (ss.get(DOC_ID) is None and draft.is_empty):
        return
    try:
        saved = data.store().drafts.save(user, draft, ss.get(DOC_ID))
    except AccessDenied as exc:
        ss[NOT_KEPT] = state.t("draft.not_kept_observer")
        log.info("draft not kept: %s", exc)
        return
    except (MarineError, ValueError) as exc:
        ss[NOT_KEPT] = state.tm("draft.not_kept_error", error=str(exc))
        return
    ss[DOC_ID], ss[KEPT] = saved.id, saved.digest
    ss.pop(NOT_KEPT, None)


def set_geometry(geom, kind: str, source: str, label: str = "") -> None:
    """`source` is "drawn", "upload" or "typed"; `label` names the file, if any."""
    geojson = json.loads(shapely.to_geojson(geom))
    keep(current().with_geometry(geojson, kind, source, label))


def clear_geometry() -> None:
    keep(current().with_geometry(None))


def replace_with(draft: Draft) -> None:
    """Open `draft` as a new working draft (e.g. a proposal's latest version to edit); the
    previous one stays in "My drafts"."""
    _open(draft, None, _user_id())
    keep(draft)


def open_kept(draft_id: int) -> None:
    saved = data.store().drafts.get(state.user(), draft_id)
    _open(saved.draft, saved.id, _user_id())


def new_blank() -> None:
    """A fresh draft in the same working group and template."""
    draft = current()
    _open(Draft(group=draft.group, template=draft.template), None, _user_id())


def delete_kept(draft_id: int) -> None:
    data.store().drafts.delete(state.user(), draft_id)
    if current_id() == draft_id:
        new_blank()


def kept_drafts() -> list:
    user = state.user()
    if user is None:
        return []
    try:
        return data.store().drafts.list(user)
    except MarineError:
        return []
