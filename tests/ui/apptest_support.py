"""Helpers for AppTest: run one page on its own with a recording map adapter."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

TIMEOUT = 60  # geopandas imports and the first layer loads are slow on a shared machine


def page_test(module: str) -> AppTest:
    """An AppTest running `marine.ui.<module>.render()` alone (no router)."""
    script = f"from marine.ui import {module}\n{module}.render()\n"
    return AppTest.from_string(script, default_timeout=TIMEOUT)


def _elements(element):
    yield element
    for child in element._children.values():
        yield from _elements(child)


def map_client(m) -> tuple[dict, dict[str, dict]]:
    """What a map tells its browser side: the client's configuration and every registered
    layer's metadata by id (decoded from the JSON the page gets)."""
    from marine.mapclient import MapClient, RegisterLayer

    config, layers = {}, {}
    for element in _elements(m):
        if isinstance(element, MapClient):
            config = json.loads(element.config_js)
        elif isinstance(element, RegisterLayer):
            meta = json.loads(element.meta_js)
            layers[meta["id"]] = meta
    return config, layers


def shown_controls(m) -> str:
    """The text of the map's legend as first drawn (layers on, with features), its title and
    the disclaimer (short line and full text), as the browser side gets them."""
    config, layers = map_client(m)
    parts = [config["texts"]["legend"]]
    parts += [meta["legend"] for meta in layers.values()
              if meta["on"] and meta["count"] and not meta["parent"]]
    if config.get("disclaimer"):
        parts += [config["disclaimer"]["short"], config["disclaimer"]["full"]]
    return "\n".join(parts)


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "info", "caption", "markdown", "warning", "error",
                                  "subheader", "success") for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)
