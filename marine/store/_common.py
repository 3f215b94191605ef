"""Pieces every repository of the store shares: who is calling, the audit trail, checked
inputs (geometry, JSON), and row → record conversion."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.orm import Session

from marine.errors import AccessDenied, GeometryError, ProposalError
from marine.store.access import Principal
from marine.store.db import Database
from marine.store.models import AuditRow, MembershipRow, UserRow, utcnow
from marine.store.records import User

# Who a call is made by: a User record (from login), a user id, or access.SYSTEM (the CLI).
Actor = User | int | Principal


class Repository:
    def __init__(self, db: Database):
        self.db = db


def principal(session: Session, actor: Actor) -> Principal:
    """The caller's current rights, read in the call's own transaction."""
    if isinstance(actor, Principal):
        if actor.is_system:
            return actor
        actor = actor.user_id
    user_id = actor.id if isinstance(actor, User) else actor
    if not isinstance(user_id, int):
        raise TypeError(f"actor was {actor!r}; pass a User, a user id or access.SYSTEM")
    row = session.get(UserRow, user_id)
    if row is None or not row.is_active:
        raise AccessDenied(
            f"user {user_id} is unknown or deactivated; log in again or ask an administrator"
        )
    if row.must_change_password:
        raise AccessDenied(
            f"user {user_id} signed in with a one-time password or link and must choose a new "
            "password first; set it on the Sign in page"
        )
    roles = dict(
        session.execute(
            select(MembershipRow.group_id, MembershipRow.role).where(MembershipRow.user_id == user_id)
        ).all()
    )
    return Principal(user_id=user_id, is_admin=row.is_admin, roles=roles)


def audit(
    session: Session,
    who: Principal,
    action: str,
    object_type: str,
    object_id: int | None,
    *,
    group_id: int | None = None,
    **details: Any,
) -> None:
    session.add(
        AuditRow(
            at=utcnow(),
            actor_id=who.user_id,
            action=action,
            object_type=object_type,
            object_id=object_id,
            group_id=group_id,
            details=details,
        )
    )


def user_record(row: UserRow) -> User:
    return User(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        languages=tuple(row.languages or ()),
        is_admin=row.is_admin,
        is_active=row.is_active,
        email=row.email,
        has_password=row.password_hash is not None,
        identity=row.identity,
        must_change_password=bool(row.must_change_password),
    )


def checked_geometry(value: BaseGeometry | Mapping | str | bytes) -> BaseGeometry:
    """A valid, non-empty 2-D geometry with lon/lat coordinates (EPSG:4326).

    Accepts a shapely geometry, a GeoJSON geometry or Feature (dict or text) or WKB bytes.
    """
    geometry = _as_geometry(value)
    if geometry.is_empty:
        raise GeometryError("the proposal geometry is empty; draw or upload an area first")
    geometry = shapely.force_2d(geometry)
    if not shapely.is_valid(geometry):
        raise GeometryError(
            f"the proposal geometry is invalid ({shapely.is_valid_reason(geometry)}); "
            "repair it (e.g. shapely.make_valid) before saving"
        )
    minx, miny, maxx, maxy = geometry.bounds
    if not all(math.isfinite(v) for v in (minx, miny, maxx, maxy)):
        raise GeometryError("the proposal geometry has non-finite coordinates")
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        raise GeometryError(
            f"the proposal geometry's bounds {geometry.bounds} are not longitude/latitude; "
            "store geometries in EPSG:4326 (x = longitude, y = latitude)"
        )
    return geometry


def _as_geometry(value) -> BaseGeometry:
    if isinstance(value, BaseGeometry):
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        return shapely.from_wkb(bytes(value))
    if isinstance(value, str):
        value = json.loads(value)
    if isinstance(value, Mapping):
        if value.get("type") == "Feature":
            value = value.get("geometry") or {}
        try:
            return shape(value)
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            raise GeometryError(f"could not read GeoJSON geometry {str(value)[:120]!r}: {exc}") from exc
    raise GeometryError(
        f"geometry of type {type(value).__name__} is not supported; pass a shapely geometry, "
        "GeoJSON or WKB"
    )


def checked_json(value: Any, what: str) -> Any:
    """A JSON-safe copy of `value` (dict, JSON text, or an object with `to_json()`)."""
    if value is None:
        return None
    if hasattr(value, "to_json"):
        value = value.to_json()
    if isinstance(value, str | bytes):
        try:
            return json.loads(value)
        except ValueError as exc:
            raise ProposalError(f"{what} is not valid JSON: {exc}") from exc
    try:
        return json.loads(json.dumps(value, allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise ProposalError(f"{what} cannot be stored as JSON ({exc}); pass plain dicts/lists") from exc


def checked_text(value: str, what: str, *, max_length: int | None = None, empty_ok: bool = False) -> str:
    if not isinstance(value, str):
        raise ProposalError(f"{what} must be text, got {type(value).__name__}")
    value = value.strip()
    if "\x00" in value:  # PostgreSQL text cannot hold NUL; refuse it on every backend alike
        raise ProposalError(
            f"{what} contains a NUL character (\\x00) at position {value.index(chr(0))}; "
            "remove it: it is not text"
        )
    if not value and not empty_ok:
        raise ProposalError(f"{what} is empty; write one")
    if max_length is not None and len(value) > max_length:
        raise ProposalError(f"{what} has {len(value)} characters; the limit is {max_length}")
    return value
