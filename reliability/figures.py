"""The figures each hardening run reports, and the registry `marine check` walks.

Every run returns a frozen dataclass with `rows()`: one `Figure` per measured quantity, each
saying whether it meets its bar (0 lost updates, 0 torn writes, ...). A check registered here
is a function `run(quick, workdir)` yielding such dataclasses; `quick` picks the small sizes
the test suite uses, otherwise the sizes quoted in the README.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class Figure:
    check: str      # "writers", "kills", "sessions", "bad inputs"
    scenario: str   # e.g. "sqlite, 8 processes × 100 edits, same proposal"
    measure: str    # e.g. "lost updates"
    value: object
    ok: bool = True


class HasFigures(Protocol):
    def rows(self) -> list[Figure]: ...


@dataclass(frozen=True)
class WriterFigures:
    """Concurrent writers saving versions: every save lands or raises ConflictError."""

    backend: str
    mode: str                 # "threads" | "processes"
    writers: int
    edits: int                # edits each writer made (each retried until it landed)
    same_proposal: bool
    landed: int               # saves that returned a version
    conflicts: int            # saves refused with ConflictError (then retried on the latest)
    other_errors: int         # anything else raised by a save (must be 0)
    lost_updates: int         # landed saves whose version is not in the database
    duplicates: int           # versions stored twice (same writer edit, or same number)
    phantoms: int             # stored versions no writer reported
    final_matches_log: bool   # versions 1..N contiguous, proposal row = its latest version
    seconds: float
    problems: tuple[str, ...] = field(default=(), repr=False)

    @property
    def ok(self) -> bool:
        return (self.other_errors == 0 and self.lost_updates == 0 and self.duplicates == 0
                and self.phantoms == 0 and self.final_matches_log
                and self.landed == self.writers * self.edits)

    @property
    def scenario(self) -> str:
        target = "same proposal" if self.same_proposal else "one proposal each"
        return f"{self.backend}, {self.writers} {self.mode} × {self.edits} edits, {target}"

    def rows(self) -> list[Figure]:
        s, c = self.scenario, "writers"
        return [
            Figure(c, s, "saves landed", f"{self.landed}/{self.writers * self.edits}",
                   self.landed == self.writers * self.edits),
            Figure(c, s, "conflicts (retried)", self.conflicts),
            Figure(c, s, "other errors", self.other_errors, self.other_errors == 0),
            Figure(c, s, "lost updates", self.lost_updates, self.lost_updates == 0),
            Figure(c, s, "duplicates", self.duplicates + self.phantoms,
                   self.duplicates + self.phantoms == 0),
            Figure(c, s, "final state = log", "yes" if self.final_matches_log else "NO",
                   self.final_matches_log),
            Figure(c, s, "seconds", round(self.seconds, 1)),
        ]


@dataclass(frozen=True)
class KillFigures:
    """A writer process killed with SIGKILL at random points while saving versions."""

    kills: int
    saves_before_kills: int     # versions the killed writers reported as saved
    integrity_failures: int     # PRAGMA integrity_check not "ok" after a kill
    torn_writes: int            # versions stored incomplete or inconsistent with the proposal
    lost_committed: int         # reported-saved versions missing after the kill
    app_starts: bool            # the store opens, migrates, reads and saves afterwards
    seconds: float
    problems: tuple[str, ...] = field(default=(), repr=False)

    @property
    def ok(self) -> bool:
        return (self.integrity_failures == 0 and self.torn_writes == 0
                and self.lost_committed == 0 and self.app_starts)

    def rows(self) -> list[Figure]:
        s, c = f"sqlite WAL, {self.kills} SIGKILLs while saving", "kills"
        return [
            Figure(c, s, "versions saved before the kills", self.saves_before_kills),
            Figure(c, s, "integrity_check failures", self.integrity_failures,
                   self.integrity_failures == 0),
            Figure(c, s, "torn writes", self.torn_writes, self.torn_writes == 0),
            Figure(c, s, "committed versions lost", self.lost_committed,
                   self.lost_committed == 0),
            Figure(c, s, "app starts afterwards", "yes" if self.app_starts else "NO",
                   self.app_starts),
            Figure(c, s, "seconds", round(self.seconds, 1)),
        ]


@dataclass(frozen=True)
class SessionFigures:
    """Simultaneous browser sessions against a running app server (websocket clients)."""

    sessions: int
    completed: int            # sessions that went through every step
    errors: int               # exceptions shown, error boxes, timeouts, protocol failures
    mixed_state: int          # a session saw another session's user or drafts
    signed_out_clean: int     # sessions that, after signing out, showed no user data
    runs: int                 # script runs the server finished for all sessions
    seconds: float
    problems: tuple[str, ...] = field(default=(), repr=False)

    @property
    def ok(self) -> bool:
        return (self.completed == self.sessions and self.errors == 0
                and self.mixed_state == 0 and self.signed_out_clean == self.sessions)

    def rows(self) -> list[Figure]:
        s, c = f"{self.sessions} sessions at once (sign in, proposals, sign out)", "sessions"
        return [
            Figure(c, s, "sessions completed", f"{self.completed}/{self.sessions}",
                   self.completed == self.sessions),
            Figure(c, s, "errors", self.errors, self.errors == 0),
            Figure(c, s, "state mixed between sessions", self.mixed_state,
                   self.mixed_state == 0),
            Figure(c, s, "clean after sign-out", f"{self.signed_out_clean}/{self.sessions}",
                   self.signed_out_clean == self.sessions),
            Figure(c, s, "script runs", self.runs),
            Figure(c, s, "seconds", round(self.seconds, 1)),
        ]


@dataclass(frozen=True)
class Check:
    """One family of figures for `marine check`: `run(quick, workdir)` yields figures."""

    name: str
    description: str
    run: Callable[[bool, Path], Iterable[HasFigures]]
    order: int = 100


CHECKS: dict[str, Check] = {}


def register(check: Check) -> Check:
    """Add (or replace) a check; `marine check` runs them by `order`, then name."""
    CHECKS[check.name] = check
    return check


def registered() -> list[Check]:
    return sorted(CHECKS.values(), key=lambda c: (c.order, c.name))
