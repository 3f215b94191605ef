"""Shared test set-up: a private MARINE_HOME, CI strictness, Chromium and PostgreSQL fixtures.

- Tests never write into the repo's `var/`: `MARINE_HOME` is a temp folder per session, and the
  derived-layer cache (`MARINE_CACHE_DIR`) is one temp folder shared by the whole session. The
  repo's `var/cache` is *not* reused: its keys are layer id + cache_version, so a loader edited
  without a version bump would let tests pass on stale layers. To reuse a cache between local runs
  on purpose, set `MARINE_TEST_CACHE_DIR`.
- In CI (`CI=true`) a `browser` or `postgres` test that would skip because Chromium, Playwright
  or PostgreSQL is missing fails instead: `./workspace test` installs them, so a skip there means
  the set-up is broken.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
STRICT_MARKERS = ("browser", "postgres")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def unavailable(reason: str):
    """Skip locally; fail in CI, where `./workspace test` should have installed everything."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: `./workspace test` should have installed it)",
                    pytrace=False)
    pytest.skip(reason)


# --------------------------------------------------------------------------- session set-up
_SESSION_HOME = Path(tempfile.mkdtemp(prefix="marine-test-home-"))
_RUN_CACHE = "MARINE_TEST_RUN_CACHE"
# The cheapest argon2 costs: the suite hashes thousands of passwords (the app servers it
# starts inherit these); tests/store/test_store_accounts.py checks the defaults. Set on import,
# not in pytest_configure: the conftest of a folder named on the command line (tests/store)
# is imported before that hook, and the store makes its hasher when it is imported.
os.environ["MARINE_ARGON2_TIME_COST"] = "1"
os.environ["MARINE_ARGON2_MEMORY_KIB"] = "64"


def pytest_configure(config: pytest.Config) -> None:
    # pytest-xdist registers `xdist_group`; without the plugin (-p no:xdist) it is ours to.
    config.addinivalue_line("markers", "xdist_group(name): run in one pytest-xdist worker")
    # Set before any test module imports marine (config reads these lazily, the catalogue once).
    os.environ["MARINE_HOME"] = str(_SESSION_HOME)
    # The web assets ./workspace fetched into the checkout's static/ (not into MARINE_HOME).
    os.environ.setdefault("MARINE_STATIC_DIR", str(REPO_ROOT / "static"))
    os.environ["MARINE_CACHE_DIR"] = os.environ.get("MARINE_TEST_CACHE_DIR") or _run_cache()


def _run_cache() -> str:
    """One derived-layer cache for the whole run: pytest-xdist's workers inherit the folder of
    the process that starts them (which removes it at the end), so a layer built by one worker
    is read by the other (the cache writes each file whole, by rename)."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        os.environ[_RUN_CACHE] = str(_SESSION_HOME / "cache")
    return os.environ.get(_RUN_CACHE) or str(_SESSION_HOME / "cache")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_SESSION_HOME, ignore_errors=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist (`./workspace test` runs two workers), every browser test runs in
    one worker, in file order, against that worker's one app server: the walks build on the
    workspace the earlier walks left (proposal numbers, accounts). The rest is shared out."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    """In CI a skipped browser/postgres test is a failure (whoever raised the skip)."""
    outcome = yield
    report = outcome.get_result()
    if not (report.skipped and in_ci() and not hasattr(report, "wasxfail")):
        return
    strict = [m for m in STRICT_MARKERS if item.get_closest_marker(m)]
    if strict:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = (f"{item.nodeid}: a {'/'.join(strict)} test was skipped in CI "
                           f"({reason}); CI must run it")


# --------------------------------------------------------------------------- web assets
@pytest.fixture(scope="session")
def vendor_dir() -> Path:
    """static/vendor with every web asset of marine.offline_assets (fetched by ./workspace)."""
    from marine.offline_assets import is_complete, missing_files
    from marine.offline_assets import vendor_dir as vendored

    folder = vendored()
    if not is_complete(folder):
        missing = missing_files(folder)
        unavailable(f"web assets not fetched ({len(missing)} files missing, e.g. "
                    f"{missing[:1]}): run `./workspace test`")
    return folder


# --------------------------------------------------------------------------- Chromium
@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not os.access(CHROMIUM, os.X_OK):
        unavailable(f"{CHROMIUM} not installed (Debian package `chromium`)")
    return CHROMIUM


@pytest.fixture(scope="session")
def faketime_path() -> Path:
    """Debian's `faketime` (libfaketime): runs a command under another date."""
    import shutil

    found = shutil.which("faketime")
    if found is None:
        unavailable("Debian's faketime is not installed (`./workspace test` installs it)")
    return Path(found)


