"""Test doubles (kept out of the installed package).

`RecordingAdapter` stands in for `st_folium` through `marine.ui.mapview.use_adapter`: it records
every map a page shows and answers with prepared results (e.g. drawings), which AppTest cannot
get from the real component.
"""

from __future__ import annotations

import folium


class RecordingAdapter:
    """Records every map shown and answers with prepared results (e.g. drawings)."""

    def __init__(self, result: dict | None = None):
        self.result = result or {}
        self.calls: list[dict] = []

    def __call__(self, m: folium.Map, **kwargs) -> dict:
        self.calls.append({"map": m, **kwargs})
        return dict(self.result)

    @property
    def last_map(self) -> folium.Map:
        if not self.calls:
            raise AssertionError("no map was shown")
        return self.calls[-1]["map"]
