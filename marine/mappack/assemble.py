"""The map pack assembler: one zip with the atlas, the offline map, the data and a manifest.

`build_pack(content, out_path, progress=callback)` takes plain dataclasses (`PackContent`),
so it knows nothing of the store or the UI. Same inputs give the same files: zip entries carry
the meeting date as their timestamp and are written in a fixed order; only the generated-at
field (PDF cover, manifest) differs between runs.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter, process_time

import geopandas as gpd
import shapely

from marine.feature_labels import measure_fields, position_rows, template_title
from marine.i18n import translate
from marine.mappack import csvs, gpkg, kml, manifest, offline_html, pdf_atlas, static_map
from marine.mappack.content import (
    MeetingInfo,
    PackContent,
    PackRequest,
    ProposalSnapshot,
    Table,
    disclaimer_texts,
    place_table,
    places_near,
    proposal_link,
    safe_filename,
    surroundings,
)
from marine.presenter import PresentedReport, layer_name, present_report, status_word

__all__ = ["MeetingInfo", "PackContent", "PackRequest", "PackResult", "ProposalSnapshot",
           "build_pack"]

Progress = Callable[[float, str], None]
ATLAS_NAME = "atlas.pdf"
HTML_NAME = "map.html"
GPKG_NAME = "data/pack.gpkg"
KMZ_NAME = "data/google-earth.kmz"
OVERVIEW_BOX = (104.0, 2.0, 122.0, 23.0)  # lon/lat box the overview map always covers
MAP_SIZES = {  # printable width × height in mm, per page size
    "A4": (static_map.MapSize(180, 104), static_map.MapSize(180, 215)),
    "Letter": (static_map.MapSize(185, 100), static_map.MapSize(185, 200)),
}


@dataclass
class PackResult:
    path: Path
    manifest: dict
    seconds: dict[str, float] = field(default_factory=dict)  # wall-clock per step
    cpu_seconds: dict[str, float] = field(default_factory=dict)  # this process's CPU per step

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def _no_progress(_fraction: float, _message: str) -> None:
    return None


class _Steps:
    """Reports progress and times each step."""

    def __init__(self, progress: Progress | None, total: int):
        self.progress = progress or _no_progress
        self.total = total
        self.done = 0
        self.seconds: dict[str, float] = {}
        self.cpu_seconds: dict[str, float] = {}
        self._start = perf_counter()
        self._cpu = process_time()
        self._name = ""

    def next(self, name: str, message: str) -> None:
        self._close()
        self._name = name
        self.progress(self.done / self.total, message)
        self.done += 1

    def finish(self) -> None:
        self._close()
        self.progress(1.0, "done")

    def _close(self) -> None:
        now, cpu = perf_counter(), process_time()
        if self._name:
            self.seconds[self._name] = now - self._start
            self.cpu_seconds[self._name] = cpu - self._cpu
        self._start, self._cpu = now, cpu


# --------------------------------------------------------------------------- steps
def _map_specs_and_frames(content: PackContent, places: gpd.GeoDataFrame | None):
    """Layers as drawn on the static maps: coast first, display variants in place of heavy
    analysis layers, named places last."""
    cat = content.catalogue
    display_for = {s.display_of: s.id for s in cat.specs.values() if s.display_of}
    ids: list[str] = []
    places_id = content.places_layer_id()
    coast = content.coast_layer_id()
    if coast:
        ids.append(coast)
    for layer_id in content.layer_ids:
        shown = display_for.get(layer_id, layer_id)
        if shown not in ids and shown != places_id:
            ids.append(shown)
    pairs = [(cat.spec(i), cat.load(i)) for i in ids]
    if places is not None:
        pairs.append((cat.spec(places_id), places))
    # An empty layer is drawn on no map and named in no legend (the sources annex says why).
    return [(spec, frame) for spec, frame in pairs if len(frame)]


def _legend(spec, lang: str) -> str:
    return f"{layer_name(spec.id, lang, spec.title)} ({status_word(spec.status, lang)})"


def _draw_maps(content: PackContent, places, steps: _Steps
               ) -> tuple[bytes, list[bytes], list[tuple[str, bytes]]]:
    lang = content.lang
    pairs = _map_specs_and_frames(content, places)
    layers = static_map.project_layers(pairs, legends={s.id: _legend(s, lang) for s, _ in pairs})
    proposal_size, overview_size = MAP_SIZES[content.page_size]
    boxes = [shapely.box(*surroundings(p.geometry)) for p in content.proposals]
    box = shapely.union_all([shapely.box(*OVERVIEW_BOX), *boxes]).bounds
    atlas = lambda key, **f: translate(f"atlas.{key}", lang, **f)  # noqa: E731
    overview = static_map.render_overview(layers, content.proposals, box, overview_size,
                                          legend=atlas("all_proposals"))
    pngs = []
    for i, p in enumerate(content.proposals):
        steps.progress((steps.done - 1 + (i + 1) / (len(content.proposals) + 1)) / steps.total,
                       f"drawing map {i + 1}/{len(content.proposals)}: {p.id}")
        others = [o for o in content.proposals if o.id != p.id]
        pngs.append(static_map.render_proposal_map(
            layers, p, others, proposal_size, legend_this=atlas(
                "this_proposal", number=p.id, version=p.version),
            legend_others=atlas("other_proposals")))
    theme_maps = _theme_maps(content, layers, box, overview_size) if content.context_only else []
    return overview, pngs, theme_maps


def _theme_maps(content: PackContent, layers, box, size) -> list[tuple[str, bytes]]:
    """A context pack's map per theme: the coast and the places under that theme's layers."""
    themes = [s.theme for s in (layer.spec for layer in layers)
              if s.theme not in ("base", "gazetteer")]
    out = []
    for theme in dict.fromkeys(themes):
        subset = [layer for layer in layers if layer.spec.theme in (theme, "base", "gazetteer")]
        title = translate("atlas.theme_map", content.lang,
                          theme=translate(f"theme.{theme}", content.lang, default=theme))
        out.append((title, static_map.render_overview(subset, [], box, size)))
    return out


def _accuracy_summary(frame: gpd.GeoDataFrame, limit: int = 3) -> str:
    if "accuracy" not in frame.columns or not len(frame):
        return "—"
    values = sorted({str(v) for v in frame["accuracy"].dropna()})
    more = f" (and {len(values) - limit} more)" if len(values) > limit else ""
    return "; ".join(values[:limit]) + more


def _layer_rows(content: PackContent, layers: dict[str, gpd.GeoDataFrame]):
    lang = content.lang
    return [
        pdf_atlas.LayerRow(title=layer_name(s.id, lang, s.title), status=status_word(s.status, lang),
                           source=s.source, accuracy=_accuracy_summary(layers[s.id]),
                           licence=s.licence, features=len(layers[s.id]),
                           note=translate("atlas.empty_reason", lang) if not len(layers[s.id])
                           else "")
        for s in content.specs()
    ]


def presented(p: ProposalSnapshot, lang: str) -> PresentedReport | None:
    """The proposal's stored report as a person reads it; None when there is none (or it is
    of a shape this code cannot read: the atlas says no report was stored)."""
    data = p.report_dict
    if not data:
        return None
    try:
        return present_report(data, lang)
    except (TypeError, ValueError, KeyError, AttributeError):
        return None


def _proposal_page(content: PackContent, p: ProposalSnapshot, png: bytes) -> pdf_atlas.ProposalPage:
    lang = content.lang
    shown = presented(p, lang)
    link = proposal_link(content.base_url, p)
    status = translate(f"pstatus.{p.status}", lang, default=p.status) if p.status else "—"
    atlas = lambda key: translate(f"atlas.{key}", lang)  # noqa: E731
    facts = [(atlas("fact.measure"), template_title(p.kind, lang)),
             (atlas("working_group"), p.group), (atlas("fact.status"), status),
             (atlas("fact.version"), str(p.version))]
    if shown is not None:
        facts += [(f.label, f.value) for f in shown.headline]
    facts.append((atlas("fact.link"), link))
    positions = position_rows(p.position_counts, lang)
    size = shown.headline[0].value if shown is not None else "—"
    path = "/" + link.split("/", 3)[-1] if "://" in link else link  # the summary column is narrow
    summary = (f"{p.id}\n{path}", p.title, p.group, status, size,
               " · ".join(f"{k}: {v}" for k, v in positions) or "—")
    fields = {k: v for k, v in p.attributes.items() if k != "title"}  # the title heads the page
    return pdf_atlas.ProposalPage(p, png, link, tuple(facts),
                                  tuple(measure_fields(p.kind, fields, lang)),
                                  tuple(positions), shown, summary)


def _atlas(content: PackContent, layers, overview: bytes, pngs: list[bytes],
           theme_maps, disclaimers: dict[str, str]) -> bytes:
    pages = [_proposal_page(content, p, png)
             for p, png in zip(content.proposals, pngs, strict=True)]
    return pdf_atlas.build_atlas(pdf_atlas.AtlasInput(
        meeting=content.meeting, pages=pages, overview_png=overview,
        layers=_layer_rows(content, layers), disclaimers=disclaimers,
        page_size=content.page_size, generated_at=content.generated_at_text,
        lang=content.lang, theme_maps=tuple(theme_maps)))


def report_csv_tables(p: ProposalSnapshot, lang: str) -> list[Table]:
    """The proposal's report as CSV tables with human headings: the headline and warnings,
    then each section's table."""
    shown = presented(p, lang)
    if shown is None:
        return []
    item, value = translate("atlas.item", lang), translate("atlas.col.value", lang)
    warning = translate("atlas.warning", lang)
    summary = [(f.label, f.value) for f in shown.headline]
    summary += [(warning, w) for w in shown.warnings]
    summary += [(s.title, " ".join(s.sentences)) for s in shown.sections if s.sentences]
    tables = [Table("summary", "summary", (item, value), tuple(summary),
                    csvs.REPORT_COLUMNS["summary"])]
    tables += [Table(s.table.key, s.title, s.table.headings, s.table.rows,
                     csvs.REPORT_COLUMNS.get(s.table.key, ()))
               for s in shown.sections if s.table is not None and s.table.rows]
    return tables


