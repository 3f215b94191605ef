"""Reviewing a proposal in the store: replies one level deep, hiding and showing again with a
reason (kept, in the audit), positions across versions, the audit log filtered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import shapely

from marine.errors import AccessDenied, ProposalError

AREA = shapely.box(112.0, 9.0, 113.0, 10.0)


@pytest.fixture
def circulated(store, people):
    p = store.proposals.create(people["author"], group="legal-matters", kind="joint-survey",
                               title="Joint survey", text="Text.", geometry=AREA)
    store.proposals.set_status(people["facilitator"], p.id, "circulated")
    return p.id


def test_replies_are_one_level_deep_and_name_their_parent(store, people, circulated):
    first = store.comments.add(people["member"], circulated, 1, "Is a five-year term enough?")
    reply = store.comments.add(people["participant"], circulated, 1, "Three would do.", reply_to=first.id)
    assert reply.parent_id == first.id
    listed = store.comments.list(people["observer"], circulated)
    assert [(c.body, c.parent_id) for c in listed] == [
        ("Is a five-year term enough?", None), ("Three would do.", first.id)]
    assert all(c.author_name is None for c in listed)
    with pytest.raises(ProposalError, match="one level deep"):
        store.comments.add(people["member"], circulated, 1, "And two?", reply_to=reply.id)
    other = store.proposals.create(people["author"], group="legal-matters", kind="joint-survey",
                                   title="Other", text="", geometry=AREA)
    with pytest.raises(ProposalError, match=f"not a comment on proposal {other.id}"):
        store.comments.add(people["author"], other.id, 1, "Elsewhere.", reply_to=first.id)
    entry = store.audit.entries(people["facilitator"], proposal_id=circulated, action="comment.create")[0]
    assert entry.details["reply_to"] == first.id


def test_hide_and_show_again_keep_the_comment_and_the_reason(store, people, circulated):
    rude = store.comments.add(people["member"], circulated, 1, "Off-topic remark.")
    with pytest.raises(AccessDenied, match="hide comment"):
        store.comments.hide(people["author"], rude.id, "off topic")
    with pytest.raises(ProposalError, match="reason"):
        store.comments.hide(people["facilitator"], rude.id, "  ")
    store.comments.hide(people["facilitator"], rude.id, "off topic")
    assert store.comments.list(people["participant"], circulated) == []
    with pytest.raises(ProposalError, match="can be answered"):
        store.comments.add(people["participant"], circulated, 1, "Re:", reply_to=rude.id)
    seen = store.comments.list(people["facilitator"], circulated)
    assert [(c.hidden, c.hidden_reason, c.author_name) for c in seen] == [(True, "off topic", "Member")]
    store.comments.hide(people["facilitator"], rude.id, "on reflection, on topic", hidden=False)
    assert [c.body for c in store.comments.list(people["participant"], circulated)] == ["Off-topic remark."]
    log = store.audit.entries(people["facilitator"], proposal_id=circulated)
    moderation = [(e.action, e.actor_name, e.details["reason"]) for e in log
                  if e.action.startswith("comment.") and e.action != "comment.create"]
    assert moderation == [("comment.show", "Facilitator", "on reflection, on topic"),
                          ("comment.hide", "Facilitator", "off topic")]


def test_positions_over_versions_mark_earlier_ones(store, people, circulated):
    store.positions.set(people["member"], circulated, 1, "have-concerns")
    store.positions.set(people["participant"], circulated, 1, "object")
    store.proposals.save_version(people["author"], circulated, base_version=1, title="Joint survey",
                                 text="Text 2.", geometry=AREA)
    store.positions.set(people["member"], circulated, 2, "can-live-with")
    view = store.positions.overview(people["observer"], circulated)
    assert view.latest_version == 2
    assert view.by_version[1] == {"can-live-with": 0, "have-concerns": 1, "object": 1, "abstain": 0}
    assert view.by_version[2] == {"can-live-with": 1, "have-concerns": 0, "object": 0, "abstain": 0}
    assert view.on_latest["can-live-with"] == 1 and sum(view.on_latest.values()) == 1
    assert view.on_earlier == {"can-live-with": 0, "have-concerns": 0, "object": 1, "abstain": 0}
    # admin, facilitator, author, member, participant take part once circulated; observers,
    # outside observers and outsiders do not
    assert (view.given, view.participants) == (2, 5)
    mine = store.positions.latest_mine(people["participant"], circulated)
    assert (mine.stance, mine.version_number) == ("object", 1)
    assert store.positions.latest_mine(people["author"], circulated) is None


def test_a_draft_counts_only_its_group(store, people):
    p = store.proposals.create(people["author"], group="legal-matters", kind="joint-survey",
                               title="Draft", text="", geometry=AREA)
    view = store.positions.overview(people["member"], p.id)
    assert (view.given, view.participants) == (0, 4)  # admin, facilitator, author, member
    with pytest.raises(AccessDenied, match="visible only inside its working group"):
        store.positions.overview(people["participant"], p.id)


def test_audit_is_filtered_by_person_action_and_time(store, people, circulated):
    store.comments.add(people["member"], circulated, 1, "One.")
    store.comments.add(people["participant"], circulated, 1, "Two.")
    facilitator = people["facilitator"]
    by_member = store.audit.entries(facilitator, actor_id=people["member"].id)
    assert [e.action for e in by_member] == ["comment.create"]
    assert {e.action for e in store.audit.entries(facilitator, action="proposal.status")} == {"proposal.status"}
    now = datetime.now(UTC)
    assert store.audit.entries(facilitator, since=now + timedelta(minutes=1)) == []
    assert len(store.audit.entries(facilitator, until=now + timedelta(minutes=1))) >= 4
    with pytest.raises(ValueError, match="time zone"):
        store.audit.entries(facilitator, since=datetime(2026, 1, 1))
    with pytest.raises(AccessDenied, match="facilitators only"):
        store.audit.entries(people["member"])