@pytest.fixture(scope="session")
def browser(chromium_path):
    """Debian's Chromium driven by Playwright (no browser download)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed: pip install -e '.[test]'")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(chromium_path),
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser context and page per test."""
    context = browser.new_context()
    try:
        yield context.new_page()
    finally:
        context.close()


# --------------------------------------------------------------------------- PostgreSQL
def _pg_bin_dir() -> Path | None:
    root = Path("/usr/lib/postgresql")
    versions = sorted((p for p in root.glob("*/bin") if (p / "initdb").exists()),
                      key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    return versions[-1] if versions else None


@pytest.fixture(scope="session")
def pg_bin_dir() -> Path:
    found = _pg_bin_dir()
    if found is None:
        unavailable("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin "
                    "(Debian package `postgresql`)")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_owner(cmd: list[str]) -> list[str]:
    """initdb refuses root: run the server as the `postgres` system user then."""
    if os.geteuid() != 0:
        return cmd
    if shutil.which("runuser") is None:
        unavailable("running as root without `runuser` to start PostgreSQL as `postgres`")
    return ["runuser", "-u", "postgres", "--", *cmd]


class _Cluster:
    def __init__(self, bin_dir: Path):
        self.bin = bin_dir
        self.dir = Path(tempfile.mkdtemp(prefix="marine-pg-"))
        self.data = self.dir / "data"
        self.port = _free_port()
        self.user = "marine"

    def run(self, *args: str) -> None:
        done = subprocess.run(_as_owner(list(args)), capture_output=True, text=True,
                              check=False, timeout=120)
        if done.returncode != 0:
            log = self.dir / "server.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(args)} failed: {done.stderr.strip()}\n{tail}")

    def start(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self.run(str(self.bin / "initdb"), "-D", str(self.data), "-U", self.user, "-A", "trust",
                 "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        options = (f"-k {self.dir} -p {self.port} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options,
                 "-l", str(self.dir / "server.log"), "-w", "-t", "60", "start")

    def stop(self) -> None:
        try:
            self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str, database: str = "postgres") -> None:
        import psycopg

        dsn = f"host=127.0.0.1 port={self.port} user={self.user} dbname={database}"
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(sql)


def _postgis_available(bin_dir: Path) -> bool:
    share = subprocess.run([str(bin_dir / "pg_config"), "--sharedir"], capture_output=True,
                           text=True, check=False).stdout.strip()
    return bool(share) and (Path(share) / "extension" / "postgis.control").exists()


@pytest.fixture(scope="session")
def _pg_cluster(pg_bin_dir):
    cluster = _Cluster(pg_bin_dir)
    started = time.perf_counter()
    cluster.start()
    try:
        cluster.execute("CREATE DATABASE marine_template")
        cluster.postgis = _postgis_available(pg_bin_dir)
        if cluster.postgis:
            cluster.execute("CREATE EXTENSION IF NOT EXISTS postgis", "marine_template")
        cluster.started_in = time.perf_counter() - started
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def postgres_server(_pg_cluster) -> str:
    """SQLAlchemy URL of a throwaway PostgreSQL on 127.0.0.1 (PostGIS created when the Debian
    package is installed; see `postgis_enabled`). One database for the whole session."""
    _pg_cluster.execute("CREATE DATABASE marine_session TEMPLATE marine_template")
    return _pg_cluster.url("marine_session")


@pytest.fixture(scope="session")
def postgis_enabled(_pg_cluster) -> bool:
    return _pg_cluster.postgis


@pytest.fixture
def postgres_db(_pg_cluster):
    """SQLAlchemy URL of a fresh, empty database for one test (dropped afterwards)."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    _pg_cluster.execute(f"CREATE DATABASE {name} TEMPLATE marine_template")
    yield _pg_cluster.url(name)
    _pg_cluster.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
