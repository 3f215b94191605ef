"""The file uploader in the reader's language (marine/ui/uploader.py): the style rule that
draws translated words over Streamlit's English ones, and that every uploader goes through it.
The Chromium check of what is drawn is in test_map_browser.py (after a language switch)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from marine.i18n import translate
from marine.ui.uploader import css_string, uploader_css

REPO = Path(__file__).resolve().parents[2]


def test_the_rule_hides_streamlits_words_and_draws_the_translation():
    css = uploader_css("draft_upload", "Tải lên", "Tối đa 20 MB mỗi tệp • GEOJSON")
    assert css.startswith("<style>") and css.endswith("</style>")
    assert css.count("font-size: 0;") == 2
    assert '::after { content: "Tải lên"; font-size: 0.875rem; }' in css
    assert 'content: "Tối đa 20 MB mỗi tệp • GEOJSON"' in css
    assert all(line.startswith(".st-key-draft_upload ") for line in css.splitlines()[1:-1])


@pytest.mark.parametrize("text", ['a"b', "a\\b", "</style><script>x()</script>", "two\nlines"])
def test_a_translation_cannot_end_the_string_or_the_style(text):
    quoted = css_string(text)
    inner = quoted[1:-1]
    assert quoted[0] == quoted[-1] == '"'
    assert not re.search(r'(?<!\\)"', inner.replace("\\\\", ""))  # every quote escaped
    assert "<" not in inner and "\n" not in inner


@pytest.mark.parametrize("lang", ["en", "zh", "vi", "fil", "ms", "id"])
def test_the_words_are_translated_in_every_language(lang):
    button, limits = translate("upload.button", lang), translate("upload.per_file", lang, mb=20)
    assert button and "20" in limits and "{" not in limits
    if lang != "en":
        assert (button, limits) != (translate("upload.button", "en"),
                                    translate("upload.per_file", "en", mb=20))


def test_every_uploader_goes_through_the_translated_one():
    direct = [str(p.relative_to(REPO)) for p in (REPO / "marine").rglob("*.py")
              if "st.file_uploader(" in p.read_text(encoding="utf-8")]
    assert direct == ["marine/ui/uploader.py"], direct
