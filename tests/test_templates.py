"""Measure templates: every group and field in every UI language, and validation."""

from __future__ import annotations

import datetime as dt

import pytest

from marine.errors import ProposalError
from marine.neutrality import LANGUAGES
from marine.templates import (
    FIELD_PROBLEMS,
    FIELD_TYPES,
    TEMPLATES,
    WORKING_GROUPS,
    FieldError,
    template_for_geometry,
    templates_for,
)

VALID = {"title": "Joint seagrass survey", "summary": "Two teams survey seagrass meadows.",
         "participants": "Institute A, Institute B", "without_prejudice": True}


def test_five_working_groups_each_with_templates():
    # the same slugs as the store's seeded groups (marine/store/groups.py)
    assert set(WORKING_GROUPS) == {"marine-scientific-research", "resources-assessment",
                                   "marine-environmental-protection", "safety-of-navigation",
                                   "legal-matters"}
    for group in WORKING_GROUPS:
        assert templates_for(group), group


def test_named_templates_exist():
    assert {"joint-survey", "data-sharing", "research-station", "joint-stock-assessment",
            "fishing-effort-exchange", "oil-spill-response", "reef-protection",
            "turtle-seagrass-protection", "fisheries-refugium", "search-and-rescue",
            "hydrographic-survey", "navigation-aids", "information-exchange",
            "without-prejudice-arrangement"} == set(TEMPLATES)


@pytest.mark.parametrize("template", TEMPLATES.values(), ids=lambda t: t.id)
def test_every_text_in_every_ui_language(template):
    for lang in LANGUAGES:
        assert template.title[lang].strip()
        assert WORKING_GROUPS[template.group][lang].strip()
        for field in template.fields:
            assert field.label[lang].strip() and field.help[lang].strip(), (field.name, lang)
            assert field.type in FIELD_TYPES
    # translations are not copies of the English (proper nouns aside)
    assert template.title["zh"] != template.title["en"]


def test_every_template_requires_a_without_prejudice_confirmation():
    for template in TEMPLATES.values():
        field = template.field("without_prejudice")
        assert field.required and field.must_be_true


def test_valid_attributes_are_cleaned():
    clean = TEMPLATES["joint-survey"].validate(
        {**VALID, "survey_type": "marine-biology", "vessels": "2",
         "start_date": dt.date(2027, 3, 1), "end_date": "2027-04-30", "title": "  Survey  "},
        geometry_kind="line")
    assert clean["vessels"] == 2 and clean["start_date"] == "2027-03-01"
    assert clean["title"] == "Survey"


@pytest.mark.parametrize(
    ("template_id", "changes", "message"),
    [
        ("joint-survey", {"survey_type": None}, "“Survey type” is required"),
        ("joint-survey", {"survey_type": "fishing"}, "was 'fishing' but must be one of"),
        ("joint-survey", {"survey_type": "geology", "vessels": 80}, "between 0 and 50"),
        ("joint-survey", {"survey_type": "geology", "vessels": "two"}, "a whole number"),
        ("joint-survey", {"survey_type": "geology", "vessels": 2.5}, "a whole number"),
        ("joint-survey", {"survey_type": "geology", "start_date": "1/3/2027"}, "YYYY-MM-DD"),
        ("joint-survey", {"survey_type": "geology", "start_date": "2027-05-01",
                          "end_date": "2027-04-01"}, "“End date” .* is before “Start date”"),
        ("joint-survey", {"survey_type": "geology", "without_prejudice": False},
         "must be confirmed"),
        ("joint-survey", {"survey_type": "geology", "colour": "red"}, "no fields \\['colour'\\]"),
        ("data-sharing", {"data_types": "x" * 1001, "exchange_frequency": "monthly"},
         "1001 characters; the limit is 1000"),
    ],
)
def test_invalid_attributes_name_field_and_value(template_id, changes, message):
    attrs = {k: v for k, v in {**VALID, **changes}.items() if v is not None}
    with pytest.raises(ProposalError, match=message) as info:
        TEMPLATES[template_id].validate(attrs)
    if isinstance(info.value, FieldError):  # a page can say it by the field's label
        assert info.value.problem in FIELD_PROBLEMS
        assert info.value.field.label["en"] in str(info.value)


def test_geometry_kind_must_fit_the_template():
    with pytest.raises(ProposalError, match="takes a geometry of kind \\['points'\\]"):
        TEMPLATES["navigation-aids"].validate({**VALID, "aid_type": "buoy"}, "area")
    assert {t.id for t in template_for_geometry("points")} >= {"navigation-aids",
                                                              "research-station"}


def test_templates_name_the_store_s_seeded_groups_by_the_same_slugs():
    from marine.store.groups import SEED_GROUPS

    assert {slug for slug, _ in SEED_GROUPS} == set(WORKING_GROUPS)
    assert {name for _, name in SEED_GROUPS} == {g["en"] for g in WORKING_GROUPS.values()}
