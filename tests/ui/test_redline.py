"""The text redline between versions."""

from __future__ import annotations

from marine.ui.redline import redline, redline_html


def test_redline_marks_words_and_escapes():
    segs = redline("Joint survey of reefs.", "Joint survey of seagrass <b>beds</b>.")
    assert ("removed", "reefs") in segs and ("added", "seagrass <b>beds</b>") in segs
    out = redline_html(segs)
    assert "&lt;b&gt;beds&lt;/b&gt;" in out and "<b>" not in out
    assert redline("联合调查", "联合海洋调查") == [("same", "联合"), ("added", "海洋"),
                                                   ("same", "调查")]
