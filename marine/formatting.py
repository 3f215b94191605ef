"""Numbers and dates as the reader's language writes them (Babel, from CLDR data).

Every number or date a person reads goes through here, never through a `:,` format spec
(which writes English separators for every language: Vietnamese and Indonesian readers
write 1.234.567,8). Files for machines (CSV, GeoJSON, the manifest) keep plain numbers.

    number(1234567.8, "vi", 1) → "1.234.567,8"      area_km2(1234.5, "en") → "1,235 km²"
    percent(0.125, "id") → "12,5%"                   date(date(2027, 3, 9), "zh") → "2027年3月9日"
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date, format_time
from babel.numbers import format_decimal, format_percent

from marine.i18n import LANGUAGES

# Our UI language codes → Babel (CLDR) locales: the country in whose usage each language is
# read at these meetings, and simplified characters for Chinese.
LOCALES = {"en": "en", "zh": "zh_Hans_CN", "vi": "vi_VN", "fil": "fil_PH", "ms": "ms_MY",
           "id": "id_ID"}


def locale_of(lang: str) -> str:
    """The Babel locale for a UI language code ("vi" → "vi_VN")."""
    try:
        return LOCALES[lang]
    except KeyError:
        raise ValueError(f"language '{lang}' is not one of {sorted(LANGUAGES)}") from None


def _pattern(digits: int, trim: bool) -> str:
    if digits < 0:
        raise ValueError(f"digits was {digits} but must be 0 or more")
    return "#,##0" + ("." + ("#" if trim else "0") * digits if digits else "")


def number(value: float, lang: str, digits: int = 0, trim: bool = False) -> str:
    """`value` with the reader's grouping and decimal signs, rounded to `digits` decimals
    (with `trim`, trailing zeros after the decimal sign are dropped: 2.5 not 2.500)."""
    return format_decimal(value, format=_pattern(digits, trim), locale=locale_of(lang))


def with_unit(value: float, unit: str, lang: str, digits: int = 0) -> str:
    """A measure and its unit symbol ("1.234,5 km²"): symbols are the same in every language."""
    return f"{number(value, lang, digits)} {unit}"


def area_km2(value: float, lang: str, digits: int = 0) -> str:
    return with_unit(value, "km²", lang, digits)


def length_km(value: float, lang: str, digits: int = 0) -> str:
    return with_unit(value, "km", lang, digits)


def distance_nm(value: float, lang: str, digits: int = 0) -> str:
    return with_unit(value, "nm", lang, digits)


def percent(share: float, lang: str, digits: int = 1) -> str:
    """A share (0.125) as the reader writes a percentage ("12.5%", "12,5%")."""
    pattern = _pattern(digits, trim=False) + "%"
    return format_percent(share, format=pattern, locale=locale_of(lang))


def date(value: dt.date, lang: str, style: str = "long") -> str:
    """A calendar date in the reader's words ("9 March 2027", "9 tháng 3, 2027")."""
    return format_date(value, format=style, locale=locale_of(lang))


def date_time(value: dt.datetime, lang: str) -> str:
    """A moment as date (in the reader's words) and 24-hour time, in UTC ("Mar 9, 2027
    14:05"; the heading or label says UTC). A naive datetime is taken as UTC: the store keeps
    UTC and SQLite drops the zone."""
    value = value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return f"{date(value, lang, 'medium')} {format_time(value, 'HH:mm', locale=locale_of(lang))}"
