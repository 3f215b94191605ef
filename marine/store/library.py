"""The data library in the store: imported layers, their immutable versions and features.

Rules (issue 16), checked here on every call, never only in the UI:

- importing and removing: administrators, and facilitators — of the layer's working group
  for a group layer, of any group for a layer every participant sees;
- reading: a layer for all participants is read by every participant; a group layer only by
  that group's members, facilitators and observers (and administrators);
- re-importing an id makes a new version; removing hides the layer from the catalogue and
  keeps every version, so a pack that used one can be rebuilt (`features(..., version=N,
  include_removed=True)`);
- every import and removal is in the audit log, in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import shapely
from sqlalchemy import func, insert, select

from marine.errors import AccessDenied, LayerError
from marine.store import access
from marine.store._common import Actor, Repository, audit, principal
from marine.store.access import Principal
from marine.store.groups import Groups
from marine.store.models import (
    LibraryFeatureRow,
    LibraryLayerRow,
    LibraryVersionRow,
    utcnow,
)

IMPORT_LAYER = "import layer"
REMOVE_LAYER = "remove layer"
READ_LAYER = "read layer"
INSERT_BATCH = 2000  # features per INSERT (executemany) — bounded memory for big imports


@dataclass(frozen=True)
class LibraryLayer:
    """A stored layer as the catalogue and the pages see it (latest version's provenance)."""

    id: int
    layer_id: str
    title: str
    theme: str
    status: str
    source: str
    licence: str
    accuracy: str
    label_field: str | None
    group_id: int | None
    version: int
    feature_count: int
    vertex_count: int
    removed: bool
    updated_at: datetime


@dataclass(frozen=True)
class LayerFeatures:
    """One version's features: WKB, labels and attributes in import order."""

    layer: LibraryLayer  # provenance as of this version
    wkb: tuple[bytes, ...]
    labels: tuple[str, ...]
    properties: tuple[dict, ...]


def can_read(who: Principal, group_id: int | None) -> bool:
    if who.is_admin or who.is_system:
        return True
    if group_id is None:
        return who.is_participant
    return group_id in who.roles


def require_manage(who: Principal, action: str, group_id: int | None) -> None:
    if who.is_admin or who.is_system:
        return
    if group_id is None:
        if "facilitator" in who.roles.values():
            return
        raise AccessDenied(f"{who.label()} may not {action} for all participants: only "
                           "facilitators and administrators may")
    access.require_group_role(who, action, group_id, frozenset({"facilitator"}))


def _record(row: LibraryLayerRow, version: LibraryVersionRow) -> LibraryLayer:
    return LibraryLayer(
        id=row.id, layer_id=row.layer_id, title=version.title, theme=version.theme,
        status=version.status, source=version.source, licence=version.licence,
        accuracy=version.accuracy, label_field=version.label_field, group_id=row.group_id,
        version=version.number, feature_count=version.feature_count,
        vertex_count=version.vertex_count, removed=row.removed,
        updated_at=row.updated_at)


class Library(Repository):
    # ----------------------------------------------------------------------- writing
    def import_layer(self, actor: Actor, prepared) -> LibraryLayer:
        """Store a `marine.library.PreparedImport` as the layer's next version (one
        transaction: a failure writes nothing)."""
        meta = prepared.meta
        with self.db.writing() as session:
            who = principal(session, actor)
            group_id = Groups._row(session, meta.group).id if meta.group else None
            row = session.scalar(select(LibraryLayerRow).where(
                LibraryLayerRow.layer_id == meta.layer_id).with_for_update())
            if row is not None:
                require_manage(who, IMPORT_LAYER, row.group_id)
            require_manage(who, IMPORT_LAYER, group_id)
            now = utcnow()
            if row is None:
                row = LibraryLayerRow(layer_id=meta.layer_id, created_by=who.user_id,
                                      created_at=now, latest_version=0, removed=False)
                session.add(row)
            for name in ("title", "theme", "status", "source", "licence", "accuracy",
                         "label_field"):
                setattr(row, name, getattr(meta, name))
            row.group_id, row.removed, row.removed_at, row.updated_at = group_id, False, None, now
            row.latest_version += 1
            session.flush()
            version = LibraryVersionRow(
                layer_pk=row.id, number=row.latest_version, title=meta.title, theme=meta.theme,
                status=meta.status, source=meta.source, licence=meta.licence,
                accuracy=meta.accuracy, label_field=meta.label_field,
                filename=prepared.filename[:300], file_format=prepared.file_format,
                feature_count=len(prepared.features), vertex_count=prepared.vertex_count,
                notes=list(prepared.notes), created_by=who.user_id, created_at=now)
            session.add(version)
            session.flush()
            _insert_features(session, version.id, prepared.features)
            audit(session, who, "layer.import", "layer", row.id, group_id=group_id,
                  layer_id=meta.layer_id, version=version.number, filename=version.filename,
                  features=version.feature_count, status=meta.status, source=meta.source)
            return _record(row, version)

    def remove(self, actor: Actor, layer_id: str) -> LibraryLayer:
        """Hide the layer from the catalogue; its versions stay for packs that used them."""
        with self.db.writing() as session:
            who = principal(session, actor)
            row = self._row(session, who, layer_id, include_removed=True)
            require_manage(who, REMOVE_LAYER, row.group_id)
            if row.removed:
                raise LayerError(f"layer '{layer_id}' was removed already")
            row.removed, row.removed_at = True, utcnow()
            audit(session, who, "layer.remove", "layer", row.id, group_id=row.group_id,
                  layer_id=layer_id, version=row.latest_version)
            return _record(row, self._version(session, row, row.latest_version))

    # ----------------------------------------------------------------------- reading
    def list(self, actor: Actor, *, include_removed: bool = False) -> list[LibraryLayer]:
        """The layers `actor` may read, by id (latest versions)."""
        with self.db.reading() as session:
            who = principal(session, actor)
            query = (select(LibraryLayerRow, LibraryVersionRow)
                     .join(LibraryVersionRow, (LibraryVersionRow.layer_pk == LibraryLayerRow.id)
                           & (LibraryVersionRow.number == LibraryLayerRow.latest_version))
                     .order_by(LibraryLayerRow.layer_id))
            if not include_removed:
                query = query.where(LibraryLayerRow.removed.is_(False))
            return [_record(row, version) for row, version in session.execute(query)
                    if can_read(who, row.group_id)]

    def get(self, actor: Actor, layer_id: str, *, include_removed: bool = False) -> LibraryLayer:
        with self.db.reading() as session:
            who = principal(session, actor)
            row = self._row(session, who, layer_id, include_removed=include_removed)
            return _record(row, self._version(session, row, row.latest_version))

    def versions(self, actor: Actor, layer_id: str) -> list[LibraryLayer]:
        with self.db.reading() as session:
            who = principal(session, actor)
            row = self._row(session, who, layer_id, include_removed=True)
            rows = session.scalars(select(LibraryVersionRow).where(
                LibraryVersionRow.layer_pk == row.id).order_by(LibraryVersionRow.number))
            return [_record(row, v) for v in rows]

    def features(self, actor: Actor, layer_id: str, version: int | None = None, *,
                 include_removed: bool = False) -> LayerFeatures:
        """A version's features (default: the latest). A pack rebuilt from an older version or
        a removed layer passes `version` and `include_removed=True`."""
        with self.db.reading() as session:
            who = principal(session, actor)
            row = self._row(session, who, layer_id, include_removed=include_removed)
            number = row.latest_version if version is None else version
            v = self._version(session, row, number)
            rows = session.execute(
                select(LibraryFeatureRow.geometry_wkb, LibraryFeatureRow.label,
                       LibraryFeatureRow.properties)
                .where(LibraryFeatureRow.version_id == v.id)
                .order_by(LibraryFeatureRow.ordinal)).all()
            wkb, labels, props = zip(*rows, strict=True) if rows else ((), (), ())
            return LayerFeatures(_record(row, v), tuple(bytes(w) for w in wkb), tuple(labels),
                                 tuple(dict(p or {}) for p in props))

    def feature_count(self, actor: Actor) -> int:
        with self.db.reading() as session:
            principal(session, actor)
            return session.scalar(select(func.count()).select_from(LibraryFeatureRow))

    # ----------------------------------------------------------------------- helpers
    @staticmethod
    def _row(session, who: Principal, layer_id: str, *, include_removed: bool) -> LibraryLayerRow:
        row = session.scalar(select(LibraryLayerRow).where(LibraryLayerRow.layer_id == layer_id))
        if row is None or (row.removed and not include_removed):
            raise LayerError(f"layer '{layer_id}' is not in the data library; list the layers "
                             "with `marine layers list`")
        if not can_read(who, row.group_id):
            raise AccessDenied(f"{who.label()} may not {READ_LAYER} '{layer_id}': it is shared "
                               f"with working group {row.group_id} only")
        return row

    @staticmethod
    def _version(session, row: LibraryLayerRow, number: int) -> LibraryVersionRow:
        version = session.scalar(select(LibraryVersionRow).where(
            LibraryVersionRow.layer_pk == row.id, LibraryVersionRow.number == number))
        if version is None:
            raise LayerError(f"layer '{row.layer_id}' has no version {number}; it has versions "
                             f"1 to {row.latest_version}")
        return version


def _insert_features(session, version_id: int, features) -> None:
    table = LibraryFeatureRow.__table__
    batch = []
    for ordinal, feature in enumerate(features):
        geom = feature.geometry
        minx, miny, maxx, maxy = geom.bounds
        batch.append({"version_id": version_id, "ordinal": ordinal, "label": feature.label,
                      "properties": feature.properties, "geometry_wkb": shapely.to_wkb(geom),
                      "minx": minx, "miny": miny, "maxx": maxx, "maxy": maxy})
        if len(batch) >= INSERT_BATCH:
            session.execute(insert(table), batch)
            batch = []
    if batch:
        session.execute(insert(table), batch)
