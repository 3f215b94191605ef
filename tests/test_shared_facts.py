"""One owner per shared fact (STYLE.md habit 12): each fact is declared once and imported
everywhere else; these tests fail when a second copy is written.

- the UI languages: `marine.i18n.LANGUAGES` (and `NAME_LANGUAGES`, the languages of place names);
- the names of places: `data/gazetteer/places.csv` (short forms in `aliases.csv`);
- geometry type → kind (point/line/area): `marine.geo.geometry_kind`;
- who may see a proposal: `marine.store.access.VISIBILITY` (tested in tests/store/).
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest

from marine.i18n import LANGUAGES

REPO = Path(__file__).resolve().parent.parent
LANGUAGE_OWNER = REPO / "marine" / "i18n.py"


def _sources() -> list[Path]:
    return sorted([*(REPO / "marine").rglob("*.py"), *(REPO / "layers").rglob("*.py")])


def _language_code(node: ast.AST) -> str | None:
    """The UI language a string constant names: "vi" or a column of it, "name_vi"."""
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return None
    value = node.value.removeprefix("name_")
    return value if value in LANGUAGES else None


def language_lists(source: str) -> list[tuple[int, list[str]]]:
    """Literal collections in `source` that spell out three or more UI languages.

    A tuple, list or set of codes is a copy of the list of languages. A dict keyed by
    languages is one too when its values are the languages' own names or further collections
    (an order per language); a dict of per-language text (a label, a pattern) is translation
    data, not the list, and is checked against `LANGUAGES` by the tests of its module.
    """
    own_names = set(LANGUAGES.values())
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            elements = node.elts
        elif isinstance(node, ast.Dict):
            values = [v for v in node.values]
            names_or_lists = all(
                isinstance(v, ast.Tuple | ast.List | ast.Set)
                or (isinstance(v, ast.Constant) and v.value in own_names) for v in values)
            elements = [k for k in node.keys if k is not None] if names_or_lists else []
        else:
            continue
        codes = sorted({c for c in map(_language_code, elements) if c})
        if len(codes) >= 3:
            found.append((node.lineno, codes))
    return found


@pytest.mark.parametrize("path", [p for p in _sources() if p != LANGUAGE_OWNER],
                         ids=lambda p: str(p.relative_to(REPO)))
def test_the_ui_languages_are_declared_once(path):
    copies = language_lists(path.read_text(encoding="utf-8"))
    assert not copies, (f"{path.relative_to(REPO)} lists UI languages itself at "
                        f"{copies}: import marine.i18n.LANGUAGES (or NAME_LANGUAGES) instead")


@pytest.mark.parametrize("copy", [
    'LANGS = ("en", "zh", "vi", "fil", "ms", "id")',
    'ORDER = ["zh", "en", "vi"]',
    'COLUMNS = ("name_en", "name_zh", "name_vi", "name_fil", "name_ms")',
    'ALLOWED = {"en", "vi", "ms"}',
    'NAMES = {"en": "English", "vi": "Tiếng Việt", "ms": "Bahasa Melayu"}',
    'ORDERS = {"en": ("en",), "zh": ("zh",), "vi": ("vi",)}',
])
def test_a_second_list_of_languages_is_found(copy):
    assert language_lists(copy)


def test_translations_keyed_by_language_are_not_a_list_of_languages():
    assert language_lists('LABEL = {"en": "Title", "zh": "标题", "vi": "Tiêu đề"}') == []
    assert language_lists('PAIR = ("ms", "id")') == []


# --------------------------------------------------------------------------- place names
def _gazetteer():
    from layers.gazetteer import load_gazetteer, read_alias_records

    return load_gazetteer(), read_alias_records()


def _disputed_names() -> list[tuple[str, str, str]]:
    gazetteer, _ = _gazetteer()
    return [(p.id, lang, name) for p in gazetteer if p.disputed and p.kind != "sea"
            for lang, name in p.all_names()]


@pytest.mark.parametrize(("place_id", "lang", "name"), _disputed_names(),
                         ids=lambda v: str(v))
def test_every_name_of_a_disputed_place_is_known_to_the_lint(place_id, lang, name):
    from marine.neutrality import lint_text

    text_lang = lang if lang in LANGUAGES else "en"
    findings = lint_text(f"A survey near {name}, 2027.", text_lang)
    assert any(f.rule_id == "any.single-name" and f.text == name for f in findings), (
        f"the lint does not see '{name}' ({lang}), a name of disputed place '{place_id}' in "
        "data/gazetteer/places.csv: it must read place names from the gazetteer")


def test_the_malay_name_of_the_spratly_islands_is_known_to_the_lint():
    # The lint's own copy of the names once lacked it: the drift this owner removes.
    from marine.neutrality import lint_text

    (finding,) = lint_text("Tinjauan bersama di Kepulauan Spratly.", "ms")
    assert finding.rule_id == "any.single-name" and "南沙群岛" in finding.suggestion


def test_the_seas_names_come_from_the_gazetteer():
    from marine.neutrality import lint_text

    gazetteer, aliases = _gazetteer()
    national = [r for r in aliases if r["use"].startswith("national:")]
    assert national
    for row in national:
        sea = gazetteer.get(row["place_id"])
        assert sea.kind == "sea", row
        lang = row["lang"] if row["lang"] in LANGUAGES else "en"
        alone = lint_text(f"Drills in the {row['name']}.", lang)
        assert [f.rule_id.rsplit(".", 1)[0] for f in alone] == ["any.sea-name"], row
        with_neutral = lint_text(f"Drills in the {row['name']} ({sea.names['en']}).", lang)
        assert with_neutral == [], row


def test_short_forms_are_not_a_second_copy_of_a_name():
    gazetteer, aliases = _gazetteer()
    # A name in one party's usage ("national:…") may be a gazetteer name: the row says who
    # uses it, which places.csv does not.
    copies = [(r["place_id"], r["name"]) for r in aliases if r["use"] in ("short", "variant")
              and r["name"] in {n for _, n in gazetteer.get(r["place_id"]).all_names()}]
    assert not copies, (f"aliases.csv repeats names of places.csv: {copies}; a name lives in "
                        "places.csv only")


def _readable(constant: str) -> str:
    """A string constant as a reader sees it: regular-expression spaces as spaces."""
    return re.sub(r"\\s[+*?]?|\\ ", " ", constant)


def place_name_literals(source: str, names: frozenset[str]) -> list[tuple[int, str]]:
    """(line, name) for each place name typed as data in `source`: a string constant that is
    a name, or a regular expression or list ("A|B", "A; B") that contains one. Prose (a
    docstring, a sentence mentioning "the South China Sea") is not a copy of the names."""
    tree = ast.parse(source)
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
                  and node.body and isinstance(node.body[0], ast.Expr)}
    found = []
    for node in ast.walk(tree):
        if (not isinstance(node, ast.Constant) or not isinstance(node.value, str)
                or id(node) in docstrings):
            continue
        text = _readable(node.value)
        if text.strip() in names:
            found.append((node.lineno, text.strip()))
        elif re.search(r"[|;]|\\s", node.value):
            found += [(node.lineno, n) for n in names if _mentions(text, n)]
    return sorted(found)


def _mentions(text: str, name: str) -> bool:
    if any("\u4e00" <= ch <= "\u9fff" for ch in name):
        return name in text
    return _word(name).search(text) is not None


@functools.cache
def _word(name: str) -> re.Pattern:
    """`name` as a whole word (compiled once: there are more names than re's own cache holds)."""
    return re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])")


