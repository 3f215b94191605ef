"""`marine check`: the registry, the table, and one real check end to end."""

from __future__ import annotations

import sys

import pytest

from marine.cli import main as marine
from marine.commands.check import format_table
from reliability import CHECKS, Check, Figure, KillFigures, register
from reliability.checks import load_checks
from reliability.figures import registered


def test_the_built_in_checks_are_registered_in_order():
    names = [c.name for c in load_checks()]
    assert names.index("writers") < names.index("kills") < names.index("sessions")


def test_another_module_can_add_a_check():
    extra = Check("bad inputs (test)", "tried / rejected / crashes",
                  lambda quick, workdir: [], order=10)
    register(extra)
    try:
        assert registered()[0] is extra
    finally:
        CHECKS.pop(extra.name)


def test_the_table_marks_a_missed_bar():
    figures = KillFigures(kills=3, saves_before_kills=40, integrity_failures=0, torn_writes=1,
                          lost_committed=0, app_starts=True, seconds=1.0).rows()
    table = format_table(figures)
    torn = next(line for line in table.splitlines() if "torn writes" in line)
    assert torn.split()[-2:] == ["1", "FAIL"]
    assert "integrity_check failures" in table and table.count("FAIL") == 1
    assert format_table([Figure("c", "s", "m", 0)]).splitlines()[2].split() == [
        "c", "s", "m", "0", "ok"]


def test_unknown_check_names_are_refused(capsys):
    with pytest.raises(SystemExit, match="unknown check"):
        marine(["check", "--only", "nonsense"])


class _NoHarness:
    """An import system in which the top-level `reliability` package is not installed."""

    def find_spec(self, name, path=None, target=None):
        if name == "reliability":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


def test_without_the_harness_marine_check_says_it_needs_a_checkout(monkeypatch):
    # An installed wheel has no reliability/ package: the command says where the checks are.
    for name in [n for n in sys.modules if n == "reliability" or n.startswith("reliability.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(sys, "meta_path", [_NoHarness(), *sys.meta_path])
    with pytest.raises(SystemExit) as exit_:
        marine(["check", "--quick"])
    assert "source checkout" in str(exit_.value) and "./workspace check" in str(exit_.value)


@pytest.mark.slow
def test_marine_check_quick_kills_end_to_end(capsys, tmp_path):
    assert marine(["check", "--quick", "--only", "kills", "--workdir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "sqlite WAL, 10 SIGKILLs while saving" in out
    assert "torn writes" in out and "FAIL" not in out
    assert "6 figures, 0 failing" in out