def _unique(name: str, taken: set[str]) -> str:
    stem, dot, ext = name.rpartition(".")
    candidate, n = name, 2
    while candidate in taken:
        candidate = f"{stem}-{n}{dot}{ext}"
        n += 1
    taken.add(candidate)
    return candidate


def _proposal_geojson(p: ProposalSnapshot, disclaimer: str) -> bytes:
    feature = {
        "type": "Feature",
        "id": p.id,
        "properties": {"proposal_id": p.id, "title": p.title, "kind": p.kind,
                       "working_group": p.group, "version": p.version,
                       "attributes": dict(p.attributes),
                       "position_counts": dict(p.position_counts),
                       "disclaimer": disclaimer},
        "geometry": json.loads(shapely.to_geojson(shapely.orient_polygons(p.geometry))),
    }
    text = json.dumps({"type": "FeatureCollection", "features": [feature]}, ensure_ascii=False,
                      indent=1, sort_keys=True, default=str)
    return (text + "\n").encode("utf-8")


def _data_files(content: PackContent, layers, places, disclaimer: str,
                steps: _Steps) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    taken: set[str] = set()
    steps.next("gpkg", "writing the GeoPackage")
    files[GPKG_NAME] = gpkg.write_gpkg(layers, content.proposals, content.meeting.date)
    steps.next("geojson_kml", "writing GeoJSON and KMZ")
    for p in content.proposals:
        name = _unique(f"data/proposals/{safe_filename(f'{p.id}-{p.title}', '.geojson')}", taken)
        files[name] = _proposal_geojson(p, disclaimer)
    kml_bytes = kml.build_kml([(content.catalogue.spec(i), f) for i, f in layers.items()],
                              content.proposals, content.meeting.title, disclaimer,
                              lang=content.lang)
    files[KMZ_NAME] = kml.build_kmz(kml_bytes, content.meeting.day)
    steps.next("csv", "writing CSV tables")
    written: dict[str, Table] = {}
    if places is not None:
        written["data/csv/gazetteer.csv"] = place_table(places, lang=content.lang)
    for p in content.proposals:
        for table in report_csv_tables(p, content.lang):
            name = safe_filename(f"report-{p.id}-{table.key}", ".csv")
            written[_unique(f"data/csv/{name}", taken)] = table
    for name, table in written.items():
        files[name] = csvs.table_csv(table)
    files[csvs.DICTIONARY_NAME] = csvs.data_dictionary(written, layers)
    return files


