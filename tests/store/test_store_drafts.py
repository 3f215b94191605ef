"""Drafts kept by the store: autosave is idempotent and never makes a proposal; a draft is its
owner's alone; observers keep none; every field comes back (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from marine.drafting import Draft
from marine.errors import AccessDenied, ProposalError
from marine.store.models import AuditRow, DraftRow, ProposalRow, VersionRow

AREA = {"type": "Polygon", "coordinates": [[[114, 9.5], [115, 9.5], [115, 10.5], [114, 9.5]]]}


def _draft(**changes) -> Draft:
    values = {"group": "legal-matters", "template": "joint-survey",
              "fields": {"title": "Joint plankton survey", "summary": "Two vessels.",
                         "start_date": dt.date(2027, 3, 1), "vessels": 2,
                         "without_prejudice": True},
              "text": "A joint survey, open to all.", "geometry": AREA, "geometry_kind": "area",
              "geometry_source": "typed", "geometry_label": ""}
    return Draft(**{**values, **changes})


def _count(store, model) -> int:
    with store.db.reading() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_a_draft_comes_back_with_every_field(store, people):
    saved = store.drafts.save(people["member"], _draft(proposal_id=None, base_version=None))
    again = store.drafts.get(people["member"], saved.id)
    assert again.draft == _draft()
    assert again.draft.fields["start_date"] == "2027-03-01"
    assert again.title == "Joint plankton survey"
    assert [d.id for d in store.drafts.list(people["member"])] == [saved.id]


def test_autosave_is_idempotent_and_never_creates_a_proposal(store, people):
    member = people["member"]
    audited = _count(store, AuditRow)
    first = store.drafts.save(member, _draft())
    for _ in range(5):
        same = store.drafts.save(member, _draft(), first.id)
        assert same.updated_at == first.updated_at and same.digest == first.digest
    changed = store.drafts.save(member, _draft(text="Changed."), first.id)
    assert changed.id == first.id and changed.updated_at >= first.updated_at
    assert changed.digest != first.digest
    assert _count(store, DraftRow) == 1
    assert _count(store, ProposalRow) == 0 and _count(store, VersionRow) == 0
    assert _count(store, AuditRow) == audited  # no audit entry per keystroke


def test_a_draft_is_its_owners_alone(store, people):
    saved = store.drafts.save(people["member"], _draft())
    for other in ("author", "facilitator", "admin", "participant"):
        with pytest.raises(AccessDenied, match="owner's alone"):
            store.drafts.get(people[other], saved.id)
        with pytest.raises(AccessDenied):
            store.drafts.save(people[other], _draft(text="overwritten"), saved.id)
        with pytest.raises(AccessDenied):
            store.drafts.delete(people[other], saved.id)
        assert store.drafts.list(people[other]) == []
    assert store.drafts.get(people["member"], saved.id).draft.text == _draft().text


@pytest.mark.parametrize("who", ["observer", "outside-observer", "outsider"])
def test_observers_keep_no_drafts(store, people, who):
    with pytest.raises(AccessDenied, match="never write|needs one of"):
        store.drafts.save(people[who], _draft())
    assert _count(store, DraftRow) == 0


def test_a_draft_in_another_group_needs_a_role_there(store, people):
    with pytest.raises(AccessDenied, match="needs one of"):
        store.drafts.save(people["participant"], _draft())  # member elsewhere only
    saved = store.drafts.save(people["participant"], _draft(group="resources-assessment"))
    assert saved.draft.group == "resources-assessment"
    with pytest.raises(ProposalError, match="does not exist"):
        store.drafts.save(people["member"], _draft(group="no-such-group"))


def test_deleting_a_draft(store, people):
    member = people["member"]
    saved = store.drafts.save(member, _draft())
    store.drafts.delete(member, saved.id)
    assert store.drafts.list(member) == []
    with pytest.raises(ProposalError, match="does not exist"):
        store.drafts.get(member, saved.id)


def test_an_empty_draft_and_nul_characters_are_kept_as_text(store, people):
    saved = store.drafts.save(people["member"], Draft(group="legal-matters",
                                                      text="a\x00b", fields={"title": "x\x00"}))
    again = store.drafts.get(people["member"], saved.id).draft
    assert again.text == "ab" and again.title == "x" and again.geometry is None