@functools.cache
def _place_names() -> frozenset[str]:
    """The names of disputed places (and their aliases): the facts that drifted when typed twice.
    Other gazetteer names (Taiwan, the Java Sea…) are also parties' or common names."""
    gazetteer, aliases = _gazetteer()
    disputed = [p for p in gazetteer if p.disputed]
    names = {re.sub(r"\s*\([^)]*\)$", "", n) for p in disputed for _, n in p.all_names()}
    ids = {p.id for p in disputed}
    return frozenset(names | {r["name"] for r in aliases if r["place_id"] in ids})


@pytest.mark.parametrize("path", sorted((REPO / "marine").rglob("*.py")),
                         ids=lambda p: str(p.relative_to(REPO)))
def test_no_place_name_is_typed_in_the_code(path):
    found = place_name_literals(path.read_text(encoding="utf-8"), _place_names())
    assert not found, (f"{path.relative_to(REPO)} writes place names of the gazetteer itself "
                       f"(line, name): {found[:8]}; read them from data/gazetteer/ instead")


def test_a_typed_place_name_is_found():
    names = _place_names()
    assert place_name_literals('P = {"name_en": "Spratly Islands", "name_ms": "x"}', names)
    assert place_name_literals(r'SEA = r"West\s+Philippine\s+Sea|Biển\s+Đông"', names)
    assert place_name_literals('NAMES = ("美济礁", "Meiji Jiao")', names)
    assert place_name_literals('OTHER = "Kalayaan Island Group; Kapuluang Kalayaan"', names)
    assert not place_name_literals('"""Surveys near Mischief Reef."""\nX = "the proposed area"',
                                   names)


