"""The report presenter: what a person reads of an overlap report, in every UI language.

Reports are real `overlap_report`s over the synthetic fixture catalogue of test_analysis.py
(tests/data/analysis/README.md): land isle-a is 114.0–114.1°E 10.0–10.1°N, the moratorium
covers 105–118°E 12–23°N, the agreed fixture boundary runs along 108°E from 19 to 21°N.
"""

from __future__ import annotations

import re

import pytest
from shapely.geometry import box

from marine.analysis import overlap_report
from marine.feature_labels import feature_rows, measure_fields
from marine.i18n import LANGUAGES
from marine.presenter import format_number, format_share, present_report
from tests.test_analysis import fixture_catalogue

RAW = re.compile(r"_km2|schema_version|bbox|\{\"|\bTrue\b|\bFalse\b|\bNone\b|[a-z]+_[a-z]+")


@pytest.fixture(scope="module")
def catalogue():
    return fixture_catalogue()


def _all_text(shown) -> str:
    parts = [f"{f.label} {f.value}" for f in shown.headline] + list(shown.warnings)
    for s in shown.sections:
        parts += [s.title, *s.sentences]
        if s.table:
            parts += [*s.table.headings, *(c for row in s.table.rows for c in row)]
    return "\n".join(parts + list(shown.not_analysed))


def test_an_area_mostly_on_land_warns_first(catalogue):
    # 114.0–114.12°E 10.0–10.1°N: isle-a (to 114.1°E) is ~83 % of it.
    report = overlap_report(box(114.0, 10.0, 114.12, 10.1), catalogue)
    shown = present_report(report, "en")
    assert shown.warnings[0] == "83% of this area is on land: check the drawing."
    assert not any("envelope(s)" in s for sec in shown.sections for s in sec.sentences)


def test_headline_gives_sizes_in_km_and_nm_and_where_it_is(catalogue):
    report = overlap_report(box(114.2, 10.2, 114.5, 10.5), catalogue)
    facts = present_report(report, "en").facts()
    m = report.measures
    assert facts["Area"] == f"{m.area_km2:,.0f} km² · {m.area_nm2:,.0f} nm²"
    assert facts["Perimeter"] == f"{m.perimeter_km:,.0f} km · {m.perimeter_nm:,.1f} nm"  # < 100: 1 dp
    assert facts["Centre"] == "10°21′00.0″N 114°21′00.0″E"
    # the nearest named point is Itu Aba (10.377N 114.365E), ~1.7 nm from the centre
    assert facts["Where"].startswith("1.") and "Itu Aba" in facts["Where"]
    assert "(place), bearing" in facts["Where"]


def test_boundary_moratorium_protection_and_size_warnings(catalogue):
    crossing = present_report(overlap_report(box(107.5, 19.5, 108.5, 20.5), catalogue), "en",
                              large_km2=1000)
    text = "\n".join(crossing.warnings)
    assert "It crosses an agreed boundary: Fixture Boundary Agreement 2000." in text
    assert "inside a fishing moratorium (Summer fishing moratorium (fixture)), in force " \
           "1 May – 16 August each year." in text
    assert "It is larger than 1,000 km²" in text
    protected = present_report(overlap_report(box(119.7, 8.8, 120.0, 9.1), catalogue), "en")
    assert any("Protected area (fixture)" in w for w in protected.warnings)


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_no_internal_key_or_literal_in_any_language(catalogue, lang):
    report = overlap_report(box(107.5, 9.0, 116.5, 20.5), catalogue)
    report.skipped_layers["joint-areas"] = "Dashes typed from a publication go in data/x.csv"
    report.empty_layers.append("joint-areas")
    text = _all_text(present_report(report.to_dict(), lang))
    assert not RAW.findall(text), RAW.findall(text)
    assert "data/" not in text and "layer_id" not in text
    if lang != "en":  # real translations: the section titles differ from English
        english = present_report(report, "en")
        assert present_report(report, lang).sections[0].title != english.sections[0].title


def test_numbers_are_written_as_the_language_writes_them():
    assert format_number(133945.4, "en") == "133,945"
    assert format_number(133945.46, "vi", 1) == "133.945,5"
    assert format_number(1234.5, "id", 1) == "1.234,5"
    assert format_share(0.8114, "en") == "81%"
    assert format_share(0.0004, "en") == "< 0.1%"
    assert format_share(0.0812, "id") == "8,1%"


def test_feature_rows_are_labelled_and_cite_the_source():
    props = {"feature_id": "x-1", "place_id": "x-1", "name_en": "Itu Aba", "name_zh": "太平岛",
             "name_vi": "Ba Bình", "disputed": True, "source": "Gazetteer (2026)",
             "status": "scientific", "fao_area": "71", "layer": "places"}
    rows = dict(feature_rows(props, "en", layer_title="Places"))
    assert rows["Names"] == "Itu Aba / 太平岛 / Ba Bình"
    assert rows["Disputed"] == "yes" and rows["FAO area"] == "71"
    assert rows["Source"] == "Gazetteer (2026)" and rows["Status"] == "scientific"
    assert not any("_" in k or k in ("feature_id", "layer") for k in rows)
    vi = dict(feature_rows(props, "vi"))
    assert vi["Có tranh chấp"] == "có"


def test_measure_fields_use_template_labels_and_translate_choices():
    from marine.templates import TEMPLATES

    template = next(t for t in TEMPLATES.values()
                    if any(f.name == "survey_type" for f in t.fields))
    rows = dict(measure_fields(template.id, {"survey_type": "marine-biology",
                                             "without_prejudice": True}, "zh"))
    assert "海洋生物学" in rows.values()
    assert "是" in rows.values()
    assert not any("_" in k for k in rows)
