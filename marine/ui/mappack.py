"""Map pack: choose proposals and layers, the meeting's title, date and venue; build with a
progress bar; download the zip (PDF atlas, offline HTML map, GPKG/KML/CSV)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import streamlit as st

from marine import formatting as fmt
from marine.errors import MarineError
from marine.mappack.assemble import build_pack
from marine.mappack.content import PAGE_SIZES, PackRequest, safe_filename
from marine.mappack.from_store import content_from_store, default_layer_ids
from marine.ui import data, state
from marine.ui.chrome import disclaimer_banner
from marine.ui.groups import group_label
from marine.webmap import layer_title

PACK = "mappack_result"  # {"name", "data"} of the last pack built in this session


def pack_form(store, user):
    """The form; returns a PackRequest when the reader asks for a pack."""
    t, lang = state.t, state.lang()
    catalogue = data.catalogue()
    groups = {g.slug: g for g in store.groups.list()}
    group = st.selectbox(t("pack.group"), list(groups), key="pack_group",
                         format_func=lambda s: group_label(groups[s], lang))
    summaries = store.proposals.list(user, group=group)
    labels = {s.id: f"P-{s.id} · {s.title} (v{s.latest_version})" for s in summaries}
    chosen = st.multiselect(t("pack.proposals"), list(labels), key="pack_proposals",
                            format_func=labels.__getitem__)
    layer_ids = [s.id for s in catalogue.map_layers() if s.theme != "base"]
    layers = st.multiselect(t("pack.layers"), layer_ids, key="pack_layers",
                            default=[i for i in default_layer_ids(catalogue) if i in layer_ids],
                            format_func=lambda i: layer_title(catalogue.spec(i), lang))
    cols = st.columns(3)
    title = cols[0].text_input(t("pack.meeting_title"), key="pack_title")
    date = cols[1].date_input(t("pack.meeting_date"), key="pack_date", value=dt.date.today())
    venue = cols[2].text_input(t("pack.venue"), key="pack_venue")
    page_size = st.radio(t("pack.page_size"), PAGE_SIZES, horizontal=True, key="pack_page")
    if not st.button(t("pack.build"), type="primary", key="pack_build",
                     disabled=not chosen or not title.strip()):
        return None
    return PackRequest(group=group, proposal_ids=tuple(str(i) for i in chosen),
                       layer_ids=tuple(layers), title=title, date=date.isoformat(),
                       venue=venue, page_size=page_size)


def build(store, user, request: PackRequest) -> None:
    t = state.t
    bar = st.progress(0.0, text=t("pack.starting"))

    def progress(fraction: float, message: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=message)

    try:
        content = content_from_store(store, request, data.catalogue(), actor=user)
        with tempfile.TemporaryDirectory(prefix="marine-pack-") as tmp:
            out = Path(tmp) / safe_filename(request.title, ".zip")
            result = build_pack(content, out, progress=progress)
            st.session_state[PACK] = {"name": out.name, "data": out.read_bytes(),
                                      "files": len(result.manifest.get("files", []))}
    except (MarineError, ValueError) as exc:
        bar.empty()
        st.error(state.tm("pack.failed", error=str(exc)))
        return
    bar.progress(1.0, text=t("pack.done"))


def render() -> None:
    t = state.t
    st.title(t("pack.title"))
    disclaimer_banner()
    user = state.user()
    if user is None:
        st.info(t("pack.sign_in"))
        return
    store = data.store()
    request = pack_form(store, user)
    if request is not None:
        build(store, user, request)
    pack = st.session_state.get(PACK)
    if pack:
        st.success(state.tm("pack.ready", name=pack["name"], files=pack["files"],
                     size=fmt.number(len(pack['data']) / 1e6, state.lang(), 1)))
        st.download_button(t("pack.download"), pack["data"], file_name=pack["name"],
                           mime="application/zip", key="pack_download")
