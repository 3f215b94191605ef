"""CSV files: the gazetteer subset and each proposal's report tables.

UTF-8 with a byte-order mark so spreadsheet programs read Chinese and Vietnamese correctly.
A cell that a spreadsheet would run as a formula (=, +, -, @ not followed by a number) gets a
leading apostrophe: meeting files travel, and a comment must not become a formula.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping

from marine.mappack.content import Table, nfc

_FORMULA = re.compile(r"^[=+\-@\t\r]")
_NUMBER = re.compile(r"^[+-]?\d[\d,]*(\.\d+)?([eE][+-]?\d+)?$")


def safe_cell(value: object) -> str:
    text = nfc(value)
    if _FORMULA.match(text) and not _NUMBER.match(text):
        return "'" + text
    return text


def table_csv(table: Table) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in table.headings])
    writer.writerows([safe_cell(c) for c in row] for row in table.rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


DICTIONARY_NAME = "data/DATA-DICTIONARY.csv"
# The machine columns of the pack's data (GeoPackage tables, GeoJSON properties, KML
# ExtendedData), each with what it holds. The CSV files have human headings; the dictionary
# lists them too, file by file.
MACHINE_COLUMNS = {
    "feature_id": "stable identifier of the feature within its layer",
    "name": "the feature's name as its source gives it",
    "label": "every name of a place, in the order English, Chinese, Vietnamese, Filipino, Malay",
    "name_en": "name in English", "name_zh": "name in Chinese (simplified characters)",
    "name_zh_pinyin": "the Chinese name in pinyin", "name_vi": "name in Vietnamese",
    "name_fil": "name in Filipino", "name_ms": "name in Malay",
    "name_other": "other names (traditional characters, alternative or partial names)",
    "place_id": "neutral identifier of a gazetteer place",
    "disputed": "true when the place is named differently by different parties",
    "source": "the document the feature was typed or derived from (citation)",
    "status": "agreed, official-unilateral, depicted-approximate, computed-indicative or "
              "scientific: what kind of line or area it is; never an endorsement",
    "accuracy": "how far the position can be relied on",
    "party": "the state that published the line (baselines)",
    "agreement": "the agreement a boundary or joint area comes from",
    "count": "number of indicative 200 nm envelopes that overlap there",
    "fao_area": "FAO major fishing area number",
    "season_text": "the season of a fishing moratorium as published",
    "proposal_id": "the proposal's number in the workspace (P-N)",
    "title": "the proposal's title", "kind": "the measure template of the proposal",
    "working_group": "the working group the proposal belongs to",
    "version": "the version of the proposal shown in this pack",
    "attributes": "the measure's fields (JSON object)",
    "position_counts": "how many members took each position (no names)",
    "disclaimer": "the without-prejudice disclaimer",
    "lat": "latitude in decimal degrees (WGS84), of the place's point",
    "lon": "longitude in decimal degrees (WGS84), of the place's point",
    "item": "what the row gives: a headline figure, a warning or a section of the report",
    "value": "the figure or sentence, as the atlas prints it",
    "names": "every name of a place (the gazetteer's neutral label)",
    "where": "inside the proposal, or its distance in nautical miles",
    "port": "the port's name", "country": "the port's country or territory",
    "layer": "the layer's title", "overlap": "area (km² and share of the proposal), length "
                                           "(km and nm) or count inside the proposal",
    "features": "how many features of the layer the proposal touches",
}
# Machine names of the columns of each report table (see marine.presenter's sections).
REPORT_COLUMNS = {
    "summary": ("item", "value"), "nearby-places": ("names", "where"),
    "nearest-ports": ("port", "country", "where"), "environment": ("name", "layer", "overlap"),
    "layers": ("layer", "status", "features", "overlap"),
}


def data_dictionary(tables: Mapping[str, Table], layers: Mapping[str, object]) -> bytes:
    """data/DATA-DICTIONARY.csv: for each CSV file its columns in order (the heading as
    shown), and the machine columns of the GeoPackage, GeoJSON and KML with their meaning."""
    rows = [("file", "column", "machine name", "meaning")]
    for name, table in tables.items():
        for i, heading in enumerate(table.headings):
            machine = table.columns[i] if i < len(table.columns) else ""
            meaning = MACHINE_COLUMNS.get(machine, f"column {i + 1} of {table.title}")
            rows.append((name, heading, machine, meaning))
    columns = set()
    for frame in layers.values():
        columns |= set(getattr(frame, "columns", ()))
    for column, meaning in MACHINE_COLUMNS.items():
        if column in columns or column in ("proposal_id", "title", "kind", "working_group",
                                           "version", "attributes", "position_counts",
                                           "disclaimer"):
            rows.append(("data/pack.gpkg, data/proposals/*.geojson, data/google-earth.kmz",
                         column, column, meaning))
    return table_csv(Table("dictionary", "data dictionary", rows[0], tuple(rows[1:])))
