"""AppTest of drafts kept by the store: a visitor's draft survives signing in with every
field; a refresh (a new session) resumes it; switching template keeps shared fields and asks
before dropping others; refusals name fields by their label in the reader's language; two
separate measures in one session are two proposals; autosave never makes a proposal."""

from __future__ import annotations

import pytest

from marine.i18n import LANGUAGES
from marine.templates import FIELD_PROBLEMS, TEMPLATES, FieldError
from marine.ui.mapview import use_adapter
from tests.doubles import RecordingAdapter
from tests.ui.apptest_support import page_test, texts
from tests.ui.test_draft_page import DRAWN, _fill_form

OTHER = {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [
    [[110.0, 8.0], [111.0, 8.0], [111.0, 9.0], [110.0, 8.0]]]}}


def _ana(store):
    return store.users.authenticate("ana", "ana-password-1234")


def _signed_in(store, page="draft"):
    at = page_test(page)
    at.session_state["user"] = _ana(store)
    return at


def test_a_visitors_draft_survives_signing_in_with_every_field(app_env, store):
    with use_adapter(RecordingAdapter({"all_drawings": [DRAWN]})):
        at = page_test("draft").run()
        assert "Sign in to save this draft" in texts(at)
        _fill_form(at, title="Visitor's survey")
        at.text_area(key="draft_text").input("Written before signing in.").run()
        assert store.drafts.list(_ana(store)) == []  # nothing kept for anybody yet
        at.session_state["user"] = _ana(store)
        at.run()
    assert not at.exception, at.exception
    kept = store.drafts.list(_ana(store))
    assert len(kept) == 1
    draft = kept[0].draft
    assert draft.title == "Visitor's survey" and draft.text == "Written before signing in."
    assert draft.fields["participants"] == "Institutes A and B"
    assert draft.fields["without_prejudice"] is True and draft.fields["survey_type"]
    assert draft.geometry_source == "drawn" and draft.geometry["type"] == "Polygon"
    assert at.text_input(key="draft_field:title").value == "Visitor's survey"


def test_a_new_session_resumes_the_kept_draft(app_env, store):
    with use_adapter(RecordingAdapter({"all_drawings": [DRAWN]})):
        at = _signed_in(store).run()
        _fill_form(at, title="Kept survey")
        at.text_area(key="draft_text").input("Kept text.").run()
    # a refresh, a new tab or a restart: a new session of the same user
    with use_adapter(RecordingAdapter({"all_drawings": None})) as adapter:
        again = _signed_in(store).run()
    assert not again.exception, again.exception
    assert again.text_input(key="draft_field:title").value == "Kept survey"
    assert again.text_area(key="draft_text").value == "Kept text."
    assert again.checkbox(key="draft_field:without_prejudice").value is True
    assert "Overlap report" in texts(again)  # the geometry is back, and drawn on the map
    assert adapter.calls[-1]["feature_groups"], "the kept drawing is shown on the map"


def test_autosave_writes_only_changes_and_never_a_proposal(app_env, store):
    from sqlalchemy import func, select

    from marine.store.models import DraftRow, ProposalRow

    with use_adapter(RecordingAdapter({"all_drawings": [DRAWN]})):
        at = _signed_in(store).run()
        _fill_form(at)
        at.run()
        first = store.drafts.list(_ana(store))[0]
        at.run()
        at.run()
    again = store.drafts.list(_ana(store))[0]
    assert again.updated_at == first.updated_at  # reruns without a change write nothing
    with store.db.reading() as session:
        assert session.scalar(select(func.count()).select_from(DraftRow)) == 1
        assert session.scalar(select(func.count()).select_from(ProposalRow)) == 0


def test_switching_template_keeps_shared_fields_and_asks_before_dropping(app_env, store):
    at = _signed_in(store).run()
    _fill_form(at, title="Shared title")
    at.text_input(key="draft_field:data_types").input("CTD casts").run()
    at.selectbox(key="draft_template").select("research-station").run()
    # shared fields (title, summary, data types...) stay; nothing was dropped: no question
    assert at.selectbox(key="draft_template").value == "research-station"
    assert at.text_input(key="draft_field:title").value == "Shared title"
    assert at.text_input(key="draft_field:data_types").value == "CTD casts"
    at.selectbox(key="draft_field:survey_type").select_index(1).run()
    at.selectbox(key="draft_template").select("data-sharing").run()
    # survey type would be dropped: the switch waits, naming the field by its label
    assert at.selectbox(key="draft_template").value == "research-station"
    warning = " ".join(w.value for w in at.warning)
    assert "Survey type" in warning and "survey_type" not in warning
    at.button(key="draft_switch_confirm").click().run()
    assert at.selectbox(key="draft_template").value == "data-sharing"
    assert at.text_input(key="draft_field:title").value == "Shared title"
    kept = store.drafts.list(_ana(store))[0].draft
    assert kept.template == "data-sharing" and "survey_type" not in kept.fields
    assert kept.fields["summary"] == "Two research vessels sample plankton."


def test_cancelling_a_switch_keeps_everything(app_env, store):
    at = _signed_in(store).run()
    _fill_form(at)
    at.run()
    at.selectbox(key="draft_template").select("data-sharing").run()
    at.button(key="draft_switch_cancel").click().run()
    assert at.selectbox(key="draft_template").value == "joint-survey"
    assert at.selectbox(key="draft_field:survey_type").value is not None


