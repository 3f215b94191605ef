"""CSV files: the gazetteer subset and each proposal's report tables.

UTF-8 with a byte-order mark so spreadsheet programs read Chinese and Vietnamese correctly.
A cell that a spreadsheet would run as a formula (=, +, -, @ not followed by a number) gets a
leading apostrophe: meeting files travel, and a comment must not become a formula.
"""

from __future__ import annotations

import csv
import io
import re

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
