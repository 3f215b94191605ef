"""Proposals and versions: immutable versions, no lost updates (two sessions, threads),
nothing half-written, bbox queries, listing filters and visibility."""

from __future__ import annotations

import threading

import pytest
import shapely
from sqlalchemy import func, select

from marine.errors import ConflictError, GeometryError, ProposalError
from marine.store import SYSTEM, Store
from marine.store.models import AuditRow, ProposalRow, VersionRow

AREA = shapely.box(112.0, 9.0, 113.0, 10.0)
REPORT = {"area_km2": 12034.5, "overlaps": [{"layer": "envelope-overlap", "count": 3}]}


def _create(store, user, geometry=AREA, title="Joint survey", group="legal-matters", **kw):
    return store.proposals.create(user, group=group, kind=kw.pop("kind", "joint-research-area"),
                                  title=title, text="Text.", geometry=geometry, **kw)


def _save(store, user, pid, base, title, geometry=AREA):
    return store.proposals.save_version(user, pid, base_version=base, title=title, text=title,
                                        geometry=geometry)


def test_a_version_keeps_everything_saved_with_it(store, people):
    attributes = {"duration_years": 5, "parties": ["all littoral parties"], "note": "测试 thử"}
    p = _create(store, people["author"], attributes=attributes, report=REPORT)
    v = store.proposals.version(people["author"], p.id, 1)
    assert (v.title, v.text, v.attributes, v.report) == ("Joint survey", "Text.", attributes, REPORT)
    assert v.geometry.equals_exact(AREA, 0) and v.bbox == (112.0, 9.0, 113.0, 10.0)
    assert v.created_at.tzinfo is not None and v.created_by_me
    assert v.created_by is None  # authorship is for facilitators
    assert store.proposals.version(people["facilitator"], p.id, 1).created_by == people["author"].id


def test_report_object_with_to_json_is_stored_as_json(store, people):
    class Report:
        def to_json(self):
            return '{"area_km2": 1.5, "layers": []}'

    p = _create(store, people["author"], report=Report())
    assert p.latest.report == {"area_km2": 1.5, "layers": []}


def test_saving_adds_a_version_and_keeps_the_old_one(store, people):
    p = _create(store, people["author"])
    moved = shapely.box(112.5, 9.5, 113.5, 10.5)
    v2 = _save(store, people["author"], p.id, 1, "Joint survey, revised", moved)
    versions = store.proposals.versions(people["author"], p.id)
    assert [v.number for v in versions] == [1, 2] and v2.number == 2
    assert versions[0].title == "Joint survey" and versions[0].geometry.equals_exact(AREA, 0)
    current = store.proposals.get(people["member"], p.id)
    assert current.summary.title == "Joint survey, revised"
    assert current.summary.bbox == (112.5, 9.5, 113.5, 10.5)
    assert current.latest.number == 2


def test_versions_cannot_be_edited_in_place(store, people):
    p = _create(store, people["author"])
    with store.db.writing() as session, pytest.raises(ValueError, match="immutable"):
        row = session.scalar(select(VersionRow).where(VersionRow.proposal_id == p.id))
        row.title = "rewritten"
        session.flush()
    assert store.proposals.version(SYSTEM, p.id, 1).title == "Joint survey"


def test_stale_save_from_a_second_session_raises_conflict_with_both_versions(database_url, backend, people):
    from store_support import POSTGIS

    first = Store.open(database_url, postgis=POSTGIS.get(backend))
    second = Store.open(database_url, postgis=POSTGIS.get(backend))
    try:
        p = _create(first, people["author"])
        base = second.proposals.get(people["facilitator"], p.id).latest.number  # both start at 1
        _save(first, people["author"], p.id, base, "Author's edit")
        with pytest.raises(ConflictError) as conflict:
            _save(second, people["facilitator"], p.id, base, "Facilitator's edit")
        error = conflict.value
        assert error.base_version.number == 1 and error.base_version.title == "Joint survey"
        assert error.latest_version.number == 2 and error.latest_version.title == "Author's edit"
        assert "version 2" in str(error) and "Nothing was saved" in str(error)
        titles = [v.title for v in first.proposals.versions(SYSTEM, p.id)]
        assert titles == ["Joint survey", "Author's edit"]
        # Based on the latest version, the facilitator's edit lands.
        assert _save(second, people["facilitator"], p.id, 2, "Facilitator's edit").number == 3
    finally:
        first.close()
        second.close()


