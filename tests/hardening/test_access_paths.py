"""The access matrix repeated through every path a person has: a member of group A never sees
group B's drafts through the store (list, search, view, bbox, versions, comments, positions,
audit), the Proposals page, the Map pack page or the pack builder. A proposal of B that was
circulated *is* visible to A's member (participants read circulated work), which shows each
path really lists what it may."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from shapely.geometry import box

from marine.errors import AccessDenied
from marine.store import SYSTEM, Store

A, B = "marine-scientific-research", "legal-matters"
SECRET = "Confidential B draft zq7"  # the title of group B's draft
SECRET_TEXT = "wording only group B may read zq7"
SHARED = "Circulated B proposal"
REPO_ROOT = Path(__file__).resolve().parents[2]
REPORT = {"layers": [], "places": [], "schema_version": 1}  # stored, so packs need no analysis


@pytest.fixture
def world(tmp_path):
    """ana: member of A only; bao: member of B (author of the draft); binh: facilitator of B."""
    s = Store.open(f"sqlite:///{tmp_path / 'workspace.sqlite'}")
    people = {}
    for name, group, role in (("ana", A, "member"), ("bao", B, "member"),
                              ("binh", B, "facilitator")):
        user = s.users.create(SYSTEM, name, name.title(), password=f"{name}-password-1234")
        s.groups.add_member(SYSTEM, group, user.id, role)
        people[name] = s.users.find(name)
    bao, binh = people["bao"], people["binh"]
    draft = s.proposals.create(bao, group=B, kind="joint-survey", title=SECRET,
                               text=SECRET_TEXT, geometry=box(114, 9.5, 115, 10.5),
                               report=REPORT)
    s.comments.add(binh, draft.id, 1, "a remark inside B zq7")
    s.positions.set(binh, draft.id, 1, "can-live-with")
    shared = s.proposals.create(bao, group=B, kind="joint-survey", title=SHARED, text="open",
                                geometry=box(114, 9.5, 115, 10.5), report=REPORT)
    s.proposals.set_status(binh, shared.id, "circulated")
    yield {"store": s, "draft": draft.id, "shared": shared.id, **people}
    s.close()


# --------------------------------------------------------------------------- the store
LISTINGS = {
    "all": {}, "group B": {"group": B}, "drafts": {"status": "draft"},
    "search title": {"search": "zq7"}, "search kind": {"kind": "joint-survey"},
    "view bbox": {"bbox": (113.9, 9.4, 115.1, 10.6)},
}


@pytest.mark.parametrize("filters", LISTINGS.values(), ids=LISTINGS.keys())
def test_no_listing_or_search_shows_the_draft(world, filters):
    seen = world["store"].proposals.list(world["ana"], **filters)
    assert world["draft"] not in [p.id for p in seen]
    assert SECRET not in [p.title for p in seen]
    if filters.get("status") != "draft" and "search" not in filters:
        assert world["shared"] in [p.id for p in seen]  # the path does list what A may see
    # the author's group does see it by the same path
    assert world["draft"] in [p.id for p in world["store"].proposals.list(world["bao"],
                                                                           **filters)]


READS = {
    "get": lambda s, u, p: s.proposals.get(u, p),
    "versions": lambda s, u, p: s.proposals.versions(u, p),
    "version 1": lambda s, u, p: s.proposals.version(u, p, 1),
    "comments": lambda s, u, p: s.comments.list(u, p),
    "positions": lambda s, u, p: s.positions.summary(u, p, 1),
    "audit": lambda s, u, p: s.audit.entries(u, proposal_id=p),
    "comment on it": lambda s, u, p: s.comments.add(u, p, 1, "hello"),
    "save a version": lambda s, u, p: s.proposals.save_version(
        u, p, base_version=1, title="x", text="x", geometry=box(114, 9.5, 115, 10.5)),
}


@pytest.mark.parametrize("read", READS.values(), ids=READS.keys())
def test_every_direct_read_of_the_draft_is_denied_without_leaking_it(world, read):
    with pytest.raises(AccessDenied) as denied:
        read(world["store"], world["ana"], world["draft"])
    assert SECRET not in str(denied.value) and SECRET_TEXT not in str(denied.value)


# --------------------------------------------------------------------------- the pages
@pytest.fixture
def pages(world, monkeypatch, tiny_catalogue_for_pages):
    import streamlit as st

    from marine.ui import data
    from marine.ui.mapview import use_adapter
    from tests.doubles import RecordingAdapter

    st.cache_resource.clear()
    st.cache_data.clear()
    monkeypatch.setattr(data, "catalogue", lambda: tiny_catalogue_for_pages)
    monkeypatch.setattr(data, "store", lambda: world["store"])
    with use_adapter(RecordingAdapter()):
        yield world
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def tiny_catalogue_for_pages():
    from marine.catalogue import Catalogue, LayerSpec, Style, features_frame

    def land():
        return features_frame([{"feature_id": "l1", "name": "land", "source": "test",
                                "status": "scientific", "accuracy": "1 km"}],
                              [box(100, 5, 100.1, 5.1)])

    return Catalogue([LayerSpec(id="land-display", title="Land", theme="base", loader=land,
                                style=Style(), source="test", status="scientific",
                                licence="CC0")])


def _signed_in(module: str, world, name: str = "ana"):
    from tests.ui.apptest_support import page_test

    at = page_test(module)
    at.session_state["user"] = world["store"].users.authenticate(name, f"{name}-password-1234")
    return at.run()


def _everything_shown(at) -> str:
    from tests.ui.apptest_support import texts

    parts = [texts(at), *(str(e.value) for e in at.text),
             *(str(e.options) for e in at.selectbox), *(str(e.options) for e in at.multiselect)]
    parts += [frame.value.to_csv() for frame in at.dataframe]
    return "\n".join(parts)


def test_proposals_page_never_shows_the_draft(pages):
    at = _signed_in("proposals", pages)
    assert not at.exception, at.exception
    shown = _everything_shown(at)
    assert SHARED in shown and SECRET not in shown and SECRET_TEXT not in shown
    at.selectbox(key="proposals_group").set_value(B).run()
    at.text_input(key="proposals_search").input("zq7").run()
    assert not at.exception and SECRET not in _everything_shown(at)
    # the same page, as the draft's author, does show it (the check is not vacuous)
    assert SECRET in _everything_shown(_signed_in("proposals", pages, "bao"))


def test_map_pack_page_offers_only_what_the_reader_may_see(pages):
    at = _signed_in("mappack", pages)
    at.selectbox(key="pack_group").set_value(B).run()
    assert not at.exception, at.exception
    options = at.multiselect(key="pack_proposals").options
    assert any(SHARED in o for o in options) and not any(SECRET in o for o in options)


def test_pack_content_read_as_a_member_cannot_reach_the_draft(world):
    from marine.mappack.content import PackRequest
    from marine.mappack.from_store import content_from_store

    whole_group = PackRequest(group=B, proposal_ids=(), layer_ids=(),
                              title="meeting", date="2026-11-20")
    content = content_from_store(world["store"], whole_group, _catalogue(), actor=world["ana"])
    assert [p.title for p in content.proposals] == [SHARED]
    named = PackRequest(group=B, proposal_ids=(str(world["draft"]),), layer_ids=(),
                        title="meeting", date="2026-11-20")
    with pytest.raises(AccessDenied) as denied:
        content_from_store(world["store"], named, _catalogue(), actor=world["ana"])
    assert SECRET not in str(denied.value)
    # a facilitator of B packs it: the path itself works
    content = content_from_store(world["store"], named, _catalogue(), actor=world["binh"])
    assert [p.title for p in content.proposals] == [SECRET]


def _catalogue():
    from marine.catalogue import Catalogue

    return Catalogue([])


def test_whole_workspace_export_is_not_reachable_from_the_app():
    """`marine workspace export` writes every group's drafts: it is an operator command (the
    server's shell), so no page may import it."""
    offenders = []
    for path in sorted((REPO_ROOT / "marine" / "ui").glob("*.py")) + [REPO_ROOT / "app.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or "", *(a.name for a in node.names)]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            if any("backup" in n or "export_workspace" in n or "store.commands" in n
                   for n in names):
                offenders.append(path.name)
    assert offenders == []
