"""Importing into the data library (issue 16): every format through the upload readers with
the import limits, labels from a chosen field (a gazetteer place shows all its names), each
bad file refused with a clear message and nothing written."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point, box
from sqlalchemy import func, select

from marine.errors import MarineError
from marine.gazetteer import Gazetteer
from marine.library import (
    LayerMeta,
    LibraryImportError,
    catalogue_with_library,
    features_frame_of,
    import_file,
    prepare_import,
)
from marine.store import SYSTEM, Store
from marine.store.models import LibraryFeatureRow, LibraryLayerRow, LibraryVersionRow
from marine.uploads import IMPORT_LIMITS, UPLOAD_LIMITS, UploadError

BAD = Path(__file__).parents[1] / "data" / "bad"
NATURAL_EARTH = Path(__file__).resolve().parents[3] / "shared" / "reference" / "natural-earth"
NATURAL_EARTH = NATURAL_EARTH if NATURAL_EARTH.is_dir() else Path("/work/shared/reference/natural-earth")

META = dict(layer_id="survey-sites", title="Survey sites", theme="environment",
            status="scientific", source="Reef survey 2025, annex B", licence="CC BY 4.0",
            accuracy="±50 m (handheld GPS)", label_field="site")


def sites_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"site": ["Scarborough Shoal", "Reef flat B"], "depth_m": [12.5, 3.0]},
        geometry=[box(117.7, 15.1, 117.8, 15.2), box(114.0, 10.0, 114.1, 10.1)],
        crs="EPSG:4326")


def as_geojson(frame) -> bytes:
    return frame.to_json().encode()


def as_file(frame, tmp_path: Path, driver: str, name: str) -> bytes:
    path = tmp_path / name
    frame.to_file(path, driver=driver)
    return path.read_bytes()


def as_shapefile_zip(frame, tmp_path: Path) -> bytes:
    folder = tmp_path / "shp"
    folder.mkdir()
    frame.to_file(folder / "sites.shp")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for part in folder.iterdir():
            z.write(part, part.name)
    return out.getvalue()


KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
<Placemark><name>A</name><ExtendedData><Data name="site"><value>Scarborough Shoal</value></Data>
</ExtendedData><Polygon><outerBoundaryIs><LinearRing><coordinates>
117.7,15.1 117.8,15.1 117.8,15.2 117.7,15.2 117.7,15.1</coordinates></LinearRing>
</outerBoundaryIs></Polygon></Placemark>
<Placemark><name>B</name><ExtendedData><Data name="site"><value>Reef flat B</value></Data>
</ExtendedData><Point><coordinates>114.05,10.05</coordinates></Point></Placemark>
</Document></kml>"""


def as_kmz(text: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("doc.kml", text)
    return out.getvalue()


@pytest.fixture(scope="module")
def places() -> Gazetteer:
    return Gazetteer.from_records([{
        "place_id": "scarborough-shoal", "kind": "shoal", "disputed": True, "lat": 15.15,
        "lon": 117.76, "name_en": "Scarborough Shoal", "name_zh": "黄岩岛",
        "name_zh_pinyin": "Huangyan Dao", "name_fil": "Bajo de Masinloc"}])


@pytest.fixture
def store(tmp_path):
    opened = Store.open(f"sqlite:///{tmp_path / 'workspace.sqlite'}")
    yield opened
    opened.close()


def stored_rows(store) -> list[int]:
    with store.db.reading() as session:
        return [session.scalar(select(func.count()).select_from(t))
                for t in (LibraryLayerRow, LibraryVersionRow, LibraryFeatureRow)]


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "shapefile", "kml", "kmz"])
def test_each_format_imports_with_labels_and_provenance(fmt, tmp_path, places, store):
    frame = sites_frame()
    filename, data = {
        "geojson": lambda: ("sites.geojson", as_geojson(frame)),
        "gpkg": lambda: ("sites.gpkg", as_file(frame, tmp_path, "GPKG", "sites.gpkg")),
        "shapefile": lambda: ("sites.zip", as_shapefile_zip(frame, tmp_path)),
        "kml": lambda: ("sites.kml", KML.encode()),
        "kmz": lambda: ("sites.kmz", as_kmz(KML)),
    }[fmt]()
    prepared = prepare_import(LayerMeta(**META), filename, data, places=places)
    assert len(prepared.features) == 2
    # The shoal's label is every name it has, in the default order; the other is as typed.
    assert prepared.features[0].label == "Scarborough Shoal / 黄岩岛 Huangyan Dao / Bajo de Masinloc"
    assert prepared.features[1].label == "Reef flat B"
    store.library.import_layer(SYSTEM, prepared)
    gdf = features_frame_of(store.library.features(SYSTEM, "survey-sites"))
    assert list(gdf["name"]) == [f.label for f in prepared.features]
    assert set(gdf["source"]) == {META["source"]} and set(gdf["status"]) == {"scientific"}
    assert set(gdf["accuracy"]) == {META["accuracy"]} and gdf.crs.to_epsg() == 4326
    assert gdf.geometry.iloc[0].equals(frame.geometry.iloc[0]) or fmt in ("kml", "kmz")
    if fmt in ("geojson", "gpkg", "shapefile"):
        assert list(gdf["depth_m"]) == [12.5, 3.0]


