"""The wording check explains itself in the language of the text, and template choices have
labels in every UI language (issue 14: explanations were English in every language, choices
showed slugs such as "coral-reef")."""

from __future__ import annotations

import re

import pytest

from marine.i18n import LANGUAGES, translate
from marine.lint_rules import RULES
from marine.neutrality import explanation, lint_text
from marine.templates import TEMPLATES

FAMILIES = sorted({r["id"].split(".")[1] for r in RULES} | {"single-name"})


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_every_rule_family_is_explained_in_every_language(lang):
    for family in FAMILIES:
        text = translate(f"lint.explain.{family}", lang)
        assert text.strip()
        if lang != "en":
            assert text != translate(f"lint.explain.{family}", "en"), (lang, family)


def test_english_explanations_are_the_rules_own_words():
    for rule in RULES:
        assert explanation(rule["id"], "en") == rule["explanation"], rule["id"]


@pytest.mark.parametrize(("lang", "text", "words"), [
    ("zh", "我国的水域", "所有格"),
    ("vi", "vùng biển của chúng ta", "sở hữu"),
    ("en", "our waters", "possessive"),
])
def test_findings_explain_in_the_language_of_the_text(lang, text, words):
    findings = lint_text(text, lang)
    assert findings and words in findings[0].explanation


def test_single_name_advice_is_translated():
    zh = [f for f in lint_text("在南沙群岛开展调查", "zh") if f.rule_id == "any.single-name"]
    assert zh and zh[0].explanation == translate("lint.explain.single-name", "zh")
    assert "南沙群岛" in zh[0].suggestion and "Spratly Islands" in zh[0].suggestion


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_every_template_choice_has_a_label(lang):
    choices = {c for t in TEMPLATES.values() for f in t.fields for c in f.choices}
    assert choices  # the templates do offer choices
    for choice in choices:
        label = translate(f"template.choice.{choice}", lang)
        assert label != choice and not re.fullmatch(r"[a-z0-9-]+", label), (lang, label)
