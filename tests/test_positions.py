"""The one parser of typed positions: decimal, DMS with marks, letters or spaces, hemisphere
before or after, degrees and decimal minutes, swapped order detected with the corrected
reading offered. Property tests generate the notations people type."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marine.positions import PositionError, parse_coordinate, parse_position, parse_positions


@pytest.mark.parametrize(("line", "expected"), [
    ("9.5, 114", (114.0, 9.5)),
    ("9.5 114", (114.0, 9.5)),
    ("-8.5; 105.25", (105.25, -8.5)),
    ("9°30′N 114°E", (114.0, 9.5)),
    ("9°30.5′N 114°15′E", (114.25, 9 + 30.5 / 60)),
    ("9°30'30\"N 114°15'E", (114.25, 9 + 30.5 / 60)),
    ("9d30m30s N 114d15m E", (114.25, 9 + 30.5 / 60)),
    ("9 30 30 N 114 15 0 E", (114.25, 9 + 30.5 / 60)),
    ("9 30 114 15", (114.25, 9.5)),
    ("N 9°30′ E 114°", (114.0, 9.5)),
    ("N9°30′ E114°", (114.0, 9.5)),
    ("S 5°30′, W 105°15′", (-105.25, -5.5)),
    ("E 114° N 9°30′", (114.0, 9.5)),
    ("114°E 9°30′N", (114.0, 9.5)),
    ("9.5N 114E", (114.0, 9.5)),
    ("9.5s 114e", (114.0, -9.5)),
    ("5 30 S 105 15 E", (105.25, -5.5)),
])
def test_positions_as_people_type_them(line, expected):
    assert parse_position(line) == pytest.approx(expected, abs=1e-9)


def test_swapped_order_is_detected_and_the_corrected_reading_offered():
    with pytest.raises(PositionError, match="lat '114' is outside") as info:
        parse_position("114, 9.5")
    assert info.value.corrected == "9.5, 114"
    assert parse_position(info.value.corrected) == (114.0, 9.5)
    with pytest.raises(PositionError, match="look swapped") as info:
        parse_positions("114, 9.5\n115, 9.5\n# a comment\n115, 10.5")
    assert parse_positions(info.value.corrected) == [(114, 9.5), (115, 9.5), (115, 10.5)]
    with pytest.raises(PositionError) as info:
        parse_position("114N 9.5E")  # the letters on the wrong numbers
    assert parse_position(info.value.corrected) == (114.0, 9.5)


@pytest.mark.parametrize(("line", "message"), [
    ("95, 200", "lat '95' is outside"),
    ("112E 112E", "two longitudes"),
    ("9°75′N 114°E", "60 or more"),
    ("9.5°30′N 114°E", "decimal part before"),
    ("-9 S, 114 E", "both a minus sign"),
    ("9 N S, 114", "two hemisphere letters"),
    ("nine north, 114", "not part of a position"),
    ("9.5", "should be 'latitude, longitude'"),
])
def test_refusals_name_the_value(line, message):
    with pytest.raises(PositionError, match=message) as info:
        parse_position(line)
    assert info.value.corrected is None


def test_one_coordinate_for_the_layers():
    assert parse_coordinate("16°40.5′N", "lat") == pytest.approx(16.675)
    assert parse_coordinate("N 16°40.5′", "lat") == pytest.approx(16.675)
    with pytest.raises(PositionError, match="other axis"):
        parse_coordinate("16°40.5′E", "lat")


# --------------------------------------------------------------------------- properties
def _dms(value: float, hemis: str, style: str, before: bool) -> str:
    v = abs(value)
    letter = hemis[0] if value >= 0 else hemis[1]
    tenk_min = round(v * 600_000)  # in 1/10,000 minute: rounding never writes 60′
    dm_d, dm_m = tenk_min // 600_000, (tenk_min % 600_000) / 10_000
    ms = round(v * 3_600_000)  # in milliseconds of arc: rounding never writes 60″
    d, m, s = ms // 3_600_000, (ms // 60_000) % 60, (ms % 60_000) / 1000
    body = {
        "decimal": f"{v:.6f}",
        "dm": f"{dm_d}°{dm_m:.4f}′",
        "dms": f"{d}°{m}′{s:.3f}″",
        "ascii": f"{d}°{m}'{s:.3f}\"",
        "letters": f"{d}d{m}m{s:.3f}s",
        "spaces": f"{d} {m} {s:.3f}",
    }[style]
    return f"{letter} {body}" if before else f"{body} {letter}"


STYLES = st.sampled_from(["decimal", "dm", "dms", "ascii", "letters", "spaces"])
LATS = st.floats(-89.999, 89.999, allow_nan=False)
LONS = st.floats(-179.999, 179.999, allow_nan=False)


@given(LATS, LONS, STYLES, STYLES, st.booleans(), st.booleans(),
       st.sampled_from([" ", ", ", "; ", "  "]))
@settings(max_examples=300, deadline=None)
def test_every_notation_reads_back_the_position(lat, lon, lat_style, lon_style, before,
                                                lon_first, sep):
    a, b = _dms(lat, "NS", lat_style, before), _dms(lon, "EW", lon_style, before)
    line = f"{b}{sep}{a}" if lon_first else f"{a}{sep}{b}"
    got_lon, got_lat = parse_position(line)
    assert got_lat == pytest.approx(lat, abs=1e-5), line
    assert got_lon == pytest.approx(lon, abs=1e-5), line


@given(st.floats(90.001, 179.999), st.floats(-89.999, 89.999))
@settings(max_examples=200, deadline=None)
def test_a_swapped_decimal_pair_is_refused_with_the_right_reading(lon, lat):
    with pytest.raises(PositionError) as info:
        parse_position(f"{lon:.5f}, {lat:.5f}")
    assert info.value.corrected is not None
    got_lon, got_lat = parse_position(info.value.corrected)
    assert (got_lon, got_lat) == pytest.approx((round(lon, 5), round(lat, 5)))


@given(st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_any_text_is_read_or_refused_clearly(text):
    try:
        lon, lat = parse_position(text)
    except PositionError as exc:
        assert str(exc)
    else:
        assert -180 <= lon <= 180 and -90 <= lat <= 90
