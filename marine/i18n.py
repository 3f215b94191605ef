"""Every user-facing string of the workspace, in every shipped language.

Catalogues are JSON files `marine/locale/<lang>/*.json` (`messages.json` and one file per
feature, merged; a key in two files is an error) mapping a key to a message (`str.format`
fields in braces). English is the reference: a key missing elsewhere falls back
to English at run time, and `missing_translations()` lists it so a test fails.
"""

from __future__ import annotations

import json
from functools import lru_cache

from marine.config import package_path

LOCALE_DIR = package_path("marine", "locale")
DEFAULT_LANGUAGE = "en"
# The UI languages, each named in itself (the picker shows these). The one declaration of
# them: every other module imports it (tests/test_shared_facts.py fails on a second copy).
LANGUAGES: dict[str, str] = {
    "en": "English",
    "zh": "简体中文",
    "vi": "Tiếng Việt",
    "fil": "Filipino",
    "ms": "Bahasa Melayu",
    "id": "Bahasa Indonesia",
}
# Languages in which the gazetteer carries place names (`name_<lang>` columns).
NAME_LANGUAGES: tuple[str, ...] = tuple(code for code in LANGUAGES if code != "id")
_MISSING = object()


def default_name_order(ui_lang: str) -> tuple[str, ...]:
    """Place names in the reader's own language first (when the gazetteer has it), then the
    rest in `NAME_LANGUAGES` order."""
    first = (ui_lang,) if ui_lang in NAME_LANGUAGES else ()
    return first + tuple(code for code in NAME_LANGUAGES if code not in first)


@lru_cache(maxsize=len(LANGUAGES))
def messages(lang: str) -> dict[str, str]:
    """The catalogue of `lang`: every `*.json` of its folder merged (read once per process)."""
    if lang not in LANGUAGES:
        raise ValueError(f"language '{lang}' is not one of {sorted(LANGUAGES)}")
    folder = LOCALE_DIR / lang
    paths = sorted(folder.glob("*.json"))
    if not paths:
        raise FileNotFoundError(f"no catalogue for '{lang}' in {folder}; add messages.json")
    merged: dict[str, str] = {}
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise ValueError(f"{path} must be a JSON object of strings")
        twice = sorted(set(data) & set(merged))
        if twice:
            raise ValueError(f"{path} repeats keys of another file of {folder}: {twice[:5]}; "
                             "keep each key in one file")
        merged.update(data)
    return merged


def translate(key: str, lang: str = DEFAULT_LANGUAGE, default: object = _MISSING,
              **fields: object) -> str:
    """The message `key` in `lang` (English when untranslated), with `fields` filled in.

    An unknown key raises KeyError unless a `default` is given (used for optional keys such
    as layer titles, which fall back to the catalogue's own title)."""
    text = messages(lang).get(key) or messages(DEFAULT_LANGUAGE).get(key)
    if text is None:
        if default is _MISSING:
            raise KeyError(f"message '{key}' is not in {LOCALE_DIR / DEFAULT_LANGUAGE}; add it")
        text = str(default)
    return text.format(**fields) if fields else text


def missing_translations() -> dict[str, list[str]]:
    """Keys of the English catalogue that another language lacks or leaves empty."""
    reference = messages(DEFAULT_LANGUAGE)
    missing = {}
    for lang in LANGUAGES:
        catalogue = messages(lang)
        gaps = sorted(k for k in reference if not str(catalogue.get(k, "")).strip())
        if gaps:
            missing[lang] = gaps
    return missing


def field_mismatches() -> dict[str, list[str]]:
    """Keys whose `{fields}` differ from English in some language (a crash waiting to happen)."""
    import string

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    reference = messages(DEFAULT_LANGUAGE)
    bad: dict[str, list[str]] = {}
    for lang in LANGUAGES:
        catalogue = messages(lang)
        keys = sorted(k for k, v in reference.items()
                      if k in catalogue and fields(catalogue[k]) != fields(v))
        if keys:
            bad[lang] = keys
    return bad

