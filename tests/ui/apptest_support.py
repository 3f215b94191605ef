"""Helpers for AppTest: run one page on its own with a recording map adapter."""

from __future__ import annotations

import json
import re

from streamlit.testing.v1 import AppTest

from marine.webmap import map_html

TIMEOUT = 60  # geopandas imports and the first layer loads are slow on a shared machine


def page_test(module: str) -> AppTest:
    """An AppTest running `marine.ui.<module>.render()` alone (no router)."""
    script = f"from marine.ui import {module}\n{module}.render()\n"
    return AppTest.from_string(script, default_timeout=TIMEOUT)


def shown_controls(m) -> str:
    """The legend and disclaimer HTML of a folium map, decoded from its script."""
    html = map_html(m)
    blobs = re.findall(r'div\.innerHTML = ("(?:[^"\\]|\\.)*");', html)
    return "\n".join(json.loads(b) for b in blobs)


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "info", "caption", "markdown", "warning", "error",
                                  "subheader", "success") for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)
