"""What a save does, said before and after: "Save as a new proposal" and "Save as version k+1
of P-n (based on version k)" are separate buttons; the header names what is being edited and
is redrawn after every save; a conflicting save shows both versions and keeps the text."""

from __future__ import annotations

import json

import shapely
import streamlit as st

from marine.drafting import Draft
from marine.errors import ConflictError, MarineError
from marine.templates import TEMPLATES, FieldError, Template
from marine.ui import data, draft_doc, state

CONFLICT = "draft_conflict"  # the other version and the drafter's, after a ConflictError
FLASH = "draft_flash"  # what the last save did, shown after the rerun that redraws the header


def header(draft: Draft) -> None:
    """What is being edited, and whether the store keeps the draft."""
    t = state.t
    if draft.proposal_id is None:
        st.markdown(t("draft.editing_new"))
    else:
        st.markdown(state.tm("draft.editing_version", id=draft.proposal_id,
                             version=draft.base_version, title=draft.title or "—"))
    if state.user() is None:
        st.caption(t("draft.sign_in_to_save"))
    elif st.session_state.get(draft_doc.NOT_KEPT):
        st.caption(st.session_state[draft_doc.NOT_KEPT])
    elif draft_doc.current_id() is not None:
        st.caption(t("draft.kept"))


def problem_text(exc: MarineError, template: Template) -> str:
    """A refusal in the reader's language, naming a field by its label."""
    lang = state.lang()
    if isinstance(exc, FieldError):
        label = exc.field.label.get(lang) or exc.field.label["en"]
        details = {k: state.md(v) for k, v in exc.details.items()}
        if "start_label" in details:
            start = template.field("start_date")
            details["start_label"] = start.label.get(lang) or start.label["en"]
        if "choices" in exc.details:
            details["choices"] = ", ".join(map(str, exc.details["choices"]))
        return state.t(f"draft.problem.{exc.problem}", label=label, **details)
    return state.md(exc)


def _check_kind(draft: Draft, template: Template) -> str | None:
    if draft.geometry_kind in template.geometry_kinds:
        return None
    t, lang = state.t, state.lang()
    kinds = ", ".join(t(f"draft.kind.{k}") for k in template.geometry_kinds)
    return t("draft.problem.geometry_kind", template=template.title.get(lang) or template.id,
             kinds=kinds, kind=t(f"draft.kind.{draft.geometry_kind}"))


def _save(user, draft: Draft, template: Template, as_new: bool) -> tuple[int, int]:
    clean = template.validate(dict(draft.fields), draft.geometry_kind)
    geometry = shapely.geometry.shape(draft.geometry)
    report = data.report_for(json.dumps(draft.geometry, sort_keys=True)).to_json()
    proposals = data.store().proposals
    if as_new or draft.proposal_id is None:
        proposal = proposals.create(user, group=draft.group, kind=template.id,
                                    title=draft.title, text=draft.text, geometry=geometry,
                                    attributes=clean, report=report)
        return proposal.id, 1
    version = proposals.save_version(user, draft.proposal_id, base_version=draft.base_version,
                                     title=draft.title, text=draft.text, geometry=geometry,
                                     attributes=clean, report=report)
    return draft.proposal_id, version.number


def _try_save(user, draft: Draft, template: Template, as_new: bool) -> None:
    t = state.t
    if draft.geometry is None:
        st.error(t("draft.no_geometry"))
        return
    problem = _check_kind(draft, template)
    if problem:
        st.error(state.tm("draft.save_failed", error=problem))
        return
    try:
        pid, number = _save(user, draft, template, as_new)
    except ConflictError as exc:
        st.session_state[CONFLICT] = {"message": str(exc), "theirs": exc.latest_version.text,
                                      "number": exc.latest_version.number}
        return
    except FieldError as exc:
        st.error(t("draft.save_failed", error=problem_text(exc, template)))
        return
    except (MarineError, ValueError) as exc:
        st.error(state.tm("draft.save_failed", error=str(exc)))
        return
    st.session_state.pop(CONFLICT, None)
    draft_doc.keep(draft_doc.current().editing(pid, number))
    st.session_state[FLASH] = t("draft.saved", id=pid, version=number)
    st.rerun()  # the header and the buttons now name the new version


def save_section(draft: Draft, template: Template) -> None:
    t = state.t
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.success(flash)
    user = state.user()
    if user is None:
        st.info(t("draft.sign_in_to_save"))
        return
    # Never disabled: drawings arrive in the map's fragment, after these buttons were drawn.
    columns = st.columns(2)
    editing = draft.proposal_id is not None
    if editing and columns[0].button(t("draft.save_version", id=draft.proposal_id,
                                       version=draft.base_version + 1, base=draft.base_version),
                                     type="primary", key="draft_save_version"):
        _try_save(user, draft_doc.current(), template, as_new=False)
    if columns[1 if draft.proposal_id is not None else 0].button(
            t("draft.save_new"), type="secondary" if draft.proposal_id else "primary",
            key="draft_save_new"):
        _try_save(user, draft_doc.current(), template, as_new=True)
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
    mine.code(draft_doc.current().text, language=None)
    if st.button(t("draft.conflict_merge", version=conflict["number"]), key="draft_merge"):
        draft = draft_doc.current()
        draft_doc.keep(draft.editing(draft.proposal_id, conflict["number"]))
        st.session_state.pop(CONFLICT)
        st.rerun()


def template_title(template_id: str) -> str:
    template = TEMPLATES.get(template_id)
    return (template.title.get(state.lang()) or template.id) if template else template_id
