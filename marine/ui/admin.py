"""Administration: the people of the working groups one facilitates (add, set roles, remove,
a one-time password or sign-in link shown once, unlock, deactivate, reactivate) and, for
administrators, the working groups themselves (create, rename). Every rule is the store's: the
page offers what `store.accounts.permissions` allows, and each call is checked again."""

from __future__ import annotations

import streamlit as st

from marine.errors import AccessDenied, MarineError
from marine.store import ROLES, access
from marine.store.accounts import METHODS
from marine.store.users import USERNAME
from marine.ui import data, state
from marine.ui.chrome import disclaimer_banner
from marine.ui.groups import group_label

URL_PATH = "administration"
# Keys of choices shown through a translated label carry the language: Streamlit keeps a keyed
# choice by its shown text, which a change of language would leave stale.
_SHOWN_ONCE = "admin_shown_once"
_NOTICE = "admin_notice"
_CLEAR_NEW = "admin_new_clear"


def manageable_groups(store, user) -> list:
    """The groups whose people `user` manages: all for administrators."""
    if user.is_admin:
        return store.groups.list()
    return [m.group for m in store.groups.memberships(user) if m.role == "facilitator"]


def may_administer(store, user) -> bool:
    return user is not None and (user.is_admin or bool(manageable_groups(store, user)))


def role_label(role: str) -> str:
    return state.t(f"admin.role.{role}")


def person_label(user) -> str:
    return f"{user.display_name} ({user.username})"


def sign_in_url(token: str) -> str:
    """The link to give: this app's Sign in page with `?signin=<token>`."""
    here = (getattr(st.context, "url", None) or "http://localhost:8501").split("?")[0].rstrip("/")
    root = here[: -len(URL_PATH) - 1] if here.endswith(f"/{URL_PATH}") else here
    # The root URL: with `signin` in the query the Sign in page is the default page, and a
    # default page is not found under its own path (Streamlit says "Page not found" first).
    return f"{root}/?signin={token}"


def _done(message: str, secret: tuple[str, str] | None = None) -> None:
    """Say what happened on the next run (and show a secret once), then rerun."""
    st.session_state[_NOTICE] = message
    if secret is not None:
        st.session_state[_SHOWN_ONCE] = secret
    st.rerun()


def _refused(exc: MarineError) -> None:
    st.error(state.t("admin.denied") if isinstance(exc, AccessDenied) else state.t("admin.failed"))


def notices() -> None:
    message = st.session_state.pop(_NOTICE, None)
    if message:
        st.success(message)
    shown = st.session_state.pop(_SHOWN_ONCE, None)
    if shown:
        heading, secret = shown
        st.warning(heading)
        st.code(secret, language=None)


def invitation_secret(invitation) -> tuple[str, str]:
    t = state.t
    name = invitation.user.display_name
    if invitation.password:
        return t("admin.secret.password", name=name), invitation.password
    until = f"{invitation.expires_at:%Y-%m-%d %H:%M} UTC"
    return t("admin.secret.link", name=name, until=until), sign_in_url(invitation.token)


# --------------------------------------------------------------------------- members
def member_table(store, user, members) -> None:
    t = state.t
    locks = store.accounts.locks(user)
    rows = []
    for person, role in members:
        if not person.is_active:
            status = t("admin.state.deactivated")
        elif person.id in locks:
            status = t("admin.state.locked", until=f"{locks[person.id]:%H:%M} UTC")
        elif person.must_change_password:
            status = t("admin.state.new")
        else:
            status = t("admin.state.active")
        rows.append({t("admin.col.name"): person.display_name, t("admin.col.username"): person.username,
                     t("admin.col.role"): role_label(role), t("admin.col.state"): status})
    st.dataframe(rows, hide_index=True, width="stretch")


def role_actions(store, user, group, person, role) -> None:
    t = state.t
    new_role = st.selectbox(t("admin.role"), ROLES, index=ROLES.index(role), format_func=role_label,
                            key=f"admin_role_{state.lang()}_{group.id}_{person.id}")
    left, right = st.columns(2)
    if left.button(t("admin.set_role"), key="admin_set_role", disabled=new_role == role):
        try:
            store.groups.add_member(user, group.id, person.id, new_role)
        except MarineError as exc:
            _refused(exc)
        else:
            _done(t("admin.role_set", name=person.display_name, role=role_label(new_role)))
    if right.button(t("admin.remove"), key="admin_remove"):
        try:
            store.groups.remove_member(user, group.id, person.id)
        except MarineError as exc:
            _refused(exc)
        else:
            _done(t("admin.removed", name=person.display_name))


def account_actions(store, user, person) -> None:
    t = state.t
    allowed = store.accounts.permissions(user, person)
    manage = access.MANAGE_ACCOUNT in allowed
    locked = person.id in store.accounts.locks(user)
    cols = [*st.columns(2), *st.columns(2), *st.columns(2)]
    actions = (
        ("admin.unlock", access.UNLOCK in allowed and locked,
         lambda: store.accounts.unlock(user, person.id), None),
        ("admin.new_password", manage, lambda: store.accounts.new_one_time_password(user, person.id),
         invitation_secret),
        ("admin.new_link", manage, lambda: store.accounts.new_sign_in_link(user, person.id),
         invitation_secret),
        ("admin.reactivate" if not person.is_active else "admin.deactivate", manage,
         lambda: store.users.set_active(user, person.id, not person.is_active), None),
        # Signs the person out in every browser (a lost laptop, a shared machine).
        ("admin.end_sessions", bool(getattr(user, "is_admin", False)),
         lambda: store.sessions.end_sessions(user, person.id), None),
    )
    for col, (key, enabled, call, secret_of) in zip(cols, actions, strict=False):
        if col.button(t(key), key=key, disabled=not enabled, width="stretch"):
            try:
                result = call()
            except MarineError as exc:
                _refused(exc)
                return
            _done(t(f"{key}.done", name=person.display_name),
                  secret_of(result) if secret_of else None)
    if not manage:
        st.caption(t("admin.ask_admin"))


