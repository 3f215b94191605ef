"""The data library in the store (issue 16), on SQLite and PostgreSQL with and without PostGIS:
versions, visibility per working group, who may import and remove, the audit trail, and no
partial write when an import fails half-way."""

from __future__ import annotations

import pytest
import shapely
from shapely.geometry import Point, box
from sqlalchemy import func, select

from marine.errors import AccessDenied, LayerError
from marine.library import LayerMeta, PreparedFeature, PreparedImport
from marine.store import SYSTEM, Store
from marine.store.models import LibraryFeatureRow, LibraryLayerRow, LibraryVersionRow


def prepared(layer_id="survey-tracks", group=None, n=3, title="Survey stations") -> PreparedImport:
    meta = LayerMeta(layer_id=layer_id, title=title, theme="environment", status="scientific",
                     source="Cruise report 2025-04, table 2", licence="CC BY 4.0",
                     accuracy="GPS, ±10 m", label_field="station", group=group)
    features = tuple(PreparedFeature(Point(112 + i * 0.1, 12), f"S{i}", {"station": f"S{i}"})
                     for i in range(n))
    return PreparedImport(meta, "stations.geojson", "GeoJSON", features, ("a note",))


def test_import_then_reimport_keeps_both_versions(store, people):
    first = store.library.import_layer(people["facilitator"], prepared(n=3))
    second = store.library.import_layer(people["admin"], prepared(n=5, title="Stations v2"))
    assert (first.version, first.feature_count) == (1, 3)
    assert (second.version, second.feature_count, second.title) == (2, 5, "Stations v2")
    old = store.library.features(people["member"], "survey-tracks", version=1)
    new = store.library.features(people["member"], "survey-tracks")
    assert (len(old.wkb), old.layer.title, len(new.wkb)) == (3, "Survey stations", 5)
    assert shapely.from_wkb(new.wkb[4]).equals(Point(112.4, 12))
    assert new.labels[:2] == ("S0", "S1") and new.properties[0] == {"station": "S0"}
    assert [v.version for v in store.library.versions(SYSTEM, "survey-tracks")] == [1, 2]


def test_only_facilitators_and_admins_import_and_remove(store, people):
    for name in ("member", "observer", "participant", "outsider"):
        with pytest.raises(AccessDenied):
            store.library.import_layer(people[name], prepared())
    with pytest.raises(AccessDenied):  # a group layer: that group's facilitators only
        store.library.import_layer(people["facilitator"], prepared(group="resources-assessment"))
    store.library.import_layer(people["facilitator"], prepared(group="legal-matters"))
    with pytest.raises(AccessDenied):
        store.library.remove(people["member"], "survey-tracks")
    assert store.library.list(SYSTEM)[0].layer_id == "survey-tracks"


def test_visibility_per_group_is_enforced_on_reads(store, people):
    store.library.import_layer(people["facilitator"], prepared("legal-only", group="legal-matters"))
    store.library.import_layer(people["facilitator"], prepared("for-everyone"))
    assert [x.layer_id for x in store.library.list(people["observer"])] == ["for-everyone",
                                                                            "legal-only"]
    assert [x.layer_id for x in store.library.list(people["participant"])] == ["for-everyone"]
    assert store.library.list(people["outsider"]) == []
    with pytest.raises(AccessDenied, match="legal-only"):
        store.library.features(people["participant"], "legal-only")
    assert len(store.library.features(people["author"], "legal-only").wkb) == 3


def test_removal_hides_the_layer_and_keeps_its_versions(store, people):
    store.library.import_layer(people["facilitator"], prepared())
    store.library.remove(people["facilitator"], "survey-tracks")
    assert store.library.list(people["member"]) == []
    with pytest.raises(LayerError, match="not in the data library"):
        store.library.features(people["member"], "survey-tracks")
    kept = store.library.features(people["member"], "survey-tracks", version=1,
                                  include_removed=True)
    assert len(kept.wkb) == 3 and kept.layer.removed
    with pytest.raises(LayerError, match="removed already"):
        store.library.remove(people["facilitator"], "survey-tracks")
    again = store.library.import_layer(people["facilitator"], prepared())
    assert (again.version, again.removed) == (2, False)


def test_every_import_and_removal_is_audited(store, people):
    store.library.import_layer(people["facilitator"], prepared(group="legal-matters"))
    store.library.remove(people["admin"], "survey-tracks")
    entries = [e for e in store.audit.entries(people["facilitator"], group="legal-matters")
               if e.object_type == "layer"]
    assert [(e.action, e.details["layer_id"], e.actor_name) for e in entries] == [
        ("layer.remove", "survey-tracks", "Admin"),
        ("layer.import", "survey-tracks", "Facilitator")]
    assert entries[1].details["features"] == 3


def test_a_failed_import_writes_nothing(store, people):
    bad = prepared(n=2500)  # the second insert batch fails: its properties are not JSON
    features = list(bad.features)
    features[-1] = PreparedFeature(box(112, 12, 113, 13), "x", {"bad": object()})
    broken = PreparedImport(bad.meta, bad.filename, bad.file_format, tuple(features))
    with pytest.raises(Exception):  # noqa: B017 - the driver's own error; what matters is below
        store.library.import_layer(people["facilitator"], broken)
    with store.db.reading() as session:
        counts = [session.scalar(select(func.count()).select_from(t))
                  for t in (LibraryLayerRow, LibraryVersionRow, LibraryFeatureRow)]
    assert counts == [0, 0, 0]
    assert [e for e in store.audit.entries(SYSTEM) if e.object_type == "layer"] == []


@pytest.mark.postgres
def test_a_second_store_on_the_same_postgresql_database_sees_the_layer(postgres_db):
    first = Store.open(postgres_db)
    second = Store.open(postgres_db)
    try:
        first.library.import_layer(SYSTEM, prepared())
        seen = second.library.features(SYSTEM, "survey-tracks")
        assert (seen.layer.version, len(seen.wkb)) == (1, 3)
    finally:
        first.close()
        second.close()
