"""Fixtures for the browser workspace tests: a tiny in-memory catalogue with real positions."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from shapely.geometry import LineString, Point, Polygon

from marine.catalogue import Catalogue, LayerSpec, Style, features_frame
from tests.registry_roles import registry_roles

HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


def _spec(layer_id, theme, status, loader, style=None, **kw):
    return LayerSpec(id=layer_id, title=f"Title of {layer_id}", theme=theme, loader=loader,
                     style=style or Style(), source="test source", status=status, licence="CC0",
                     **{**registry_roles(layer_id), **kw})


def _places():
    # Scarborough Shoal and the Spratly Islands group centre (positions from
    # /work/shared/reference/sources.md, rounded): only used to test search and popups.
    records = [
        {"feature_id": "place-scarborough", "name": "Scarborough Shoal", "place_id": "scarborough",
         "name_en": "Scarborough Shoal", "name_zh": "黄岩岛", "name_vi": "Bãi cạn Scarborough",
         "name_fil": "Bajo de Masinloc", "name_ms": "Beting Scarborough", "disputed": True,
         "source": "test", "status": "scientific", "accuracy": "1 km"},
        {"feature_id": "place-spratly", "name": "Spratly Islands", "place_id": "spratly",
         "name_en": "Spratly Islands", "name_zh": "南沙群岛", "name_vi": "Quần đảo Trường Sa",
         "name_fil": "Kapuluan ng Kalayaan", "name_ms": "Kepulauan Spratly", "disputed": True,
         "source": "test", "status": "scientific", "accuracy": "10 km"},
    ]
    return features_frame(records, [Point(117.75, 15.15), Point(114.5, 10.0)])


def _lines():
    records = [{"feature_id": "line-1", "name": HOSTILE, "source": HOSTILE,
                "status": "official-unilateral", "accuracy": "100 m", "party": "A"},
               {"feature_id": "line-2", "name": "agreed line", "source": "treaty 2000",
                "status": "agreed", "accuracy": "10 m"}]
    return features_frame(records, [LineString([(108, 17), (108.5, 18)]),
                                    LineString([(107, 20), (107.5, 20.5)])])


def _areas():
    records = [{"feature_id": f"box-{i}", "name": "land", "source": "s", "status": "scientific",
                "accuracy": "1 km"} for i in range(60)]
    boxes = [Polygon([(100 + i * 0.2, 5), (100.1 + i * 0.2, 5), (100.1 + i * 0.2, 5.1),
                      (100 + i * 0.2, 5.1)]) for i in range(60)]
    return features_frame(records, boxes)


@pytest.fixture
def tiny_catalogue() -> Catalogue:
    land_style = Style(color="#666", fill_color="#eee", fill_opacity=1.0)
    return Catalogue([
        _spec("land", "base", "scientific", _areas, land_style),
        _spec("land-display", "base", "scientific", _areas, land_style, display_of="land"),
        _spec("baselines", "claims", "official-unilateral", _lines),
        _spec("places", "gazetteer", "scientific", _places, Style(radius=5)),
        _spec("u-shaped-line", "claims", "depicted-approximate",
              lambda: features_frame([], []), empty_reason="no citable positions (test)"),
    ])


# --------------------------------------------------------------------------- the running app
REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("MARINE_TEST_ARTIFACTS", REPO_ROOT / "test-artifacts")) / "ui"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the app exited ({proc.returncode}): {log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the app did not answer {url}/_stcore/health in {seconds} s")


@pytest.fixture(scope="session")
def app_home(tmp_path_factory) -> Path:
    """The served app's MARINE_HOME; its workspace database is `app_database`."""
    return tmp_path_factory.mktemp("app-home")


@pytest.fixture(scope="session")
def app_database(app_home) -> str:
    """The served app's database, seeded with the browser accounts (tests may add to it)."""
    database = f"sqlite:///{app_home / 'workspace.sqlite'}"
    _seed_accounts(database)
    return database


@pytest.fixture(scope="session")
def app_url(vendor_dir, app_home, app_database) -> str:
    """The app started as the README starts it (`./workspace run`), on a free local port, with
    a private MARINE_HOME; stopped (its own process group) after the session."""
    port = _free_port()
    home = app_home
    log = home / "app.log"
    database = app_database
    # Derived layers come from the session's test cache (built once per session).
    env = {**os.environ, "MARINE_HOME": str(home), "MARINE_DATABASE_URL": database}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(REPO_ROOT / "workspace"), "run", "--server.port", str(port),
             "--server.fileWatcherType", "none"],
            cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc, log)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


BROWSER_USERS = (("ana", "member"), ("binh", "facilitator"), ("chen", "member"))


def _seed_accounts(database: str) -> None:
    """The accounts the browser tests sign in with (password: '<name>-password-1234')."""
    from marine.store import SYSTEM, Store

    store = Store.open(database)
    try:
        for name, role in BROWSER_USERS:
            user = store.users.create(SYSTEM, name, name.title(),
                                      password=f"{name}-password-1234")
            store.groups.add_member(SYSTEM, "marine-scientific-research", user.id, role)
    finally:
        store.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


# --------------------------------------------------------------------------- a store
@pytest.fixture
def store(tmp_path):
    """A fresh SQLite workspace: ana and chen are members of the scientific research group,
    binh facilitates it."""
    from marine.store import SYSTEM, Store

    s = Store.open(f"sqlite:///{tmp_path / 'workspace.sqlite'}")
    for name, role in (("ana", "member"), ("binh", "facilitator"), ("chen", "member")):
        user = s.users.create(SYSTEM, name, name.title(), password=f"{name}-password-1234")
        s.groups.add_member(SYSTEM, "marine-scientific-research", user.id, role)
    yield s
    s.close()


@pytest.fixture
def app_env(tiny_catalogue, store, monkeypatch):
    """Pages run against the tiny catalogue and the fresh store, maps recorded."""
    import streamlit as st

    from marine.ui import data
    from marine.ui.mapview import use_adapter
    from tests.doubles import RecordingAdapter

    st.cache_resource.clear()
    st.cache_data.clear()
    monkeypatch.setattr(data, "catalogue", lambda: tiny_catalogue)
    monkeypatch.setattr(data, "store", lambda: store)
    with use_adapter(RecordingAdapter()) as adapter:
        yield adapter
    st.cache_resource.clear()
    st.cache_data.clear()
