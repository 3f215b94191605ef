"""House rules that a reviewer would otherwise have to remember (see shared STYLE.md)."""

from __future__ import annotations

import ast
import importlib
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
UI_PACKAGES = {"streamlit", "streamlit_folium"}


def _python_files(folder: Path, exclude: Path | None = None) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py")
                  if exclude is None or exclude not in p.parents)


def _imported_top_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


CORE_FILES = (_python_files(REPO / "marine", exclude=REPO / "marine" / "ui")
              + _python_files(REPO / "layers"))


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_core_does_not_import_streamlit(path):
    found = _imported_top_names(path) & UI_PACKAGES
    assert not found, (f"{path.relative_to(REPO)} imports {sorted(found)}: only app.py and "
                       "marine/ui/ may import streamlit; move the widget code to marine/ui/")


def test_the_import_check_sees_imports():
    # The check above must not pass vacuously: it parses real files and finds real imports.
    assert len(CORE_FILES) >= 10
    assert "shapely" in _imported_top_names(REPO / "marine" / "geo.py")


def test_ui_imports_are_detected(tmp_path):
    sample = tmp_path / "page.py"
    sample.write_text("def f():\n    import streamlit as st\n    from streamlit_folium import "
                      "st_folium\n")
    assert _imported_top_names(sample) == {"streamlit", "streamlit_folium"}


def _data_files() -> list[Path]:
    data = REPO / "data"
    return sorted(p for p in data.rglob("*") if p.is_file()
                  and p.name not in ("README.md", "__init__.py")  # the package marine_data
                  and "__pycache__" not in p.parts and not p.name.startswith("."))


def test_every_data_file_is_listed_in_data_readme():
    readme = (REPO / "data" / "README.md").read_text(encoding="utf-8")
    unlisted = [str(p.relative_to(REPO)) for p in _data_files()
                if str(p.relative_to(REPO / "data")) not in readme]
    assert not unlisted, (f"data files not listed in data/README.md: {unlisted}; add a row "
                          "with the file's path (relative to data/), source, licence and date")


def _tracked_files() -> list[str]:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    out = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True,
                         check=True).stdout
    return out.splitlines()


def test_no_vendored_web_assets_are_committed():
    from marine.offline_assets import ASSETS

    vendored_names = {Path(a.path).name for a in ASSETS}
    tracked = _tracked_files()
    offending = [f for f in tracked if f.startswith("static/vendor/")
                 or (f.endswith((".js", ".css")) and Path(f).name in vendored_names)]
    assert not offending, (f"vendored JS/CSS is tracked in git: {offending}; "
                           "`git rm --cached` them: ./workspace fetches them from npm")
    ignore = (REPO / ".gitignore").read_text()
    assert "/static/" in ignore.split()  # the whole folder: ./workspace fills it at set-up


def test_every_layer_module_is_registered():
    import layers

    modules = sorted(p.stem for p in (REPO / "layers").glob("*.py")
                     if not p.stem.startswith("_"))
    registered = {family.__name__.split(".")[-1] for family in layers.FAMILIES}
    unregistered = [m for m in modules if m not in registered]
    assert not unregistered, (f"layers/{unregistered[0]}.py is not in layers.FAMILIES: add it "
                              "to the explicit registry in layers/__init__.py")
    for name in modules:
        module = importlib.import_module(f"layers.{name}")
        assert isinstance(module.LAYERS, list), f"layers/{name}.py must define LAYERS = [...]"