# --------------------------------------------------------------------------- geometry kinds
GEOMETRY_TYPES = {"Point", "MultiPoint", "LineString", "MultiLineString", "LinearRing",
                  "Polygon", "MultiPolygon"}
KIND_WORDS = {"area", "areas", "line", "lines", "point", "points", "polygon", "polygons"}
KIND_OWNER = REPO / "marine" / "geo.py"


def _constants(node: ast.AST) -> set[str]:
    return {n.value for n in ast.walk(node)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def kind_maps(source: str) -> list[int]:
    """Lines of `source` that map geometry type names to kinds: a dict from type names to
    kind words, or an `if` on type names that yields a kind word."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            values = {v.value for v in node.values if isinstance(v, ast.Constant)}
            if len(keys & GEOMETRY_TYPES) >= 2 and values & KIND_WORDS:
                found.append(node.lineno)
        elif isinstance(node, ast.If | ast.IfExp) and _constants(node.test) & GEOMETRY_TYPES:
            body = node.body if isinstance(node.body, list) else [node.body]
            yielded = {c for stmt in body for c in _constants(stmt)
                       if isinstance(stmt, ast.Return | ast.Assign | ast.expr)}
            if yielded & KIND_WORDS:
                found.append(node.lineno)
    return found


@pytest.mark.parametrize("path", [p for p in _sources() if p != KIND_OWNER],
                         ids=lambda p: str(p.relative_to(REPO)))
def test_geometry_type_to_kind_is_mapped_once(path):
    found = kind_maps(path.read_text(encoding="utf-8"))
    assert not found, (f"{path.relative_to(REPO)} maps geometry types to kinds itself (lines "
                       f"{found}): use marine.geo.geometry_kind / dominant_kind")


@pytest.mark.parametrize("copy", [
    'KINDS = {"Polygon": "area", "MultiPolygon": "area", "LineString": "line"}',
    'def k(g):\n    return {"Polygon": "area", "LineString": "line"}.get(g.geom_type, "points")',
    'def k(types):\n    if types & {"Polygon", "MultiPolygon"}:\n        return "polygon"\n',
    'def k(g):\n    return "line" if g.geom_type in ("LineString", "MultiLineString") else "x"',
])
def test_a_second_map_of_geometry_kinds_is_found(copy):
    assert kind_maps(copy)


def test_geometry_kind_is_the_owner():
    from shapely.geometry import LineString, MultiPoint, Polygon

    from marine.geo import GEOMETRY_KINDS, dominant_kind, geometry_kind

    square = Polygon([(0, 0), (1, 0), (1, 1)])
    assert [geometry_kind(g) for g in (square, LineString([(0, 0), (1, 1)]),
                                       MultiPoint([(0, 0)]))] == list(GEOMETRY_KINDS)
    assert geometry_kind("GeometryCollection") is None
    assert dominant_kind({"Point", "LineString"}) == "line"
    assert dominant_kind({"Point", "MultiPolygon"}) == "area"
    assert dominant_kind(set()) == "line"
