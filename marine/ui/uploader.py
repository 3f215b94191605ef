"""Streamlit's file uploader in the reader's language.

Streamlit writes the uploader's button ("Upload") and its line of limits ("20MB per file •
GEOJSON, …") in English and has no option to change them. A style rule scoped to the
uploader's key hides those words and draws the translated ones in their place; the file
types stay as Streamlit lists them (they are format names).
"""

from __future__ import annotations

import streamlit as st

from marine.ui import state

_ZONE = '.st-key-{key} [data-testid="stFileUploaderDropzone"]'
_BUTTON = f'{_ZONE} [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p'
_LIMITS = f'{_ZONE} [data-testid="stFileUploaderDropzoneInstructions"] span'
_SIZE = "0.875rem"  # Streamlit's own size for both lines


def css_string(text: str) -> str:
    """`text` as a quoted CSS string: quotes, backslashes, line ends and `<` escaped (a
    translation can neither end the string nor the <style> element)."""
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ")
               .replace("<", "\\3C "))
    return f'"{escaped}"'


def uploader_css(key: str, button: str, limits: str) -> str:
    """The style rule that shows `button` and `limits` in the uploader with `key`."""
    rules = []
    for selector, text in ((_BUTTON, button), (_LIMITS, limits)):
        target = selector.format(key=key)
        rules.append(f"{target} {{ font-size: 0; }}")
        rules.append(f"{target}::after {{ content: {css_string(text)}; font-size: {_SIZE}; }}")
    return "<style>\n" + "\n".join(rules) + "\n</style>"


def file_uploader(label: str, types: list[str], *, key: str, help: str | None = None):
    """`st.file_uploader` whose button and limits line speak the reader's language."""
    from marine.uploads import MAX_UPLOAD_BYTES

    limits = state.t("upload.per_file", mb=MAX_UPLOAD_BYTES // 2**20)
    listed = ", ".join(t.upper() for t in types)
    st.html(uploader_css(key, state.t("upload.button"), f"{limits} • {listed}"))
    return st.file_uploader(label, type=types, key=key, help=help)
