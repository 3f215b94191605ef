"""Concurrent writers on the store: threads or separate processes saving versions on the same
proposal or on one each, every save built on the version the writer last read.

Each edit is retried on ConflictError (re-reading the latest version) until it lands, as a
person merging and saving again would. Afterwards the database is compared with the writers'
own log: every save reported as landed must be stored once, under the number it was given,
and nothing else may be stored.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

import shapely
from sqlalchemy import select

from marine.errors import ConflictError
from marine.store import SYSTEM, Store
from marine.store.models import ProposalRow, VersionRow
from reliability._procs import forkserver_context
from reliability.figures import WriterFigures

GROUP = "marine-scientific-research"
MAX_ATTEMPTS = 10_000  # per edit; only reached if conflicts never end (a livelock)
START_TIMEOUT_S = 120


@dataclass
class WriterLog:
    landed: list[tuple[int, int, str]] = field(default_factory=list)  # (proposal, number, token)
    conflicts: int = 0
    errors: list[str] = field(default_factory=list)


def edit_geometry(writer: int, edit: int):
    """A small area in the South China Sea, different for every edit."""
    x, y = 114.0 + writer * 0.01, 10.0 + edit * 0.001
    return shapely.box(x, y, x + 0.005, y + 0.0005)


def write_edits(store: Store, user_id: int, proposal_id: int, writer: int, edits: int) -> WriterLog:
    """`edits` edits by one writer; each re-reads the latest version and saves on top of it."""
    log = WriterLog()
    for edit in range(edits):
        token = f"w{writer:02d}-e{edit:04d}"
        for _attempt in range(MAX_ATTEMPTS):
            try:
                base = store.proposals.get(user_id, proposal_id).latest.number
                saved = store.proposals.save_version(
                    user_id, proposal_id, base_version=base, title=f"Edit {token}", text=token,
                    geometry=edit_geometry(writer, edit), attributes={"token": token})
            except ConflictError:
                log.conflicts += 1
                continue
            except Exception as exc:  # counted, never hidden: the figures must show it
                log.errors.append(f"{token}: {type(exc).__name__}: {exc}"[:300])
                break
            log.landed.append((proposal_id, saved.number, token))
            break
        else:
            log.errors.append(f"{token}: still conflicting after {MAX_ATTEMPTS} attempts")
    return log


def prepare(store: Store, writers: int, same_proposal: bool) -> list[tuple[int, int]]:
    """(user id, proposal id) per writer: fresh accounts in one group, fresh proposals.

    On a shared proposal the writers facilitate the group (only a proposal's authors and the
    group's facilitators may save versions); on their own proposals they are members.
    """
    tag = uuid.uuid4().hex[:8]
    role = "facilitator" if same_proposal else "member"
    jobs, shared = [], None
    for i in range(writers):
        user = store.users.create(SYSTEM, f"writer-{tag}-{i:02d}", f"Writer {i}")
        store.groups.add_member(SYSTEM, GROUP, user.id, role)
        if shared is None or not same_proposal:
            created = store.proposals.create(
                user.id, group=GROUP, kind="joint-research-area", title=f"Writers {tag} {i}",
                text="created", geometry=edit_geometry(i, 0), attributes={"token": "created"})
            shared = created.id
        jobs.append((user.id, shared))
    return jobs


def _thread_logs(store: Store, jobs, edits: int) -> list[WriterLog]:
    barrier = threading.Barrier(len(jobs))
    logs: list[WriterLog | None] = [None] * len(jobs)

    def run(i: int, user_id: int, proposal_id: int) -> None:
        barrier.wait(timeout=START_TIMEOUT_S)
        logs[i] = write_edits(store, user_id, proposal_id, i, edits)

    threads = [threading.Thread(target=run, args=(i, u, p)) for i, (u, p) in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [log or WriterLog(errors=["the writer thread died"]) for log in logs]


def _process_job(url, i, user_id, proposal_id, edits, barrier, results) -> None:
    store = Store.open(url, upgrade=False)
    try:
        barrier.wait(timeout=START_TIMEOUT_S)
        results.put((i, write_edits(store, user_id, proposal_id, i, edits)))
    finally:
        store.close()


def _process_logs(url: str, jobs, edits: int) -> list[WriterLog]:
    ctx = forkserver_context()  # separate processes, forked from a clean preloaded server
    barrier, results = ctx.Barrier(len(jobs)), ctx.Queue()
    procs = [ctx.Process(target=_process_job, args=(url, i, u, p, edits, barrier, results))
             for i, (u, p) in enumerate(jobs)]
    for p in procs:
        p.start()
    logs: dict[int, WriterLog] = {}
    deadline = time.monotonic() + START_TIMEOUT_S + 60 * edits
    while len(logs) < len(jobs) and time.monotonic() < deadline:
        try:
            i, log = results.get(timeout=1)
            logs[i] = log
        except Exception:  # queue.Empty: check for dead children
            if all(not p.is_alive() for p in procs) and results.empty():
                break
    for p in procs:
        p.join(timeout=30)
        if p.is_alive():
            p.kill()
    return [logs.get(i, WriterLog(errors=[f"writer process {i} reported nothing"]))
            for i in range(len(jobs))]


def compare_with_log(store: Store, proposal_ids: set[int], logs: list[WriterLog]) -> dict:
    """Lost updates, duplicates, phantoms and whether the final state equals the log."""
    logged = [entry for log in logs for entry in log.landed]
    with store.db.reading() as session:
        rows = session.execute(
            select(VersionRow.proposal_id, VersionRow.number, VersionRow.text,
                   VersionRow.title, VersionRow.geometry_wkb)
            .where(VersionRow.proposal_id.in_(proposal_ids))).all()
        heads = session.execute(
            select(ProposalRow.id, ProposalRow.latest_version, ProposalRow.title,
                   ProposalRow.geometry_wkb).where(ProposalRow.id.in_(proposal_ids))).all()
    stored = [(r.proposal_id, r.number, r.text) for r in rows if r.text != "created"]
    stored_set, logged_set = set(stored), set(logged)
    token_copies = Counter(text for _p, _n, text in stored)
    claimed = Counter((p, n) for p, n, _t in logged)
    duplicates = (sum(c - 1 for c in token_copies.values() if c > 1)
                  + sum(c - 1 for c in claimed.values() if c > 1))
    by_number = {(r.proposal_id, r.number): r for r in rows}
    final_ok = stored_set == logged_set
    for head in heads:
        numbers = sorted(n for p, n in by_number if p == head.id)
        latest = by_number.get((head.id, head.latest_version))
        final_ok = final_ok and numbers == list(range(1, head.latest_version + 1)) and (
            latest is not None and latest.title == head.title
            and bytes(latest.geometry_wkb) == bytes(head.geometry_wkb))
    return {"lost_updates": len(logged_set - stored_set), "duplicates": duplicates,
            "phantoms": len(stored_set - logged_set), "final_matches_log": final_ok}


def run_writers(url: str, writers: int, edits: int, mode: str = "threads",
                same_proposal: bool = True) -> WriterFigures:
    """`writers` concurrent writers × `edits` edits against the store at `url`."""
    if mode not in ("threads", "processes"):
        raise ValueError(f"mode was {mode!r}; expected 'threads' or 'processes'")
    if writers < 1 or edits < 1:
        raise ValueError(f"writers ({writers}) and edits ({edits}) must be at least 1")
    store = Store.open(url)
    try:
        jobs = prepare(store, writers, same_proposal)
        started = time.perf_counter()
        logs = (_thread_logs(store, jobs, edits) if mode == "threads"
                else _process_logs(url, jobs, edits))
        seconds = time.perf_counter() - started
        found = compare_with_log(store, {p for _u, p in jobs}, logs)
        errors = tuple(e for log in logs for e in log.errors)
        return WriterFigures(
            backend=store.backend, mode=mode, writers=writers, edits=edits,
            same_proposal=same_proposal, landed=sum(len(log.landed) for log in logs),
            conflicts=sum(log.conflicts for log in logs), other_errors=len(errors),
            seconds=seconds, problems=errors, **found)
    finally:
        store.close()
