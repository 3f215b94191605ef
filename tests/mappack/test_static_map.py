"""Static maps: LAEA projection, graticule labels, a geodesically true scale bar, a north
arrow to true north, a legend, and a drawn (not blank) picture."""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
import numpy as np
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
    import shapely
    from shapely.geometry import box

    cell = box(corner[0], corner[1], corner[0] + 1, corner[1] + 1).segmentize(0.01)
    projected = shapely.transform(cell, lambda xy: np.column_stack(static_map._FWD.transform(*xy.T)))
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


def test_every_label_of_a_disputed_place_carries_all_its_names(map_layers, monkeypatch):
    from pack_fixtures import PLACES

    placed = []
    real = static_map.draw_labels
    monkeypatch.setattr(static_map, "draw_labels",
                        lambda ax, c, limit=40: placed.extend(real(ax, c, limit)) or placed)
    p = proposals()[1]  # around Itu Aba and Thitu Island
    static_map.render_proposal_map(map_layers, p, proposals(), static_map.MapSize(180, 115))
    texts = [t for t, _ in placed]
    assert len(texts) >= 2
    for _pid, en, zh, vi, fil, ms, _lat, _lon in PLACES:
        for text in texts:
            if en in text:
                for name in (en, zh, vi, fil, ms):
                    assert not name or name in text, (name, text)
    assert any("Itu Aba" in t and "太平岛" in t and "Ba Bình" in t and "Ligaw" in t
               for t in texts)
    boxes = [b for _, b in placed]  # decluttered: no two labels overlap
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_straits_and_seas_are_labelled_and_water_first():
    import geopandas as gpd
    import shapely

    from marine.catalogue import LayerSpec, Style

    frame = gpd.GeoDataFrame(
        {"feature_id": ["sea", "reef"], "kind": ["sea", "reef"],
         "name_en": ["South China Sea", "Reef A"], "name_zh": ["南海", "甲礁"],
         "name_vi": ["Biển Đông", "Đá A"], "source": ["s", "s"], "status": ["scientific"] * 2,
         "accuracy": ["~1 km"] * 2},
        geometry=[shapely.Point(114, 12), shapely.Point(114.01, 12.01)], crs="EPSG:4326")
    spec = LayerSpec(id="places", title="Places", theme="gazetteer", loader=lambda: frame,
                     style=Style(), source="s", status="scientific", licence="l")
    layers = static_map.project_layers([(spec, frame)])
    assert layers[0].labels[0] == "South China Sea / 南海\nBiển Đông"
    fig, ax = plt.subplots(figsize=(3, 3))
    extent = static_map._extent_for((113, 11, 115, 13), 1.0)
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    _handles, candidates = static_map._draw_layers(ax, layers, extent)
    placed = static_map.draw_labels(ax, candidates)
    assert placed[0][0].startswith("South China Sea")  # the sea is named first
    plt.close(fig)


def test_the_legend_lists_only_what_is_drawn(map_layers):
    import geopandas as gpd

    from marine.catalogue import LayerSpec, Style

    empty = LayerSpec(id="joint-areas", title="Joint areas", theme="claims",
                      loader=lambda: gpd.GeoDataFrame(geometry=[], crs="EPSG:4326"),
                      style=Style(), source="s", status="agreed", licence="l",
                      empty_reason="none published")
    layers = [*map_layers, *static_map.project_layers([(empty, empty.loader())])]
    fig, ax = plt.subplots(figsize=(3, 3))
    extent = static_map._extent_for((114.0, 10.1, 114.8, 11.3), 1.0)  # far from 108°E
    handles, _ = static_map._draw_layers(ax, layers, extent)
    labels = [h.get_label() for h in handles]
    assert not any("Joint areas" in label for label in labels)  # empty
    assert not any("Agreed boundaries" in label for label in labels)  # not in this extent
    assert any("FAO" in label for label in labels) and any("Places" in label for label in labels)
    plt.close(fig)
