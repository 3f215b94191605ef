"""`Store`: the one object the app and the CLI hold (the UI creates it once with
`st.cache_resource`). Every method takes the calling user first and checks their rights in
the same transaction as the work.

    store = Store.open()                      # MARINE_DATABASE_URL or var/workspace.sqlite
    user = store.users.authenticate("ana", password)
    p = store.proposals.create(user, group="legal-matters", kind="joint-research-area",
                               title=..., text=..., geometry=polygon, report=report.to_json())
    store.proposals.save_version(user, p.id, base_version=1, ...)   # ConflictError if stale
    store.comments.add(user, p.id, 1, "...");  store.positions.set(user, p.id, 1, "object")
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError

from marine.errors import MarineError
from marine.store import access
from marine.store.accounts import Accounts
from marine.store.audit import AuditLog
from marine.store.db import Database, database_url, make_engine, migrate
from marine.store.discussion import Comments, Positions
from marine.store.drafts import Drafts
from marine.store.groups import Groups
from marine.store.library import Library
from marine.store.models import TABLES_IN_ORDER, utcnow
from marine.store.proposals import Proposals
from marine.store.records import User
from marine.store.sessions import Sessions, session_policy
from marine.store.signin import SignInPolicy
from marine.store.users import Users, random_password


class Store:
    def __init__(self, engine: Engine, *, clock: Callable[[], datetime] = utcnow,
                 policy: SignInPolicy | None = None):
        self.db = Database(engine, clock)
        self.policy = policy or SignInPolicy()
        self.users = Users(self.db, self.policy)
        self.accounts = Accounts(self.db, self.policy)
        self.groups = Groups(self.db)
        self.proposals = Proposals(self.db)
        self.comments = Comments(self.db)
        self.positions = Positions(self.db)
        self.audit = AuditLog(self.db)
        self.library = Library(self.db)
        self.drafts = Drafts(self.db)
        self.sessions = Sessions(self.db)
        self.sessions.policy = session_policy()

    @classmethod
    def open(cls, url: str | None = None, *, upgrade: bool = True, postgis: str | None = None,
             clock: Callable[[], datetime] = utcnow, policy: SignInPolicy | None = None) -> Store:
        """Connect (default URL: `database_url()`), bring the schema up to date and seed the
        five technical working groups when missing. `clock` and `policy`: see `signin`."""
        store = cls(make_engine(database_url(url)), clock=clock, policy=policy)
        if upgrade:
            migrate(store.db.engine, postgis=postgis)
            store.groups.seed()
        return store

    @property
    def backend(self) -> str:
        return self.db.backend

    def counts(self) -> dict[str, int]:
        """Rows per table (for `marine workspace info` and health checks)."""
        with self.db.reading() as session:
            return {
                model.__tablename__: session.scalar(select(func.count()).select_from(model))
                for model in TABLES_IN_ORDER
            }

    def close(self) -> None:
        self.db.dispose()

    def ensure_first_admin(self, username: str = "admin") -> tuple[User, str] | None:
        """On a database without any account, create an administrator who facilitates every
        group, with a random password returned once; None when accounts exist already."""
        if self.users.count():
            return None
        password = random_password()
        try:
            user = self.users.create(
                access.SYSTEM, username, "Workspace administrator", password=password, is_admin=True
            )
        except (MarineError, IntegrityError):
            if self.users.count():  # another `workspace init` got there first
                return None
            raise
        for group in self.groups.list():
            self.groups.add_member(access.SYSTEM, group.id, user.id, "facilitator")
        return user, password
