"""The map pack built once per session from the fixtures in pack_fixtures.py."""

from __future__ import annotations

import pytest
from pack_fixtures import make_content


@pytest.fixture(scope="session")
def built_pack(tmp_path_factory):
    from marine.mappack.assemble import build_pack, read_pack

    out = tmp_path_factory.mktemp("pack") / "pack.zip"
    calls: list[tuple[float, str]] = []
    result = build_pack(make_content(), out, progress=lambda f, m: calls.append((f, m)))
    return {"result": result, "files": read_pack(out), "progress": calls, "path": out}
