"""The redline between any two versions of a proposal, or between two proposals: title, every
field, text (removed struck through, added underlined) and area (added and removed shaded,
in km² and nm², geodesic)."""

from __future__ import annotations

import streamlit as st

from marine import formatting as fmt
from marine.errors import MarineError
from marine.review import versions_redline
from marine.ui import data, state
from marine.ui.chrome import disclaimer_text
from marine.ui.mapview import show_map
from marine.ui.redline import redline_html
from marine.webmap import ADDED_STYLE, REMOVED_STYLE, MapOptions, build_map, geometry_group

OTHER_VERSION, OTHER_PROPOSAL = "version", "proposal"


def _pick_version(column, label: str, versions, key: str, default: int):
    numbers = [v.number for v in versions]
    chosen = column.selectbox(label, numbers, key=key, index=min(default, len(numbers) - 1),
                              format_func=lambda n: state.t("proposals.version_n", n=n))
    return next(v for v in versions if v.number == chosen)


def _other_proposal(store, user, proposal, summaries):
    """The proposal to compare with and its version (None when there is no other)."""
    t = state.t
    others = [s for s in summaries if s.id != proposal.id]
    if not others:
        st.caption(t("review.no_other_proposal"))
        return None
    cols = st.columns(2)
    labels = {s.id: f"P-{s.id} · {s.title}" for s in others}
    pid = cols[0].selectbox(t("review.other_proposal"), list(labels), key="redline_other",
                            format_func=labels.__getitem__)
    other = next(s for s in others if s.id == pid)
    try:
        versions = store.proposals.versions(user, pid)
    except MarineError as exc:
        st.error(state.md(exc))
        return None
    return other, _pick_version(cols[1], t("review.other_version"), versions,
                                f"redline_other_v_{pid}", len(versions) - 1)


def choose_pair(store, user, proposal, versions, shown: int, summaries):
    """(from version, its kind, to version, its kind), as the reader chooses them."""
    t = state.t
    mode = st.radio(t("review.compare_with"), (OTHER_VERSION, OTHER_PROPOSAL), horizontal=True,
                    key=f"redline_mode_{proposal.id}",
                    format_func=lambda m: t(f"review.compare.{m}"))
    index = next(i for i, v in enumerate(versions) if v.number == shown)
    kind = proposal.summary.kind
    if mode == OTHER_VERSION:
        cols = st.columns(2)
        a = _pick_version(cols[0], t("proposals.compare_from"), versions, "redline_a",
                          max(index - 1, 0))
        b = _pick_version(cols[1], t("proposals.compare_to"), versions, "redline_b", index)
        return a, kind, b, kind
    picked = _other_proposal(store, user, proposal, summaries)
    if picked is None:
        return None
    other, other_version = picked
    return versions[index], kind, other_version, other.kind


def _html(segments) -> None:
    st.markdown(redline_html(segments) or "&nbsp;", unsafe_allow_html=True)


def show_changes(change) -> None:
    t = state.t
    st.caption(t("review.legend"))
    st.markdown(f"**{t('review.col.title')}**")
    if change.title_changed:
        _html(change.title)
    else:
        st.caption(t("review.unchanged"))
    st.markdown(f"**{t('review.fields')}**")
    for field_change in change.fields:
        st.markdown(f"*{state.md(field_change.label)}*")
        _html(field_change.segments)
    if not change.fields:
        st.caption(t("review.no_field_change"))
    elif change.unchanged_fields:
        st.caption(t("review.fields_unchanged", count=change.unchanged_fields))
    st.markdown(f"**{t('review.text')}**")
    if change.text_changed:
        _html(change.text)
    else:
        st.caption(t("review.unchanged"))


def change_map(key: str, a, b, diff) -> None:
    t = state.t
    st.markdown(f"**{t('review.area')}**")
    lang = state.lang()
    st.caption(t("review.area_change", added=fmt.number(diff.added_km2, lang, 1),
                 added_nm=fmt.number(diff.added_nm2, lang, 1),
                 removed=fmt.number(diff.removed_km2, lang, 1),
                 removed_nm=fmt.number(diff.removed_nm2, lang, 1)))
    frames, _ = data.displays(data.coast_ids(), state.name_order())
    m = build_map(data.catalogue(), list(frames), MapOptions(
        lang=lang, disclaimer=disclaimer_text(lang)), frames=frames)
    geometry_group(b.geometry.__geo_interface__, t("review.newer")).add_to(m)
    for geojson, style, label in ((diff.added, ADDED_STYLE, "proposals.added"),
                                  (diff.removed, REMOVED_STYLE, "proposals.removed")):
        if geojson and geojson.get("coordinates"):
            geometry_group(geojson, t(label), style).add_to(m)
    minx, miny, maxx, maxy = b.geometry.union(a.geometry).bounds
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    show_map(m, key=key, height=380)


def redline_section(store, user, proposal, versions, shown: int, summaries) -> None:
    pair = choose_pair(store, user, proposal, versions, shown, summaries)
    if pair is None:
        return
    a, kind_a, b, kind_b = pair
    change = versions_redline(a, kind_a, b, kind_b, state.lang())
    show_changes(change)
    change_map(f"redline-map-{a.proposal_id}-{a.number}-{b.proposal_id}-{b.number}", a, b,
               change.geometry)
