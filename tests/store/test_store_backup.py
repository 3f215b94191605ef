"""Backup and restore: export → import into an empty database → export gives the same files,
and the restored workspace behaves like the original."""

from __future__ import annotations

import json
import zipfile

import pytest
import shapely
from store_support import POSTGIS

from marine.errors import MarineError
from marine.store import SYSTEM, Store
from marine.store.backup import export_workspace, import_workspace

PASSWORD = "correct horse battery"


def _populate(store, people):
    author, fac = people["author"], people["facilitator"]
    store.users.set_password(SYSTEM, "author", PASSWORD)
    shapes = [
        shapely.box(112.123456789012345, 9.1, 113.000000000000001, 10.3),
        shapely.Polygon([(110.1, 8.2), (111.7, 8.05), (111.3, 9.9)], holes=[]),
        shapely.MultiPolygon([shapely.box(114, 10, 114.5, 10.5), shapely.box(115, 10, 115.5, 10.5)]),
        shapely.LineString([(109.33333333333333, 12.1), (110.7, 13.2)]),
    ]
    ids = []
    for i, geometry in enumerate(shapes):
        p = store.proposals.create(author, group="legal-matters", kind="joint-research-area",
                                   title=f"Proposal {i} — 南海 Biển Đông", text="Text\nwith lines",
                                   geometry=geometry, attributes={"i": i, "ratio": 0.1 + 0.2},
                                   report={"area_km2": 1234.5678901234567, "layers": ["land"]})
        ids.append(p.id)
    store.proposals.save_version(author, ids[0], base_version=1, title="Revised", text="v2",
                                 geometry=shapely.box(112.5, 9.5, 113.5, 10.5))
    store.proposals.set_status(fac, ids[0], "circulated")
    comment = store.comments.add(people["participant"], ids[0], 2, "A comment.")
    store.comments.hide(fac, comment.id, "test")
    store.positions.set(people["member"], ids[0], 2, "have-concerns", "a note")
    _populate_library(store, people)
    return ids


def _populate_library(store, people) -> None:
    """Two versions of one layer, a working group's layer, and a removed one (kept for packs)."""
    from shapely.geometry import Point

    from marine.library import LayerMeta, PreparedFeature, PreparedImport

    def layer(layer_id, n, group=None):
        meta = LayerMeta(layer_id=layer_id, title=f"Stations {n} — 南海", theme="environment",
                         status="scientific", source="Cruise report 2025-04, table 2",
                         licence="CC BY 4.0", accuracy="GPS, ±10 m", label_field="station",
                         group=group)
        features = tuple(PreparedFeature(Point(112 + i / 3, 12.123456789012345), f"S{i}",
                                         {"station": f"S{i}", "depth_m": 10.5 + i})
                         for i in range(n))
        return PreparedImport(meta, "stations.geojson", "GeoJSON", features, ("a note",))

    fac = people["facilitator"]
    store.library.import_layer(fac, layer("survey-stations", 3))
    store.library.import_layer(fac, layer("survey-stations", 5))
    store.library.import_layer(fac, layer("legal-sites", 2, group="legal-matters"))
    store.library.import_layer(fac, layer("old-tracks", 1))
    store.library.remove(fac, "old-tracks")


def _files(target):
    if target.suffix == ".zip":
        with zipfile.ZipFile(target) as z:
            return {name: z.read(name).decode() for name in z.namelist()}
    return {p.name: p.read_text() for p in target.iterdir()}


