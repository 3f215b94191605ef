"""The overlap report as the drafter reads it beside the map, in the UI language: the headline
figures, what to check first, then short sections (the text comes from `marine.presenter`).

The headline is written as wrapping text, not `st.metric`: a metric cuts a long figure
("133,945 k…") in a narrow column, text wraps and stays whole.
"""

from __future__ import annotations

import html

import streamlit as st

from marine.analysis import Report
from marine.presenter import PresentedReport, Section, present_report
from marine.ui import state

HEADLINE_CSS = """<style>
.marine-headline { display: flex; flex-wrap: wrap; gap: 0.3rem 1.2rem; margin: 0 0 0.5rem; }
.marine-headline div { min-width: 0; max-width: 100%; overflow-wrap: anywhere; }
.marine-headline small { display: block; color: #5f6b76; font-size: 0.8rem; }
.marine-headline span { font-size: 1.15rem; font-weight: 600; }
</style>"""


def headline_html(shown: PresentedReport) -> str:
    """The headline facts as HTML (every text escaped): label above, figure below."""
    cells = "".join(
        f'<div class="marine-fact"><small>{html.escape(f.label)}</small>'
        f"<span>{html.escape(f.value)}</span></div>" for f in shown.headline)
    return f'{HEADLINE_CSS}<div class="marine-headline">{cells}</div>'


def show_section(section: Section) -> None:
    st.markdown(f"**{state.md(section.title)}**")
    for sentence in section.sentences:
        st.write(state.md(sentence))
    if section.table is not None and section.table.rows:
        st.dataframe([dict(zip(section.table.headings, row, strict=True))
                      for row in section.table.rows], hide_index=True, width="stretch")


def show_report(report: Report) -> None:
    """Headline, warnings first, then every section and the layers not analysed."""
    t = state.t
    shown = present_report(report, state.lang())
    st.subheader(t("report.title"))
    st.markdown(headline_html(shown), unsafe_allow_html=True)
    for warning in shown.warnings:
        st.warning(state.md(warning))
    for section in shown.sections:
        show_section(section)
    if shown.not_analysed:
        with st.expander(t("present.not_analysed")):
            for line in shown.not_analysed:
                st.caption(state.md(line))