def _write_zip(out_path: Path, files: dict[str, bytes], content: PackContent) -> None:
    """Entries in a fixed order with the meeting date as timestamp; written atomically."""
    day = content.meeting.day
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out_path.parent, suffix=".zip.tmp")
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name in [manifest.MANIFEST_NAME, *sorted(n for n in files
                                                        if n != manifest.MANIFEST_NAME)]:
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, files[name], compresslevel=6)
        os.replace(tmp, out_path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


# --------------------------------------------------------------------------- entry point
def build_pack(content: PackContent, out_path: str | Path,
               progress: Progress | None = None) -> PackResult:
    """Build the pack zip at `out_path`; `progress(fraction, message)` is called per step."""
    out_path = Path(out_path)
    steps = _Steps(progress, total=8)
    steps.next("layers", "loading layers")
    disclaimers = disclaimer_texts()
    layers = content.layers()
    places_id = content.places_layer_id()
    places_all = None if places_id is None else content.catalogue.load(places_id)
    places = places_near(places_all, content.proposals)
    steps.next("maps", "drawing maps")
    overview, pngs, theme_maps = _draw_maps(content, places, steps)
    steps.next("atlas", "writing the PDF atlas")
    files = {ATLAS_NAME: _atlas(content, layers, overview, pngs, theme_maps, disclaimers)}
    steps.next("html", "writing the offline map")
    subtitle = f"{content.meeting.date} — {content.meeting.venue} — {content.meeting.working_group}"
    files[HTML_NAME] = offline_html.build_offline_html(
        content.catalogue, _html_layer_ids(content), content.proposals, content.meeting.title,
        subtitle, disclaimers, lang=content.lang)
    files.update(_data_files(content, layers, places, disclaimers["en"], steps))
    steps.next("zip", "writing the zip")
    counts = {i: len(f) for i, f in layers.items()}
    man = manifest.build_manifest(content, files, counts, disclaimers["en"])
    files[manifest.MANIFEST_NAME] = manifest.manifest_bytes(man)
    _write_zip(out_path, files, content)
    steps.finish()
    return PackResult(path=out_path, manifest=man, seconds=steps.seconds,
                      cpu_seconds=steps.cpu_seconds)


def _html_layer_ids(content: PackContent) -> list[str]:
    """Coast (as base map) plus the included layers, display variants for heavy ones."""
    cat = content.catalogue
    display_for = {s.display_of: s.id for s in cat.specs.values() if s.display_of}
    ids = [content.coast_layer_id()] if content.coast_layer_id() else []
    for layer_id in content.layer_ids:
        shown = display_for.get(layer_id, layer_id)
        if shown not in ids and len(cat.load(shown)):  # an empty layer: no toggle, no legend
            ids.append(shown)
    return ids


def read_pack(path: str | Path) -> dict[str, bytes]:
    """Every file of a pack zip by name (check them with `manifest.verify`)."""
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


