"""Numbers and dates for the reader's language (Babel), and no English-only grouping left in
the code: a `:,` format spec writes "1,234,567.8" for every language."""

from __future__ import annotations

import ast
import datetime as dt
import re
import string
from pathlib import Path

import pytest

from marine import formatting as fmt
from marine.i18n import LANGUAGES

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "1,234,567.8"), ("vi", "1.234.567,8"), ("id", "1.234.567,8"),
    ("zh", "1,234,567.8"), ("fil", "1,234,567.8"), ("ms", "1,234,567.8"),
])
def test_a_number_is_written_as_its_reader_writes_it(lang, expected):
    assert fmt.number(1234567.8, lang, 1) == expected


def test_digits_round_and_trim():
    assert fmt.number(1234.5678, "en") == "1,235"
    assert fmt.number(1234.5678, "vi", 2) == "1.234,57"
    assert fmt.number(2.5, "en", 3, trim=True) == "2.5"
    assert fmt.number(2.0, "id", 3, trim=True) == "2"
    assert fmt.area_km2(12345.4, "id") == "12.345 km²"
    assert fmt.length_km(1234.56, "en", 1) == "1,234.6 km"
    assert fmt.distance_nm(12.3, "vi", 1) == "12,3 nm"
    with pytest.raises(ValueError, match="digits was -1"):
        fmt.number(1.0, "en", -1)


def test_percent_and_date():
    assert fmt.percent(0.125, "en") == "12.5%"
    assert fmt.percent(0.125, "vi") == "12,5%"
    day = dt.date(2027, 3, 9)
    assert fmt.date(day, "zh") == "2027年3月9日"
    assert fmt.date(day, "vi") == "9 tháng 3, 2027"
    assert fmt.date(day, "id") == "9 Maret 2027"
    assert fmt.date(dt.datetime(2027, 3, 9, 23, 59), "en", "medium") == "Mar 9, 2027"
    moment = dt.datetime(2027, 3, 9, 16, 5, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert fmt.date_time(moment, "en") == "Mar 9, 2027 08:05"
    assert fmt.date_time(moment, "vi") == "9 thg 3, 2027 08:05"
    assert fmt.date_time(dt.datetime(2027, 3, 9, 8, 5), "zh") == "2027年3月9日 08:05"


def test_every_ui_language_has_a_locale():
    assert set(fmt.LOCALES) == set(LANGUAGES)
    with pytest.raises(ValueError, match="language 'xx'"):
        fmt.number(1, "xx")


def test_the_report_writes_figures_for_its_reader():
    from marine.presenter import format_share

    assert format_share(0.04567, "vi") == "4,6%"
    assert format_share(0.04567, "en") == "4.6%"


# --------------------------------------------------------------------------- convention
_GROUPING = re.compile(r"^(?:.?[<>=^])?[+\- ]?z?#?0?\d*,")


def _groups(spec: str) -> bool:
    return bool(_GROUPING.match(spec))


def grouping_specs(source: str) -> list[int]:
    """Lines of `source` that format a number with English grouping: an f-string `{x:,.1f}`,
    a `"{:,}".format` template or `format(x, ",")`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FormattedValue) and isinstance(node.format_spec, ast.JoinedStr):
            spec = "".join(v.value for v in node.format_spec.values
                           if isinstance(v, ast.Constant))
            if _groups(spec):
                found.append(node.lineno)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                fields = list(string.Formatter().parse(node.value))
            except ValueError:
                continue
            if any(name is not None and spec and _groups(spec) for _, name, spec, _ in fields):
                found.append(node.lineno)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id == "format" and len(node.args) == 2
              and isinstance(node.args[1], ast.Constant) and _groups(str(node.args[1].value))):
            found.append(node.lineno)
    return sorted(set(found))


@pytest.mark.parametrize("path", sorted([*(REPO / "marine").rglob("*.py"),
                                         *(REPO / "layers").rglob("*.py")]),
                         ids=lambda p: str(p.relative_to(REPO)))
def test_no_english_grouping_is_written_in_the_code(path):
    found = grouping_specs(path.read_text(encoding="utf-8"))
    assert not found, (f"{path.relative_to(REPO)} groups digits the English way (lines {found}): "
                       "use marine.formatting.number(x, lang, digits)")


@pytest.mark.parametrize("copy", ['f"{x:,.0f} km²"', 'f"{n:,}"', '"{:,.1f}".format(x)',
                                  'format(x, ",")', 'f"{x:>12,.2f}"'])
def test_english_grouping_is_found(copy):
    assert grouping_specs(copy)


@pytest.mark.parametrize("fine", ['f"{x:.1f}"', 'f"{xy[:, 0]}"', '"a, b: {name}"',
                                  'f"{x:%Y-%m-%d}"', 'f"{share:.1%}"'])
def test_other_format_specs_are_not_grouping(fine):
    assert grouping_specs(fine) == []
