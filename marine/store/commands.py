"""`marine users|groups|workspace ...`: accounts, working groups, and the workspace database
(init, info, export, import) from the server's command line.

Commands run as the server's operator (`access.SYSTEM`): whoever can run them can read the
database file anyway. Each change is still written to the audit log as "command line".
"""

from __future__ import annotations

import argparse
import sys

from marine.store.access import SYSTEM

DEFAULT_APP_URL = "http://localhost:8501"


def register(sub: argparse._SubParsersAction) -> None:
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument(
        "--database-url",
        help="SQLAlchemy URL (default: $MARINE_DATABASE_URL, else var/workspace.sqlite)",
    )
    _register_users(sub, db)
    _register_groups(sub, db)
    _register_workspace(sub, db)


def _register_users(sub, db) -> None:
    p = sub.add_parser("users", help="local accounts of the workspace")
    s = p.add_subparsers(dest="users_command", required=True)
    a = s.add_parser("add", parents=[db], help="create an account (prints a random password once)")
    a.add_argument("username")
    a.add_argument("--name", help="display name (default: the username)")
    a.add_argument("--email")
    a.add_argument("--languages", default="en", help="comma-separated UI languages, e.g. en,zh,vi")
    a.add_argument("--admin", action="store_true", help="administrator (facilitates every group)")
    a.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    a.set_defaults(func=_users_add)
    ls = s.add_parser("list", parents=[db], help="list accounts")
    ls.set_defaults(func=_users_list)
    pw = s.add_parser("set-password", parents=[db], help="set a new password (random unless --password-stdin)")
    pw.add_argument("username")
    pw.add_argument("--password-stdin", action="store_true")
    pw.set_defaults(func=_users_set_password)
    u = s.add_parser("unlock", parents=[db], help="lift the sign-in lock after too many failed tries")
    u.add_argument("username")
    u.set_defaults(func=_users_unlock)
    for name, active in (("deactivate", False), ("activate", True)):
        d = s.add_parser(name, parents=[db], help=f"{name} an account (nothing is deleted)")
        d.add_argument("username")
        d.set_defaults(func=_users_set_active, active=active)


def _register_groups(sub, db) -> None:
    p = sub.add_parser("groups", help="working groups and their members")
    s = p.add_subparsers(dest="groups_command", required=True)
    s.add_parser("list", parents=[db], help="list working groups").set_defaults(func=_groups_list)
    c = s.add_parser("create", parents=[db], help="create a working group")
    c.add_argument("name")
    c.add_argument("--slug")
    c.add_argument("--description", default="")
    c.set_defaults(func=_groups_create)
    a = s.add_parser("add-member", parents=[db], help="add a user to a group, or change their role")
    a.add_argument("group", help="group slug, e.g. legal-matters")
    a.add_argument("username")
    a.add_argument("--role", choices=("facilitator", "member", "observer"), default="member")
    a.set_defaults(func=_groups_add_member)
    r = s.add_parser("remove-member", parents=[db], help="remove a user from a group")
    r.add_argument("group")
    r.add_argument("username")
    r.set_defaults(func=_groups_remove_member)
    m = s.add_parser("members", parents=[db], help="list a group's members and roles")
    m.add_argument("group")
    m.set_defaults(func=_groups_members)


def _register_workspace(sub, db) -> None:
    p = sub.add_parser("workspace", help="the workspace database: init, info, backup, restore")
    s = p.add_subparsers(dest="workspace_command", required=True)
    i = s.add_parser(
        "init", parents=[db],
        help="create/upgrade the database; on an empty one create the first administrator",
    )
    i.add_argument("--admin-username", default="admin")
    i.add_argument("--app-url", default=DEFAULT_APP_URL, help="where users open the app (for the message)")
    i.set_defaults(func=_workspace_init)
    s.add_parser("info", parents=[db], help="database, schema and counts").set_defaults(func=_workspace_info)
    e = s.add_parser("export", parents=[db], help="back up the whole workspace (JSON lines + GeoJSON)")
    e.add_argument("target", help="a new folder, or a file name ending in .zip")
    e.add_argument("--with-password-hashes", action="store_true",
                   help="include argon2 password hashes (otherwise users set new passwords after import)")
    e.set_defaults(func=_workspace_export)
    m = s.add_parser("import", parents=[db], help="restore a backup into an empty workspace")
    m.add_argument("source", help="the folder or .zip written by `marine workspace export`")
    m.set_defaults(func=_workspace_import)


def _store(args):
    from marine.store.service import Store

    return Store.open(args.database_url)


