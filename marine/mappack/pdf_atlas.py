"""The printable atlas (fpdf2), written as a meeting briefing in the pack's language:

cover → one summary page (overview map, every proposal with its link, group, status, area and
position counts) → per proposal: its map first, a key-facts box, the measure's text and
fields, what the report says (headline and warnings), positions, comments → annex A: each
report in full (sentences and compact tables from `marine.presenter`) → annex B: the sources
as one table whose columns are sized to their content, with the layers that have no data and
why. A context-only pack (a group without proposals) has cover, overview, one map per theme
and the sources. Every page carries the without-prejudice disclaimer in its footer.

Text is printed literally (no markdown, no HTML), so hostile titles or comments appear as
typed. Noto Sans carries Latin with Vietnamese diacritics; Noto Sans CJK SC is the per-glyph
fallback for Chinese; DejaVu Sans for remaining symbols.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from marine.i18n import translate
from marine.mappack.content import MeetingInfo, ProposalSnapshot, nfc, without_prejudice
from marine.mappack.fonts import find_fonts
from marine.presenter import PresentedReport

BODY = "NotoSans"
FALLBACKS = ("NotoCJK", "DejaVu")
CELL_LIMIT = 400  # longer cells are cut in print; the CSV files keep them whole
HEADINGS = FontFace(emphasis="BOLD", fill_color=(232, 236, 240))
FACTS_FILL = (240, 244, 248)
WARNING_FILL = (253, 243, 224)
ANNEX_ROWS = 8  # rows of a report table in print; the CSV files have them all
PROPOSAL_MAP_MM = 104.0  # leaves the key facts and the start of the text on the first page


@dataclass(frozen=True)
class ProposalPage:
    """What the atlas shows for one proposal (the assembler prepares every text)."""

    proposal: ProposalSnapshot
    map_png: bytes
    link: str
    facts: Sequence[tuple[str, str]]  # key facts (label, value)
    fields: Sequence[tuple[str, str]]  # the measure's fields, labelled and translated
    positions: Sequence[tuple[str, str]]  # stance in words, count
    report: PresentedReport | None
    summary: Sequence[str] = ()  # the summary page's row: link, title, group, status, area,
    # positions


@dataclass(frozen=True)
class LayerRow:
    title: str
    status: str
    source: str
    accuracy: str
    licence: str
    features: int
    note: str = ""  # why a layer has no data (written for users)


@dataclass(frozen=True)
class AtlasInput:
    meeting: MeetingInfo
    pages: Sequence[ProposalPage]
    overview_png: bytes
    layers: Sequence[LayerRow]
    disclaimers: Mapping[str, str]
    page_size: str
    generated_at: str
    lang: str = "en"
    theme_maps: Sequence[tuple[str, bytes]] = field(default_factory=tuple)  # context packs


def _t(key: str, lang: str, **fields: object) -> str:
    return translate(f"atlas.{key}", lang, **fields)


class Atlas(FPDF):
    def __init__(self, page_size: str, footer_text: str, running_title: str, lang: str):
        super().__init__(orientation="portrait", unit="mm", format=page_size)
        self.footer_text = footer_text
        self.running_title = running_title
        self.lang = lang
        self._footer_lines: list[str] | None = None
        self.set_margins(15, 14, 15)
        self.set_auto_page_break(True, margin=24)
        self._register_fonts()

    def _register_fonts(self) -> None:
        fonts = find_fonts()
        self.add_font(BODY, "", fonts.latin.path)
        self.add_font(BODY, "B", fonts.latin_bold.path)
        self.add_font("NotoCJK", "", fonts.cjk.path,
                      collection_font_number=fonts.cjk.collection_index)
        self.add_font("DejaVu", "", fonts.symbols.path)
        # Fallbacks match any style (exact_match=False): bold Chinese in a heading is drawn
        # with the regular CJK face; parsing the 20 MB bold collection too costs ~0.5 s.
        self.set_fallback_fonts(list(FALLBACKS), exact_match=False)
        self.set_font(BODY, size=10)

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(BODY, size=7)
        self.set_text_color(90)
        self.cell(0, 4, self.running_title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0)
        self.ln(1.5)

    def footer(self) -> None:
        self.set_y(-21)
        self.set_font(BODY, size=6.5)
        self.set_text_color(60)
        if self._footer_lines is None:  # wrap once: every page has the same disclaimer
            self._footer_lines = self.multi_cell(0, 3, self.footer_text, dry_run=True,
                                                 output="LINES")
        for line in self._footer_lines:
            self.cell(0, 3, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.cell(0, 3, _t("page", self.lang, number=self.page_no()), align="R")
        self.set_text_color(0)

    # ----------------------------------------------------------------- building blocks
    def heading(self, text: str, level: int = 0, outline: bool = True) -> None:
        if outline and level <= 1:
            self.start_section(nfc(text)[:120], level=level)
        self.set_font(BODY, "B", size=(14, 11.5, 10)[min(level, 2)])
        self.multi_cell(0, 6.2 if level == 0 else 5.2, nfc(text), align="L",
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(BODY, size=9.5)
        self.ln(0.8)

    def paragraph(self, text: str, size: float = 9.5, fill=None) -> None:
        self.set_font(BODY, size=size)
        if fill:
            self.set_fill_color(*fill)
        self.multi_cell(0, size * 0.46, nfc(text) or "—", align="L", new_x=XPos.LMARGIN,
                        new_y=YPos.NEXT, fill=bool(fill), padding=(0.8, 1.5) if fill else 0)
        if fill:
            self.set_fill_color(255)  # tables fill with the current colour: leave it white
        self.ln(1.2)

    def table_of(self, headings: Sequence[str], rows: Sequence[Sequence[str]],
                 size: float = 7.5, widths: Sequence[float] | None = None,
                 links: Sequence[str] = ()) -> None:
        """A compact table; `links` make the first cell of each row a link."""
        if not rows:
            return
        self.set_font(BODY, size=size)
        widths = widths or content_widths(self, headings, rows)
        with self.table(text_align="LEFT", line_height=size * 0.48, first_row_as_headings=True,
                        headings_style=HEADINGS, borders_layout="SINGLE_TOP_LINE",
                        col_widths=tuple(widths), width=self.epw) as pdf_table:
            pdf_table.row([nfc(h) for h in headings])
            for i, row in enumerate(rows):
                r = pdf_table.row()
                for j, cell in enumerate(row):
                    link = links[i] if j == 0 and i < len(links) else None
                    r.cell(_clipped(nfc(cell)), link=link)
        self.ln(1.5)

    def facts_box(self, facts: Sequence[tuple[str, str]], size: float = 8.5,
                  wide_from: int = 40) -> None:
        """Label/value pairs on a tinted box, two pairs a row; a long value (a place with all
        its names, a link) takes a row of its own."""
        if not facts:
            return
        self.set_font(BODY, size=size)
        short = [f for f in facts if len(nfc(f[1])) < wide_from]
        wide = [f for f in facts if len(nfc(f[1])) >= wide_from]
        bold = FontFace(emphasis="BOLD")
        with self.table(text_align="LEFT", line_height=size * 0.47, first_row_as_headings=False,
                        borders_layout="NONE", cell_fill_color=FACTS_FILL,
                        cell_fill_mode="ALL", col_widths=(27, 63, 27, 63),
                        width=self.epw, padding=(0.5, 1.2)) as box:
            for i in range(0, len(short), 2):
                r = box.row()
                for label, value in short[i:i + 2]:
                    r.cell(nfc(label), style=bold)
                    r.cell(_clipped(nfc(value)))
                if len(short[i:i + 2]) == 1:
                    r.cell("", colspan=2)
            for label, value in wide:
                r = box.row()
                r.cell(nfc(label), style=bold)
                r.cell(_clipped(nfc(value)), colspan=3,
                       link=value if value.startswith("http") else None)
        self.ln(1.5)

    def map_image(self, png: bytes, height_mm: float) -> None:
        if self.will_page_break(height_mm):
            self.add_page()
        self.image(io.BytesIO(png), x=self.l_margin, w=self.epw, h=height_mm,
                   keep_aspect_ratio=True)
        self.set_y(self.get_y() + 1)


def content_widths(pdf: FPDF, headings: Sequence[str], rows: Sequence[Sequence[str]],
                   floor_mm: float = 10.0) -> list[float]:
    """Column widths from what the columns hold: every column at least as wide as its longest
    word (nothing is cut mid-word), the room left shared by how much more each column's
    longest line needs, so a long source column wraps and a short one stays on one line."""
    n = len(headings)
    natural, least = [], []
    for i in range(n):
        cells = [nfc(headings[i]), *(nfc(r[i])[:CELL_LIMIT] for r in rows)]
        lines = [line for c in cells for line in c.split("\n")]
        words = [w for line in lines for w in line.split()] or [""]
        natural.append(max(pdf.get_string_width(line) for line in lines) + 3)
        least.append(max(floor_mm, min(max(pdf.get_string_width(w) for w in words) + 3,
                                       pdf.epw / 3)))
    if sum(natural) <= pdf.epw:
        return [w * pdf.epw / sum(natural) for w in natural]
    widths = list(least)
    spare = pdf.epw - sum(widths)
    if spare <= 0:
        return [w * pdf.epw / sum(widths) for w in widths]
    need = [max(0.0, nat - w) for nat, w in zip(natural, widths, strict=True)]
    total = sum(need) or 1.0
    return [w + spare * k / total for w, k in zip(widths, need, strict=True)]


def _clipped(text: str, limit: int = CELL_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------- pages
def _cover(pdf: Atlas, data: AtlasInput) -> None:
    lang, meeting = data.lang, data.meeting
    pdf.add_page()
    pdf.ln(18)
    pdf.set_font(BODY, "B", size=20)
    pdf.multi_cell(0, 10, nfc(meeting.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.set_font(BODY, size=11)
    kind = _t("briefing_context" if not data.pages else "briefing", lang)
    pdf.multi_cell(0, 6, kind, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    facts = [(_t("meeting_date", lang), meeting.date), (_t("venue", lang), meeting.venue),
             (_t("working_group", lang), meeting.working_group),
             (_t("proposals", lang), str(len(data.pages))),
             (_t("generated_at", lang), data.generated_at)]
    pdf.facts_box([(k, nfc(v) or "—") for k, v in facts], size=9.5)
    if not data.pages:
        pdf.paragraph(_t("context_only", lang), size=10, fill=WARNING_FILL)
    pdf.ln(6)
    pdf.heading(_t("without_prejudice", lang), level=2, outline=False)
    for code in sorted(data.disclaimers, key=lambda k: (k != lang, k != "en", k)):
        pdf.paragraph(data.disclaimers[code], size=8.5)


def _summary(pdf: Atlas, data: AtlasInput) -> None:
    lang = data.lang
    pdf.add_page()
    pdf.heading(_t("summary" if data.pages else "overview", lang), level=0)
    height = min(120.0, pdf.eph * 0.5) if data.pages else pdf.eph - 25
    pdf.map_image(data.overview_png, height)
    if not data.pages:
        return
    headings = [_t(f"col.{c}", lang) for c in ("link", "title", "group", "status", "area",
                                              "positions")]
    base = data.pages[0].link.split("/proposals?")[0]
    pdf.paragraph(_t("links_base", lang, url=base), size=8)
    pdf.table_of(headings, [p.summary for p in data.pages], size=7.5,
                 links=[p.link for p in data.pages])


def _proposal_section(pdf: Atlas, page: ProposalPage, lang: str) -> None:
    p = page.proposal
    pdf.add_page()
    pdf.heading(f"{p.id} — {nfc(p.title)}", level=0)
    pdf.map_image(page.map_png, PROPOSAL_MAP_MM)
    pdf.facts_box(page.facts)
    pdf.heading(_t("text", lang), level=2, outline=False)
    pdf.paragraph(p.text, size=9.5)
    if page.fields:
        pdf.heading(_t("fields", lang), level=2, outline=False)
        pdf.table_of((_t("col.field", lang), _t("col.value", lang)), page.fields, size=8,
                     widths=(55, pdf.epw - 55))
    pdf.heading(_t("report", lang), level=2, outline=False)
    if page.report is None:
        pdf.paragraph(_t("no_report", lang), size=9)
    else:  # the headline figures are in the key facts above
        for warning in page.report.warnings:
            pdf.paragraph(f"⚠ {warning}", size=8.5, fill=WARNING_FILL)
        if not page.report.warnings:
            pdf.paragraph(_t("no_warnings", lang), size=8.5)
        pdf.paragraph(_t("see_annex", lang), size=8)
    pdf.heading(_t("positions", lang), level=2, outline=False)
    if page.positions:
        pdf.paragraph("   ".join(f"{k}: {v}" for k, v in page.positions), size=9)
    else:
        pdf.paragraph(_t("no_positions", lang), size=9)
    pdf.heading(_t("comments", lang), level=2, outline=False)
    for i, comment in enumerate(p.comments, start=1):
        pdf.paragraph(f"{i}. {nfc(comment)}", size=9)
    if not p.comments:
        pdf.paragraph(_t("no_comments", lang), size=9)


def _report_annex(pdf: Atlas, data: AtlasInput) -> None:
    lang = data.lang
    pdf.add_page()
    pdf.heading(_t("annex_reports", lang), level=0)
    for page in data.pages:
        pdf.heading(f"{page.proposal.id} — {nfc(page.proposal.title)}", level=1)
        shown = page.report
        if shown is None:
            pdf.paragraph(_t("no_report", lang), size=8.5)
            continue
        for section in shown.sections:
            pdf.heading(section.title, level=2, outline=False)
            for sentence in section.sentences:
                pdf.paragraph(sentence, size=8.5)
            if section.table is not None:
                rows = section.table.rows
                pdf.table_of(section.table.headings, rows[:ANNEX_ROWS], size=7)
                if len(rows) > ANNEX_ROWS:
                    pdf.paragraph(_t("more_rows", lang, count=len(rows) - ANNEX_ROWS), size=7)
        for line in shown.not_analysed:
            pdf.paragraph(line, size=7.5)
        pdf.ln(2)


def _sources_annex(pdf: Atlas, data: AtlasInput) -> None:
    lang = data.lang
    if pdf.page_no() <= 2 or pdf.will_page_break(90):  # else it follows annex A on its page
        pdf.add_page()
    else:
        pdf.ln(4)
    pdf.heading(_t("annex_sources", lang), level=0)
    pdf.paragraph(_t("sources_intro", lang), size=8.5)
    shown = [r for r in data.layers if not r.note]
    headings = [_t(f"col.{c}", lang) for c in ("layer", "status", "features", "source",
                                              "accuracy", "licence")]
    pdf.table_of(headings, [(r.title, r.status, str(r.features), r.source, r.accuracy,
                             r.licence) for r in shown], size=6.8)
    empty = [r for r in data.layers if r.note]
    if empty:
        pdf.heading(_t("empty_layers", lang), level=2, outline=False)
        for r in empty:
            pdf.paragraph(f"{r.title} ({r.status}; {r.source}): {r.note}", size=8)


def _theme_maps(pdf: Atlas, data: AtlasInput) -> None:
    for title, png in data.theme_maps:
        pdf.add_page()
        pdf.heading(title, level=0)
        pdf.map_image(png, pdf.eph - 25)


def build_atlas(data: AtlasInput) -> bytes:
    """The atlas as PDF bytes; deterministic for the same inputs (creation date = meeting day)."""
    lang = data.lang
    footer = without_prejudice(data.disclaimers["en"])
    if lang != "en" and data.disclaimers.get(lang):  # its own words first (they name it)
        footer = f"{nfc(data.disclaimers[lang])} / {footer}"
    pdf = Atlas(data.page_size, footer_text=footer, lang=lang,
                running_title=f"{nfc(data.meeting.title)} — {data.meeting.date}")
    pdf.set_title(nfc(data.meeting.title))
    pdf.set_creator("marine-workspace map pack")
    pdf.set_creation_date(datetime.combine(data.meeting.day, datetime.min.time(), tzinfo=UTC))
    _cover(pdf, data)
    _summary(pdf, data)
    for page in data.pages:
        _proposal_section(pdf, page, lang)
    _theme_maps(pdf, data)
    if data.pages:
        _report_annex(pdf, data)
    _sources_annex(pdf, data)
    return bytes(pdf.output())
