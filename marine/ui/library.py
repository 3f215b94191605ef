"""The data library on the Data & sources page: a facilitator imports a layer (file plus
provenance) and removes one (asked once; its versions are kept). The store checks the rights;
this page only hides actions nobody could perform."""

from __future__ import annotations

import logging

import streamlit as st

from marine.catalogue import STATUSES, THEMES
from marine.errors import MarineError
from marine.ui import data, state, uploader

log = logging.getLogger(__name__)
CONFIRM_KEY = "library.confirm_remove"
FLASH_KEY = "library.flash"
ALL_PARTICIPANTS = ""  # the group choice meaning "every participant"


def managed_groups(user) -> list:
    """Groups in which `user` may import (all of them for an administrator)."""
    store = data.store()
    if user.is_admin:
        return store.groups.list()
    return [m.group for m in store.groups.memberships(user.id) if m.role == "facilitator"]


def render_library() -> None:
    """The library's layers for whoever may read them; import and removal for facilitators
    and administrators only."""
    user = state.user()
    if user is None:
        return
    groups = managed_groups(user)
    layers = data.store().library.list(user)
    if not groups and not layers:
        return
    t = state.t
    st.subheader(t("library.title"))
    st.caption(t("library.intro"))
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        st.success(flash[0])
        for note in flash[1:]:
            st.caption(note)
    if layers:
        st.dataframe(library_rows(layers), hide_index=True, width="stretch")
    if not groups:
        return
    with st.expander(t("library.import"), expanded=False):
        _import_form(user, groups)
    _remove_form(user)


def library_rows(layers) -> list[dict]:
    """One row per library layer: title, version, features, who sees it, provenance."""
    t = state.t
    names = {g.id: g.name for g in data.store().groups.list()}
    return [{
        t("sources.col.layer"): layer.title,
        t("library.col.version"): str(layer.version),
        t("sources.col.features"): str(layer.feature_count),
        t("library.visibility"): names.get(layer.group_id) or t("library.everyone"),
        t("sources.col.status"): t(f"status.{layer.status}"),
        t("sources.col.source"): layer.source,
        t("sources.col.licence"): layer.licence,
        t("library.accuracy"): layer.accuracy,
    } for layer in layers]


def file_help() -> str:
    """The import help with the limits of `IMPORT_LIMITS` and the browser's upload size."""
    from marine.formatting import number
    from marine.uploads import IMPORT_LIMITS, UPLOAD_LIMITS

    return state.t("library.file_help", upload_mb=UPLOAD_LIMITS.max_bytes // 2**20,
                   max_mb=IMPORT_LIMITS.max_bytes // 2**20,
                   features=number(IMPORT_LIMITS.max_features, state.lang()),
                   vertices=number(IMPORT_LIMITS.max_vertices, state.lang()))


def _fields_of(upload) -> list[str]:
    """The attribute names of an uploaded file (for the label-field choice)."""
    from marine.library import read_features

    try:
        _fmt, _geoms, properties, _notes = read_features(upload.name, upload.getvalue())
    except MarineError:
        return []  # the import itself reports why the file is refused
    return sorted({k for p in properties for k in p})


def _import_form(user, groups) -> None:
    t = state.t
    upload = uploader.file_uploader(t("library.file"), ["geojson", "json", "kml", "kmz", "gpkg",
                                                        "zip"], key="library_upload",
                                    help=file_help())
    fields = _fields_of(upload) if upload is not None else []
    with st.form("library-import", clear_on_submit=False):
        layer_id = st.text_input(t("library.layer_id"), help=t("library.layer_id_help"))
        title = st.text_input(t("library.layer_title"))
        theme = st.selectbox(t("sources.col.theme"), THEMES, format_func=lambda x: t(f"theme.{x}"))
        status = st.selectbox(t("sources.col.status"), STATUSES,
                              format_func=lambda x: t(f"status.{x}"))
        source = st.text_input(t("sources.col.source"), help=t("library.source_help"))
        licence = st.text_input(t("sources.col.licence"))
        accuracy = st.text_input(t("library.accuracy"), help=t("library.accuracy_help"))
        label = st.selectbox(t("library.label_field"), ["", *fields],
                             format_func=lambda x: x or t("library.no_label"))
        by_slug = {g.slug: g.name for g in groups}
        options = [ALL_PARTICIPANTS, *by_slug]
        group = st.selectbox(t("library.visibility"), options,
                             format_func=lambda x: by_slug.get(x) or t("library.everyone"))
        submitted = st.form_submit_button(t("library.import_button"), type="primary")
    if submitted:
        _import(user, upload, dict(layer_id=layer_id.strip(), title=title, theme=theme,
                                   status=status, source=source, licence=licence,
                                   accuracy=accuracy, label_field=label or None,
                                   group=group or None))


def _import(user, upload, fields: dict) -> None:
    from marine.library import LayerMeta, import_file

    t = state.t
    if upload is None:
        st.error(t("library.no_file"))
        return
    try:
        meta = LayerMeta(**fields)
        with st.spinner(t("library.importing")):
            layer, notes = import_file(data.store(), user, data.builtin_catalogue(), meta,
                                       upload.name, upload.getvalue())
    except MarineError as exc:  # refused: nothing was written
        st.error(state.tm("library.refused", name=upload.name, error=str(exc)))
        return
    except Exception:  # an unforeseen failure: logged, never a traceback on the page
        log.exception("import of %s failed", upload.name)
        st.error(state.tm("library.refused", name=upload.name, error=t("library.unexpected")))
        return
    # Rerun so the table above lists the new version; the message survives the rerun.
    st.session_state[FLASH_KEY] = [state.tm("library.imported", title=layer.title,
                                            version=layer.version, count=layer.feature_count),
                                   *(state.md(n) for n in notes)]
    st.rerun()


def _remove_form(user) -> None:
    t = state.t
    layers = data.store().library.list(user)
    if not layers:
        return
    titles = {layer.layer_id: layer.title for layer in layers}
    with st.expander(t("library.remove"), expanded=bool(st.session_state.get(CONFIRM_KEY))):
        chosen = st.selectbox(t("library.remove_which"), list(titles),
                              format_func=lambda x: titles[x], key="library.remove_choice")
        if st.button(t("library.remove_button"), key="library.remove_ask"):
            st.session_state[CONFIRM_KEY] = chosen
        pending = st.session_state.get(CONFIRM_KEY)
        if pending and pending in titles:
            st.warning(state.tm("library.remove_confirm", title=titles[pending]))
            yes, no = st.columns(2)
            if yes.button(t("library.remove_yes"), type="primary", key="library.remove_yes"):
                _remove(user, pending, titles[pending])
            if no.button(t("library.remove_no"), key="library.remove_no"):
                st.session_state.pop(CONFIRM_KEY, None)
                st.rerun()


def _remove(user, layer_id: str, title: str) -> None:
    st.session_state.pop(CONFIRM_KEY, None)
    try:
        data.store().library.remove(user, layer_id)
    except MarineError as exc:
        st.error(state.tm("library.remove_failed", title=title, error=str(exc)))
        return
    st.session_state[FLASH_KEY] = [state.tm("library.removed", title=title)]
    st.rerun()
