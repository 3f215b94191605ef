"""The registry says what each layer is for (issue 16): consumers ask the catalogue
(`by_role`, `with_section`, `defaults`) and never write a registry layer id as a literal.

The convention test walks `marine/` and fails on any string literal equal to a registry id
(report tables and sections are named after their section ids, never after layers)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from layers import all_specs
from marine.catalogue import ROLES, SECTIONS, Catalogue
from marine.errors import LayerError

MARINE = Path(__file__).resolve().parents[1] / "marine"


def literal_ids(path: Path, ids: set[str]) -> set[str]:
    """Registry ids written as string literals in `path` (docstrings included: a docstring
    naming a layer is as stale as code naming it)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and node.value in ids}


def test_no_registry_id_is_written_as_a_literal_in_marine():
    ids = {s.id for s in all_specs()}
    found = {str(p.relative_to(MARINE)): literal_ids(p, ids) for p in MARINE.rglob("*.py")}
    found = {k: sorted(v) for k, v in found.items() if v}
    assert found == {}, ("ask the catalogue (by_role / with_section / defaults) instead "
                         f"of naming layers: {found}")


def test_the_check_sees_a_literal(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('LAYER = "places"\nOTHER = "placesx"\n')
    assert literal_ids(module, {"places"}) == {"places"}


def test_every_role_is_played_once_and_sections_are_fed():
    catalogue = Catalogue(all_specs())
    for role in ROLES:
        assert catalogue.by_role(role) is not None, role
    fed = {s.section for s in catalogue}
    assert fed == set(SECTIONS), sorted(set(SECTIONS) - fed)
    assert catalogue.by_role("coast-display").display_of == catalogue.by_role("coast").id


def test_defaults_per_purpose_and_imported_layers_go_in_packs():
    from dataclasses import replace

    catalogue = Catalogue(all_specs())
    assert catalogue.by_role("coast-display") in catalogue.defaults("map")
    assert catalogue.by_role("gazetteer") in catalogue.defaults("draft")
    assert not [s for s in catalogue.defaults("pack") if not s.in_packs]
    template = catalogue.by_role("gazetteer")
    imported = replace(template, id="my-survey", role="", section="", imported=True,
                       in_packs=False, on_by_default=False, draft_context=False)
    extended = catalogue.extended([imported])
    assert imported in extended.defaults("pack") and imported not in extended.defaults("map")
    with pytest.raises(LayerError, match="purpose 'atlas'"):
        catalogue.defaults("atlas")


def test_two_layers_claiming_one_role_are_refused():
    from dataclasses import replace

    catalogue = Catalogue(all_specs())
    twin = replace(catalogue.by_role("gazetteer"), id="places-twin")
    with pytest.raises(LayerError, match="all declare role 'gazetteer'"):
        catalogue.extended([twin]).by_role("gazetteer")
