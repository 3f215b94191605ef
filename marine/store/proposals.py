"""Proposals and their immutable versions: create, save (with conflict detection), read,
list and "touching this view" bbox queries, status changes.

No lost updates: `save_version` names the version it was based on. The proposal row's
`latest_version` is moved from that number to the next with a compare-and-set UPDATE in the
same transaction as the new version's INSERT, so of two concurrent saves on the same base
exactly one lands; the other gets a `ConflictError` carrying both versions, and nothing is
written for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import shapely
from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    Table,
    func,
    literal_column,
    select,
    update,
)

from marine.errors import ConflictError, ProposalError
from marine.store import access
from marine.store._common import (
    Actor,
    Repository,
    audit,
    checked_geometry,
    checked_json,
    checked_text,
    principal,
)
from marine.store.groups import Groups
from marine.store.models import ProposalRow, VersionRow, utcnow
from marine.store.records import Proposal, ProposalSummary, Version

# The SQLite R*Tree created by the first migration (not an ORM table: a virtual table).
_rtree = Table(
    "proposals_rtree",
    MetaData(),
    Column("id", Integer, primary_key=True),
    *(Column(name, Float) for name in ("minx", "maxx", "miny", "maxy")),
)
_SUMMARY_COLUMNS = (
    ProposalRow.id,
    ProposalRow.kind,
    ProposalRow.group_id,
    ProposalRow.status,
    ProposalRow.title,
    ProposalRow.latest_version,
    ProposalRow.minx,
    ProposalRow.miny,
    ProposalRow.maxx,
    ProposalRow.maxy,
    ProposalRow.created_at,
    ProposalRow.updated_at,
)
MAX_TITLE = 300
MAX_KIND = 80


def _summary(r) -> ProposalSummary:
    return ProposalSummary(
        id=r.id,
        kind=r.kind,
        group_id=r.group_id,
        status=r.status,
        title=r.title,
        latest_version=r.latest_version,
        bbox=(r.minx, r.miny, r.maxx, r.maxy),
        created_at=r.created_at,
        updated_at=r.updated_at,
    )


def _version(row: VersionRow, who: access.Principal, facts: access.ProposalFacts) -> Version:
    sees_authors = access.allowed(who, access.READ_AUTHORSHIP, facts)
    return Version(
        id=row.id,
        proposal_id=row.proposal_id,
        number=row.number,
        title=row.title,
        text=row.text,
        attributes=dict(row.attributes or {}),
        report=row.report,
        geometry_wkb=bytes(row.geometry_wkb),
        bbox=(row.minx, row.miny, row.maxx, row.maxy),
        created_at=row.created_at,
        created_by=row.created_by if sees_authors else None,
        created_by_me=row.created_by == who.user_id,
    )


def proposal_facts(session, row: ProposalRow) -> access.ProposalFacts:
    authors = set(session.scalars(select(VersionRow.created_by).where(VersionRow.proposal_id == row.id)))
    authors.add(row.created_by)
    return access.ProposalFacts(
        group_id=row.group_id,
        status=row.status,
        was_circulated=row.was_circulated,
        author_ids=frozenset(authors),
    )


def load_proposal(session, proposal_id: int) -> ProposalRow:
    row = session.get(ProposalRow, proposal_id)
    if row is None:
        raise ProposalError(f"proposal {proposal_id} does not exist; check the number")
    return row


def _version_fields(title, text, geometry, attributes, report) -> dict[str, Any]:
    geom = checked_geometry(geometry)
    minx, miny, maxx, maxy = geom.bounds
    attributes = checked_json(attributes or {}, "the form attributes")
    if not isinstance(attributes, dict):
        raise ProposalError(f"the form attributes must be a mapping, got {type(attributes).__name__}")
    return {
        "title": checked_text(title, "the title", max_length=MAX_TITLE),
        "text": checked_text(text, "the proposal text", empty_ok=True),
        "attributes": attributes,
        "report": checked_json(report, "the analysis report"),
        "geometry_wkb": shapely.to_wkb(geom),
        "minx": minx,
        "miny": miny,
        "maxx": maxx,
        "maxy": maxy,
    }


class Proposals(Repository):
    def create(
        self,
        actor: Actor,
        *,
        group: str | int,
        kind: str,
        title: str,
        text: str,
        geometry,
        attributes: Mapping | None = None,
        report: Any = None,
    ) -> Proposal:
        """A new draft proposal in `group` with its version 1 (members and facilitators)."""
        kind = checked_text(kind, "the template kind", max_length=MAX_KIND)
        fields = _version_fields(title, text, geometry, attributes, report)
        with self.db.writing() as session:
            who = principal(session, actor)
            group_row = Groups._row(session, group)
            access.require_group_role(
                who, access.CREATE_PROPOSAL, group_row.id, frozenset({"facilitator", "member"})
            )
            if who.user_id is None:
                raise ProposalError("proposals are written by people: pass the author's account")
            now = utcnow()
            row = ProposalRow(
                kind=kind,
                group_id=group_row.id,
                status="draft",
                was_circulated=False,
                created_by=who.user_id,
                created_at=now,
                updated_at=now,
                latest_version=1,
                **{k: fields[k] for k in ("title", "geometry_wkb", "minx", "miny", "maxx", "maxy")},
            )
            session.add(row)
            session.flush()
            version = VersionRow(proposal_id=row.id, number=1, created_at=now, created_by=who.user_id, **fields)
            session.add(version)
            session.flush()
            audit(session, who, "proposal.create", "proposal", row.id, group_id=row.group_id, kind=kind, version=1)
            facts = proposal_facts(session, row)
            return Proposal(
                summary=_summary(row),
                latest=_version(version, who, facts),
                was_circulated=False,
                allowed=access.allowed_actions(who, facts),
            )

    def save_version(
        self,
        actor: Actor,
        proposal_id: int,
        *,
        base_version: int,
        title: str,
        text: str,
        geometry,
        attributes: Mapping | None = None,
        report: Any = None,
    ) -> Version:
        """Save a new version on top of `base_version`; ConflictError if another landed since."""
        fields = _version_fields(title, text, geometry, attributes, report)
        with self.db.writing() as session:
            who = principal(session, actor)
            row = load_proposal(session, proposal_id)
            facts = proposal_facts(session, row)
            access.require(who, access.CREATE_VERSION, facts, what=f"proposal {proposal_id}")
            if who.user_id is None:
                raise ProposalError("versions are written by people: pass the author's account")
            number = base_version + 1
            now = utcnow()
            moved = session.execute(
                update(ProposalRow)
                .where(ProposalRow.id == proposal_id, ProposalRow.latest_version == base_version)
                .values(
                    latest_version=number,
                    updated_at=now,
                    **{k: fields[k] for k in ("title", "geometry_wkb", "minx", "miny", "maxx", "maxy")},
                )
                .execution_options(synchronize_session=False)
            ).rowcount
            if moved != 1:
                raise self._conflict(session, who, facts, proposal_id, base_version)
            version = VersionRow(
                proposal_id=proposal_id, number=number, created_at=now, created_by=who.user_id, **fields
            )
            session.add(version)
            session.flush()
            audit(session, who, "version.create", "proposal", proposal_id, group_id=row.group_id, version=number)
            return _version(version, who, facts)

    @staticmethod
    def _conflict(session, who, facts, proposal_id: int, base_version: int) -> ConflictError:
        latest_number = session.scalar(
            select(func.max(VersionRow.number)).where(VersionRow.proposal_id == proposal_id)
        )
        rows = {
            r.number: r
            for r in session.scalars(
                select(VersionRow).where(
                    VersionRow.proposal_id == proposal_id,
                    VersionRow.number.in_((base_version, latest_number)),
                )
            )
        }
        if base_version not in rows:
            return ProposalError(
                f"proposal {proposal_id} has no version {base_version} to build on; "
                f"the latest is {latest_number}"
            )
        latest = _version(rows[latest_number], who, facts)
        error = ConflictError(
            f"proposal {proposal_id} changed while you were editing: you started from version "
            f"{base_version}, but version {latest_number} was saved at "
            f"{latest.created_at:%Y-%m-%d %H:%M} UTC. Nothing was saved; review the differences "
            f"and save again on top of version {latest_number}."
        )
        error.base_version = _version(rows[base_version], who, facts)
        error.latest_version = latest
        return error

    def get(self, actor: Actor, proposal_id: int) -> Proposal:
        with self.db.reading() as session:
            who = principal(session, actor)
            row = load_proposal(session, proposal_id)
            facts = proposal_facts(session, row)
            access.require(who, access.VIEW, facts, what=f"proposal {proposal_id}")
            latest = session.scalar(
                select(VersionRow).where(
                    VersionRow.proposal_id == proposal_id, VersionRow.number == row.latest_version
                )
            )
            return Proposal(
                summary=_summary(row),
                latest=_version(latest, who, facts),
                was_circulated=row.was_circulated,
                allowed=access.allowed_actions(who, facts),
            )

    def versions(self, actor: Actor, proposal_id: int) -> list[Version]:
        """Every version, oldest first."""
        with self.db.reading() as session:
            who = principal(session, actor)
            row = load_proposal(session, proposal_id)
            facts = proposal_facts(session, row)
            access.require(who, access.VIEW, facts, what=f"proposal {proposal_id}")
            rows = session.scalars(
                select(VersionRow).where(VersionRow.proposal_id == proposal_id).order_by(VersionRow.number)
            )
            return [_version(r, who, facts) for r in rows]

    def version(self, actor: Actor, proposal_id: int, number: int) -> Version:
        for version in self.versions(actor, proposal_id):
            if version.number == number:
                return version
        raise ProposalError(f"proposal {proposal_id} has no version {number}")

    def set_status(self, actor: Actor, proposal_id: int, status: str, *, note: str = "") -> ProposalSummary:
        """Move a proposal along draft → circulated → discussed → recommended, or withdraw it
        (facilitators of its group)."""
        with self.db.writing() as session:
            who = principal(session, actor)
            row = load_proposal(session, proposal_id)
            facts = proposal_facts(session, row)
            access.require(who, access.CHANGE_STATUS, facts, what=f"proposal {proposal_id}")
            access.check_transition(row.status, status)
            before = row.status
            row.status = status
            row.was_circulated = row.was_circulated or status == "circulated"
            row.updated_at = utcnow()
            session.flush()
            audit(
                session, who, "proposal.status", "proposal", proposal_id,
                group_id=row.group_id, status=status, previous=before, note=note,
            )
            return _summary(row)

    def list(
        self,
        actor: Actor,
        *,
        group: str | int | None = None,
        status: str | None = None,
        kind: str | None = None,
        search: str | None = None,
        bbox: tuple[float, float, float, float] | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[ProposalSummary]:
        """The proposals the caller may see, newest change first, filtered.

        `bbox` = (minx, miny, maxx, maxy) in EPSG:4326 keeps proposals whose current geometry
        touches that rectangle ("proposals touching this view"); it does not wrap the
        antimeridian.
        """
        if bbox is not None:
            bbox = _checked_bbox(bbox)
        with self.db.reading() as session:
            who = principal(session, actor)
            query = select(*_SUMMARY_COLUMNS).where(*self._filters(session, who, group, status, kind, search))
            query = query.order_by(ProposalRow.updated_at.desc(), ProposalRow.id.desc())
            if bbox is None:
                rows = session.execute(query.limit(limit).offset(offset)).all()
            else:
                rows = self._touching(session, query, bbox, limit, offset)
            return [_summary(r) for r in rows]

    def _filters(self, session, who: access.Principal, group, status, kind, search) -> list:
        filters = [access.visible_clause(who, ProposalRow.group_id, ProposalRow.status,
                                         ProposalRow.was_circulated)]
        if group is not None:
            filters.append(ProposalRow.group_id == Groups._row(session, group).id)
        if status is not None:
            if status not in access.TRANSITIONS:
                raise ProposalError(f"status {status!r} is unknown; expected one of {tuple(access.TRANSITIONS)}")
            filters.append(ProposalRow.status == status)
        if kind is not None:
            filters.append(ProposalRow.kind == kind)
        if search:
            filters.append(func.lower(ProposalRow.title).contains(search.strip().lower(), autoescape=True))
        return filters

    def _touching(self, session, query, bbox, limit: int, offset: int) -> list:
        minx, miny, maxx, maxy = bbox
        mode = self.db.spatial
        if mode == "postgis":
            envelope = func.ST_MakeEnvelope(minx, miny, maxx, maxy, 4326)
            geom = literal_column("proposals.geom")
            query = query.where(geom.op("&&")(envelope), func.ST_Intersects(geom, envelope))
            return session.execute(query.limit(limit).offset(offset)).all()
        if mode == "rtree":
            candidates = select(_rtree.c.id).where(
                _rtree.c.minx <= maxx, _rtree.c.maxx >= minx, _rtree.c.miny <= maxy, _rtree.c.maxy >= miny
            )
            query = query.where(ProposalRow.id.in_(candidates))
        else:  # PostgreSQL without PostGIS: GiST index on the built-in box type
            own = func.box(func.point(ProposalRow.minx, ProposalRow.miny), func.point(ProposalRow.maxx, ProposalRow.maxy))
            view = func.box(func.point(minx, miny), func.point(maxx, maxy))
            query = query.where(own.op("&&")(view))
        rows = session.execute(query.add_columns(ProposalRow.geometry_wkb)).all()
        return _exactly_touching(rows, bbox)[offset : offset + limit]


def _checked_bbox(bbox) -> tuple[float, float, float, float]:
    try:
        minx, miny, maxx, maxy = (float(v) for v in bbox)
    except (TypeError, ValueError) as exc:
        raise ProposalError(f"bbox {bbox!r} must be four numbers (minx, miny, maxx, maxy)") from exc
    if not (minx <= maxx and miny <= maxy and minx >= -180 and maxx <= 180 and miny >= -90 and maxy <= 90):
        raise ProposalError(
            f"bbox {bbox!r} is not (minx, miny, maxx, maxy) in longitude/latitude with min <= max"
        )
    return minx, miny, maxx, maxy


def _exactly_touching(rows: list, bbox) -> list:
    """Keep rows whose geometry touches the view; a bbox inside the view needs no geometry test."""
    minx, miny, maxx, maxy = bbox
    inside = [r.minx >= minx and r.maxx <= maxx and r.miny >= miny and r.maxy <= maxy for r in rows]
    border = [i for i, ok in enumerate(inside) if not ok]
    if border:
        geoms = shapely.from_wkb([rows[i].geometry_wkb for i in border])
        hits = shapely.intersects(geoms, shapely.box(minx, miny, maxx, maxy))
        for i, hit in zip(border, hits, strict=True):
            inside[i] = bool(hit)
    return [r for r, ok in zip(rows, inside, strict=True) if ok]
