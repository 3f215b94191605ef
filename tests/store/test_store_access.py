"""The access matrix, through the store (real database), role × proposal status × action.

The expected table is written out here by hand from the rules of issue 4, not computed from
`marine.store.access`, so a change to the rules has to change this table too.
"""

from __future__ import annotations

import pytest
import shapely
from store_support import BACKENDS, POSTGIS, make_people

from marine.errors import AccessDenied, ProposalError
from marine.store import SYSTEM, Store, access

ROLES = ("admin", "facilitator", "author", "member", "observer", "participant",
         "outside-observer", "outsider")
STATUSES = ("draft", "circulated", "discussed", "recommended", "withdrawn", "withdrawn-draft")
PATHS = {  # how each status is reached from draft (by a facilitator)
    "draft": (),
    "circulated": ("circulated",),
    "discussed": ("circulated", "discussed"),
    "recommended": ("circulated", "discussed", "recommended"),
    "withdrawn": ("circulated", "withdrawn"),  # withdrawn after circulation
    "withdrawn-draft": ("withdrawn",),  # withdrawn before anyone outside the group saw it
}

# Columns: draft, circulated, discussed, recommended, withdrawn, withdrawn-draft.
# Y = allowed, N = AccessDenied, X = allowed by the rules but an impossible transition.
EXPECTED = {
    "view proposal": {
        "admin": "YYYYYY", "facilitator": "YYYYYY", "author": "YYYYYY", "member": "YYYYYY",
        "observer": "NYYYYN", "participant": "NYYYYN", "outside-observer": "NYYYYN",
        "outsider": "NNNNNN",
    },
    "save version": {
        "admin": "YYYNNN", "facilitator": "YYYNNN", "author": "YYYNNN", "member": "NNNNNN",
        "observer": "NNNNNN", "participant": "NNNNNN", "outside-observer": "NNNNNN",
        "outsider": "NNNNNN",
    },
    "comment": {
        "admin": "YYYNNN", "facilitator": "YYYNNN", "author": "YYYNNN", "member": "YYYNNN",
        "observer": "NNNNNN", "participant": "NYYNNN", "outside-observer": "NNNNNN",
        "outsider": "NNNNNN",
    },
    "record position": {
        "admin": "YYYNNN", "facilitator": "YYYNNN", "author": "YYYNNN", "member": "YYYNNN",
        "observer": "NNNNNN", "participant": "NYYNNN", "outside-observer": "NNNNNN",
        "outsider": "NNNNNN",
    },
    "change status": {
        "admin": "YYYXXX", "facilitator": "YYYXXX", "author": "NNNNNN", "member": "NNNNNN",
        "observer": "NNNNNN", "participant": "NNNNNN", "outside-observer": "NNNNNN",
        "outsider": "NNNNNN",
    },
    "hide comment": {
        "admin": "YYYYYY", "facilitator": "YYYYYY", "author": "NNNNNN", "member": "NNNNNN",
        "observer": "NNNNNN", "participant": "NNNNNN", "outside-observer": "NNNNNN",
        "outsider": "NNNNNN",
    },
    "read authorship": {
        "admin": "YYYYYY", "facilitator": "YYYYYY", "author": "NNNNNN", "member": "NNNNNN",
        "observer": "NNNNNN", "participant": "NNNNNN", "outside-observer": "NNNNNN",
        "outsider": "NNNNNN",
    },
    "read audit log": {
        "admin": "YYYYYY", "facilitator": "YYYYYY", "author": "NNNNNN", "member": "NNNNNN",
        "observer": "NNNNNN", "participant": "NNNNNN", "outside-observer": "NNNNNN",
        "outsider": "NNNNNN",
    },
}
NEXT_STATUS = {"draft": "circulated", "circulated": "discussed", "discussed": "recommended"}
AREA = shapely.box(112.0, 9.0, 113.0, 10.0)


def test_table_covers_every_action():
    assert set(EXPECTED) == set(access.PROPOSAL_ACTIONS)


@pytest.fixture(scope="module", params=BACKENDS)
def world(request, tmp_path_factory):
    """One store per backend for the whole matrix; each case makes its own proposal."""
    backend = request.param
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('matrix') / 'w.sqlite'}"
    else:
        admin = request.getfixturevalue("pg_admin")
        url = admin.url_of(admin.migrated_database(backend))
    store = Store.open(url, postgis=POSTGIS.get(backend))
    yield store, make_people(store)
    store.close()


def _proposal_in(store: Store, people, status: str) -> tuple[int, int]:
    """A proposal written by `author`, with one comment, moved to `status`."""
    p = store.proposals.create(people["author"], group="legal-matters", kind="joint-research-area",
                               title="Joint survey", text="A joint survey area.", geometry=AREA)
    comment = store.comments.add(people["author"], p.id, 1, "First comment.")
    for step in PATHS[status]:
        store.proposals.set_status(SYSTEM, p.id, step)
    return p.id, comment.id


def _perform(store: Store, actor, action: str, pid: int, cid: int, status: str):
    """Do `action` and return evidence that it took effect."""
    if action == "view proposal":
        return store.proposals.get(actor, pid).id == pid
    if action == "save version":
        v = store.proposals.save_version(actor, pid, base_version=1, title="Joint survey, revised",
                                         text="Revised.", geometry=AREA.buffer(0.1))
        return v.number == 2 and len(store.proposals.versions(SYSTEM, pid)) == 2
    if action == "comment":
        store.comments.add(actor, pid, 1, "Could this include a data-sharing clause?")
        return len(store.comments.list(SYSTEM, pid)) == 2
    if action == "record position":
        store.positions.set(actor, pid, 1, "have-concerns", "timing")
        return store.positions.summary(SYSTEM, pid, 1).counts["have-concerns"] == 1
    if action == "change status":
        new = NEXT_STATUS.get(status, "withdrawn")
        store.proposals.set_status(actor, pid, new)
        return store.proposals.get(SYSTEM, pid).status == new
    if action == "hide comment":
        store.comments.hide(actor, cid, "off topic")
        return store.comments.list(SYSTEM, pid)[0].hidden
    if action == "read authorship":
        return store.comments.author(actor, cid).username == "author"
    if action == "read audit log":
        return any(e.action == "proposal.create" for e in store.audit.entries(actor, proposal_id=pid))
    raise AssertionError(action)


def _unchanged(store: Store, pid: int, status: str) -> bool:
    p = store.proposals.get(SYSTEM, pid)
    comments = store.comments.list(SYSTEM, pid)
    expected_status = PATHS[status][-1] if PATHS[status] else "draft"
    return (
        p.summary.latest_version == 1
        and len(comments) == 1
        and not comments[0].hidden
        and store.positions.summary(SYSTEM, pid, 1).total == 0
        and p.status == expected_status
    )


@pytest.mark.parametrize("action", list(EXPECTED))
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("role", ROLES)
def test_access(world, role, status, action):
    store, people = world
    pid, cid = _proposal_in(store, people, status)
    expected = EXPECTED[action][role][STATUSES.index(status)]
    if expected == "Y":
        assert _perform(store, people[role], action, pid, cid, status) is True
    elif expected == "X":
        with pytest.raises(ProposalError, match="cannot become"):
            _perform(store, people[role], action, pid, cid, status)
        assert _unchanged(store, pid, status)
    else:
        with pytest.raises(AccessDenied) as denied:
            _perform(store, people[role], action, pid, cid, status)
        assert action in str(denied.value)
        assert _unchanged(store, pid, status)
