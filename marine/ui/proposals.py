"""Proposals: list and filter; one proposal opened by its link (`?proposal=N&version=K`) —
the whole proposal, the redline against any version or proposal, non-attributed comments and
positions — and the actions the reader's role allows."""

from __future__ import annotations

import streamlit as st

from marine import formatting as fmt
from marine.errors import AccessDenied, MarineError, ProposalError
from marine.geo import geometry_kind
from marine.review import link_target
from marine.store import PROPOSAL_STATUSES
from marine.store.access import CHANGE_STATUS, CREATE_VERSION, TRANSITIONS
from marine.templates import TEMPLATES
from marine.ui import data, discussion, proposal_view, review_redline, state
from marine.ui.chrome import disclaimer_banner, disclaimer_text
from marine.ui.groups import group_label
from marine.ui.mapview import show_map
from marine.webmap import MapOptions, build_map

SELECTED = "proposal_selected"
ALL = "—"


def _kind_title(kind: str) -> str:
    tpl = TEMPLATES.get(kind)
    return (tpl.title.get(state.lang()) or kind) if tpl else kind


def filters(store, user) -> dict:
    t = state.t
    groups = {g.slug: g for g in store.groups.list()}
    cols = st.columns(4)
    group = cols[0].selectbox(t("proposals.group"), [ALL, *groups], key="proposals_group",
                              format_func=lambda s: t("proposals.all") if s == ALL
                              else group_label(groups[s], state.lang()))
    status = cols[1].selectbox(t("proposals.status"), [ALL, *PROPOSAL_STATUSES],
                               key="proposals_status",
                               format_func=lambda s: t("proposals.all") if s == ALL
                               else t(f"pstatus.{s}"))
    kind = cols[2].selectbox(t("proposals.kind"), [ALL, *TEMPLATES], key="proposals_kind",
                             format_func=lambda k: t("proposals.all") if k == ALL
                             else _kind_title(k))
    search = cols[3].text_input(t("proposals.search"), key="proposals_search")
    return {"group": None if group == ALL else group, "status": None if status == ALL
            else status, "kind": None if kind == ALL else kind, "search": search or None}


def view_bbox() -> tuple[float, float, float, float] | None:
    """The rectangle of a small map the reader pans ("touching the current view")."""
    if not st.toggle(state.t("proposals.in_view"), key="proposals_in_view"):
        return None
    lang = state.lang()
    frames, _ = data.displays(data.coast_ids(), state.name_order())
    m = build_map(data.catalogue(), list(frames), MapOptions(
        lang=lang, disclaimer=disclaimer_text(lang)), frames=frames)
    result = show_map(m, key="proposals-view", height=320, returned_objects=("bounds",))
    bounds = (result or {}).get("bounds") or {}
    sw, ne = bounds.get("_southWest"), bounds.get("_northEast")
    if not sw or not ne or sw.get("lng") is None:
        return None
    return (max(sw["lng"], -180), max(sw["lat"], -90), min(ne["lng"], 180), min(ne["lat"], 90))


def proposal_table(summaries) -> None:
    t = state.t
    st.dataframe([{t("proposals.col.id"): s.id, t("proposals.col.title"): s.title,
                   t("proposals.col.kind"): _kind_title(s.kind),
                   t("proposals.col.status"): t(f"pstatus.{s.status}"),
                   t("proposals.col.version"): s.latest_version,
                   t("proposals.col.updated"): fmt.date_time(s.updated_at, state.lang())}
                  for s in summaries], hide_index=True, width="stretch")


# --------------------------------------------------------------------------- one proposal
def _pending_key(proposal_id: int) -> str:
    return f"status_pending_{proposal_id}"


def status_actions(store, user, proposal) -> None:
    """Facilitators move a proposal on, after confirming (the store checks the rights again)."""
    t = state.t
    pending_key = _pending_key(proposal.id)
    for target in TRANSITIONS.get(proposal.status, ()):
        if st.button(t("proposals.move_to", status=t(f"pstatus.{target}")),
                     key=f"status_{proposal.id}_{target}"):
            st.session_state[pending_key] = target
    target = st.session_state.get(pending_key)
    if target not in TRANSITIONS.get(proposal.status, ()):
        return
    st.warning(t("review.confirm_status", id=proposal.id, current=t(f"pstatus.{proposal.status}"),
                 status=t(f"pstatus.{target}")))
    yes, no = st.columns(2)
    if yes.button(t("review.confirm"), key=f"status_confirm_{proposal.id}", type="primary"):
        st.session_state.pop(pending_key, None)
        try:
            store.proposals.set_status(user, proposal.id, target)
        except MarineError as exc:
            st.error(state.md(exc))
        else:
            st.rerun()
    if no.button(t("review.cancel"), key=f"status_cancel_{proposal.id}"):
        st.session_state.pop(pending_key, None)
        st.rerun()


def actions(store, user, proposal) -> None:
    t = state.t
    if CHANGE_STATUS in proposal.allowed:
        status_actions(store, user, proposal)
    if CREATE_VERSION in proposal.allowed and st.button(
            t("proposals.edit"), key=f"edit_{proposal.id}"):
        load_into_draft(store, proposal)
        st.success(t("proposals.loaded_in_draft"))


