"""Every UI string in every shipped language; every key the UI uses exists."""

from __future__ import annotations

import pytest

from marine.i18n import (
    LANGUAGES,
    field_mismatches,
    messages,
    missing_translations,
    translate,
)


def test_every_language_translates_every_english_string():
    assert missing_translations() == {}


def test_format_fields_match_english_in_every_language():
    assert field_mismatches() == {}


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_catalogue_loads_and_is_not_a_copy_of_english(lang):
    catalogue = messages(lang)
    assert catalogue
    if lang != "en":
        same = [k for k, v in catalogue.items() if v == messages("en")[k] and len(v) > 12]
        assert len(same) < len(catalogue) * 0.05, same[:10]


def test_themes_statuses_and_agreed_layers_are_translated():
    from marine.catalogue import STATUSES, THEMES

    english = messages("en")
    for theme in THEMES:
        assert f"theme.{theme}" in english
    for status in STATUSES:
        assert f"status.{status}" in english and f"status.{status}.meaning" in english


def test_store_statuses_stances_and_draft_choices_are_translated():
    from marine.store import PROPOSAL_STATUSES, STANCES

    english = messages("en")
    keys = [*(f"pstatus.{s}" for s in PROPOSAL_STATUSES), *(f"stance.{s}" for s in STANCES),
            *(f"draft.kind.{k}" for k in ("area", "line", "points")),
            *(f"draft.source.{k}" for k in ("drawn", "upload", "typed")),
            *(f"report.relation.{k}" for k in ("crosses", "overlaps", "contains-points")),
            "proposals.added", "proposals.removed"]
    assert [k for k in keys if k not in english] == []


def test_every_layer_of_the_catalogue_has_a_translated_title():
    from layers import all_specs

    english = messages("en")
    assert [s.id for s in all_specs() if f"layer.{s.id}" not in english] == []


def test_unknown_key_and_language_name_the_remedy():
    with pytest.raises(KeyError, match="no.such.key"):
        translate("no.such.key", "vi")
    assert translate("no.such.key", "vi", default="fallback") == "fallback"
    with pytest.raises(ValueError, match="klingon"):
        translate("auth.signed_in_as", "klingon", name="A")
    assert translate("auth.signed_in_as", "zh", name="A") == "已登录：A"
