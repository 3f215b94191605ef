"""Concurrent writers on one proposal and on one each, threads and processes, SQLite and
PostgreSQL: every save lands or raises ConflictError; nothing lost, nothing doubled, and the
final state equals the writers' log."""

from __future__ import annotations

import pytest
import shapely

from marine.errors import ConflictError
from marine.store import Store
from reliability.writers import WriterLog, compare_with_log, prepare, run_writers


def assert_clean(figures, writers: int, edits: int) -> None:
    assert figures.problems == ()
    assert figures.landed == writers * edits
    assert figures.other_errors == 0
    assert figures.lost_updates == 0
    assert figures.duplicates == 0
    assert figures.phantoms == 0
    assert figures.final_matches_log
    assert figures.ok


@pytest.mark.parametrize(("mode", "writers", "edits", "same"), [
    ("threads", 2, 100, True),
    pytest.param("threads", 8, 25, True, marks=pytest.mark.slow),
    ("threads", 8, 25, False),
])
def test_threads_lose_nothing(db_url, mode, writers, edits, same):
    figures = run_writers(db_url, writers, edits, mode=mode, same_proposal=same)
    assert_clean(figures, writers, edits)
    if not same:
        assert figures.conflicts == 0  # nobody else writes to a writer's own proposal


@pytest.mark.slow
@pytest.mark.parametrize(("writers", "edits", "same"), [(2, 50, True), (4, 20, False)])
def test_processes_lose_nothing(db_url, writers, edits, same):
    figures = run_writers(db_url, writers, edits, mode="processes", same_proposal=same)
    assert_clean(figures, writers, edits)


# The full matrix (8 writers x 100 edits, threads and processes, one shared proposal and one
# each, SQLite and PostgreSQL) runs in `marine check`, whose figures the README quotes; the
# suite keeps every axis of it at a size that fits the CI budget.
@pytest.mark.slow
@pytest.mark.parametrize("same", [True, False])
def test_eight_writers_hundred_edits(db_url, same):
    figures = run_writers(db_url, 8, 100, mode="threads", same_proposal=same)
    assert_clean(figures, 8, 100)


@pytest.mark.slow
def test_eight_writer_processes_hundred_edits_on_one_proposal(tmp_path):
    url = f"sqlite:///{tmp_path / 'writers.sqlite'}"
    figures = run_writers(url, 8, 100, mode="processes", same_proposal=True)
    assert_clean(figures, 8, 100)


def test_a_stale_save_raises_conflict_and_stores_nothing(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'w.sqlite'}")
    try:
        (a, pid), (b, _) = prepare(store, 2, same_proposal=True)
        geometry = shapely.box(114, 10, 114.1, 10.1)
        store.proposals.save_version(a, pid, base_version=1, title="A", text="a",
                                     geometry=geometry)
        with pytest.raises(ConflictError, match="started from version 1"):
            store.proposals.save_version(b, pid, base_version=1, title="B", text="b",
                                         geometry=geometry)
        assert [v.text for v in store.proposals.versions(a, pid)] == ["created", "a"]
    finally:
        store.close()


def test_the_comparison_finds_lost_doubled_and_phantom_versions(tmp_path):
    """The checker itself: a log that claims more, less or twice what is stored is caught."""
    store = Store.open(f"sqlite:///{tmp_path / 'w.sqlite'}")
    try:
        (a, pid), = prepare(store, 1, same_proposal=True)
        log = WriterLog()
        for i in range(3):
            v = store.proposals.save_version(a, pid, base_version=i + 1, title=f"T{i}",
                                             text=f"t{i}", geometry=shapely.box(114, 10, 115, 11))
            log.landed.append((pid, v.number, f"t{i}"))
        assert compare_with_log(store, {pid}, [log]) == {
            "lost_updates": 0, "duplicates": 0, "phantoms": 0, "final_matches_log": True}
        claims_more = WriterLog(landed=[*log.landed, (pid, 5, "t9")])
        assert compare_with_log(store, {pid}, [claims_more])["lost_updates"] == 1
        claims_less = WriterLog(landed=log.landed[:2])
        found = compare_with_log(store, {pid}, [claims_less])
        assert found["phantoms"] == 1 and not found["final_matches_log"]
        twice = WriterLog(landed=[*log.landed, (pid, 4, "t-other")])
        assert compare_with_log(store, {pid}, [twice])["duplicates"] == 1
    finally:
        store.close()
