"""An imported layer goes where the built-in layers go (issue 16): the overlap report (a
generic section named by the label field), `marine layers list`, and a map pack — GeoPackage,
KML and the atlas' sources annex — rebuilt from an older version after re-import and removal."""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from io import BytesIO

import geopandas as gpd
import pyogrio
import pytest
import shapely
from shapely.geometry import box

from marine import cli
from marine.analysis import overlap_report
from marine.library import catalogue_with_library
from marine.mappack.assemble import read_pack
from marine.store import SYSTEM, Store

pytestmark = pytest.mark.slow
SOURCE = "Reef survey 2025, annex B (typed 2026-12-03)"


def sites(tmp_path, names, name="sites.geojson"):
    frame = gpd.GeoDataFrame(
        {"site": names},
        geometry=[box(112.6 + i * 0.2, 9.3, 112.7 + i * 0.2, 9.4) for i in range(len(names))],
        crs="EPSG:4326")
    path = tmp_path / name
    path.write_text(frame.to_json())
    return path


def import_args(path, url, *extra):
    return ["layers", "import", str(path), "--id", "survey-sites", "--title", "Survey sites",
            "--theme", "environment", "--status", "scientific", "--source", SOURCE,
            "--licence", "CC BY 4.0", "--accuracy", "±50 m", "--label-field", "site",
            "--database-url", url, *extra]


@pytest.fixture()
def workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("MARINE_HOME", str(tmp_path / "home"))
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    store = Store.open(url)
    alice = store.users.create(SYSTEM, "alice", "Alice")
    store.groups.add_member(SYSTEM, "marine-scientific-research", alice.id, "member")
    store.proposals.create(alice, group="marine-scientific-research", kind="joint-survey",
                           title="Reef survey", text="Survey text.",
                           geometry=shapely.box(112.5, 9.2, 113.3, 9.9))
    store.close()
    return url


def test_cli_import_then_report_list_and_versions(workspace, tmp_path, capsys):
    from layers import default_catalogue

    assert cli.main(import_args(sites(tmp_path, ["Alpha", "Bravo"]), workspace)) == 0
    assert "imported survey-sites version 1: 2 features" in capsys.readouterr().out
    store = Store.open(workspace)
    try:
        catalogue = catalogue_with_library(default_catalogue(), store, SYSTEM)
        report = overlap_report(box(112.5, 9.2, 112.75, 9.5), catalogue)
    finally:
        store.close()
    section = next(x for x in report.layers if x.layer_id == "survey-sites")
    assert (section.title, section.source, section.status) == ("Survey sites", SOURCE,
                                                               "scientific")
    assert [f.name for f in section.features] == ["Alpha"]  # named by the label field
    assert section.area_km2 == pytest.approx(
        overlap_report(box(112.6, 9.3, 112.7, 9.4), default_catalogue()).measures.area_km2,
        rel=1e-3)
    assert cli.main(["layers", "list", "--database-url", workspace]) == 0
    listed = [line for line in capsys.readouterr().out.splitlines() if "survey-sites" in line]
    assert "2 features" in listed[0] and "[data library]" in listed[0]


def test_pack_carries_the_layer_and_rebuilds_from_an_old_version(workspace, tmp_path, capsys):
    assert cli.main(import_args(sites(tmp_path, ["Alpha", "Bravo"]), workspace)) == 0
    assert cli.main(import_args(sites(tmp_path, ["Charlie"], "v2.geojson"), workspace)) == 0
    out = tmp_path / "pack.zip"
    args = ["pack", "--database-url", workspace, "--group", "marine-scientific-research",
            "--title", "Workshop", "--date", "2026-11-20", "--quiet"]
    assert cli.main([*args, "--layers", "land-display,survey-sites", "--out", str(out)]) == 0
    assert _kml_names(read_pack(out)) >= {"Charlie"}
    assert cli.main(["layers", "remove", "survey-sites", "--database-url", workspace]) == 0
    old = tmp_path / "old.zip"
    assert cli.main([*args, "--layers", "land-display,survey-sites@1", "--out", str(old)]) == 0
    files = read_pack(old)
    names = _kml_names(files)
    assert {"Alpha", "Bravo"} <= names and "Charlie" not in names
    gpkg = tmp_path / "pack.gpkg"
    gpkg.write_bytes(files["data/pack.gpkg"])
    table = pyogrio.read_dataframe(gpkg, layer="survey_sites")
    assert sorted(table["name"]) == ["Alpha", "Bravo"] and set(table["source"]) == {SOURCE}
    atlas = subprocess.run(["pdftotext", "-", "-"], input=files["atlas.pdf"],
                           capture_output=True, check=True).stdout.decode()
    assert "Survey sites" in atlas and "Reef survey 2025" in atlas
    assert json.loads(files["manifest.json"])


def _kml_names(files) -> set[str]:
    with zipfile.ZipFile(BytesIO(files["data/google-earth.kmz"])) as kmz:
        text = kmz.read(kmz.namelist()[0]).decode()
    return set(re.findall(r"<name>([^<]*)</name>", text))