def test_a_projected_geopackage_is_reprojected_and_said(tmp_path):
    frame = sites_frame().to_crs("EPSG:32650")
    prepared = prepare_import(LayerMeta(**META), "utm.gpkg",
                              as_file(frame, tmp_path, "GPKG", "utm.gpkg"))
    assert any("reprojected" in n for n in prepared.notes)
    assert prepared.features[0].geometry.bounds[0] == pytest.approx(117.7, abs=1e-6)


def test_import_limits_are_larger_than_upload_limits():
    for name in ("max_bytes", "max_features", "max_vertices", "max_unzipped_bytes"):
        assert getattr(IMPORT_LIMITS, name) > getattr(UPLOAD_LIMITS, name)
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    assert f"{IMPORT_LIMITS.max_features:,} features" in readme
    assert f"{IMPORT_LIMITS.max_vertices:,} vertices" in readme


def test_more_features_than_an_upload_allows_import(tmp_path):
    frame = gpd.GeoDataFrame({"site": [f"s{i}" for i in range(6000)]},
                             geometry=[Point(110 + i / 1000, 10) for i in range(6000)],
                             crs="EPSG:4326")
    prepared = prepare_import(LayerMeta(**META), "many.geojson", as_geojson(frame))
    assert len(prepared.features) == 6000 > UPLOAD_LIMITS.max_features


@pytest.mark.parametrize(("change", "message"), [
    ({"source": " "}, "source must be given"),
    ({"licence": ""}, "licence must be given"),
    ({"accuracy": ""}, "accuracy must be given"),
    ({"status": "claimed"}, "status 'claimed' is not one of agreed"),
    ({"theme": "secret"}, "theme 'secret' is not one of"),
    ({"layer_id": "Bad Id!"}, "layer id 'Bad Id!' is not usable"),
])
def test_provenance_is_required(change, message):
    with pytest.raises(LibraryImportError, match=message):
        LayerMeta(**{**META, **change})


def test_a_missing_label_field_names_the_attributes():
    data = as_geojson(sites_frame())
    with pytest.raises(LibraryImportError, match=r"label field 'NAME' .*attributes: depth_m, site"):
        prepare_import(LayerMeta(**{**META, "label_field": "NAME"}), "s.geojson", data)


def test_a_builtin_id_is_refused():
    with pytest.raises(LibraryImportError, match="built-in layer"):
        prepare_import(LayerMeta(**{**META, "layer_id": "ports"}), "s.geojson",
                       as_geojson(sites_frame()), reserved_ids={"ports"})


BAD_FILES = sorted(p for p in BAD.iterdir() if p.suffix in (".geojson", ".json", ".kml", ".kmz",
                                                           ".gpkg", ".zip", ".docx", ".bin"))


@pytest.mark.parametrize("path", BAD_FILES, ids=lambda p: p.name)
def test_each_bad_file_is_refused_clearly_or_read_and_nothing_partial(path, store, places):
    from layers import default_catalogue

    meta = LayerMeta(**{**META, "label_field": None})
    try:
        layer, _notes = import_file(store, SYSTEM, default_catalogue(), meta, path.name,
                                    path.read_bytes())
    except (UploadError, LibraryImportError) as exc:
        message = str(exc)
        assert "Traceback" not in message and len(message) > 20
        assert stored_rows(store) == [0, 0, 0]
        return
    # Accepted (repairable or hostile-but-harmless): whole, valid and in the store.
    frame = features_frame_of(store.library.features(SYSTEM, layer.layer_id))
    assert len(frame) == layer.feature_count > 0 and frame.is_valid.all()


def test_an_unknown_working_group_writes_nothing(store):
    data = as_geojson(sites_frame())
    prepared = prepare_import(LayerMeta(**{**META, "group": "no-such-group"}), "s.geojson", data)
    with pytest.raises(MarineError, match="no-such-group"):
        store.library.import_layer(SYSTEM, prepared)
    assert stored_rows(store) == [0, 0, 0]


@pytest.mark.skipif(not NATURAL_EARTH.is_dir(),
                    reason="Natural Earth reference files absent (../shared/reference/natural-earth)")
def test_natural_earth_bathymetry_imports_into_the_catalogue(store):
    from layers import default_catalogue

    path = NATURAL_EARTH / "ne_10m_bathymetry_K_200_scs.geojson"
    meta = LayerMeta(**{**META, "layer_id": "depth-200m", "title": "Depth 200 m",
                        "theme": "base", "label_field": "depth",
                        "source": "Natural Earth 10m bathymetry K_200, v5.1.1"})
    layer, _ = import_file(store, SYSTEM, default_catalogue(), meta, path.name, path.read_bytes())
    expected = len(json.loads(path.read_text())["features"])
    catalogue = catalogue_with_library(default_catalogue(), store, SYSTEM)
    spec = catalogue.spec("depth-200m")
    assert spec.imported and spec.source == meta.source and layer.feature_count == expected
    assert len(catalogue.load("depth-200m")) == expected
    assert set(catalogue.load("depth-200m")["name"]) == {"200"}
    assert catalogue.load("ports") is default_catalogue().load("ports")  # loaded once
