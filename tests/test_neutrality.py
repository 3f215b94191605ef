"""The wording check on a corpus of loaded and neutral sentences in six languages, neutral
labels, and the without-prejudice text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from marine.gazetteer import Place
from marine.neutrality import DISCLAIMER, LANGUAGES, disclaimer, lint_text, neutral_label
from marine.templates import TEMPLATES

CORPUS = json.loads((Path(__file__).parent / "data" / "analysis" / "lint_corpus.json")
                    .read_text(encoding="utf-8"))


def _ids(text: str, lang: str) -> set[str]:
    return {f.rule_id for f in lint_text(text, lang)}


@pytest.mark.parametrize("case", CORPUS["loaded"], ids=lambda c: f"{c['lang']}:{c['text'][:30]}")
def test_loaded_sentences_are_flagged_by_the_expected_rules(case):
    assert _ids(case["text"], case["lang"]) == set(case["expect"])


@pytest.mark.parametrize("case", CORPUS["neutral"], ids=lambda c: f"{c['lang']}:{c['text'][:30]}")
def test_neutral_sentences_raise_no_finding(case):
    assert lint_text(case["text"], case["lang"]) == []


def test_corpus_covers_every_ui_language_both_ways():
    for group in ("loaded", "neutral"):
        assert {c["lang"] for c in CORPUS[group]} == set(LANGUAGES)


def test_finding_has_span_rule_explanation_and_suggestion():
    text = "A joint survey of our waters near the Spratlys."
    findings = lint_text(text, "en")
    assert [f.rule_id for f in findings] == ["en.possessive", "any.single-name"]
    possessive, name = findings
    assert text[possessive.start:possessive.end] == possessive.text == "our waters"
    assert possessive.severity == "warning" and "belongs" in possessive.explanation
    assert possessive.suggestion == "the waters of the proposed area"
    assert text[name.start:name.end] == "Spratlys" and name.severity == "advice"
    # Every name the gazetteer gives, Malay included (the lint's own copy once lacked it).
    assert name.suggestion == ("Spratly Islands / 南沙群岛 Nansha Qundao / Quần đảo Trường Sa / "
                               "Kalayaan / Kepulauan Spratly")


def test_short_forms_are_one_name_with_their_full_form():
    assert [f.text for f in lint_text("The Spratlys, or Spratly Islands, host reefs.", "en")
            ] == ["Spratlys", "Spratly Islands"]
    assert lint_text("The Spratly Islands (Trường Sa) host reefs.", "en") == []


def test_single_name_suggestion_leads_with_the_texts_language():
    (finding,) = lint_text("在美济礁附近开展珊瑚监测。", "zh")
    assert finding.text == "美济礁"
    assert finding.suggestion.startswith("美济礁 Meiji Jiao / Mischief Reef")


def test_non_territorial_does_not_fire_but_territorial_sea_of_does():
    assert lint_text("A non-territorial, functional arrangement.", "en") == []
    assert _ids("within the territorial sea of Viet Nam", "en") == {"en.zone-of-party"}


def test_iuu_term_of_art_is_not_an_accusation_in_any_language():
    assert lint_text("illegal, unreported and unregulated (IUU) fishing", "en") == []
    assert _ids("illegal fishing by the fleet", "en") == {"en.illegal"}


def test_sea_name_alone_is_advice_and_with_other_names_passes():
    (f,) = lint_text("Drills in the West Philippine Sea.", "en")
    assert f.severity == "advice" and f.suggestion == "West Philippine Sea / South China Sea / 南海"
    assert lint_text("Drills in the South China Sea (West Philippine Sea).", "en") == []


def test_gazetteer_places_replace_the_builtin_list():
    reef = Place(id="fixture-reef", names={"en": "Fixture Reef", "vi": "Đá Thử"},
                 lat=10.0, lon=114.0, disputed=True)
    calm = Place(id="calm-reef", names={"en": "Calm Reef"}, lat=10.0, lon=114.0)
    findings = lint_text("Monitoring at Fixture Reef and Calm Reef.", "en", places=[reef, calm])
    assert [(f.text, f.suggestion) for f in findings] == [("Fixture Reef", "Fixture Reef / Đá Thử")]
    assert lint_text("Monitoring at Fixture Reef (Đá Thử).", "en", places=[reef]) == []


def test_unknown_language_is_rejected():
    with pytest.raises(ValueError, match="language 'xx'"):
        lint_text("text", "xx")


def test_neutral_label_is_reexported_and_orders_names():
    place = Place(id="thitu", names={"en": "Thitu Island", "zh": "中业岛", "zh_pinyin": "Zhongye Dao",
                                     "vi": "Thị Tứ", "fil": "Pag-asa"}, lat=11.05, lon=114.28)
    assert neutral_label(place, ("vi", "fil", "en", "zh")) == (
        "Thị Tứ / Pag-asa / Thitu Island / 中业岛 Zhongye Dao")


def test_disclaimer_in_every_language_and_itself_neutral():
    assert set(DISCLAIMER) == set(LANGUAGES)
    for lang in LANGUAGES:
        assert len(disclaimer(lang)) > 100
        assert lint_text(disclaimer(lang), lang) == [], lang
    with pytest.raises(ValueError):
        disclaimer("xx")


@pytest.mark.slow  # ~70 s: every help text of every template in six languages
def test_template_help_texts_pass_the_wording_check():
    for template in TEMPLATES.values():
        for field in template.fields:
            for lang in LANGUAGES:
                assert lint_text(field.help[lang], lang) == [], (template.id, field.name, lang)
