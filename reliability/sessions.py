"""The app under load: many browser sessions at once against a real server on localhost.

The app is started as `streamlit run app.py` on a free port with a private working folder
and a fresh SQLite workspace holding one account, one working group and one draft per
session. Each session is a websocket client speaking Streamlit's own protocol (the protobuf
messages the browser exchanges), so the server runs every session's script in its own
thread exactly as it does for browsers. Every session, at the same time:

1. opens the sign-in page and signs in with its own account;
2. opens Proposals: it must see its own group's draft and nobody else's;
3. posts a comment on that draft;
4. signs out: the sign-in form is back and Proposals shows no proposal any more.

Errors are exception elements, error boxes, timeouts and protocol failures. A session that
shows another session's name or draft counts as mixed state; the comments are checked in
the database afterwards (each draft holds exactly the comment its own session posted).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from reliability.checkout import APP_ENTRY, CHECKOUT
from reliability.figures import SessionFigures
from reliability.wire import Client, Run

START_TIMEOUT_S = 180
PASSWORD = "session-password-{i:02d}"


def display_name(i: int) -> str:
    return f"Session User {i:02d}"


def draft_title(i: int) -> str:
    return f"Draft of session {i:02d}"


def comment_text(i: int) -> str:
    return f"Comment posted by session {i:02d}"


# --------------------------------------------------------------------------- the workspace
def seed_workspace(url: str, n: int) -> dict[int, int]:
    """One account, group and draft per session; returns session → proposal id."""
    import shapely

    from marine.store import SYSTEM, Store

    store = Store.open(url)
    try:
        drafts = {}
        for i in range(n):
            user = store.users.create(SYSTEM, f"session-{i:02d}", display_name(i),
                                      password=PASSWORD.format(i=i))
            group = store.groups.create(SYSTEM, f"Load group {i:02d}", slug=f"load-{i:02d}")
            store.groups.add_member(SYSTEM, group.slug, user.id, "member")
            created = store.proposals.create(
                user.id, group=group.slug, kind="joint-research-area", title=draft_title(i),
                text="A joint survey.", geometry=shapely.box(114 + i * 0.1, 10, 114.05 + i * 0.1,
                                                             10.05))
            drafts[i] = created.id
        return drafts
    finally:
        store.close()


def comments_by_proposal(url: str, drafts: dict[int, int]) -> dict[int, list[tuple[str, str]]]:
    """proposal id → [(comment body, author's username)] as stored."""
    from sqlalchemy import select

    from marine.store import Store
    from marine.store.models import CommentRow, UserRow, VersionRow

    store = Store.open(url, upgrade=False)
    try:
        with store.db.reading() as session:
            rows = session.execute(
                select(VersionRow.proposal_id, CommentRow.body, UserRow.username)
                .join(VersionRow, VersionRow.id == CommentRow.version_id)
                .join(UserRow, UserRow.id == CommentRow.author_id)).all()
    finally:
        store.close()
    found: dict[int, list[tuple[str, str]]] = {pid: [] for pid in drafts.values()}
    for pid, body, username in rows:
        found.setdefault(pid, []).append((body, username))
    return found


# --------------------------------------------------------------------------- the server
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    """`streamlit run app.py` in its own process group, stopped on exit."""

    def __init__(self, home: Path, database_url: str):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = home / "app.log"
        env = {**os.environ, "MARINE_HOME": str(home), "MARINE_DATABASE_URL": database_url}
        cmd = [sys.executable, "-m", "streamlit", "run", str(APP_ENTRY),
               "--server.headless", "true", "--server.address", "127.0.0.1",
               "--server.port", str(self.port), "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none"]
        with self.log.open("w") as out:
            self.proc = subprocess.Popen(cmd, cwd=CHECKOUT, env=env, stdout=out,
                                         stderr=subprocess.STDOUT, start_new_session=True)

    def wait_healthy(self, seconds: float = START_TIMEOUT_S) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the app exited ({self.proc.returncode}): "
                                   f"{self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"the app did not answer {self.url}/_stcore/health in {seconds} s")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


# --------------------------------------------------------------------------- one session
@dataclass
class SessionResult:
    completed: bool = False
    errors: list[str] = field(default_factory=list)
    mixed: list[str] = field(default_factory=list)
    clean_after_sign_out: bool = False
    runs: int = 0


def _others_seen(run: Run, i: int, n: int) -> list[str]:
    text = run.text()
    return [f"session {i:02d} saw {what}" for j in range(n) if j != i
            for what in (display_name(j), draft_title(j)) if what in text]


def run_session(port: int, i: int, n: int, barrier: threading.Barrier) -> SessionResult:
    result = SessionResult()
    client = None
    try:
        barrier.wait(timeout=START_TIMEOUT_S)
        client = Client(port)
        steps = _session_steps(client, i)
        for name, run in steps:
            result.errors += [f"session {i:02d} {name}: {p}" for p in run.problems()]
            result.mixed += _others_seen(run, i, n)
            if name == "signed-in" and f"Signed in as {display_name(i)}" not in run.text():
                result.errors.append(f"session {i:02d}: sign-in did not show its own name")
            if name == "proposals" and draft_title(i) not in run.text():
                result.errors.append(f"session {i:02d}: its own draft was not listed")
        after = dict(steps)
        result.clean_after_sign_out = (
            "signin_password" in after["signed-out"].text()
            and "Signed in as" not in after["signed-out"].text()
            and draft_title(i) not in after["proposals-after"].text()
            and display_name(i) not in after["proposals-after"].text())
        result.completed = True
    except Exception as exc:  # counted as an error of this session, never hidden
        result.errors.append(f"session {i:02d}: {type(exc).__name__}: {exc}"[:300])
    finally:
        if client is not None:
            result.runs = client.runs
            client.close()
    return result


def _session_steps(client: Client, i: int) -> list[tuple[str, Run]]:
    form = client.rerun("sign-in")
    signed_in = client.rerun("sign-in", {
        form.widget_id("text_input", "signin_username"): f"session-{i:02d}",
        form.widget_id("text_input", "signin_password"): PASSWORD.format(i=i),
        form.widget_id("button", "FormSubmitter:sign-in"): True})
    listed = client.rerun("proposals")
    commented = client.rerun("proposals", {
        listed.widget_id("text_area", "comment_body_"): comment_text(i),
        listed.widget_id("button", "comment_post_"): True})
    before_out = client.rerun("sign-in")
    signed_out = client.rerun("sign-in", {before_out.widget_id("button", "sign_out"): True})
    after = client.rerun("proposals")
    return [("sign-in form", form), ("signed-in", signed_in), ("proposals", listed),
            ("commented", commented), ("before sign-out", before_out),
            ("signed-out", signed_out), ("proposals-after", after)]


# --------------------------------------------------------------------------- the run
def run_sessions(n: int = 20, workdir: str | Path | None = None) -> SessionFigures:
    """`n` simultaneous sessions against a freshly started app (see the module docstring)."""
    if n < 1:
        raise ValueError(f"n was {n}; run at least one session")
    home = Path(workdir or tempfile.mkdtemp(prefix="marine-sessions-"))
    home.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{home / 'workspace.sqlite'}"
    drafts = seed_workspace(url, n)
    server = AppServer(home, url)
    try:
        server.wait_healthy()
        started = time.perf_counter()
        barrier = threading.Barrier(n)
        results: list[SessionResult] = [SessionResult() for _ in range(n)]

        def go(i: int) -> None:
            results[i] = run_session(server.port, i, n, barrier)

        threads = [threading.Thread(target=go, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        seconds = time.perf_counter() - started
    finally:
        server.stop()
    stored = comments_by_proposal(url, drafts)
    mixed = [m for r in results for m in r.mixed]
    for i, pid in drafts.items():
        if stored.get(pid) != [(comment_text(i), f"session-{i:02d}")]:
            mixed.append(f"draft {pid} of session {i:02d} holds comments {stored.get(pid)}")
    errors = [e for r in results for e in r.errors]
    return SessionFigures(
        sessions=n, completed=sum(r.completed for r in results), errors=len(errors),
        mixed_state=len(mixed), signed_out_clean=sum(r.clean_after_sign_out for r in results),
        runs=sum(r.runs for r in results), seconds=seconds, problems=tuple(errors + mixed))
