"""The whole proposal on one page: its link, the map of the area in context, every form field
by its label in the reader's language, the text, the report's headline and warnings, status,
version and date. Who wrote it is shown to facilitators only (Chatham House)."""

from __future__ import annotations

import json

import streamlit as st
from shapely.geometry import mapping

from marine import formatting as fmt
from marine.errors import MarineError
from marine.review import field_rows, proposal_link
from marine.templates import TEMPLATES
from marine.ui import data, state
from marine.ui.chrome import disclaimer_text
from marine.ui.mapview import show_map
from marine.webmap import MapOptions, build_map, geometry_group

FALLBACK_BASE_URL = "http://127.0.0.1:8501"


def kind_title(kind: str) -> str:
    tpl = TEMPLATES.get(kind)
    return (tpl.title.get(state.lang()) or kind) if tpl else kind


def base_url() -> str:
    """The workspace's address as the reader's browser reached it (for copyable links)."""
    url = getattr(st.context, "url", None) or FALLBACK_BASE_URL
    return url.split("?", 1)[0]


def report_lines(report: dict | None) -> tuple[str, list[str]]:
    """The stored report's headline and warnings in the reader's language.

    The one place this page reads `Report` data (the report presenter replaces it)."""
    t = state.t
    if not report:
        return t("review.report_missing"), []
    m, lang = report.get("measures") or {}, state.lang()
    if m.get("kind") == "area":
        headline = t("review.headline_area", km2=fmt.number(m.get("area_km2", 0), lang),
                     nm2=fmt.number(m.get("area_nm2", 0), lang))
    elif m.get("kind") == "line":
        headline = t("review.headline_line", km=fmt.number(m.get("length_km", 0), lang, 1),
                     nm=fmt.number(m.get("length_nm", 0), lang, 1))
    else:
        headline = t("review.headline_points", count=m.get("point_count", 0))
    if m.get("centroid_dms"):
        headline += " · " + t("report.centre", position=m["centroid_dms"])
    warnings = [t("report.repaired", what=r) for r in report.get("repairs") or ()]
    line = (report.get("claims") or {}).get("depicted_line") or {}
    if line.get("dashes_crossing"):
        warnings.append(t("report.depicted_crosses", count=line["dashes_crossing"]))
    if report.get("skipped_layers"):
        warnings.append(t("report.skipped", count=len(report["skipped_layers"])))
    return headline, warnings


def link_box(proposal_id: int, version: int | None) -> None:
    st.caption(state.t("review.link"))
    st.code(proposal_link(base_url(), proposal_id, version), language=None, wrap_lines=True)


def area_map(proposal, version) -> None:
    lang = state.lang()
    frames, _ = data.displays(data.coast_ids(), state.name_order())  # as on Proposals
    m = build_map(data.catalogue(), list(frames), MapOptions(
        lang=lang, name_order=state.name_order(), disclaimer=disclaimer_text(lang)), frames=frames)
    geometry_group(version.geometry.__geo_interface__,
                   f"P-{proposal.id} · {state.t('proposals.version_n', n=version.number)}").add_to(m)
    minx, miny, maxx, maxy = version.geometry.bounds
    pad = max(maxx - minx, maxy - miny, 0.2) * 0.6  # the area with its surroundings
    m.fit_bounds([[miny - pad, minx - pad], [maxy + pad, maxx + pad]])
    show_map(m, key=f"proposal-map-{proposal.id}-{version.number}", height=420)


def facts(store, proposal, version, count: int) -> None:
    t = state.t
    st.caption(state.tm("review.facts", kind=kind_title(proposal.summary.kind),
                        status=t(f"pstatus.{proposal.status}"), version=version.number,
                        count=count, date=fmt.date_time(version.created_at, state.lang())))
    if version.number != proposal.latest.number:
        st.warning(t("review.older_version", version=version.number,
                     latest=proposal.latest.number))
    if version.created_by is not None:  # only facilitators get it from the store
        st.caption(state.tm("review.saved_by", name=store.users.get(version.created_by)
                            .display_name))


def form_table(proposal, version) -> None:
    t = state.t
    rows = field_rows(proposal.summary.kind, version.attributes or {}, state.lang())
    st.dataframe([{t("review.col.field"): r.label,
                   t("review.col.value"): r.value or t("review.not_given")} for r in rows],
                 hide_index=True, width="stretch")


def text_block(version) -> None:
    st.markdown(f"**{state.t('review.text')}**")
    text = (version.text or "").strip()
    if not text:
        st.caption(state.t("review.no_text"))
        return
    with st.container(border=True):  # literal text; line breaks kept
        st.markdown(state.md(text).replace("\n", "  \n"))


def stored_or_fresh_report(version) -> dict | None:
    """The report saved with the version; for one saved without, the report made now."""
    if version.report:
        return version.report
    try:
        geojson = json.dumps(mapping(version.geometry), sort_keys=True)
        return data.report_for(geojson).to_dict()
    except MarineError:  # a layer that cannot load: say there is no report, not why here
        return None


def report_block(version) -> None:
    headline, warnings = report_lines(stored_or_fresh_report(version))
    st.markdown(f"**{state.t('report.title')}**")
    st.markdown(state.md(headline))
    for warning in warnings:
        st.warning(state.md(warning))


def show_whole(store, proposal, version, count: int) -> None:
    """Everything a reader needs to decide, on one page."""
    facts(store, proposal, version, count)
    link_box(proposal.id, version.number)
    left, right = st.columns([3, 2])
    with left:
        area_map(proposal, version)
        report_block(version)
    with right:
        form_table(proposal, version)
    text_block(version)