def _read_password(from_stdin: bool) -> tuple[str, bool]:
    """(password, generated?)."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\n"), False
    from marine.store.users import random_password

    return random_password(), True


def _users_add(args) -> int:
    store = _store(args)
    password, generated = _read_password(args.password_stdin)
    languages = [code.strip() for code in args.languages.split(",") if code.strip()]
    user = store.users.create(
        SYSTEM, args.username, args.name or args.username, password=password,
        languages=languages, email=args.email, is_admin=args.admin,
    )
    print(f"created user {user.username!r} (id {user.id}{', administrator' if user.is_admin else ''})")
    if generated:
        print(f"password (shown once): {password}")
    print(f"add them to a group: marine groups add-member <group> {user.username} --role member")
    return 0


def _users_list(args) -> int:
    store = _store(args)
    for user in store.users.list(SYSTEM):
        roles = ", ".join(f"{m.group.slug}:{m.role}" for m in store.groups.memberships(user.id)) or "no group"
        flags = " admin" if user.is_admin else ""
        flags += "" if user.is_active else " (deactivated)"
        login = "password" if user.has_password else ("OIDC" if user.identity else "no login yet")
        print(f"{user.id:>4}  {user.username:<20} {user.display_name:<28} {login:<12}{flags}  {roles}")
    return 0


def _users_set_password(args) -> int:
    store = _store(args)
    password, generated = _read_password(args.password_stdin)
    store.users.set_password(SYSTEM, args.username, password)
    print(f"password of {args.username!r} changed" + (f"; new password (shown once): {password}" if generated else ""))
    return 0


def _users_set_active(args) -> int:
    _store(args).users.set_active(SYSTEM, args.username, args.active)
    print(f"{args.username!r} {'activated' if args.active else 'deactivated'}")
    return 0


def _users_unlock(args) -> int:
    _store(args).accounts.unlock(SYSTEM, args.username)
    print(f"{args.username!r} may sign in again (failed tries forgotten)")
    return 0


def _groups_list(args) -> int:
    for group in _store(args).groups.list():
        print(f"{group.id:>4}  {group.slug:<34} {group.name}")
    return 0


def _groups_create(args) -> int:
    group = _store(args).groups.create(SYSTEM, args.name, slug=args.slug, description=args.description)
    print(f"created working group {group.slug!r} (id {group.id})")
    return 0


def _groups_add_member(args) -> int:
    membership = _store(args).groups.add_member(SYSTEM, args.group, args.username, args.role)
    print(f"{args.username!r} is now {membership.role} of {membership.group.slug!r}")
    return 0


def _groups_remove_member(args) -> int:
    _store(args).groups.remove_member(SYSTEM, args.group, args.username)
    print(f"{args.username!r} removed from {args.group!r}")
    return 0


def _groups_members(args) -> int:
    for user, role in _store(args).groups.members(SYSTEM, args.group):
        print(f"{user.username:<20} {role:<12} {user.display_name}")
    return 0


def _workspace_init(args) -> int:
    from marine.store.db import database_url, describe_url

    store = _store(args)
    url = describe_url(database_url(args.database_url))
    created = store.ensure_first_admin(args.admin_username)
    if created is None:
        print(f"workspace ready: {url} ({store.users.count()} accounts, {len(store.groups.list())} working groups)")
        return 0
    user, password = created
    print(f"workspace created: {url}")
    print(f"first administrator (facilitator of every working group): {user.username}")
    print(f"password (shown once, not stored anywhere readable): {password}")
    print(f"log in at {args.app_url} with these; change the password with "
          f"`marine users set-password {user.username} --password-stdin`")
    print("add people with `marine users add <name>` and `marine groups add-member <group> <name>`")
    return 0


def _workspace_info(args) -> int:
    from marine.store.db import current_revision, database_url, describe_url

    store = _store(args)
    print(f"database: {describe_url(database_url(args.database_url))}")
    print(f"backend: {store.backend}, spatial index: {store.db.spatial}, "
          f"schema revision: {current_revision(store.db.engine)}")
    counts = store.counts()
    print(f"accounts: {counts['users']}, working groups: {counts['working_groups']}, "
          f"proposals: {counts['proposals']}, versions: {counts['proposal_versions']}, "
          f"comments: {counts['comments']}, positions: {counts['positions']}")
    return 0


def _workspace_export(args) -> int:
    from marine.store.backup import export_workspace

    manifest = export_workspace(_store(args), args.target, with_password_hashes=args.with_password_hashes)
    counts = ", ".join(f"{k} {v}" for k, v in manifest["counts"].items())
    print(f"exported to {args.target}: {counts}")
    print("the backup holds comment authorship and personal data: keep it confidential")
    if not args.with_password_hashes:
        print("password hashes were left out: after import, set passwords with `marine users set-password`")
    return 0


def _workspace_import(args) -> int:
    from marine.store.backup import import_workspace

    manifest = import_workspace(_store(args), args.source)
    counts = ", ".join(f"{k} {v}" for k, v in manifest["counts"].items())
    print(f"imported {args.source}: {counts}")
    return 0
