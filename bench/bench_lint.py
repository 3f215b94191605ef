"""Wording-check benchmark: what does checking one paragraph cost, and how much of it is the
check of disputed places named by one name only?

    .venv/bin/python bench/bench_lint.py [--paragraphs 40]

The baseline, run in the same process on the same paragraphs, is the rule-based check alone
(`places=()`: the compiled wording rules, no gazetteer). The ratio says what the gazetteer's
thousand names add on top; the Draft page runs the whole check on every rerun, so it has to
stay within a small multiple of the rules. Every figure is the median over the paragraphs,
the two taking turns (a busy machine slows them alike).
"""

from __future__ import annotations

import argparse
import statistics
import time

from marine.neutrality import default_places, lint_text

PARAGRAPHS = [
    "A joint survey of plankton around the Spratly Islands, open to all parties.",
    "Vessels sampling near Scarborough Shoal report catches to the working group.",
    "Các bên cùng khảo sát rạn san hô ở quần đảo Trường Sa và chia sẻ số liệu.",
    "各方在南海开展海洋科学研究合作，共享黄岩岛附近的监测数据。",
    "Ang mga barko ay magbabahagi ng datos tungkol sa Kalayaan at sa West Philippine Sea.",
    "Kapal penyelidik berkongsi data terumbu karang di Laut China Selatan setiap tahun.",
]


def _ms(text: str, lang: str, places) -> float:
    start = time.perf_counter()
    lint_text(text, lang, places)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=40)
    args = parser.parse_args()
    langs = ["en", "en", "vi", "zh", "fil", "ms"]
    places = default_places()
    for text, lang in zip(PARAGRAPHS, langs, strict=True):  # warm: rules and names compiled
        lint_text(text, lang)
    rules, whole = [], []
    for i in range(args.paragraphs):
        text, lang = PARAGRAPHS[i % len(PARAGRAPHS)], langs[i % len(langs)]
        rules.append(_ms(text, lang, ()))
        whole.append(_ms(text, lang, places))
    base, full = statistics.median(rules), statistics.median(whole)
    print(f"rules only (baseline): {base:.2f} ms per paragraph")
    print(f"whole check with {len(places)} disputed places: {full:.2f} ms per paragraph "
          f"(ratio {full / base:.1f} to the baseline)")


if __name__ == "__main__":
    main()
