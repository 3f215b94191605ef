"""Backup and restore of the whole workspace: JSON lines per table plus the versions'
geometries as GeoJSON, in a folder or a .zip.

    manifest.json              format, schema revision, counts, whether hashes are included
    users.jsonl                (password hashes only with `with_password_hashes=True`)
    working_groups.jsonl, memberships.jsonl, proposals.jsonl,
    proposal_versions.geojson  a FeatureCollection: geometry + every other column
    comments.jsonl, positions.jsonl, audit_log.jsonl
    library_layers.jsonl, library_layer_versions.jsonl
    library_features.geojson   the data library's features, every version (format 2)

Lossless: ids, timestamps (ISO 8601, UTC, microseconds), JSON columns and coordinates (floats
written with Python's shortest round-tripping repr) come back identical; a proposal's current
geometry and bbox are restored from its latest version. A backup holds comment authorship and
personal data: keep it where only administrators can read it.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape
from sqlalchemy import delete, insert, select, text

from marine.errors import MarineError
from marine.store.db import current_revision, is_empty
from marine.store.models import (
    AuditRow,
    CommentRow,
    GroupRow,
    LargeBinary,
    LibraryFeatureRow,
    LibraryLayerRow,
    LibraryVersionRow,
    MembershipRow,
    PositionRow,
    ProposalRow,
    UserRow,
    UTCDateTime,
    VersionRow,
)
from marine.store.service import Store

FORMAT = "marine-workspace"
FORMAT_VERSION = 2  # 2: the data library too; a format 1 backup (without it) still restores
READABLE_VERSIONS = (1, 2)
JSONL_TABLES = (UserRow, GroupRow, MembershipRow, ProposalRow, CommentRow, PositionRow, AuditRow,
                LibraryLayerRow, LibraryVersionRow)
SINCE_VERSION_2 = (LibraryLayerRow, LibraryVersionRow)
VERSIONS_FILE = "proposal_versions.geojson"
LIBRARY_FILE = "library_features.geojson"
_BBOX = ("minx", "miny", "maxx", "maxy")
# Derived on import from the proposal's latest version.
_PROPOSAL_DERIVED = ("geometry_wkb", "minx", "miny", "maxx", "maxy")
_CHUNK = 1_000


def _columns(model) -> list:
    return list(model.__table__.columns)


def _encode(row, columns, skip=()) -> dict:
    out = {}
    for column in columns:
        if column.name in skip or isinstance(column.type, LargeBinary):
            continue
        value = getattr(row, column.name)
        out[column.name] = value.isoformat() if isinstance(value, datetime) else value
    return out


def _decode(record: dict, columns) -> dict:
    out = dict(record)
    for column in columns:
        value = out.get(column.name)
        if isinstance(column.type, UTCDateTime) and isinstance(value, str):
            out[column.name] = datetime.fromisoformat(value)
    return out


class _Writer:
    """Files into a folder, or members into a zip."""

    def __init__(self, target: Path):
        self.target = target
        self.zip = zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) if target.suffix == ".zip" else None
        if self.zip is None:
            if target.exists() and any(target.iterdir()):
                raise MarineError(f"backup folder {target} is not empty; choose a new folder or a .zip name")
            target.mkdir(parents=True, exist_ok=True)

    def write(self, name: str, lines: Iterable[str]) -> None:
        if self.zip is not None:
            with self.zip.open(name, "w") as handle:
                for line in lines:
                    handle.write(line.encode("utf-8"))
        else:
            with open(self.target / name, "w", encoding="utf-8") as handle:
                handle.writelines(lines)

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()


def export_workspace(store: Store, target: str | Path, *, with_password_hashes: bool = False) -> dict:
    """Write the whole workspace to `target` (a new folder, or a path ending in .zip).
    Returns the manifest."""
    target = Path(target)
    writer = _Writer(target)
    counts: dict[str, int] = {}
    try:
        with store.db.reading() as session:
            for model in JSONL_TABLES:
                skip = _PROPOSAL_DERIVED if model is ProposalRow else ()
                if model is UserRow and not with_password_hashes:
                    skip = ("password_hash",)
                rows = session.scalars(select(model).order_by(*model.__table__.primary_key.columns))
                lines = _counted(counts, model.__tablename__, (
                    json.dumps(_encode(r, _columns(model), skip), ensure_ascii=False, sort_keys=True) + "\n"
                    for r in rows.yield_per(_CHUNK)
                ))
                writer.write(f"{model.__tablename__}.jsonl", lines)
            for model, name, counted in ((VersionRow, VERSIONS_FILE, "proposal_versions"),
                                         (LibraryFeatureRow, LIBRARY_FILE, "library_features")):
                rows = session.scalars(select(model).order_by(model.id)).yield_per(_CHUNK)
                writer.write(name, _feature_collection(model, _counted(counts, counted, rows)))
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "schema_revision": current_revision(store.db.engine),
            "crs": "EPSG:4326",
            "with_password_hashes": with_password_hashes,
            "counts": counts,
        }
        writer.write("manifest.json", [json.dumps(manifest, indent=2, sort_keys=True) + "\n"])
    finally:
        writer.close()
    return manifest


def _counted(counts: dict, name: str, items: Iterable) -> Iterator:
    counts[name] = 0
    for item in items:
        counts[name] += 1
        yield item


def _feature_collection(model, rows: Iterable) -> Iterator[str]:
    """Rows with a WKB geometry as GeoJSON: the geometry, and every other column but the
    bbox (derived again on import) as properties."""
    yield '{"type": "FeatureCollection", "crs_note": "EPSG:4326 (RFC 7946)", "features": [\n'
    columns = _columns(model)
    first = True
    for row in rows:
        feature = {
            "type": "Feature",
            "id": row.id,
            "geometry": mapping(shapely.from_wkb(row.geometry_wkb)),
            "properties": _encode(row, columns, skip=_BBOX),
        }
        yield ("" if first else ",\n") + json.dumps(feature, ensure_ascii=False, sort_keys=True)
        first = False
    yield "\n]}\n"


class _Reader:
    def __init__(self, source: Path):
        if not source.exists():
            raise MarineError(f"backup {source} does not exist; pass the folder or .zip written by export")
        self.zip = zipfile.ZipFile(source) if source.is_file() else None
        self.source = source

    def text(self, name: str) -> str:
        try:
            if self.zip is not None:
                return self.zip.read(name).decode("utf-8")
            return (self.source / name).read_text(encoding="utf-8")
        except (KeyError, FileNotFoundError) as exc:
            raise MarineError(f"backup {self.source} has no {name}; is it a workspace export?") from exc

    def records(self, name: str) -> Iterator[dict]:
        for line in self.text(name).splitlines():
            if line.strip():
                yield json.loads(line)


def import_workspace(store: Store, source: str | Path) -> dict:
    """Restore a backup into an empty workspace (no accounts, no proposals), in one
    transaction. Returns the manifest."""
    reader = _Reader(Path(source))
    manifest = json.loads(reader.text("manifest.json"))
    version = manifest.get("format_version")
    if manifest.get("format") != FORMAT or version not in READABLE_VERSIONS:
        raise MarineError(
            f"backup {source} has format {manifest.get('format')!r} v{version}; this version "
            f"reads {FORMAT!r} v{' and v'.join(map(str, READABLE_VERSIONS))}"
        )
    versions = json.loads(reader.text(VERSIONS_FILE))["features"]
    with store.db.writing() as session:
        if not is_empty(session):
            raise MarineError(
                "the workspace already has accounts or proposals; import into a new database "
                "(set MARINE_DATABASE_URL or MARINE_HOME to a fresh location)"
            )
        # A fresh workspace holds only the seeded groups and their audit entries: replace them.
        for model in (AuditRow, MembershipRow, GroupRow):
            session.execute(delete(model))
        latest = _latest_numbers(reader)
        current = {
            f["properties"]["proposal_id"]: f
            for f in versions
            if f["properties"]["number"] == latest.get(f["properties"]["proposal_id"])
        }
        for model in JSONL_TABLES:
            if version < 2 and model in SINCE_VERSION_2:
                continue
            records = reader.records(f"{model.__tablename__}.jsonl")
            if model is ProposalRow:
                records = (_with_current_geometry(r, current) for r in records)
                _insert(session, model, records)
                _insert(session, VersionRow, (_geometry_record(f) for f in versions))
            else:
                _insert(session, model, records)
        if version >= 2:
            features = json.loads(reader.text(LIBRARY_FILE))["features"]
            _insert(session, LibraryFeatureRow, (_geometry_record(f) for f in features))
        if store.backend == "postgresql":
            _reset_sequences(session)
    return manifest


def _latest_numbers(reader: _Reader) -> dict[int, int]:
    return {r["id"]: r["latest_version"] for r in reader.records("proposals.jsonl")}


def _with_current_geometry(record: dict, current: dict) -> dict:
    feature = current.get(record["id"])
    if feature is None:
        raise MarineError(f"backup has no geometry for proposal {record['id']} version {record['latest_version']}")
    geometry = shape(feature["geometry"])
    minx, miny, maxx, maxy = geometry.bounds
    return {**record, "geometry_wkb": shapely.to_wkb(geometry), "minx": minx, "miny": miny, "maxx": maxx, "maxy": maxy}


def _geometry_record(feature: dict) -> dict:
    geometry = shape(feature["geometry"])
    minx, miny, maxx, maxy = geometry.bounds
    return {**feature["properties"], "geometry_wkb": shapely.to_wkb(geometry),
            "minx": minx, "miny": miny, "maxx": maxx, "maxy": maxy}


def _insert(session, model, records: Iterable[dict]) -> None:
    columns = _columns(model)
    batch: list[dict] = []
    for record in records:
        batch.append(_decode(record, columns))
        if len(batch) == _CHUNK:
            session.execute(insert(model.__table__), batch)
            batch = []
    if batch:
        session.execute(insert(model.__table__), batch)


def _reset_sequences(session) -> None:
    """Explicit ids were inserted: move each serial sequence past them."""
    for model in (UserRow, GroupRow, ProposalRow, VersionRow, CommentRow, PositionRow, AuditRow,
                  LibraryLayerRow, LibraryVersionRow, LibraryFeatureRow):
        table = model.__tablename__
        session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        ))
