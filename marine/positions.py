"""Positions as people type them: the one parser of typed and published coordinates.

A coordinate is decimal degrees ("16.675", "-8.5"), degrees and decimal minutes ("9°30.5′N"),
or degrees, minutes and seconds with ° ′ ″ (or ' and "), with d m s, or with spaces
("108 06 04.3 E"). The hemisphere letter may stand before or after the number ("N 9°30′").
A position is two coordinates: either both carry hemisphere letters (any order), or they are
"latitude, longitude" as charts and most documents write them. A pair that only reads as
"longitude, latitude" is refused with the corrected reading offered (`PositionError.
corrected`), never silently turned round.

    parse_coordinate("9°30.5′N", "lat")          # 9.508333...
    parse_position("N 9°30′ E 114°")             # (114.0, 9.5)  — (lon, lat)
    parse_positions("114, 9.5\\n115, 9.5")        # PositionError, corrected = "9.5, 114\\n..."
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from marine.errors import GeometryError

AXES = ("lat", "lon")
LIMIT = {"lat": 90.0, "lon": 180.0}
AXIS_OF = {"N": "lat", "S": "lat", "E": "lon", "W": "lon"}
MAX_SHOWN = 80


class PositionError(GeometryError):
    """A position that cannot be read; `corrected` is the reading the parser offers instead
    (the same text with latitude and longitude put in order), when there is one."""

    def __init__(self, message: str, corrected: str | None = None):
        super().__init__(message)
        self.corrected = corrected


def _shown(text: object) -> str:
    text = str(text)
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "…"


# --------------------------------------------------------------------------- tokens
_MARKS = {"°": "deg", "º": "deg", "˚": "deg", "d": "deg", "′": "min", "'": "min", "’": "min",
          "m": "min", "″": "sec", '"': "sec", "”": "sec", "''": "sec", "′′": "sec", "s": "sec"}
_TOKEN = re.compile(r"""
    (?P<num>[+-]?\d+(?:\.\d+)?)\s*(?P<mark>''|′′|[°º˚′'’″"”]|[dms](?![a-z]))?
  | (?P<hemi>[NSEWnsew])(?![a-z])
  | (?P<sep>[,;\t/])
  | (?P<space>\s+)
""", re.VERBOSE)
_UNITS = ("deg", "min", "sec")


@dataclass(frozen=True)
class _Tok:
    kind: str  # "num", "hemi", "sep"
    text: str
    unit: str | None = None


def _tokens(text: str) -> list[_Tok]:
    tokens, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise PositionError(f"'{_shown(text)}' has '{_shown(text[pos:pos + 12])}', which is "
                                "not part of a position; write e.g. 16°40.5′N 112°20′E or "
                                "16.675, 112.333")
        pos = m.end()
        if m["num"] is not None:
            mark = m["mark"]
            unit = _MARKS.get(mark) if mark else None
            if mark == "s" and not any(t.unit == "min" for t in tokens[-2:]):
                # "9.5s" is 9.5° south; "9d30m15s" has seconds
                tokens.append(_Tok("num", m["num"]))
                tokens.append(_Tok("hemi", "S"))
                continue
            tokens.append(_Tok("num", m["num"], unit))
        elif m["hemi"]:
            tokens.append(_Tok("hemi", m["hemi"].upper()))
        elif m["sep"]:
            tokens.append(_Tok("sep", m["sep"]))
    return tokens


# --------------------------------------------------------------------------- one coordinate
@dataclass(frozen=True)
class _Coord:
    text: str  # as typed (for messages and the corrected reading)
    numbers: tuple[_Tok, ...]
    hemi: str | None

    def value(self) -> float:
        units = _assign_units(self.numbers, self.text)
        parts = dict(zip(units, (float(n.text) for n in self.numbers), strict=True))
        deg = parts.get("deg", 0.0)
        minutes, seconds = parts.get("min", 0.0), parts.get("sec", 0.0)
        if minutes >= 60 or seconds >= 60 or minutes < 0 or seconds < 0:
            raise PositionError(f"coordinate '{_shown(self.text)}' has minutes or seconds of 60 "
                                "or more; write e.g. 9°30′15″")
        if ("min" in parts and not float(deg).is_integer()) or (
                "sec" in parts and not float(minutes).is_integer()):
            raise PositionError(f"coordinate '{_shown(self.text)}' has a decimal part before its "
                                "minutes or seconds; write e.g. 9°30.5′ or 9°30′30″")
        negative = self.numbers[0].text.startswith("-")
        if negative and self.hemi in ("S", "W"):
            raise PositionError(f"coordinate '{_shown(self.text)}' has both a minus sign and "
                                f"'{self.hemi}'; keep one of them")
        value = abs(deg) + minutes / 60 + seconds / 3600
        if not math.isfinite(value):
            raise PositionError(f"coordinate '{_shown(self.text)}' is not a finite number")
        return -value if negative or self.hemi in ("S", "W") else value


def _assign_units(numbers: tuple[_Tok, ...], text: str) -> list[str]:
    units: list[str] = []
    for tok in numbers:
        unit = tok.unit or (_UNITS[_UNITS.index(units[-1]) + 1] if units else "deg")
        if units and _UNITS.index(unit) <= _UNITS.index(units[-1]):
            raise PositionError(f"coordinate '{_shown(text)}' gives degrees, minutes or seconds "
                                "twice or out of order; write e.g. 9°30′15″N")
        units.append(unit)
    return units


def _coord(tokens: list[_Tok], source: str) -> _Coord:
    numbers = tuple(t for t in tokens if t.kind == "num")
    hemis = [t.text for t in tokens if t.kind == "hemi"]
    if not numbers or len(numbers) > 3:
        raise PositionError(f"coordinate '{_shown(source)}' should be one number of degrees, "
                            "or degrees and minutes, or degrees, minutes and seconds")
    if len(hemis) > 1:
        raise PositionError(f"coordinate '{_shown(source)}' has two hemisphere letters "
                            f"({' and '.join(hemis)}); keep one")
    _assign_units(numbers, source)
    return _Coord(source, numbers, hemis[0] if hemis else None)


def parse_coordinate(text: str | float, axis: str | None = None) -> float:
    """One coordinate (decimal or DMS, hemisphere letter before or after). `axis` ("lat" or
    "lon") checks the hemisphere letter and the range."""
    if isinstance(text, int | float):
        value = float(text)
        _check_range(value, axis, text)
        return value
    raw = str(text).strip()
    try:
        value = float(raw)
    except ValueError:
        try:
            tokens = [t for t in _tokens(raw) if t.kind != "sep"] if raw else []
        except PositionError:
            tokens = []
        if not tokens or all(t.kind == "hemi" for t in tokens):
            raise PositionError(f"coordinate '{_shown(raw)}' is neither decimal degrees nor DMS; "
                                "write e.g. 16.675 or 16°40.5′N or 21°28′12.5″N") from None
        coord = _coord(tokens, raw)
        if axis and coord.hemi and AXIS_OF[coord.hemi] != axis:
            raise PositionError(f"{axis} '{_shown(raw)}' carries hemisphere '{coord.hemi}' of the "
                                "other axis") from None
        value = coord.value()
    _check_range(value, axis, text)
    return value


def _check_range(value: float, axis: str | None, original: object) -> None:
    if not math.isfinite(value):
        raise PositionError(f"coordinate '{_shown(original)}' is not a finite number")
    limit = LIMIT.get(axis or "", 180.0)
    if abs(value) > limit:
        raise PositionError(f"{axis or 'coordinate'} '{_shown(original)}' is outside "
                            f"±{limit:g}°")


# --------------------------------------------------------------------------- a position
def _split(tokens: list[_Tok], line: str) -> list[list[_Tok]]:
    """The tokens of a line grouped into coordinates."""
    if any(t.kind == "sep" for t in tokens):
        groups, current = [], []
        for tok in tokens:
            if tok.kind == "sep":
                groups.append(current)
                current = []
            else:
                current.append(tok)
        return [*groups, current]
    if not any(t.kind == "hemi" for t in tokens) and not any(t.unit for t in tokens):
        half = len(tokens) // 2  # "9 30 114 15": as many numbers for each
        return [tokens[:half], tokens[half:]] if len(tokens) % 2 == 0 else [tokens]
    prefix = tokens[0].kind == "hemi"
    groups, current = [], []
    for tok in tokens:
        numbers = [t for t in current if t.kind == "num"]
        starts_new = (tok.kind == "hemi" and prefix and numbers) or (
            tok.kind == "num" and numbers and (tok.unit == "deg" or _full(numbers)))
        if starts_new or (tok.kind == "num" and current and current[-1].kind == "hemi"
                          and not prefix):
            groups.append(current)
            current = []
        current.append(tok)
    groups.append(current)
    return groups


def _full(numbers: list[_Tok]) -> bool:
    """A coordinate whose next number cannot be its own (after seconds, or after a bare
    decimal-degree number with marks used elsewhere)."""
    last = numbers[-1]
    return last.unit == "sec" or (last.unit is None and "." in last.text)


def _text_of(tokens: list[_Tok]) -> str:
    out = []
    for tok in tokens:
        out.append(tok.text + ({"deg": "°", "min": "′", "sec": "″"}.get(tok.unit or "", "")))
    return " ".join(out)


def parse_position(line: str) -> tuple[float, float]:
    """One typed position → (lon, lat). PositionError names the value and, when latitude and
    longitude are only the wrong way round, offers the corrected reading."""
    text = line.strip()
    tokens = _tokens(text)
    groups = [g for g in _split(tokens, text) if g]
    if len(groups) != 2:
        raise PositionError(f"position '{_shown(text)}' should be 'latitude, longitude' "
                            "(decimal) or carry N/S and E/W, e.g. 16°40.5′N 112°20′E")
    first, second = (_coord(g, _text_of(g)) for g in groups)
    lat, lon = _ordered(first, second, text)
    lat_value, lon_value = lat.value(), lon.value()
    problem = _range_problem(lat, lat_value, "lat") or _range_problem(lon, lon_value, "lon")
    if problem:
        raise PositionError(problem, _swapped_reading(first, second, text))
    return lon_value, lat_value


def _ordered(first: _Coord, second: _Coord, text: str) -> tuple[_Coord, _Coord]:
    """(latitude, longitude) by their hemisphere letters, else in the order typed."""
    axes = [AXIS_OF[c.hemi] if c.hemi else None for c in (first, second)]
    if axes[0] and axes[0] == axes[1]:
        word = "latitudes (N/S)" if axes[0] == "lat" else "longitudes (E/W)"
        raise PositionError(f"position '{_shown(text)}' gives two {word}; one must be N or S, "
                            "the other E or W")
    if axes[0] == "lon" or axes[1] == "lat":
        return second, first
    return first, second


def _range_problem(coord: _Coord, value: float, axis: str) -> str | None:
    if abs(value) <= LIMIT[axis]:
        return None
    return f"{axis} '{_shown(coord.text)}' is outside ±{LIMIT[axis]:g}°"


def _swapped_reading(first: _Coord, second: _Coord, text: str) -> str | None:
    """The text read the other way round, when that reading is a valid position."""
    if first.hemi or second.hemi:
        if not (first.hemi and second.hemi):
            return None
        a, b = first.value(), second.value()
        swap = {"N": "E", "S": "W", "E": "N", "W": "S"}
        # "114N 9.5E": the letters went on the wrong numbers
        lat_value, lon_value = (b, a) if AXIS_OF[first.hemi] == "lat" else (a, b)
        if abs(lat_value) <= 90 and abs(lon_value) <= 180:
            return (f"{_strip_hemi(first.text)} {swap[first.hemi]}, "
                    f"{_strip_hemi(second.text)} {swap[second.hemi]}")
        return None
    a, b = first.value(), second.value()
    if abs(b) <= 90 and abs(a) <= 180:
        return f"{second.text}, {first.text}"
    return None


def _strip_hemi(text: str) -> str:
    return re.sub(r"\s*[NSEW]\s*", " ", text).strip()


def parse_positions(text: str) -> list[tuple[float, float]]:
    """Positions, one per line (blank lines and lines starting with # are skipped) → [(lon,
    lat)]. PositionError names the line; when every refused line is only the wrong way
    round, it offers the whole text corrected."""
    positions, corrected_lines, errors = [], [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            corrected_lines.append(line)
            continue
        try:
            positions.append(parse_position(line))
            corrected_lines.append(line)
        except PositionError as exc:
            errors.append((number, line, exc))
            corrected_lines.append(exc.corrected or line)
    if not errors:
        return positions
    number, line, exc = errors[0]
    corrected = "\n".join(corrected_lines) if all(e.corrected for *_, e in errors) else None
    more = f" (and {len(errors) - 1} more line(s))" if len(errors) > 1 else ""
    hint = "; latitude and longitude look swapped" if corrected else ""
    raise PositionError(f"line {number} ('{_shown(line.strip())}'): {exc}{more}{hint}", corrected)
