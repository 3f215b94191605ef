"""Reviewing, pure: a proposal's link, its form as a reader reads it, the redline of two
versions (title, every field, text, geometry in km² and nm²)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape

import pytest
from shapely.geometry import box

from marine.errors import ProposalError
from marine.geo import KM2_PER_NM2
from marine.i18n import LANGUAGES
from marine.review import LinkTarget, field_rows, link_target, proposal_link, versions_redline
from marine.template_data import CHOICE_LABELS
from marine.templates import TEMPLATES
from marine.ui.redline import redline, redline_html


@dataclass
class V:  # a version as the store hands it out (the fields the redline reads)
    title: str
    text: str
    attributes: dict = field(default_factory=dict)
    geometry: object = field(default_factory=lambda: box(114, 9.5, 115, 10.5))


@pytest.mark.parametrize(("base", "expected"), [
    ("https://ws.example", "https://ws.example/proposals?proposal=7&version=2"),
    ("https://ws.example/", "https://ws.example/proposals?proposal=7&version=2"),
    ("http://10.0.0.5:8501/marine/", "http://10.0.0.5:8501/marine/proposals?proposal=7&version=2"),
    ("https://ws.example/proposals?proposal=3", "https://ws.example/proposals?proposal=7&version=2"),
])
def test_link_is_built_from_the_base_url(base, expected):
    assert proposal_link(base, 7, 2) == expected
    assert proposal_link(base, 7).endswith("/proposals?proposal=7")


def test_a_link_reads_back_and_refuses_nonsense():
    assert link_target({"proposal": "7", "version": "2"}) == LinkTarget(7, 2)
    assert link_target({"proposal": ["P-7"]}) == LinkTarget(7, None)
    assert link_target({}) is None
    with pytest.raises(ProposalError, match=r"proposal was 'seven' but must be a number"):
        link_target({"proposal": "seven"})
    with pytest.raises(ProposalError, match="version was '-1'"):
        link_target({"proposal": "7", "version": "-1"})
    with pytest.raises(ValueError, match="must be http"):
        proposal_link("ws.example", 7)
    with pytest.raises(ValueError, match="whole number"):
        proposal_link("https://ws.example", 0)


def test_every_choice_has_a_label_in_every_language():
    for template in TEMPLATES.values():
        for f in template.fields:
            for choice in f.choices:
                labels = CHOICE_LABELS[f.name][choice]
                assert set(labels) == set(LANGUAGES), (f.name, choice)
                assert all(label and label != choice for label in labels.values())


def test_form_reads_as_labels_and_translated_values_never_codes():
    attributes = {"title": "Plankton survey", "summary": "A joint survey.", "participants": "A, B",
                  "without_prejudice": True, "survey_type": "marine-biology", "vessels": 3}
    rows = field_rows("joint-survey", attributes, "vi")
    shown = {r.label: r.value for r in rows}
    assert shown["Loại khảo sát"] == "Sinh học biển"
    assert shown["Điều khoản không phương hại"] == "Có"
    assert shown["Số tàu"] == "3" and shown["Ngày bắt đầu"] == ""
    assert "Tiêu đề" not in shown  # the title is the header
    assert [r.name for r in rows] == [f.name for f in TEMPLATES["joint-survey"].fields][1:]
    assert "marine-biology" not in " ".join(shown.values())


def test_redline_shows_title_field_text_and_area_changes():
    a = V("Plankton survey", "The survey covers our waters.",
          {"survey_type": "oceanography", "summary": "Same."})
    b = V("Plankton and reef survey", "The survey covers the waters.",
          {"survey_type": "geology", "summary": "Same."}, box(114, 9.5, 115.5, 10.5))
    change = versions_redline(a, "joint-survey", b, "joint-survey", "en")
    assert change.title_changed and ("added", "and reef ") in change.title
    assert [(f.label, f.before, f.after) for f in change.fields] == [
        ("Survey type", "Oceanography", "Geology")]
    assert change.unchanged_fields == len(TEMPLATES["joint-survey"].fields) - 2
    assert ("removed", "our") in change.text and ("added", "the") in change.text
    assert change.geometry.added_km2 == pytest.approx(6063.4, abs=0.1)  # 0.5° × 1° at 10°N
    assert change.geometry.added_nm2 == pytest.approx(6063.4 / KM2_PER_NM2, abs=0.1)
    assert change.geometry.removed_km2 == 0


def test_two_proposals_of_different_templates_compare_field_by_field():
    a = V("Survey", "", {"survey_type": "geology"})
    b = V("Habitat", "", {"habitat": "seagrass"})
    change = versions_redline(a, "joint-survey", b, "turtle-seagrass-protection", "zh")
    by_label = {f.label: (f.before, f.after) for f in change.fields}
    assert by_label["调查类型"] == ("地质学", "") and by_label["生境"] == ("", "海草床")


def test_replaced_words_read_as_two_words_and_spaces_are_kept():
    segments = redline("our waters", "the waters")
    assert segments == [("removed", "our"), ("added", "the"), ("same", " waters")]
    html = redline_html(segments)
    words = unescape(re.sub(r"<[^>]+>", "", html)).split()
    assert words == ["our", "the", "waters"]  # not "ourthe"
    new_text = unescape(re.sub(r"<del[^>]*>.*?</del>|</?ins[^>]*>", "", html))
    assert new_text == "the waters"  # the newer version, space for space
    assert "line-through" in html and "underline" in html  # told apart without colour
    assert "shall is" in unescape(re.sub(r"<[^>]+>", "", redline_html(redline("shall", "is"))))
