"""Crash safety: a writer process saving versions in a loop is killed with SIGKILL at a
random moment, again and again, on one SQLite (WAL) workspace.

After every kill: `PRAGMA integrity_check` must say ok, every stored version must be complete
(its digest over title, text and geometry matches, its audit entry exists, and the proposal
row points at the newest version with the same geometry) and every version the writer had
reported as saved must still be there. After the last kill the store must open, migrate,
read and save again.

Writers are forked from a forkserver that has imported the store already, so a kill lands
while versions are being saved, not while Python imports SQLAlchemy.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sqlite3
import time
from pathlib import Path

import shapely

from marine.store import SYSTEM, Store
from reliability._procs import forkserver_context
from reliability.figures import KillFigures

GROUP = "marine-environmental-protection"
READY_TIMEOUT_S = 60


def digest(title: str, text: str, geometry_wkb: bytes) -> str:
    return hashlib.sha256(f"{title}\x1f{text}\x1f".encode() + bytes(geometry_wkb)).hexdigest()


def _geometry(run: int, i: int):
    x, y = 110.0 + (run % 50) * 0.02, 8.0 + (i % 500) * 0.002
    # Several hundred vertices: a save writes more than one page.
    return shapely.Point(x, y).buffer(0.01, quad_segs=64)


def save_loop(url: str, user_id: int, proposal_id: int, run: int, log_path: str, ready) -> None:
    """Save versions until killed; append "number" to `log_path` after each one landed."""
    store = Store.open(url, upgrade=False)
    with open(log_path, "a", buffering=1, encoding="utf-8") as log:
        ready.set()
        i = 0
        while True:
            base = store.proposals.get(user_id, proposal_id).latest.number
            geometry = _geometry(run, i)
            title, text = f"Run {run} save {i}", " ".join([f"Text of run {run} save {i}."] * 20)
            wkb = shapely.to_wkb(shapely.force_2d(geometry))
            saved = store.proposals.save_version(
                user_id, proposal_id, base_version=base, title=title, text=text,
                geometry=geometry, attributes={"digest": digest(title, text, wkb)})
            log.write(f"{saved.number}\n")
            i += 1


def integrity(db_path: Path) -> str:
    """"ok", or what SQLite found wrong (a file it cannot read at all included)."""
    try:
        with sqlite3.connect(db_path) as conn:
            result = "; ".join(r[0] for r in conn.execute("PRAGMA integrity_check"))
            broken = conn.execute("PRAGMA foreign_key_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return f"unreadable: {exc}"
    return result if not broken else f"{result}; foreign keys broken: {broken[:3]}"


def torn_versions(db_path: Path, proposal_id: int) -> list[str]:
    """Versions that are not whole: wrong digest, no audit entry, or a proposal row that does
    not point at its newest version."""
    problems = []
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute(
            "SELECT number, title, text, geometry_wkb, attributes FROM proposal_versions "
            "WHERE proposal_id = ? ORDER BY number", (proposal_id,)).fetchall()
        audited = {json.loads(d).get("version") for (d,) in conn.execute(
            "SELECT details FROM audit_log WHERE object_id = ? AND action IN "
            "('version.create', 'proposal.create')", (proposal_id,))}
        latest, wkb = conn.execute(
            "SELECT latest_version, geometry_wkb FROM proposals WHERE id = ?",
            (proposal_id,)).fetchone()
    numbers = [r[0] for r in rows]
    if numbers != list(range(1, len(numbers) + 1)) or latest != numbers[-1]:
        problems.append(f"version numbers {numbers[-3:]} vs proposal latest {latest}")
    if bytes(rows[-1][3]) != bytes(wkb):
        problems.append(f"proposal geometry is not that of version {numbers[-1]}")
    for number, title, text, geometry_wkb, attributes in rows[1:]:
        stored = json.loads(attributes).get("digest")
        if stored != digest(title, text, geometry_wkb):
            problems.append(f"version {number} does not match its digest")
        if number not in audited:
            problems.append(f"version {number} has no audit entry")
    return problems


def _prepare(url: str) -> tuple[int, int]:
    store = Store.open(url)
    try:
        user = store.users.create(SYSTEM, f"killed-{os.getpid()}-{time.time_ns() % 10**6}", "K")
        store.groups.add_member(SYSTEM, GROUP, user.id, "member")
        created = store.proposals.create(
            user.id, group=GROUP, kind="marine-protected-area", title="Crash safety",
            text="created", geometry=_geometry(0, 0))
        return user.id, created.id
    finally:
        store.close()


def _app_starts(url: str, user_id: int, proposal_id: int) -> bool:
    store = Store.open(url)  # runs the migrations check as the app does
    try:
        latest = store.proposals.get(user_id, proposal_id).latest
        title, text = "After the kills", "The workspace still saves."
        saved = store.proposals.save_version(
            user_id, proposal_id, base_version=latest.number, title=title, text=text,
            geometry=latest.geometry,
            attributes={"digest": digest(title, text, latest.geometry_wkb)})
        return saved.number == latest.number + 1
    finally:
        store.close()


def _kill_once(ctx, url, user_id, proposal_id, run, log_path, rng) -> int:
    """Start a writer, kill it after 50–400 ms of saving; returns its exit code."""
    ready = ctx.Event()
    proc = ctx.Process(target=save_loop, args=(url, user_id, proposal_id, run, str(log_path),
                                               ready))
    proc.start()
    if not ready.wait(READY_TIMEOUT_S):
        proc.kill()
        proc.join()
        raise RuntimeError(f"the writer of run {run} did not start in {READY_TIMEOUT_S} s")
    time.sleep(rng.uniform(0.05, 0.4))
    os.kill(proc.pid, signal.SIGKILL)
    proc.join()
    return proc.exitcode


def run_kills(db_path: str | Path, kills: int = 50, seed: int | None = None) -> KillFigures:
    """Kill a saving writer `kills` times on the SQLite file `db_path` and check it each time."""
    db_path = Path(db_path)
    url = f"sqlite:///{db_path}"
    user_id, proposal_id = _prepare(url)
    rng = random.Random(seed)
    ctx = forkserver_context()
    log_path = db_path.with_suffix(".saved.log")
    log_path.write_text("")
    failures, torn, problems = 0, set(), []
    started = time.perf_counter()
    for run in range(kills):
        code = _kill_once(ctx, url, user_id, proposal_id, run, log_path, rng)
        if code != -signal.SIGKILL:
            problems.append(f"run {run}: the writer ended with {code} before the kill")
        check = integrity(db_path)
        if check != "ok":
            failures += 1
            problems.append(f"run {run}: integrity_check: {check[:200]}")
            continue
        found = [p for p in torn_versions(db_path, proposal_id) if p not in torn]
        torn.update(found)
        problems += [f"run {run}: {p}" for p in found]
    reported = {int(n) for n in log_path.read_text().split()}
    with sqlite3.connect(db_path) as conn:
        stored = {n for (n,) in conn.execute(
            "SELECT number FROM proposal_versions WHERE proposal_id = ?", (proposal_id,))}
    lost = reported - stored
    problems += [f"version {n} was reported saved but is missing" for n in sorted(lost)[:5]]
    return KillFigures(
        kills=kills, saves_before_kills=len(reported), integrity_failures=failures,
        torn_writes=len(torn), lost_committed=len(lost), app_starts=_app_starts(url, user_id,
                                                                          proposal_id),
        seconds=time.perf_counter() - started, problems=tuple(problems))
