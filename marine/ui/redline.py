"""Text redline between two versions, pure (no streamlit): words added and removed, with
characters compared one by one in scripts written without spaces (Chinese)."""

from __future__ import annotations

import difflib
import re

_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|\w+|\s+|[^\w\s]", re.UNICODE)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


# Word-by-word comparison costs up to (tokens)²: beyond this many tokens, texts are first
# compared line by line and only changed blocks this small are compared word by word (a
# 1 MB text otherwise kept the Proposals page busy for minutes).
MAX_WORD_TOKENS = 5000


def redline(before: str, after: str) -> list[tuple[str, str]]:
    """[(op, text)] with op "same", "removed" or "added", in reading order."""
    if len(tokens(before)) + len(tokens(after)) <= MAX_WORD_TOKENS:
        return _word_redline(before, after)
    a, b = (before or "").splitlines(keepends=True), (after or "").splitlines(keepends=True)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b).get_opcodes():
        old, new = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            out.append(("same", old))
        elif len(tokens(old)) + len(tokens(new)) <= MAX_WORD_TOKENS:
            out += _word_redline(old, new)
        else:  # a long changed block is shown whole: removed, then added
            out += [(kind, text) for kind, text in (("removed", old), ("added", new)) if text]
    return out


def _word_redline(before: str, after: str) -> list[tuple[str, str]]:
    a, b = tokens(before), tokens(after)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("same", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(("removed", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(("added", "".join(b[j1:j2])))
    return out


# st.markdown(..., unsafe_allow_html=True) still reads Markdown: "![x](http://…)" in a
# proposal became an image fetched from the internet. HTML's and Markdown's syntax characters
# are written as character references, which Markdown leaves alone and the browser shows.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;",
                         **{c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+-.!|~$:"}})


def escape_text(text: str) -> str:
    """Text safe inside Markdown rendered with HTML allowed: no tags, no Markdown."""
    return text.translate(_ESCAPES)


def redline_html(segments: list[tuple[str, str]]) -> str:
    """HTML of a redline; every piece of text is escaped (never markup from a proposal)."""
    tags = {"same": ("", ""), "removed": ('<del style="color:#b3261e">', "</del>"),
            "added": ('<ins style="color:#146c2e">', "</ins>")}
    parts = []
    for op, text in segments:
        start, end = tags[op]
        parts.append(f"{start}{escape_text(text).replace(chr(10), '<br>')}{end}")
    return "".join(parts)
