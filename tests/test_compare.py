"""Comparing versions of a proposal: geometry diff and report comparison."""

from __future__ import annotations

import pytest
from shapely.geometry import box
from test_analysis import fixture_catalogue  # tests/ is on sys.path (rootdir conftest)

from marine.analysis import overlap_report
from marine.compare import compare, geometry_diff
from marine.geo import geodesic_area_km2


def test_geometry_diff_added_removed_kept():
    a, b = box(114, 10, 116, 12), box(115, 10, 117, 12)
    diff = geometry_diff(a, b)
    assert diff.removed_km2 == pytest.approx(geodesic_area_km2(box(114, 10, 115, 12)), abs=1e-3)
    assert diff.added_km2 == pytest.approx(geodesic_area_km2(box(116, 10, 117, 12)), abs=1e-3)
    assert diff.kept_km2 == pytest.approx(geodesic_area_km2(box(115, 10, 116, 12)), abs=1e-3)
    assert diff.net_km2 == pytest.approx(diff.added_km2 - diff.removed_km2)
    assert diff.added["type"] == "Polygon"


def test_identical_versions_have_no_diff():
    diff = geometry_diff(box(114, 10, 115, 11), box(114, 10, 115, 11))
    assert diff.added_km2 == diff.removed_km2 == 0 and diff.kept_km2 > 0


def test_compare_reports_lists_what_changed():
    cat = fixture_catalogue()
    a = overlap_report(box(112, 9, 113.5, 10), cat)  # envelopes: counts 1 and 2
    b = overlap_report(box(107.5, 19.5, 108.5, 20.5), cat)  # crosses the agreed boundary
    result = compare(a, b)
    assert result.agreements_added == ["Fixture Boundary Agreement 2000"]
    assert result.agreements_removed == []
    sections = {(c.section, c.figure) for c in result.changes}
    assert ("measures", "area_km2") in sections and ("envelopes:2", "share") in sections
    change = next(c for c in result.changes if c.section == "envelopes:2")
    assert change.before > 0 and change.after == 0 and change.change == -change.before
    assert compare(a, a).changes == []
    diff = geometry_diff(a, b)  # reports carry their geometry
    assert diff.kept_km2 == 0 and diff.removed_km2 == pytest.approx(a.measures.area_km2, rel=1e-4)