@pytest.mark.parametrize("fmt", ["folder", "zip"])
def test_round_trip_is_lossless(store, people, backend, tmp_path, request, fmt):
    ids = _populate(store, people)
    first = tmp_path / ("first.zip" if fmt == "zip" else "first")
    manifest = export_workspace(store, first, with_password_hashes=True)
    assert manifest["counts"]["proposal_versions"] == 5 and manifest["counts"]["comments"] == 1

    copy_url = _empty_database(backend, tmp_path, request)
    copy = Store.open(copy_url, postgis=POSTGIS.get(backend))
    try:
        import_workspace(copy, first)
        second = tmp_path / ("second.zip" if fmt == "zip" else "second")
        export_workspace(copy, second, with_password_hashes=True)
        assert _files(first) == _files(second)
        # The restored workspace answers like the original.
        for pid in ids:
            original = store.proposals.versions(SYSTEM, pid)
            restored = copy.proposals.versions(SYSTEM, pid)
            assert [v.geometry_wkb for v in restored] == [v.geometry_wkb for v in original]
            assert restored == original
        view = (112, 9, 116, 11)
        assert copy.proposals.list(SYSTEM, bbox=view) == store.proposals.list(SYSTEM, bbox=view)
        assert copy.users.authenticate("author", PASSWORD).username == "author"
        assert copy.comments.list(people["facilitator"], ids[0]) == store.comments.list(people["facilitator"], ids[0])
        # The data library comes back with every version, removed layers included.
        assert manifest["counts"]["library_features"] == 3 + 5 + 2 + 1
        every = {"include_removed": True}
        assert copy.library.list(SYSTEM, **every) == store.library.list(SYSTEM, **every)
        for layer_id, version in (("survey-stations", 1), ("survey-stations", 2),
                                  ("legal-sites", 1), ("old-tracks", 1)):
            assert (copy.library.features(SYSTEM, layer_id, version=version, **every)
                    == store.library.features(SYSTEM, layer_id, version=version, **every))
        # New rows get fresh ids after the restored ones.
        newbie = copy.users.create(SYSTEM, "newbie", "Newbie")
        assert newbie.id == max(u.id for u in store.users.list(SYSTEM)) + 1
        p = copy.proposals.create(people["author"], group="legal-matters", kind="k", title="new",
                                  text="", geometry=shapely.box(100, 1, 101, 2))
        assert p.id == max(ids) + 1
    finally:
        copy.close()


def test_a_backup_made_before_the_data_library_still_restores(store, people, tmp_path):
    _populate(store, people)
    export_workspace(store, tmp_path / "new")
    old = tmp_path / "new"
    manifest = json.loads((old / "manifest.json").read_text())
    (old / "manifest.json").write_text(json.dumps({**manifest, "format_version": 1}))
    for name in ("library_layers.jsonl", "library_layer_versions.jsonl",
                 "library_features.geojson"):
        (old / name).unlink()
    copy = Store.open(f"sqlite:///{tmp_path / 'copy.sqlite'}")
    try:
        import_workspace(copy, old)
        assert copy.library.list(SYSTEM) == [] and len(copy.proposals.list(SYSTEM)) == 4
    finally:
        copy.close()


def _empty_database(backend, tmp_path, request) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'copy.sqlite'}"
    admin = request.getfixturevalue("pg_admin")
    name = admin.migrated_database(backend)
    request.addfinalizer(lambda: admin.drop(name))
    return admin.url_of(name)


def test_password_hashes_stay_out_unless_asked(store, people, tmp_path):
    _populate(store, people)
    export_workspace(store, tmp_path / "plain")
    users = (tmp_path / "plain" / "users.jsonl").read_text()
    assert "argon2" not in users and "password_hash" not in users
    assert json.loads((tmp_path / "plain" / "manifest.json").read_text())["with_password_hashes"] is False
    export_workspace(store, tmp_path / "full", with_password_hashes=True)
    assert "$argon2id$" in (tmp_path / "full" / "users.jsonl").read_text()


def test_versions_are_geojson_in_epsg_4326(store, people, tmp_path):
    _populate(store, people)
    export_workspace(store, tmp_path / "b")
    collection = json.loads((tmp_path / "b" / "proposal_versions.geojson").read_text())
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 5
    first = collection["features"][0]
    assert first["geometry"]["type"] == "Polygon"
    assert first["properties"]["report"]["area_km2"] == 1234.5678901234567
    assert all(-180 <= x <= 180 for x, _ in first["geometry"]["coordinates"][0])


def test_import_refuses_a_workspace_in_use_and_other_files(store, people, tmp_path):
    _populate(store, people)
    export_workspace(store, tmp_path / "b")
    with pytest.raises(MarineError, match="already has accounts"):
        import_workspace(store, tmp_path / "b")
    with pytest.raises(MarineError, match="not empty"):
        export_workspace(store, tmp_path / "b")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "manifest.json").write_text('{"format": "something-else"}')
    with pytest.raises(MarineError, match="format 'something-else'"):
        import_workspace(store, tmp_path / "other")
    with pytest.raises(MarineError, match="does not exist"):
        import_workspace(store, tmp_path / "missing")
