"""Data & sources: the catalogue with provenance, licences and the disclaimer."""

from __future__ import annotations

import streamlit as st

from marine.errors import LayerError
from marine.ui import data, library, state
from marine.ui.chrome import disclaimer_banner
from marine.webmap import layer_title


def catalogue_rows(catalogue, lang: str) -> list[dict]:
    """One row per layer: theme, title, status, features, source, licence, notes."""
    t = state.t
    rows = []
    for spec in catalogue:
        try:
            count: int | str = len(data.layer_frame(spec.id))
        except LayerError as exc:
            count = t("sources.not_loaded", error=str(exc))
        rows.append({
            t("sources.col.theme"): t(f"theme.{spec.theme}"),
            t("sources.col.layer"): layer_title(spec, lang),
            t("sources.col.status"): t(f"status.{spec.status}"),
            t("sources.col.features"): str(count),
            t("sources.col.source"): spec.source,
            t("sources.col.licence"): spec.licence,
            t("sources.col.notes"): library_note(spec) or " ".join(
                x for x in (spec.description, spec.empty_reason) if x),
        })
    return rows


def library_note(spec) -> str:
    """For a data-library layer: which version, and how accurate (translated)."""
    if not spec.imported:
        return ""
    version = spec.cache_version.removeprefix("library-")
    try:
        accuracy = str(data.layer_frame(spec.id)["accuracy"].iloc[0])
    except (LayerError, IndexError, KeyError):
        accuracy = ""
    return state.t("library.note", version=version, accuracy=accuracy)


def render() -> None:
    t = state.t
    st.title(t("sources.title"))
    disclaimer_banner()
    st.write(t("sources.intro"))
    st.dataframe(catalogue_rows(data.catalogue(), state.lang()), hide_index=True,
                 width="stretch")
    library.render_library()  # import and removal, for facilitators (marine/ui/library.py)
    st.subheader(t("sources.statuses"))
    from marine.catalogue import STATUSES

    st.dataframe([{t("sources.col.status"): t(f"status.{s}"),
                   t("sources.col.meaning"): t(f"status.{s}.meaning")} for s in STATUSES],
                 hide_index=True, width="stretch")
