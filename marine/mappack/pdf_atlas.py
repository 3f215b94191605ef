"""The printable atlas (fpdf2): cover, contents, overview map, one section per proposal, and
an annex of layers. Every page carries the without-prejudice disclaimer in its footer.

Text is printed literally (no markdown, no HTML), so hostile titles or comments appear as
typed. Noto Sans carries Latin with Vietnamese diacritics; Noto Sans CJK SC is the per-glyph
fallback for Chinese; DejaVu Sans for remaining symbols.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from marine.mappack.content import (
    MeetingInfo,
    ProposalSnapshot,
    Table,
    cell_text,
    nfc,
    without_prejudice,
)
from marine.mappack.fonts import find_fonts

BODY = "NotoSans"
FALLBACKS = ("NotoCJK", "DejaVu")
# Longer cells (long lists in a report) are cut in print; the CSV files keep them whole.
CELL_LIMIT = 400
HEADINGS = FontFace(emphasis="BOLD", fill_color=(232, 236, 240))


@dataclass(frozen=True)
class ProposalPage:
    """What the atlas shows for one proposal (the assembler prepares it)."""

    proposal: ProposalSnapshot
    map_png: bytes
    report: Sequence[Table]
    places: Table | None


@dataclass(frozen=True)
class LayerRow:
    id: str
    title: str
    source: str
    status: str
    accuracy: str
    licence: str
    features: int
    note: str = ""


class Atlas(FPDF):
    def __init__(self, page_size: str, footer_text: str, running_title: str):
        super().__init__(orientation="portrait", unit="mm", format=page_size)
        self.footer_text = footer_text
        self.running_title = running_title
        self._footer_lines: list[str] | None = None
        self.set_margins(15, 15, 15)
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
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-21)
        self.set_font(BODY, size=6.5)
        self.set_text_color(60)
        if self._footer_lines is None:  # wrap once: every page has the same disclaimer
            self._footer_lines = self.multi_cell(0, 3, self.footer_text, dry_run=True,
                                                 output="LINES")
        for line in self._footer_lines:
            self.cell(0, 3, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.cell(0, 3, f"Page {self.page_no()}", align="R")
        self.set_text_color(0)

    # ----------------------------------------------------------------- building blocks
    def heading(self, text: str, level: int = 0) -> None:
        if level == 0:
            self.start_section(nfc(text)[:120], level=0)
        elif level == 1:
            self.start_section(nfc(text)[:120], level=1)
        self.set_font(BODY, "B", size=(15, 12, 10.5)[min(level, 2)])
        self.multi_cell(0, 6.5 if level == 0 else 5.5, nfc(text), align="L", new_x=XPos.LMARGIN,
                        new_y=YPos.NEXT)
        self.set_font(BODY, size=9.5)
        self.ln(1)

    def paragraph(self, text: str, size: float = 9.5) -> None:
        self.set_font(BODY, size=size)
        self.multi_cell(0, size * 0.48, nfc(text) or "—", align="L", new_x=XPos.LMARGIN,
                        new_y=YPos.NEXT)
        self.ln(1.5)

    def data_table(self, table: Table, size: float = 7.5) -> None:
        if not table.rows:
            self.paragraph(f"{table.title}: none.", size=8.5)
            return
        self.set_font(BODY, size=size)
        with self.table(text_align="LEFT", line_height=size * 0.5, first_row_as_headings=True,
                        headings_style=HEADINGS, borders_layout="SINGLE_TOP_LINE") as pdf_table:
            pdf_table.row([nfc(h) for h in table.headings])
            for row in table.rows:
                pdf_table.row([_clipped(cell_text(c)) for c in row])
        self.ln(2)

    def key_values(self, title: str, items: Mapping[str, object]) -> None:
        self.data_table(Table("kv", title, ("item", "value"),
                              tuple((nfc(k), cell_text(v)) for k, v in items.items())))

    def map_image(self, png: bytes, height_mm: float) -> None:
        if self.will_page_break(height_mm):
            self.add_page()
        self.image(io.BytesIO(png), x=self.l_margin, w=self.epw, h=height_mm, keep_aspect_ratio=True)
        self.ln(2)


def _clipped(text: str, limit: int = CELL_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _render_toc(pdf: Atlas, outline) -> None:
    pdf.set_xy(pdf.l_margin, pdf.t_margin + 8)
    pdf.set_font(BODY, "B", size=15)
    pdf.cell(0, 10, "Contents", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(BODY, size=9.5)
    for section in outline:
        indent = 6 * section.level
        pdf.set_x(pdf.l_margin + indent)
        label = section.name if len(section.name) < 95 else section.name[:92] + "…"
        pdf.cell(pdf.epw - indent - 12, 5.5, label, link=pdf.add_link(page=section.page_number))
        pdf.cell(12, 5.5, str(section.page_number), align="R", new_x=XPos.LMARGIN,
                 new_y=YPos.NEXT)


# --------------------------------------------------------------------------- the atlas
def _cover(pdf: Atlas, meeting: MeetingInfo, generated_at: str, disclaimers: Mapping[str, str],
           n_proposals: int) -> None:
    pdf.add_page()
    pdf.ln(25)
    pdf.set_font(BODY, "B", size=20)
    pdf.multi_cell(0, 10, nfc(meeting.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    pdf.set_font(BODY, size=11)
    for label, value in (("Meeting date", meeting.date), ("Venue", meeting.venue),
                         ("Working group", meeting.working_group),
                         ("Proposals", str(n_proposals)), ("Generated at", generated_at)):
        pdf.multi_cell(0, 6, f"{label}: {nfc(value) or '—'}", new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT)
    pdf.ln(8)
    pdf.heading("Without prejudice", level=2)
    for lang in sorted(disclaimers, key=lambda k: (k != "en", k)):
        pdf.paragraph(f"[{lang}] {disclaimers[lang]}", size=8.5)


def _proposal_section(pdf: Atlas, page: ProposalPage, map_height: float) -> None:
    p = page.proposal
    pdf.add_page()
    pdf.heading(f"{p.id} — {nfc(p.title)}", level=0)
    pdf.paragraph(f"Version shown: {p.version}    Kind: {nfc(p.kind)}    Group: {nfc(p.group)}",
                  size=9)
    pdf.map_image(page.map_png, map_height)
    pdf.heading("Overlap report", level=2)
    for table in page.report:
        pdf.paragraph(table.title, size=8.5)
        pdf.data_table(table)
    if not page.report:
        pdf.paragraph("No overlap report was stored with this version.")
    pdf.heading("Text", level=2)
    pdf.paragraph(p.text)
    pdf.heading("Attributes", level=2)
    pdf.key_values("Attributes", p.attributes or {"(none)": ""})
    pdf.heading("Positions (counts)", level=2)
    pdf.key_values("Positions", p.position_counts or {"(none recorded)": 0})
    pdf.heading("Comments (not attributed)", level=2)
    for i, comment in enumerate(p.comments, start=1):
        pdf.paragraph(f"{i}. {nfc(comment)}", size=9)
    if not p.comments:
        pdf.paragraph("No comments.")
    if page.places is not None:
        pdf.heading("Named places in and near the area", level=2)
        pdf.data_table(page.places, size=7)


def _annex(pdf: Atlas, layers: Sequence[LayerRow]) -> None:
    pdf.add_page()
    pdf.heading("Annex: layers, sources, status, accuracy and licences", level=0)
    for row in layers:
        pdf.heading(f"{row.title} ({row.id})", level=2)
        items = {"source": row.source, "status": row.status, "accuracy": row.accuracy,
                 "licence": row.licence, "features in this pack": row.features}
        if row.note:
            items["note"] = row.note
        pdf.key_values(row.id, items)


def build_atlas(meeting: MeetingInfo, pages: Sequence[ProposalPage], overview_png: bytes,
                layers: Sequence[LayerRow], disclaimers: Mapping[str, str], page_size: str,
                generated_at: str) -> bytes:
    """The atlas as PDF bytes; deterministic for the same inputs (creation date = meeting day)."""
    pdf = Atlas(page_size, footer_text=without_prejudice(disclaimers["en"]),
                running_title=f"{nfc(meeting.title)} — {meeting.date}")
    pdf.set_title(nfc(meeting.title))
    pdf.set_creator("marine-workspace map pack")
    pdf.set_creation_date(datetime.combine(meeting.day, datetime.min.time(), tzinfo=UTC))
    _cover(pdf, meeting, generated_at, disclaimers, len(pages))
    pdf.add_page()
    pdf.insert_toc_placeholder(_render_toc, pages=1, allow_extra_pages=True)
    pdf.heading("Overview", level=0)
    pdf.map_image(overview_png, pdf.eph - 30)
    map_height = min(140.0, pdf.eph * 0.58)
    for page in pages:
        _proposal_section(pdf, page, map_height)
    _annex(pdf, layers)
    return bytes(pdf.output())