def test_refusals_name_the_field_by_its_label(app_env, store):
    with use_adapter(RecordingAdapter({"all_drawings": [DRAWN]})):
        at = _signed_in(store).run()
        _fill_form(at)
        at.checkbox(key="draft_field:without_prejudice").uncheck()
        at.button(key="draft_save_new").click().run()
    errors = " ".join(e.value for e in at.error)
    assert "“Without-prejudice clause” must be ticked" in errors, errors
    assert "without_prejudice" not in errors and "field '" not in errors


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
@pytest.mark.parametrize("problem", sorted(FIELD_PROBLEMS))
def test_every_refusal_is_said_in_every_language(monkeypatch, lang, problem):
    from marine.ui import draft_save, state

    template = TEMPLATES["joint-survey"]
    target = template.field("end_date" if problem == "end_before_start" else "vessels")
    details = {"value": 7, "length": 9, "limit": 5, "minimum": 0, "maximum": 50,
               "choices": ["a", "b"], "start": "2027-01-01", "start_label": "Start date"}
    monkeypatch.setattr(state, "lang", lambda: lang)
    text = draft_save.problem_text(FieldError(target, problem, **details), template)
    assert target.label[lang] in text and target.name not in text


def test_two_separate_measures_in_one_session_are_two_proposals(app_env, store):
    with use_adapter(RecordingAdapter({"all_drawings": [DRAWN]})) as adapter:
        at = _signed_in(store).run()
        _fill_form(at, title="Plankton survey")
        at.button(key="draft_save_new").click().run()
        assert "Saved: proposal 1, version 1." in texts(at)
        at.text_area(key="draft_text").input("A second wording.").run()
        at.button(key="draft_save_version").click().run()
        assert "Saved: proposal 1, version 2." in texts(at)
        assert "based on version 2" in texts(at)  # the header follows every save
        # a separate measure: a new draft, another area, another title
        at.button(key="draft_new").click().run()
        adapter.result = {"all_drawings": [OTHER]}
        at.run()
        _fill_form(at, title="Reef survey")
        at.button(key="draft_save_new").click().run()
    assert not at.exception, at.exception
    assert "Saved: proposal 2, version 1." in texts(at)
    ana = _ana(store)
    first, second = store.proposals.get(ana, 1), store.proposals.get(ana, 2)
    assert (first.summary.title, first.latest.number) == ("Plankton survey", 2)
    assert (second.summary.title, second.latest.number) == ("Reef survey", 1)
    assert second.latest.geometry.bounds == (110.0, 8.0, 111.0, 9.0)
    assert len(store.drafts.list(ana)) == 2


def test_deleting_a_draft_asks_once(app_env, store):
    at = _signed_in(store).run()
    _fill_form(at, title="To be deleted")
    at.run()
    draft_id = store.drafts.list(_ana(store))[0].id
    at.button(key=f"draft_delete_{draft_id}").click().run()
    assert store.drafts.list(_ana(store))  # not yet: asked first
    assert any("To be deleted" in w.value for w in at.warning)
    at.button(key=f"draft_delete_yes_{draft_id}").click().run()
    assert store.drafts.list(_ana(store)) == []
    assert at.text_input(key="draft_field:title").value == ""


def test_observers_are_told_their_draft_is_not_kept(app_env, store):
    from marine.store import SYSTEM

    olga = store.users.create(SYSTEM, "olga", "Olga", password="olga-password-1234")
    store.groups.add_member(SYSTEM, "marine-scientific-research", olga.id, "observer")
    at = page_test("draft")
    at.session_state["user"] = store.users.authenticate("olga", "olga-password-1234")
    at.run()
    at.text_area(key="draft_text").input("An observer's note.").run()
    assert not at.exception, at.exception
    assert "Observers read but do not write" in texts(at)
    assert store.drafts.list(olga) == []


def _sent_from_python(at) -> set[str]:
    """Keys of the text boxes whose value this run sends to the browser, replacing what the
    browser shows (and whatever the drafter is typing there at that moment)."""
    boxes = [*at.text_input, *at.text_area]
    return {box.key for box in boxes if box.proto.set_value}


def test_a_rerun_never_overwrites_the_box_a_drafter_is_typing_in(app_env, store):
    """Typing in Summary while the rerun of Title is under way: that rerun must not send
    Summary's old value, or the browser replaces the typed text with it (the loss the
    whole-workspace walk saw)."""
    at = _signed_in(store).run()  # a new draft: the form is sent once, with its template
    at.text_input(key="draft_field:title").input("Reef survey").run()
    assert _sent_from_python(at) == set()
    at.text_area(key="draft_text").input("Some text.").run()
    assert _sent_from_python(at) == set()
    assert at.text_input(key="draft_field:title").value == "Reef survey"


def test_new_labels_send_the_values_again(app_env, store):
    """A template or language switch gives the boxes new labels (new widgets for the
    browser), which show empty unless the values are sent again; so does any run that does
    not come from typing (a box drawn anew is not always known as such)."""
    at = _signed_in(store).run()
    at.text_input(key="draft_field:title").input("Reef survey").run()
    at.selectbox(key="draft_template").select("research-station").run()
    assert "draft_field:title" in _sent_from_python(at)
    assert at.text_input(key="draft_field:title").value == "Reef survey"
    at.run()  # e.g. the page drawn again after another one
    assert "draft_field:title" in _sent_from_python(at)
    at.text_input(key="draft_field:title").input("Reef survey 2").run()
    assert _sent_from_python(at) == set()  # a run from typing sends nothing
    at.session_state["lang"] = "vi"
    at.run()
    assert "draft_field:title" in _sent_from_python(at)
    assert at.text_input(key="draft_field:title").value == "Reef survey 2"
