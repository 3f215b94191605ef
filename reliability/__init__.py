"""Hardening runs: concurrent writers, killed writers, simultaneous app sessions (and, added
by other modules, hostile inputs), each returning a small figures dataclass.

    from reliability import run_writers, run_kills, run_sessions, CHECKS
    run_writers("sqlite:////tmp/w.sqlite", writers=8, edits=100).lost_updates   # 0

`marine check` runs every entry of the registry (`CHECKS`) and prints one table; another
module adds its own with `register(Check(...))`. The runners open their own databases and
servers; nothing here imports streamlit.
"""

from __future__ import annotations

from reliability.figures import (
    CHECKS,
    Check,
    Figure,
    KillFigures,
    SessionFigures,
    WriterFigures,
    register,
)
from reliability.kills import run_kills
from reliability.sessions import run_sessions
from reliability.writers import run_writers

__all__ = [
    "CHECKS",
    "Check",
    "Figure",
    "KillFigures",
    "SessionFigures",
    "WriterFigures",
    "register",
    "run_kills",
    "run_sessions",
    "run_writers",
]
