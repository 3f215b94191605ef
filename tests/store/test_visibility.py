"""Who may see a proposal is declared once (`access.SEES`, `access.CIRCULATED_IN`): the Python
predicate (`can_view`, used for one proposal) and the SQL clause (`visible_clause`, used for
lists) are generated from it. Here they must agree over the whole access matrix — every
relation × status (withdrawn before and after circulation) × own or other group × author or
not — on SQLite and on PostgreSQL (with and without PostGIS); and no other module writes a
visibility rule of its own.
"""

from __future__ import annotations

import ast
import contextlib
from pathlib import Path

import pytest
import shapely
from store_support import BACKENDS, POSTGIS, make_people

from marine.errors import AccessDenied
from marine.store import PROPOSAL_STATUSES, SYSTEM, Store, access
from marine.store._common import principal
from marine.store.proposals import load_proposal, proposal_facts

REPO = Path(__file__).resolve().parents[2]
GROUP, OTHER = "legal-matters", "resources-assessment"
PATHS = {  # status reached from draft by a facilitator
    "draft": (),
    "circulated": ("circulated",),
    "discussed": ("circulated", "discussed"),
    "recommended": ("circulated", "discussed", "recommended"),
    "withdrawn": ("circulated", "withdrawn"),
    "withdrawn-draft": ("withdrawn",),
}
AREA = shapely.box(112.0, 9.0, 113.0, 10.0)


def test_the_declaration_covers_every_relation_and_status():
    relations = {access.Principal(1, roles={}).relation(1), access.SYSTEM.relation(1),
                 *(access.Principal(1, roles={1: r}).relation(g)
                   for r in ("facilitator", "member", "observer") for g in (1, 2))}
    assert relations == set(access.SEES)
    assert set(access.CIRCULATED_IN) == set(PROPOSAL_STATUSES)
    assert set(access.SEES.values()) <= {access.EVERY, access.CIRCULATED, access.NONE}


@pytest.fixture(scope="module", params=BACKENDS)
def world(request, tmp_path_factory):
    """A store with a cast for every relation, and proposals in two groups in every status,
    by an author of each group."""
    backend = request.param
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('visibility') / 'w.sqlite'}"
    else:
        admin = request.getfixturevalue("pg_admin")
        url = admin.url_of(admin.migrated_database(backend))
    store = Store.open(url, postgis=POSTGIS.get(backend))
    people = make_people(store, GROUP, OTHER)
    # Mixed roles: the relation is per group, so these see each group differently.
    for name, roles in {"facilitator-there-observer-here": ((OTHER, "facilitator"),
                                                            (GROUP, "observer")),
                        "member-of-both": ((GROUP, "member"), (OTHER, "member"))}.items():
        people[name] = store.users.create(SYSTEM, name, name)
        for group, role in roles:
            store.groups.add_member(SYSTEM, group, people[name].id, role)
    proposals = []
    for group, author in ((GROUP, "author"), (OTHER, "participant")):
        for path in PATHS.values():
            p = store.proposals.create(people[author], group=group, kind="joint-research-area",
                                       title="Joint survey", text="A survey.", geometry=AREA)
            for step in path:
                store.proposals.set_status(SYSTEM, p.id, step)
            proposals.append(p.id)
    yield store, people, proposals
    store.close()


def _python_says(store: Store, actor, proposal_ids) -> set[int]:
    with store.proposals.db.reading() as session:
        who = principal(session, actor)
        return {pid for pid in proposal_ids
                if access.can_view(who, proposal_facts(session, load_proposal(session, pid)))}


def _get_says(store: Store, actor, proposal_ids) -> set[int]:
    seen = set()
    for pid in proposal_ids:
        with contextlib.suppress(AccessDenied):
            seen.add(store.proposals.get(actor, pid).id)
    return seen


PEOPLE = ("admin", "facilitator", "author", "member", "observer", "participant",
          "outside-observer", "outsider", "facilitator-there-observer-here", "member-of-both")


@pytest.mark.parametrize("name", PEOPLE)
def test_python_and_sql_agree_on_who_sees_what(world, name):
    store, people, proposals = world
    listed = {s.id for s in store.proposals.list(people[name], limit=1000)}
    python = _python_says(store, people[name], proposals)
    assert listed == python, (f"{name}: the list (SQL) shows {sorted(listed - python)} that "
                              f"can_view refuses and hides {sorted(python - listed)} it allows")
    assert _get_says(store, people[name], proposals) == python


def test_the_matrix_is_not_trivial(world):
    store, people, proposals = world
    counts = {n: len(_python_says(store, people[n], proposals)) for n in PEOPLE}
    # Everything; own group all + other group circulated (4 of 6); circulated only; nothing.
    assert counts["admin"] == counts["member-of-both"] == 12
    assert counts["member"] == counts["author"] == counts["participant"] == 6 + 4
    assert counts["observer"] == counts["outside-observer"] == 8
    assert counts["facilitator-there-observer-here"] == 6 + 4
    assert counts["outsider"] == 0


# --------------------------------------------------------------------------- one owner
def visibility_rules(source: str) -> list[int]:
    """Lines comparing a proposal's status with a status name (`row.status != "draft"`): a
    visibility rule written outside `marine.store.access`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        on_status = any(isinstance(s, ast.Attribute) and s.attr in ("status", "was_circulated")
                        for s in sides)
        names = {c.value for c in ast.walk(node) if isinstance(c, ast.Constant)}
        if on_status and names & set(PROPOSAL_STATUSES):
            found.append(node.lineno)
    return found


OWNER = REPO / "marine" / "store" / "access.py"


@pytest.mark.parametrize("path", [p for p in sorted((REPO / "marine").rglob("*.py"))
                                  if p != OWNER], ids=lambda p: str(p.relative_to(REPO)))
def test_no_other_module_writes_a_visibility_rule(path):
    found = visibility_rules(path.read_text(encoding="utf-8"))
    assert not found, (f"{path.relative_to(REPO)} decides on proposal statuses itself (lines "
                       f"{found}): ask marine.store.access (can_view / visible_clause)")


def test_a_second_visibility_rule_is_found():
    assert visibility_rules('q = and_(ProposalRow.status != "draft", x)')
    assert visibility_rules('ok = p.status not in ("draft", "withdrawn")')
    assert not visibility_rules('ok = status == "draft"')
