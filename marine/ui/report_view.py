"""The overlap report as the drafter reads it beside the map (figures, layers, places, claims
context), in the UI language."""

from __future__ import annotations

import streamlit as st

from marine import formatting as fmt
from marine.analysis import Report
from marine.i18n import translate
from marine.ui import state


def _pct(share: float) -> str:
    return fmt.percent(share, state.lang())


def show_measures(report: Report) -> None:
    """Size in km (metric) and nautical miles (caption): geodesic, from the report."""
    t = state.t
    m, lang = report.measures, state.lang()
    cols = st.columns(2)
    if m.kind == "area":
        cols[0].metric(t("report.area"), fmt.area_km2(m.area_km2, lang))
        cols[0].caption(fmt.with_unit(m.area_nm2, "nm²", lang))
        cols[1].metric(t("report.perimeter"), fmt.length_km(m.perimeter_km, lang))
        cols[1].caption(fmt.distance_nm(m.perimeter_nm, lang))
    elif m.kind == "line":
        cols[0].metric(t("report.length"), fmt.length_km(m.length_km, lang, 1))
        cols[0].caption(fmt.distance_nm(m.length_nm, lang, 1))
    else:
        cols[0].metric(t("report.points"), fmt.number(m.point_count, lang))
    st.caption(state.tm("report.centre", position=m.centroid_dms))


def layer_rows(report: Report) -> list[dict]:
    t, lang = state.t, state.lang()
    rows = []
    for lo in report.layers:
        amount = (f"{fmt.area_km2(lo.area_km2, lang, 1)} ({_pct(lo.share)})" if lo.area_km2 else
                  fmt.length_km(lo.length_km, lang, 1) if lo.length_km else
                  fmt.number(lo.count or lo.feature_count, lang))
        title = translate(f"layer.{lo.layer_id}", state.lang(), default=lo.title)
        rows.append({t("report.col.layer"): title, t("report.col.status"):
                     t(f"status.{lo.status}"), t("report.col.features"): lo.feature_count,
                     t("report.col.overlap"): amount, t("report.col.source"): lo.source})
    return rows


def show_claims(report: Report) -> None:
    t = state.t
    claims = report.claims
    for cov in claims.envelope_coverage:
        if cov.share > 0:
            st.write(t("report.envelopes", count=cov.count, share=_pct(cov.share)))
    for hit in claims.agreements:
        st.write(state.tm("report.agreement", agreement=hit.agreement or hit.name,
                   relation=t(f"report.relation.{hit.relation.replace(' ', '-')}")))
    line = claims.depicted_line
    if line is not None and line.dashes:
        if line.crosses:
            st.write(t("report.depicted_crosses", count=line.dashes_crossing))
        elif line.distance_nm is not None:
            st.write(t("report.depicted_distance", nm=fmt.number(line.distance_nm, state.lang())))


def show_report(report: Report) -> None:
    """Everything in the report, in short sections."""
    t = state.t
    st.subheader(t("report.title"))
    show_measures(report)
    for repair in report.repairs:
        st.caption(state.tm("report.repaired", what=repair))
    rows = layer_rows(report)
    if rows:
        st.dataframe(rows, hide_index=True, width="stretch")
    else:
        st.caption(t("report.no_overlap"))
    if report.places:
        st.markdown(f"**{t('report.places')}**")
        st.dataframe([{t("report.col.names"): p.label,
                       t("report.col.where"): t("report.inside") if p.inside else
                       t("report.near", nm=fmt.number(p.distance_nm, state.lang()))} for p in report.places],
                     hide_index=True, width="stretch")
    st.markdown(f"**{t('report.claims')}**")
    show_claims(report)
    if report.skipped_layers:
        with st.expander(t("report.skipped", count=len(report.skipped_layers))):
            for layer_id, why in sorted(report.skipped_layers.items()):
                st.caption(state.md(f"{layer_id}: {why}"))