def test_concurrent_saves_on_one_base_land_exactly_once(database_url, backend, people):
    from store_support import POSTGIS

    stores = [Store.open(database_url, postgis=POSTGIS.get(backend)) for _ in range(4)]
    p = _create(stores[0], people["author"])
    barrier = threading.Barrier(len(stores))
    outcomes: list[str] = []

    def save(i: int) -> None:
        barrier.wait()
        try:
            _save(stores[i], people["facilitator"], p.id, 1, f"edit {i}")
            outcomes.append("saved")
        except ConflictError:
            outcomes.append("conflict")

    threads = [threading.Thread(target=save, args=(i,)) for i in range(len(stores))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    try:
        assert sorted(outcomes) == ["conflict"] * 3 + ["saved"]
        assert [v.number for v in stores[0].proposals.versions(SYSTEM, p.id)] == [1, 2]
    finally:
        for s in stores:
            s.close()


def _counts(store, pid):
    with store.db.reading() as session:
        return (
            session.scalar(select(func.count()).select_from(VersionRow).where(VersionRow.proposal_id == pid)),
            session.scalar(select(ProposalRow.latest_version).where(ProposalRow.id == pid)),
            session.scalar(select(ProposalRow.title).where(ProposalRow.id == pid)),
            session.scalar(select(func.count()).select_from(AuditRow)),
        )


def test_a_failure_mid_save_leaves_nothing_half_written(store, people, monkeypatch):
    p = _create(store, people["author"])
    before = _counts(store, p.id)

    def failing_audit(*args, **kwargs):  # runs after the version row is flushed
        raise RuntimeError("disk full")

    monkeypatch.setattr("marine.store.proposals.audit", failing_audit)
    with pytest.raises(RuntimeError, match="disk full"):
        _save(store, people["author"], p.id, 1, "never stored", shapely.box(100, 1, 101, 2))
    assert _counts(store, p.id) == before == (1, 1, "Joint survey", before[3])
    assert store.proposals.list(SYSTEM, bbox=(100, 1, 101, 2)) == []
    with pytest.raises(RuntimeError):
        _create(store, people["author"], title="never created either")
    assert [s.title for s in store.proposals.list(SYSTEM)] == ["Joint survey"]
    monkeypatch.undo()
    assert _save(store, people["author"], p.id, 1, "stored now").number == 2


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        (shapely.Polygon(), "empty"),
        (shapely.Polygon([(112, 9), (113, 10), (113, 9), (112, 10), (112, 9)]), "invalid"),
        (shapely.box(11_200_000, 900_000, 11_300_000, 1_000_000), "EPSG:4326"),
        ({"type": "Point"}, "GeoJSON"),
    ],
)
def test_bad_geometry_is_refused_with_the_remedy(store, people, geometry, message):
    with pytest.raises(GeometryError, match=message):
        _create(store, people["author"], geometry=geometry)
    assert store.proposals.list(SYSTEM) == []


def test_geojson_feature_and_3d_input_are_stored_2d(store, people):
    feature = {"type": "Feature", "properties": {},
               "geometry": {"type": "Polygon", "coordinates": [[[112, 9, 5], [113, 9, 5], [113, 10, 5], [112, 9, 5]]]}}
    p = _create(store, people["author"], geometry=feature)
    assert not p.latest.geometry.has_z
    assert p.latest.geometry.equals(shapely.Polygon([(112, 9), (113, 9), (113, 10)]))


def test_bbox_query_finds_proposals_touching_the_view(store, people):
    author = people["author"]
    west = _create(store, author, shapely.box(110, 8, 111, 9), title="west")
    east = _create(store, author, shapely.box(115, 8, 116, 9), title="east")
    # An L shape whose bbox covers (113..115, 10..12) but whose area misses its north-east corner.
    ell = _create(store, author, shapely.Polygon([(113, 10), (115, 10), (115, 10.5), (113.5, 10.5),
                                                  (113.5, 12), (113, 12)]), title="ell")
    line = _create(store, author, shapely.LineString([(110.5, 13), (111.5, 14)]), title="line")

    def ids(bbox):
        return {s.id for s in store.proposals.list(author, bbox=bbox)}

    assert ids((109, 7, 117, 15)) == {west.id, east.id, ell.id, line.id}
    assert ids((110.5, 8.5, 110.7, 8.7)) == {west.id}  # view inside a proposal
    assert ids((111, 9, 112, 9.5)) == {west.id}  # touching at a corner counts
    assert ids((114.5, 11, 116, 12)) == set()  # inside the L's bbox, outside its area
    assert ids((114.5, 10.2, 116, 12)) == {ell.id}
    assert ids((111, 13.4, 112, 15)) == {line.id}
    assert ids((120, 20, 121, 21)) == set()
    # Moving a proposal moves it in the index.
    _save(store, author, west.id, 1, "west moved", shapely.box(120, 20, 120.5, 20.5))
    assert ids((120, 20, 121, 21)) == {west.id}
    assert west.id not in ids((109, 7, 111.5, 9.5))


