"""The installed package is the product: what the installed code may look at, what the wheel
holds, and the wheel at work from `/` with nothing of the checkout on its path.

The slow tests do what a new user does (README "Installing from a wheel"): `pip wheel --no-deps
.`, `pip install --no-deps --target DIR` that wheel, then run `marine` from `/` with
`PYTHONPATH=DIR` (the dependencies come from this venv) and a temp `MARINE_HOME`.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# Installed package -> its folder in the checkout (pyproject.toml [tool.setuptools.packages]).
INSTALLED = {"marine": REPO / "marine", "layers": REPO / "layers", "marine_data": REPO / "data"}
CHECKOUT_ONLY = {"reliability", "tests", "bench", "scripts"}  # top-level names never imported
# The one import of the harness: `marine check` uses it when present, else says what to do.
ALLOWED_IMPORTS = {("marine/commands/check.py", "reliability")}
CHECKOUT_NAMES = {"REPO_ROOT", "REPO", "CHECKOUT", "__file__"}


# --------------------------------------------------------------------------- convention
def _installed_files() -> list[Path]:
    return sorted(p for folder in INSTALLED.values() for p in folder.rglob("*.py")
                  if "__pycache__" not in p.parts)


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def checkout_references(source: str, relpath: str = "<sample>") -> list[str]:
    """What in `source` would read the checkout instead of the installed package: a path built
    from `__file__` (or a REPO_ROOT-like name), a string naming tests/, or an import of a
    checkout-only package (the harness, tests, bench, scripts)."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in CHECKOUT_NAMES:
            found.append(f"line {node.lineno}: {node.id}")
        elif isinstance(node, ast.Attribute) and node.attr in CHECKOUT_NAMES:
            found.append(f"line {node.lineno}: .{node.attr}")
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
              and id(node) not in docstrings
              and re.search(r"(^|[/\\\s\"'`])tests([/\\]|$)", node.value)):
            found.append(f"line {node.lineno}: string {node.value[:60]!r}")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if node.level == 0 else [])
            for name in names:
                top = name.split(".")[0]
                if top in CHECKOUT_ONLY and (relpath, top) not in ALLOWED_IMPORTS:
                    found.append(f"line {node.lineno}: import {name}")
            found += [f"line {node.lineno}: import {a.name}" for a in node.names
                      if a.name in CHECKOUT_NAMES]
    return sorted(found, key=lambda f: int(f.split()[1].rstrip(":")))


@pytest.mark.parametrize("path", _installed_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_installed_code_never_reads_the_checkout(path):
    relpath = str(path.relative_to(REPO))
    found = checkout_references(path.read_text(encoding="utf-8"), relpath)
    assert not found, (f"{relpath} reaches into the checkout ({'; '.join(found)}): an installed "
                       "wheel has no tests/, reliability/ or repository folder; find shipped "
                       "files with marine.config.package_path() / data_dir() (importlib."
                       "resources) and keep harness code and test doubles outside marine/")


def test_the_checkout_check_finds_what_it_forbids():
    sample = ('"""Docstrings may mention tests/data."""\n'
              "from pathlib import Path\n"
              "import reliability.checks\n"
              "from tests.doubles import RecordingAdapter\n"
              "ROOT = Path(__file__).resolve().parents[1]\n"
              "CORPUS = ROOT / 'tests' / 'data'\n"
              "FIXTURES = 'tests/data/bad'\n"
              "from marine.config import REPO_ROOT\n")
    found = checkout_references(sample)
    assert [f.split(":")[0] for f in found] == [
        "line 3", "line 4", "line 5", "line 6", "line 7", "line 8"], found
    assert checkout_references('"""tests/ in a docstring"""\nx = "contests/"\n') == []
    assert len(_installed_files()) > 50


def test_the_folders_checked_are_the_packages_pyproject_installs():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    assert sorted(p.rstrip("*") for p in include) == sorted(INSTALLED)
    assert (REPO / "marine_data").resolve() == INSTALLED["marine_data"].resolve()


# --------------------------------------------------------------------------- the wheel
def wheel_must_contain() -> set[str]:
    """Every file the product reads, as named inside the wheel: the code of marine/ and
    layers/, the UI catalogues (marine/locale/*/*.json), the migrations, and every file of
    data/ (as marine_data/)."""
    names = set()
    for package, folder in INSTALLED.items():
        for path in folder.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                names.add(f"{package}/{path.relative_to(folder).as_posix()}")
    return names


def test_what_the_wheel_must_contain_names_the_files_the_product_reads():
    must = wheel_must_contain()
    assert {"marine_data/README.md", "marine_data/gazetteer/places.csv",
            "marine_data/claims/features.csv", "marine/locale/zh/messages.json",
            "marine/store/migrations/env.py", "marine/store/migrations/versions/0001_initial.py",
            "marine/ui/main.py", "layers/__init__.py"} <= must
    assert len([n for n in must if n.startswith("marine/locale/")]) >= 6
    assert not [n for n in must if n.startswith(("reliability/", "tests/"))]


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=900, **kwargs)


def _fresh_copy(target: Path) -> Path:
    """The checkout's files as a fresh clone has them (plus uncommitted edits): setuptools
    builds in the source folder and would reuse a stale build/ left by an earlier wheel."""
    listed = _run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                  cwd=REPO)
    if listed.returncode != 0:
        pytest.skip("not a git checkout: build the wheel from a fresh clone instead")
    for name in sorted(set(listed.stdout.split("\0")) - {""}):
        source, copy = REPO / name, target / name
        if source.is_symlink() or source.is_file():
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy, follow_symlinks=False)
    return target


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    source = _fresh_copy(tmp_path_factory.mktemp("clone"))
    done = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), "."],
                cwd=source)
    assert done.returncode == 0, done.stderr[-3000:]
    (path,) = out.glob("marine_workspace-*.whl")
    return path


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("site")
    done = _run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                 str(target), str(wheel)])
    assert done.returncode == 0, done.stderr[-3000:]
    return target


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("marine-home")