def load_into_draft(store, proposal) -> None:
    """The latest version becomes the working draft; saving offers its next version (or a
    new proposal). The draft that was open stays in "My drafts"."""
    import json

    import shapely

    from marine.drafting import Draft
    from marine.ui import draft_doc

    v = proposal.latest
    group = next(g for g in store.groups.list() if g.id == proposal.summary.group_id)
    draft_doc.replace_with(Draft(
        group=group.slug, template=proposal.summary.kind, fields=dict(v.attributes or {}),
        text=v.text, geometry=json.loads(shapely.to_geojson(v.geometry)), geometry_kind=_kind_of(v.geometry),
        geometry_source="upload", geometry_label=t_version(proposal),
        proposal_id=proposal.id, base_version=v.number))


def t_version(proposal) -> str:
    return f"P-{proposal.id} v{proposal.latest.number}"


def _kind_of(geometry) -> str:
    return geometry_kind(geometry) or "points"


def _set_link(proposal_id: int, version: int | None = None) -> None:
    """The address bar follows what is open, so it can be copied and sent."""
    wanted = {"proposal": str(proposal_id)} | ({} if version is None else {"version": str(version)})
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def shown_version(proposal, versions, wanted: int | None):
    """The version the reader reads (the link's, else the latest), chosen in a list."""
    t = state.t
    numbers = [v.number for v in versions]
    key = f"shown_version_{proposal.id}"
    if wanted is not None and wanted not in numbers:
        st.error(t("review.no_such_version", id=proposal.id, version=wanted,
                   latest=proposal.latest.number))
        wanted = None
    if wanted is not None and st.session_state.get(key) != wanted:
        st.session_state[key] = wanted
    number = st.selectbox(t("review.version_shown"), numbers[::-1], key=key,
                          format_func=lambda n: t("review.version_label", n=n, latest=numbers[-1]),
                          on_change=lambda: _set_link(proposal.id, st.session_state[key]))
    return next(v for v in versions if v.number == number)


def open_proposal(store, user, proposal_id: int):
    """The proposal, or the store's refusal as a message (None)."""
    t = state.t
    try:
        return store.proposals.get(user, proposal_id)
    except AccessDenied as exc:
        st.error(t("review.refused", id=proposal_id))
        st.caption(state.md(exc))
    except ProposalError as exc:
        st.error(t("review.not_found", id=proposal_id))
        st.caption(state.md(exc))
    return None


def show_proposal(store, user, proposal_id: int, wanted_version: int | None = None,
                  summaries=()) -> None:
    t = state.t
    proposal = open_proposal(store, user, proposal_id)
    if proposal is None:
        return
    versions = store.proposals.versions(user, proposal.id)
    st.header(f"P-{proposal.id} · {state.md(proposal.latest.title)}")
    whole, changes, talk = st.tabs([t("review.tab.proposal"), t("review.tab.changes"),
                                   t("review.tab.discussion")])
    with whole:
        pick, _ = st.columns([1, 3])
        with pick:
            version = shown_version(proposal, versions, wanted_version)
        _set_link(proposal.id, None if version.number == proposal.latest.number else version.number)
        proposal_view.show_whole(store, proposal, version, len(versions))
        actions(store, user, proposal)
    with changes:
        st.subheader(t("proposals.versions"))
        review_redline.redline_section(store, user, proposal, versions, version.number,
                                       summaries)
    with talk:
        left, right = st.columns([3, 2])
        with left:
            discussion.comments(store, user, proposal)
        with right:
            discussion.positions(store, user, proposal)


def linked():
    """What the address asks to open (`?proposal=N&version=K`), or None."""
    try:
        return link_target(st.query_params.to_dict())
    except ProposalError as exc:
        st.error(state.md(exc))
        return None


def choose(summaries, target) -> int | None:
    """The proposal to open: the link's (even when the filters hide it), else the reader's."""
    ids = [s.id for s in summaries]
    labels = {s.id: f"P-{s.id} · {s.title}" for s in summaries}
    if target is not None and target.proposal_id not in labels:
        ids.insert(0, target.proposal_id)
        labels[target.proposal_id] = f"P-{target.proposal_id}"
    if not ids:
        return None
    if target is not None and st.session_state.get(SELECTED) != target.proposal_id:
        st.session_state[SELECTED] = target.proposal_id
    return st.selectbox(state.t("proposals.open"), ids, key=SELECTED,
                        format_func=labels.__getitem__,
                        on_change=lambda: _set_link(st.session_state[SELECTED]))


def render() -> None:
    t = state.t
    st.title(t("proposals.title"))
    disclaimer_banner()
    user = state.user()
    target = linked()
    if user is None:
        st.info(t("proposals.sign_in"))
        if target is not None:
            st.caption(t("review.sign_in_to_open", id=target.proposal_id))
        return
    store = data.store()
    chosen = filters(store, user)
    bbox = view_bbox()
    summaries = store.proposals.list(user, bbox=bbox, **chosen)
    if summaries:
        proposal_table(summaries)
    else:  # the proposal of the address is still opened below
        st.caption(t("proposals.none"))
        if target is None:
            return
    pid = choose(summaries, target)
    if pid is not None:
        show_proposal(store, user, pid, target.version if target and target.proposal_id == pid
                      else None, summaries)
