"""Every message key the code looks up exists, however it is looked up.

The translators are found, not listed: `translate` itself and every function of the product
that passes its first parameter on to a translator as the key (`state.t`, `state.tm`, and any
wrapper a page adds). Each call of one of them is then checked: a literal key must exist in
the English catalogue; an f-string key must have its literal prefix among the keys."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from marine.i18n import messages

REPO = Path(__file__).resolve().parents[2]
SOURCES = sorted([REPO / "app.py", *(REPO / "marine").rglob("*.py"),
                  *(REPO / "layers").rglob("*.py")])


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _forwards_first_parameter(fn: ast.FunctionDef, translators: set[str]) -> bool:
    params = [a.arg for a in fn.args.args if a.arg not in {"self", "cls"}]
    if not params:
        return False
    first = params[0]
    return any(isinstance(node, ast.Call) and _called_name(node) in translators and node.args
               and isinstance(node.args[0], ast.Name) and node.args[0].id == first
               for node in ast.walk(fn))


def find_translators(trees: dict[Path, ast.Module]) -> set[str]:
    """`translate` and every function forwarding its first parameter to a translator as key."""
    translators = {"translate"}
    while True:
        found = {fn.name for tree in trees.values() for fn in ast.walk(tree)
                 if isinstance(fn, ast.FunctionDef) and fn.name not in translators
                 and _forwards_first_parameter(fn, translators)}
        if not found:
            return translators
        translators |= found


def key_lookups(trees: dict[Path, ast.Module], translators: set[str]):
    """(where, key or f-string prefix + '{', is_prefix) for every call with a written key."""
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _called_name(node) in translators
                    and node.args):
                continue
            arg, where = node.args[0], f"{path.relative_to(REPO)}:{node.lineno}"
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                yield where, arg.value, False
            elif isinstance(arg, ast.JoinedStr) and arg.values and isinstance(
                    arg.values[0], ast.Constant):
                yield where, arg.values[0].value, True


@pytest.fixture(scope="module")
def trees() -> dict[Path, ast.Module]:
    return {p: ast.parse(p.read_text(encoding="utf-8"), str(p)) for p in SOURCES}


def test_the_translators_are_found(trees):
    translators = find_translators(trees)
    assert {"translate", "t", "tm"} <= translators


def test_every_key_looked_up_exists_in_english(trees):
    english = messages("en")
    lookups = list(key_lookups(trees, find_translators(trees)))
    assert len(lookups) > 100  # the scan really reaches the pages' calls
    missing = [f"{where}: {key}" for where, key, prefix in lookups
               if (not any(k.startswith(key) for k in english) if prefix else key not in english)]
    assert missing == []


def test_a_wrapper_of_a_wrapper_is_found_and_its_missing_key_reported():
    source = ("def translate(key, lang='en'): ...\n"
              "def tm(key, **f):\n    return translate(key, 'en', **f)\n"
              "def warn(key):\n    st.warning(tm(key))\n"
              "warn('no.such.key.anywhere')\ntm(f'layer.{x}')\n")
    fake = {REPO / "fake.py": ast.parse(source)}
    translators = find_translators(fake)
    assert translators == {"translate", "tm", "warn"}
    found = [(key, prefix) for _, key, prefix in key_lookups(fake, translators)]
    assert ("no.such.key.anywhere", False) in found and ("layer.", True) in found