def _env(installed: Path, home: Path) -> dict[str, str]:
    """Only the wheel on the path; a fresh MARINE_HOME (and cache); the web assets of the
    checkout's static/, as README tells an installed user to point MARINE_STATIC_DIR."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "MARINE_CACHE_DIR", "MARINE_DATABASE_URL")}
    return {**env, "PYTHONPATH": str(installed), "MARINE_HOME": str(home),
            "MARINE_STATIC_DIR": str(REPO / "static")}


def _marine(installed: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    return _run([sys.executable, "-m", "marine.cli", *args], cwd="/", env=_env(installed, home))


@pytest.mark.slow
def test_the_wheel_holds_every_file_the_product_reads_and_no_harness(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = sorted(wheel_must_contain() - names)
    assert not missing, f"the wheel lacks {missing[:10]}: add them to package-data in pyproject"
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == set(INSTALLED)


@pytest.mark.slow
def test_from_root_the_wheel_is_what_runs_not_the_checkout(installed, home):
    code = "import layers, marine, marine_data; print(marine.__file__, layers.__file__, " \
           "marine_data.__file__)"
    done = _run([sys.executable, "-c", code], cwd="/", env=_env(installed, home))
    assert done.returncode == 0, done.stderr
    files = done.stdout.split()
    assert len(files) == 3 and all(f.startswith(str(installed)) for f in files), files


@pytest.mark.slow
def test_marine_layers_list_from_root_lists_every_layer_with_its_features(installed, home):
    from layers import default_catalogue

    done = _marine(installed, home, "layers", "list")
    assert done.returncode == 0, done.stderr[-3000:]
    counts = {m["id"]: int(m["n"]) for m in re.finditer(
        r"^  (?P<id>[a-z0-9-]+)\s+(?P<n>\d+) features", done.stdout, re.M)}
    specs = list(default_catalogue())
    assert set(counts) == {s.id for s in specs}
    empty = sorted(s.id for s in specs if not s.empty_reason and counts[s.id] == 0)
    assert not empty, f"installed from the wheel, these layers have no features: {empty}"


def _seed_workspace(url: str) -> int:
    import shapely

    from marine.store import SYSTEM, Store
    from tests.mappack.pack_fixtures import sample_report

    store = Store.open(url)
    alice = store.users.create(SYSTEM, "kestrel7", "Alice", password="pw-alice-123456")
    store.groups.add_member(SYSTEM, "marine-scientific-research", alice.id, "member")
    area = shapely.box(112.5, 9.2, 113.3, 9.9)
    proposal = store.proposals.create(
        alice, group="marine-scientific-research", kind="joint-survey",
        title="Reef survey", text="Survey text.", geometry=area,
        attributes={"months": 12}, report=sample_report(area))
    store.close()
    return proposal.id


@pytest.mark.slow
def test_marine_pack_from_root_writes_a_pack(installed, home, tmp_path):
    from marine.mappack.assemble import read_pack

    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    pid = _seed_workspace(url)
    out = tmp_path / "pack.zip"
    done = _marine(installed, home, "pack", "--database-url", url, "--group",
                   "marine-scientific-research", "--proposal", str(pid), "--title", "Workshop",
                   "--date", "2026-11-20", "--quiet", "--out", str(out))
    assert done.returncode == 0, done.stderr[-3000:]
    files = read_pack(out)
    assert files["atlas.pdf"].startswith(b"%PDF")
    assert any(n.endswith(".html") for n in files) and "manifest.json" in files


@pytest.mark.slow
def test_marine_check_from_the_wheel_says_the_checks_need_a_checkout(installed, home):
    done = _marine(installed, home, "check", "--quick")
    assert done.returncode != 0
    assert "source checkout" in done.stderr and "Traceback" not in done.stderr


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path, seconds: float = 120) -> None:
    import time
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"marine serve exited: {log.read_text()[-3000:]}"
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"marine serve did not answer in {seconds} s: {log.read_text()[-3000:]}")


@pytest.mark.slow
def test_marine_serve_from_root_serves_the_app_and_its_web_assets(installed, home, tmp_path,
                                                                   vendor_dir):
    import urllib.request

    from marine.offline_assets import BY_URL
    from reliability.wire import Client

    port, log = _free_port(), tmp_path / "serve.log"
    url = f"http://127.0.0.1:{port}"
    env = {**_env(installed, home), "MARINE_DATABASE_URL": f"sqlite:///{tmp_path / 'ws.sqlite'}"}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "marine.cli", "serve", "--port", str(port), "--",
             "--server.fileWatcherType", "none"],
            cwd="/", env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_healthy(url, proc, log)
        leaflet = BY_URL["https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"]
        with urllib.request.urlopen(url + leaflet.static_url, timeout=10) as r:
            assert r.read() == leaflet.local_path(vendor_dir).read_bytes()
        client = Client(port)
        try:
            run = client.rerun("sign-in")
        finally:
            client.close()
        assert run.problems() == []
        assert run.widget_id("text_input", "signin_username")
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)
    assert "Traceback" not in log.read_text()
