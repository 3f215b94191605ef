"""Comments without attribution (Chatham House), moderation by hiding, positions as counts."""

from __future__ import annotations

import dataclasses

import pytest
import shapely

from marine.errors import AccessDenied, ProposalError
from marine.store import SYSTEM

AREA = shapely.box(112.0, 9.0, 113.0, 10.0)


@pytest.fixture
def circulated(store, people):
    p = store.proposals.create(people["author"], group="legal-matters", kind="joint-research-area",
                               title="Joint survey", text="Text.", geometry=AREA)
    store.proposals.set_status(people["facilitator"], p.id, "circulated")
    return p.id


def test_comments_reach_participants_without_attribution(store, people, circulated):
    store.comments.add(people["participant"], circulated, 1, "Could data be shared openly?")
    store.comments.add(people["member"], circulated, 1, "Suggest a five-year review.")
    for reader in ("participant", "member", "observer", "author"):
        comments = store.comments.list(people[reader], circulated)
        assert [c.body for c in comments] == ["Could data be shared openly?", "Suggest a five-year review."]
        assert all(c.author_id is None and c.author_name is None for c in comments)
        shown = " ".join(repr(c) for c in comments)
        assert "Participant" not in shown and "Member" not in shown
    mine = store.comments.list(people["participant"], circulated)
    assert [c.mine for c in mine] == [True, False]


def test_facilitators_see_authors_and_hidden_comments(store, people, circulated):
    kept = store.comments.add(people["participant"], circulated, 1, "On topic.")
    rude = store.comments.add(people["member"], circulated, 1, "Off topic remark.")
    store.comments.hide(people["facilitator"], rude.id, "off topic")
    assert [c.body for c in store.comments.list(people["participant"], circulated)] == ["On topic."]
    moderated = store.comments.list(people["facilitator"], circulated)
    assert [(c.body, c.hidden, c.author_name) for c in moderated] == [
        ("On topic.", False, "Participant"),
        ("Off topic remark.", True, "Member"),
    ]
    assert moderated[1].hidden_reason == "off topic"
    assert store.comments.author(people["facilitator"], kept.id).username == "participant"
    with pytest.raises(AccessDenied, match="read authorship"):
        store.comments.author(people["member"], kept.id)
    store.comments.hide(people["facilitator"], rude.id, "", hidden=False)
    assert len(store.comments.list(people["participant"], circulated)) == 2


def test_comments_belong_to_a_version(store, people, circulated):
    store.comments.add(people["member"], circulated, 1, "On version 1.")
    store.proposals.save_version(people["author"], circulated, base_version=1, title="Joint survey",
                                 text="Text 2.", geometry=AREA)
    store.comments.add(people["member"], circulated, 2, "On version 2.")
    assert [c.body for c in store.comments.list(people["member"], circulated, 2)] == ["On version 2."]
    assert [c.version_number for c in store.comments.list(people["member"], circulated)] == [1, 2]
    with pytest.raises(ProposalError, match="no version 3"):
        store.comments.add(people["member"], circulated, 3, "On nothing.")
    with pytest.raises(ProposalError, match="empty"):
        store.comments.add(people["member"], circulated, 1, "   ")


def test_positions_are_summarised_as_counts_and_unattributed_notes(store, people, circulated):
    store.positions.set(people["participant"], circulated, 1, "object", "zone too large")
    store.positions.set(people["member"], circulated, 1, "can-live-with")
    store.positions.set(people["author"], circulated, 1, "have-concerns", "b: timing")
    store.positions.set(people["facilitator"], circulated, 1, "have-concerns", "a: funding")
    store.positions.set(people["participant"], circulated, 1, "abstain", "")  # changes, not adds
    summary = store.positions.summary(people["observer"], circulated, 1)
    assert summary.counts == {"can-live-with": 1, "have-concerns": 2, "object": 0, "abstain": 1}
    assert summary.total == 4
    assert summary.notes == (("have-concerns", "a: funding"), ("have-concerns", "b: timing"))
    names = {f.name for f in dataclasses.fields(summary)}
    assert not names & {"user_id", "users", "names", "authors"}
    assert store.positions.mine(people["participant"], circulated, 1).stance == "abstain"
    assert store.positions.mine(people["observer"], circulated, 1) is None
    with pytest.raises(ProposalError, match="unknown"):
        store.positions.set(people["member"], circulated, 1, "support")


def test_positions_are_per_version(store, people, circulated):
    store.positions.set(people["member"], circulated, 1, "object")
    store.proposals.save_version(people["author"], circulated, base_version=1, title="Joint survey",
                                 text="Smaller.", geometry=AREA.buffer(-0.2))
    store.positions.set(people["member"], circulated, 2, "can-live-with")
    assert store.positions.summary(SYSTEM, circulated, 1).counts["object"] == 1
    assert store.positions.summary(SYSTEM, circulated, 2).counts == {
        "can-live-with": 1, "have-concerns": 0, "object": 0, "abstain": 0}


def test_closed_proposals_take_no_comments_or_positions(store, people, circulated):
    store.proposals.set_status(people["facilitator"], circulated, "withdrawn")
    with pytest.raises(AccessDenied, match="withdrawn; versions, comments and positions are closed"):
        store.comments.add(people["member"], circulated, 1, "Too late?")
    with pytest.raises(AccessDenied, match="record position"):
        store.positions.set(people["member"], circulated, 1, "object")
    # ... but stay readable by the participants who saw them circulated.
    assert store.proposals.get(people["participant"], circulated).status == "withdrawn"