def test_bbox_query_respects_visibility_and_filters(store, people):
    draft = _create(store, people["author"], title="draft")
    circulated = _create(store, people["author"], title="circulated")
    store.proposals.set_status(SYSTEM, circulated.id, "circulated")
    view = (111, 8, 114, 11)
    assert {s.id for s in store.proposals.list(people["participant"], bbox=view)} == {circulated.id}
    assert {s.id for s in store.proposals.list(people["member"], bbox=view)} == {draft.id, circulated.id}
    assert store.proposals.list(people["outsider"], bbox=view) == []
    assert [s.id for s in store.proposals.list(people["member"], bbox=view, status="draft")] == [draft.id]
    assert len(store.proposals.list(people["member"], bbox=view, limit=1)) == 1
    with pytest.raises(ProposalError, match="min <= max"):
        store.proposals.list(people["member"], bbox=(114, 8, 111, 11))


def test_listing_filters_and_visibility(store, people):
    author = people["author"]
    store.groups.add_member(SYSTEM, "resources-assessment", author.id, "member")
    a = _create(store, author, title="Fish stock survey", kind="fisheries-research")
    b = _create(store, author, title="Coral reef monitoring", kind="environment")
    c = _create(store, author, title="Search and rescue drill", group="resources-assessment")
    store.proposals.set_status(SYSTEM, b.id, "circulated")
    store.proposals.set_status(SYSTEM, c.id, "withdrawn")  # withdrawn as a draft

    def titles(actor, **kw):
        return [s.title for s in store.proposals.list(actor, **kw)]

    assert titles(author) == ["Search and rescue drill", "Coral reef monitoring", "Fish stock survey"]
    assert titles(people["member"]) == ["Coral reef monitoring", "Fish stock survey"]
    assert titles(people["observer"]) == ["Coral reef monitoring"]
    # A member of resources-assessment sees its withdrawn draft; its observer does not.
    assert titles(people["participant"]) == ["Search and rescue drill", "Coral reef monitoring"]
    assert titles(people["outside-observer"]) == ["Coral reef monitoring"]
    assert titles(people["outsider"]) == []
    assert titles(people["admin"], group="resources-assessment") == ["Search and rescue drill"]
    assert titles(author, kind="fisheries-research") == ["Fish stock survey"]
    assert titles(author, status="circulated") == ["Coral reef monitoring"]
    assert titles(author, search="REEF") == ["Coral reef monitoring"]
    assert titles(author, search="100%") == []
    assert titles(author, limit=1, offset=1) == ["Coral reef monitoring"]
    assert a.summary.status == "draft"


def test_status_moves_forward_only(store, people):
    p = _create(store, people["author"])
    fac = people["facilitator"]
    with pytest.raises(ProposalError, match="cannot become recommended; next: circulated, withdrawn"):
        store.proposals.set_status(fac, p.id, "recommended")
    for status in ("circulated", "discussed", "recommended"):
        assert store.proposals.set_status(fac, p.id, status).status == status
    with pytest.raises(ProposalError, match="final"):
        store.proposals.set_status(fac, p.id, "withdrawn")
    with pytest.raises(ProposalError, match="unknown"):
        store.proposals.set_status(fac, p.id, "adopted")


def test_unknown_proposal_and_version_are_named(store, people):
    with pytest.raises(ProposalError, match="proposal 999 does not exist"):
        store.proposals.get(people["admin"], 999)
    p = _create(store, people["author"])
    with pytest.raises(ProposalError, match="no version 7"):
        store.proposals.version(people["author"], p.id, 7)
    with pytest.raises(ProposalError, match="no version 5 to build on"):
        _save(store, people["author"], p.id, 5, "from the future")


def test_bbox_query_uses_the_spatial_index(store, people, backend):
    """The query behind "proposals touching this view" is planned on the backend's index."""
    from sqlalchemy import event

    for i in range(30):
        _create(store, people["author"], shapely.box(100 + i * 0.5, 5, 100.4 + i * 0.5, 5.4))
    statements = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if "proposals_rtree" in statement or "&&" in statement:
            statements.append((statement, parameters))

    event.listen(store.db.engine, "before_cursor_execute", capture)
    try:
        assert len(store.proposals.list(people["author"], bbox=(101, 4, 102, 6))) == 3  # 102 touches
    finally:
        event.remove(store.db.engine, "before_cursor_execute", capture)
    statement, parameters = statements[-1]
    with store.db.engine.connect() as connection:
        if backend == "sqlite":
            rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
            plan = " ".join(str(r[-1]) for r in rows)
            assert "VIRTUAL TABLE INDEX" in plan and "proposals_rtree" in plan
        else:
            connection.exec_driver_sql("SET enable_seqscan = off")  # 30 rows would be scanned
            rows = connection.exec_driver_sql(f"EXPLAIN {statement}", parameters).all()
            plan = " ".join(r[0] for r in rows)
            index = "ix_proposals_geom" if backend == "postgres" else "ix_proposals_box"
            assert index in plan
