"""One forkserver for every hardening run that needs separate processes.

The server imports the runners once; each writer is then forked from it in milliseconds and
inherits no open database connection from the parent (fork from a clean process, not from the
caller). Its preload is fixed when it first starts, so every runner asks for the same list.
"""

from __future__ import annotations

import multiprocessing

PRELOAD = ["reliability.writers", "reliability.kills"]


def forkserver_context():
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx
