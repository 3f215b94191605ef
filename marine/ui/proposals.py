"""Proposals: list and filter; one proposal with its versions and redline, non-attributed
comments, the position summary, and the actions the reader's role allows."""

from __future__ import annotations

import streamlit as st

from marine.compare import geometry_diff
from marine.errors import MarineError
from marine.store import PROPOSAL_STATUSES, STANCES
from marine.store.access import CHANGE_STATUS, COMMENT, CREATE_VERSION, TAKE_POSITION, TRANSITIONS
from marine.templates import TEMPLATES
from marine.ui import data, state
from marine.ui.chrome import disclaimer_banner, disclaimer_text
from marine.ui.groups import group_label
from marine.ui.mapview import show_map
from marine.ui.redline import redline, redline_html
from marine.webmap import ADDED_STYLE, REMOVED_STYLE, MapOptions, build_map, geometry_group

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
    frames, _ = data.displays(("land-display",), state.name_order())
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
                   t("proposals.col.updated"): f"{s.updated_at:%Y-%m-%d %H:%M}"}
                  for s in summaries], hide_index=True, width="stretch")


# --------------------------------------------------------------------------- one proposal
def versions_and_redline(store, user, proposal) -> None:
    t = state.t
    versions = store.proposals.versions(user, proposal.id)
    numbers = [v.number for v in versions]
    st.subheader(t("proposals.versions"))
    cols = st.columns(2)
    a = cols[0].selectbox(t("proposals.compare_from"), numbers, key="redline_a",
                          index=max(len(numbers) - 2, 0))
    b = cols[1].selectbox(t("proposals.compare_to"), numbers, key="redline_b",
                          index=len(numbers) - 1)
    va, vb = (next(v for v in versions if v.number == n) for n in (a, b))
    st.markdown(redline_html(redline(va.text, vb.text)) or "&nbsp;", unsafe_allow_html=True)
    diff = geometry_diff(va.geometry, vb.geometry)
    st.caption(t("proposals.geometry_change", added=f"{diff.added_km2:,.1f}",
                 removed=f"{diff.removed_km2:,.1f}"))
    lang = state.lang()
    frames, _ = data.displays(("land-display",), state.name_order())
    m = build_map(data.catalogue(), list(frames), MapOptions(lang=lang,
                  disclaimer=disclaimer_text(lang)), frames=frames)
    geometry_group(vb.geometry.__geo_interface__, t("proposals.version_n", n=b)).add_to(m)
    for geojson, style, label in ((diff.added, ADDED_STYLE, "proposals.added"),
                                  (diff.removed, REMOVED_STYLE, "proposals.removed")):
        if geojson and geojson.get("coordinates"):
            geometry_group(geojson, t(label), style).add_to(m)
    minx, miny, maxx, maxy = vb.geometry.union(va.geometry).bounds
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    show_map(m, key=f"redline-map-{proposal.id}-{a}-{b}", height=380)


def comments(store, user, proposal) -> None:
    """Comments as everyone reads them: body, version and date — never who wrote them."""
    t = state.t
    st.subheader(t("proposals.comments"))
    for c in store.comments.list(user, proposal.id):
        when = f"{c.created_at:%Y-%m-%d}"
        mine = f" · {t('proposals.yours')}" if c.mine else ""
        with st.container(border=True):
            st.caption(t("proposals.comment_meta", version=c.version_number, date=when) + mine)
            st.text(c.body)
    if COMMENT in proposal.allowed:
        body = st.text_area(t("proposals.add_comment"), key=f"comment_body_{proposal.id}")
        if st.button(t("proposals.post_comment"), key=f"comment_post_{proposal.id}"):
            try:
                store.comments.add(user, proposal.id, proposal.latest.number, body)
            except (MarineError, ValueError) as exc:
                st.error(state.md(exc))
            else:
                st.session_state.pop(f"comment_body_{proposal.id}", None)
                st.rerun()


def positions(store, user, proposal) -> None:
    t = state.t
    number = proposal.latest.number
    summary = store.positions.summary(user, proposal.id, number)
    st.subheader(t("proposals.positions", version=number))
    st.dataframe([{t("proposals.col.stance"): t(f"stance.{s}"), t("proposals.col.count"): n}
                  for s, n in summary.counts.items()], hide_index=True, width="stretch")
    if TAKE_POSITION in proposal.allowed:
        mine = store.positions.mine(user, proposal.id, number)
        stance = st.radio(t("proposals.my_position"), STANCES, horizontal=True,
                          index=STANCES.index(mine.stance) if mine else None,
                          format_func=lambda s: t(f"stance.{s}"), key=f"stance_{proposal.id}")
        if st.button(t("proposals.record_position"), key=f"stance_save_{proposal.id}",
                     disabled=stance is None):
            store.positions.set(user, proposal.id, number, stance)
            st.rerun()


def actions(store, user, proposal) -> None:
    t = state.t
    if CHANGE_STATUS in proposal.allowed:
        for target in TRANSITIONS.get(proposal.status, ()):
            if st.button(t("proposals.move_to", status=t(f"pstatus.{target}")),
                         key=f"status_{proposal.id}_{target}"):
                try:
                    store.proposals.set_status(user, proposal.id, target)
                except MarineError as exc:
                    st.error(state.md(exc))
                else:
                    st.rerun()
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
    return {"Polygon": "area", "MultiPolygon": "area", "LineString": "line",
            "MultiLineString": "line"}.get(geometry.geom_type, "points")


def show_proposal(store, user, proposal_id: int) -> None:
    t = state.t
    proposal = store.proposals.get(user, proposal_id)
    st.header(f"P-{proposal.id} · {state.md(proposal.latest.title)}")
    st.caption(state.tm("proposals.header", kind=_kind_title(proposal.summary.kind),
                 status=t(f"pstatus.{proposal.status}"), version=proposal.latest.number))
    versions_and_redline(store, user, proposal)
    left, right = st.columns(2)
    with left:
        comments(store, user, proposal)
    with right:
        positions(store, user, proposal)
        actions(store, user, proposal)


def render() -> None:
    t = state.t
    st.title(t("proposals.title"))
    disclaimer_banner()
    user = state.user()
    if user is None:
        st.info(t("proposals.sign_in"))
        return
    store = data.store()
    chosen = filters(store, user)
    bbox = view_bbox()
    summaries = store.proposals.list(user, bbox=bbox, **chosen)
    if not summaries:
        st.caption(t("proposals.none"))
        return
    proposal_table(summaries)
    ids = [s.id for s in summaries]
    labels = {s.id: f"P-{s.id} · {s.title}" for s in summaries}
    pid = st.selectbox(t("proposals.open"), ids, key=SELECTED, format_func=labels.__getitem__)
    if pid is not None:
        show_proposal(store, user, pid)
