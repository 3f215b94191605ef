"""The text redline as HTML, pure (no streamlit). The comparison itself (words added and
removed; characters one by one in scripts written without spaces) is `marine.compare.redline`.

Removed text is struck through, added text underlined, each in its own colour (red and blue,
told apart with red-green colour blindness), so the marks survive greyscale print too."""

from __future__ import annotations

from marine.compare import MAX_WORD_TOKENS, redline, tokens

__all__ = ["MAX_WORD_TOKENS", "escape_text", "redline", "redline_html", "tokens"]

# st.markdown(..., unsafe_allow_html=True) still reads Markdown: "![x](http://…)" in a
# proposal became an image fetched from the internet. HTML's and Markdown's syntax characters
# are written as character references, which Markdown leaves alone and the browser shows.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;",
                         **{c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+-.!|~$:"}})


def escape_text(text: str) -> str:
    """Text safe inside Markdown rendered with HTML allowed: no tags, no Markdown."""
    return text.translate(_ESCAPES)


REMOVED_STYLE = "color:#b3261e;text-decoration:line-through"
ADDED_STYLE = "color:#0b57d0;text-decoration:underline;text-decoration-thickness:2px"


def redline_html(segments: list[tuple[str, str]]) -> str:
    """HTML of a redline; every piece of text is escaped (never markup from a proposal).

    Where a removed word meets an added one with no space between them ("our" → "the"), a
    space closes the removed part, so they read as two words ("our the"), not "ourthe"."""
    tags = {"same": ("", ""), "removed": (f'<del style="{REMOVED_STYLE}">', "</del>"),
            "added": (f'<ins style="{ADDED_STYLE}">', "</ins>")}
    parts = []
    for i, (op, text) in enumerate(segments):
        start, end = tags[op]
        following = segments[i + 1] if i + 1 < len(segments) else None
        if (op == "removed" and following and following[0] == "added" and text
                and following[1] and not text[-1].isspace() and not following[1][0].isspace()):
            text += " "
        parts.append(f"{start}{escape_text(text).replace(chr(10), '<br>')}{end}")
    return "".join(parts)