def change_member(store, user, group, members) -> None:
    t = state.t
    st.subheader(t("admin.change_member"))
    if not members:
        st.info(t("admin.no_members"))
        return
    by_id = {person.id: (person, role) for person, role in members}
    chosen = st.selectbox(t("admin.member"), list(by_id), key=f"admin_member_{group.id}",
                          format_func=lambda pid: person_label(by_id[pid][0]))
    person, role = by_id[chosen]
    role_actions(store, user, group, person, role)
    account_actions(store, user, person)


# --------------------------------------------------------------------------- adding people
def add_existing(store, user, group, members) -> None:
    t = state.t
    inside = {person.id for person, _ in members}
    others = [u for u in store.users.list(user) if u.is_active and u.id not in inside]
    with st.form(f"admin-add-existing-{group.id}", clear_on_submit=True):
        st.subheader(t("admin.add_existing"))
        chosen = st.selectbox(t("admin.person"), [u.id for u in others], index=None,
                              format_func=lambda uid: person_label(next(u for u in others if u.id == uid)),
                              placeholder=t("admin.choose_person"))
        role = st.selectbox(t("admin.role"), ROLES, index=1, format_func=role_label)
        if st.form_submit_button(t("admin.add")) and chosen is not None:
            try:
                store.groups.add_member(user, group.id, chosen, role)
            except MarineError as exc:
                _refused(exc)
            else:
                _done(t("admin.added", name=store.users.get(chosen).display_name,
                        role=role_label(role)))


def add_new(store, user, group) -> None:
    t = state.t
    if st.session_state.pop(_CLEAR_NEW, False):  # before the widgets exist in this run
        st.session_state["admin_new_username"] = st.session_state["admin_new_name"] = ""
    with st.form(f"admin-add-new-{group.id}"):
        st.subheader(t("admin.add_new"))
        username = st.text_input(t("admin.username"), key="admin_new_username",
                                 help=t("admin.username_help"))
        name = st.text_input(t("admin.display_name"), key="admin_new_name", max_chars=200)
        role = st.selectbox(t("admin.role"), ROLES, index=1, format_func=role_label,
                            key=f"admin_new_role_{state.lang()}")
        method = st.radio(t("admin.method"), METHODS, key=f"admin_new_method_{state.lang()}",
                          format_func=lambda m: t(f"admin.method.{m}"))
        submitted = st.form_submit_button(t("admin.create_account"))
    if not submitted:
        return
    username = (username or "").strip().lower()
    if not USERNAME.match(username):
        st.error(t("admin.username_invalid"))
        return
    if store.users.find(username) is not None:
        st.error(t("admin.username_taken", username=username))
        return
    try:
        invitation = store.accounts.invite(user, username, name, group=group.id, role=role,
                                           method=method, languages=[state.lang()])
    except MarineError as exc:
        _refused(exc)
        return
    st.session_state[_CLEAR_NEW] = True  # an empty form for the next person
    _done(t("admin.invited", name=invitation.user.display_name, role=role_label(role)),
          invitation_secret(invitation))


def people(store, user, groups) -> None:
    t = state.t
    st.header(t("admin.people"))
    by_id = {g.id: g for g in groups}
    gid = st.selectbox(t("admin.group"), list(by_id), key=f"admin_group_{state.lang()}",
                       format_func=lambda g: group_label(by_id[g], state.lang()))
    group = by_id[gid]
    members = store.groups.members(user, group.id)
    left, right = st.columns([3, 2], gap="large")
    with left:
        member_table(store, user, members)
        change_member(store, user, group, members)
    with right:
        add_new(store, user, group)
        add_existing(store, user, group, members)


# --------------------------------------------------------------------------- groups
def working_groups(store, user) -> None:
    t = state.t
    st.header(t("admin.groups"))
    left, right = st.columns(2, gap="large")
    with left, st.form("admin-create-group", clear_on_submit=True):
        st.subheader(t("admin.create_group"))
        name = st.text_input(t("admin.group_name"), max_chars=200)
        description = st.text_area(t("admin.group_description"), height=80)
        if st.form_submit_button(t("admin.create")) and name.strip():
            try:
                group = store.groups.create(user, name, description=description)
            except MarineError as exc:
                _refused(exc)
            else:
                _done(t("admin.group_created", name=group.name))
    groups = {g.id: g for g in store.groups.list()}
    with right, st.form("admin-rename-group", clear_on_submit=True):
        st.subheader(t("admin.rename_group"))
        gid = st.selectbox(t("admin.group"), list(groups),
                           format_func=lambda g: group_label(groups[g], state.lang()))
        new_name = st.text_input(t("admin.new_name"), max_chars=200)
        if st.form_submit_button(t("admin.rename")) and new_name.strip():
            try:
                group = store.groups.rename(user, gid, new_name)
            except MarineError as exc:
                _refused(exc)
            else:
                _done(t("admin.group_renamed", name=group.name))


def render() -> None:
    t = state.t
    st.title(t("admin.title"))
    disclaimer_banner()
    user = state.user()
    store = data.store()
    if not may_administer(store, user):
        st.info(t("admin.not_allowed"))
        return
    st.caption(t("admin.intro"))
    notices()
    groups = manageable_groups(store, user)
    if groups:
        people(store, user, groups)
    if user.is_admin:
        st.divider()
        working_groups(store, user)
