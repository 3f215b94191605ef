"""Conventions every layer keeps, parametrised over the whole registry (STYLE.md habit 5)."""

import pytest
import shapely

from layers import FAMILIES, all_specs, default_catalogue
from marine.catalogue import REQUIRED_COLUMNS, STATUSES, layer_problems
from marine.config import REGION_BOUNDS

SPECS = all_specs()


@pytest.fixture(scope="module")
def catalogue():
    return default_catalogue()


@pytest.mark.parametrize("spec", SPECS, ids=[s.id for s in SPECS])
def test_layer_loads_and_keeps_the_conventions(catalogue, spec):
    gdf = catalogue.load(spec.id)
    assert layer_problems(spec, gdf) == []
    assert gdf.crs.to_epsg() == 4326
    for column in REQUIRED_COLUMNS:
        assert column in gdf.columns
    assert set(gdf["status"]) <= set(STATUSES)
    if len(gdf):
        assert shapely.is_valid(gdf.geometry.values).all()
        minx, miny, maxx, maxy = gdf.total_bounds
        rx0, ry0, rx1, ry1 = REGION_BOUNDS
        assert rx0 - 1 <= minx and maxx <= rx1 + 1 and ry0 - 1 <= miny and maxy <= ry1 + 1
    else:
        assert spec.empty_reason, f"{spec.id} ships no features and does not say why"


@pytest.mark.parametrize(("change", "named"), [
    ({"source": "  "}, "source must be given"),
    ({"licence": ""}, "licence must be given"),
    ({"theme": "weather"}, "theme 'weather' is not one of"),
    ({"status": "endorsed"}, "status 'endorsed' is not one of"),
])
def test_a_layer_without_provenance_or_with_an_unknown_status_is_refused(change, named):
    import dataclasses

    from marine.errors import LayerError

    spec = SPECS[0]
    with pytest.raises(LayerError, match=named):
        dataclasses.replace(spec, **change)


def test_every_theme_has_real_features(catalogue):
    for theme, specs in catalogue.by_theme().items():
        counts = {s.id: len(catalogue.load(s.id)) for s in specs}
        assert sum(counts.values()) > 0, f"theme {theme} has no features: {counts}"


def test_families_listed_explicitly():
    assert all(hasattr(f, "LAYERS") for f in FAMILIES)
    ids = [s.id for s in SPECS]
    assert len(ids) == len(set(ids))


def test_display_layers_stand_for_existing_layers(catalogue):
    for spec in SPECS:
        if spec.display_of:
            assert spec.display_of in catalogue.specs
    assert "land" not in {s.id for s in catalogue.map_layers()}
    assert "land-display" not in {s.id for s in catalogue.analysis_layers()}
