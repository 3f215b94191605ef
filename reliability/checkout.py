"""The harness runs from a source checkout, never from the installed package: the app entry
(`app.py`) and the bad-input corpus (`tests/data/bad/`) are found next to this folder."""

from __future__ import annotations

from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent
BAD_CORPUS_DIR = CHECKOUT / "tests" / "data" / "bad"
APP_ENTRY = CHECKOUT / "app.py"
