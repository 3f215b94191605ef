"""Static maps: LAEA projection, graticule labels, a geodesically true scale bar, a north
arrow to true north, a legend, and a drawn (not blank) picture."""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
import pytest
from pack_fixtures import fixture_catalogue, proposals
from PIL import Image

from marine.geo import GEOD
from marine.mappack import static_map


@pytest.fixture(scope="module")
def map_layers():
    cat = fixture_catalogue()
    ids = ("land-display", "fao-areas", "agreed-boundaries", "places")
    return static_map.project_layers([(cat.spec(i), cat.load(i)) for i in ids])


def _axes(lonlat_box):
    fig, ax = plt.subplots(figsize=(6, 4))
    extent = static_map._extent_for(lonlat_box, 1.5)
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    return fig, ax, extent


@pytest.mark.parametrize("corner", [(96.0, -4.0), (112.0, 10.0), (121.0, 22.0), (108.0, 3.0)])
def test_areas_on_the_printed_maps_are_true_across_the_region(corner):
    """The atlas projection is equal-area: a 1°×1° cell anywhere in the region keeps its
    geodesic area (where Web Mercator would add 2-15 %)."""
    from shapely.geometry import box
    from shapely.ops import transform

    cell = box(corner[0], corner[1], corner[0] + 1, corner[1] + 1).segmentize(0.01)
    projected = transform(static_map._FWD.transform, cell)
    geodesic = abs(GEOD.geometry_area_perimeter(cell)[0])
    assert projected.area == pytest.approx(geodesic, rel=1e-3)


def test_graticule_has_degree_labels_on_two_edges():
    fig, ax, extent = _axes((112.0, 8.0, 116.0, 12.0))
    count = static_map.draw_graticule(ax, extent)
    labels = [t.get_text() for t in ax.texts]
    plt.close(fig)
    assert count >= 6
    assert any(t.endswith("°E") for t in labels) and any(t.endswith("°N") for t in labels)
    assert "114°E" in labels and "10°N" in labels


def test_scale_bar_length_is_geodesically_true():
    fig, ax, extent = _axes((112.0, 8.0, 116.0, 12.0))
    km = static_map.draw_scale_bar(ax, extent)
    segments = [p for p in ax.patches if p.get_zorder() == 60]
    x0 = min(p.get_x() for p in segments)
    x1 = max(p.get_x() + p.get_width() for p in segments)
    y = segments[0].get_y()
    plt.close(fig)
    (lon0, lon1), (lat0, lat1) = static_map._INV.transform([x0, x1], [y, y])
    _, _, metres = GEOD.inv(lon0, lat0, lon1, lat1)
    assert km in static_map.SCALE_STEPS_KM
    assert metres / 1000 == pytest.approx(km, rel=0.005)


@pytest.mark.parametrize("box, sign", [((112.0, 8.0, 116.0, 12.0), 0),
                                       ((119.0, 18.0, 123.0, 22.0), -1),
                                       ((104.0, 18.0, 108.0, 22.0), 1)])
def test_north_arrow_points_to_true_north(box, sign):
    fig, ax, extent = _axes(box)
    bearing = static_map.draw_north_arrow(ax, extent)
    plt.close(fig)
    if sign == 0:
        assert abs(bearing) < 1.0
    else:  # meridians converge toward the pole: east of 114°E north leans west, and back
        assert bearing * sign > 1.0


def test_proposal_map_is_drawn_with_a_legend(map_layers):
    p = proposals()[1]
    png = static_map.render_proposal_map(map_layers, p, proposals(),
                                         static_map.MapSize(120, 90, dpi=80))
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (int(120 / 25.4 * 80), int(90 / 25.4 * 80))
    assert len(image.getcolors(100_000)) > 30  # layers, labels, furniture: not a blank frame
