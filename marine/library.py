"""The data library, pure part: what a facilitator imports (a file plus its provenance) turned
into checked features ready for the store, and stored layers turned into catalogue layers.

    meta = LayerMeta(layer_id="npa-vn", title=..., theme="environment", status="official-unilateral",
                     source=..., licence=..., accuracy=..., label_field="NAME")
    prepared = prepare_import(meta, "npa.gpkg", data, reserved_ids=catalogue.specs, places=gaz)
    store.library.import_layer(user, prepared)           # one transaction, audited

Files go through the same safe readers as proposal uploads (`marine.uploads`), with the larger
`IMPORT_LIMITS`. Nothing here opens a database or draws a widget.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from marine import uploads
from marine.catalogue import REQUIRED_COLUMNS, STATUSES, THEMES, LayerSpec, Style, empty_frame
from marine.errors import LayerError
from marine.formatting import number
from marine.geo import STORAGE_CRS, geometry_kind
from marine.uploads import IMPORT_LIMITS, UploadError, shown

LAYER_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$")
PROVENANCE_FIELDS = ("title", "source", "licence", "accuracy")
MAX_ATTRIBUTES = 40  # per feature; more columns are dropped (and the import says so)
MAX_TEXT = 500  # characters per attribute value kept


class LibraryImportError(LayerError):
    """An import was refused: the message names the value and the remedy."""


@dataclass(frozen=True)
class LayerMeta:
    """What a facilitator says about a layer: all of it is required except the label field
    and the group (None = every participant sees it)."""

    layer_id: str
    title: str
    theme: str
    status: str
    source: str
    licence: str
    accuracy: str
    label_field: str | None = None
    group: str | None = None

    def __post_init__(self) -> None:
        if not LAYER_ID.match(self.layer_id or ""):
            raise LibraryImportError(
                f"layer id '{shown(self.layer_id)}' is not usable: write 3-64 lower-case letters, "
                "digits and hyphens, e.g. 'national-parks-2026'")
        blank = [f for f in PROVENANCE_FIELDS if not str(getattr(self, f) or "").strip()]
        if blank:
            raise LibraryImportError(
                f"layer '{self.layer_id}': {', '.join(blank)} must be given — every layer says "
                "what it is, where it comes from, under which licence and how accurate it is")
        if self.theme not in THEMES:
            raise LibraryImportError(
                f"theme '{shown(self.theme)}' is not one of {', '.join(THEMES)}")
        if self.status not in STATUSES:
            raise LibraryImportError(
                f"status '{shown(self.status)}' is not one of {', '.join(STATUSES)}")


@dataclass(frozen=True)
class PreparedFeature:
    geometry: BaseGeometry
    label: str
    properties: dict


@dataclass(frozen=True)
class PreparedImport:
    """A checked import: every feature valid, 2-D, in EPSG:4326, with a label."""

    meta: LayerMeta
    filename: str
    file_format: str
    features: tuple[PreparedFeature, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def vertex_count(self) -> int:
        geoms = np.asarray([f.geometry for f in self.features], dtype=object)
        return int(shapely.get_num_coordinates(geoms).sum()) if len(geoms) else 0


def import_limits_text() -> str:
    limits = IMPORT_LIMITS
    return (f"up to {limits.max_bytes // 2**20} MB per file, {number(limits.max_features, 'en')} "
            f"features and {number(limits.max_vertices, 'en')} vertices")


# --------------------------------------------------------------------------- reading
def read_features(filename: str, data: bytes) -> tuple[str, list[BaseGeometry], list[dict], list[str]]:
    """(format, geometries, attributes per geometry, notes) through the upload readers."""
    with uploads.using_limits(IMPORT_LIMITS):
        fmt = uploads.format_of(filename)
        if not data:
            raise UploadError(f"'{shown(filename)}' is empty: choose the file again")
        uploads._check_size(filename, len(data))
        notes: list[str] = []
        properties: list[dict] = []
        geoms = uploads.reader_of(fmt)(data, notes, properties=properties)
    if len(properties) != len(geoms):  # a reader that keeps no attributes
        properties = [{} for _ in geoms]
    return fmt, geoms, properties, notes


def checked_geometries(geoms: Sequence[BaseGeometry | None], filename: str,
                       notes: list[str]) -> list[BaseGeometry | None]:
    """Each feature's geometry 2-D, valid and in longitude/latitude; None for empty ones.

    A whole file is refused for the first feature that cannot be used (the message names
    it); repairs are counted into `notes`."""
    name = shown(filename)
    out: list[BaseGeometry | None] = []
    repaired = 0
    for i, geom in enumerate(geoms, start=1):
        if geom is None or geom.is_empty:
            out.append(None)
            continue
        if geometry_kind(geom) is None:
            raise LibraryImportError(
                f"'{name}' feature {i} is a {geom.geom_type}; a layer's features are areas, "
                "lines or points: split it into separate features")
        geom = shapely.force_2d(geom)
        xy = shapely.get_coordinates(geom)
        if not np.isfinite(xy).all():
            raise LibraryImportError(f"'{name}' feature {i} has a vertex that is not a finite "
                                     "number: fix or remove it")
        minx, miny, maxx, maxy = geom.bounds
        if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
            raise LibraryImportError(
                f"'{name}' feature {i} has bounds ({minx:.1f}, {miny:.1f}, {maxx:.1f}, "
                f"{maxy:.1f}), outside longitude/latitude: export it in WGS84 (EPSG:4326)")
        if not shapely.is_valid(geom):
            geom = _repaired(geom)
            repaired += 1
        out.append(geom)
    if repaired:
        notes.append(f"{repaired} invalid geometries repaired (self-intersections or rings)")
    dropped = sum(g is None for g in out)
    if dropped:
        notes.append(f"{dropped} features without geometry left out")
    return out


def _repaired(geom: BaseGeometry) -> BaseGeometry:
    fixed = shapely.make_valid(geom)
    if fixed.geom_type == "GeometryCollection":  # keep the parts of the original's kind
        kind = geometry_kind(geom)
        parts = [p for p in shapely.get_parts(fixed) if geometry_kind(p) == kind]
        fixed = parts[0] if len(parts) == 1 else shapely.union_all(parts)
    return fixed


# --------------------------------------------------------------------------- labels
def check_label_field(label_field: str | None, properties: Sequence[dict], filename: str) -> None:
    if not label_field:
        return
    fields = sorted({k for p in properties for k in p})
    if label_field not in fields:
        listed = ", ".join(shown(f, 30) for f in fields[:12]) or "none"
        raise LibraryImportError(
            f"label field '{shown(label_field)}' is not an attribute of '{shown(filename)}' "
            f"(attributes: {listed}): choose one of them")


def places_by_name(places) -> dict:
    """Every name of every gazetteer place (as a search key) → the place; built once per
    import so that 50,000 labels cost one dictionary look-up each."""
    from marine.gazetteer import search_key

    if places is None:
        return {}
    return {search_key(name): place for place in places for _lang, name in place.all_names()}


def feature_label(value: object, by_name: dict) -> str:
    """The label a person reads: a value that names a gazetteer place shows all its names."""
    from marine.gazetteer import neutral_label, search_key

    text = "" if value is None else str(value).strip()
    place = by_name.get(search_key(text)) if text and by_name else None
    return neutral_label(place) if place is not None else text


def _kept_properties(props: dict) -> dict:
    kept = {}
    for key, value in list(props.items())[:MAX_ATTRIBUTES]:
        kept[str(key)[:100]] = value[:MAX_TEXT] if isinstance(value, str) else value
    return kept


# --------------------------------------------------------------------------- the whole import
def prepare_import(meta: LayerMeta, filename: str, data: bytes, *,
                   reserved_ids: Collection[str] = (), places=None) -> PreparedImport:
    """Read, check and label a file for import; raise `LibraryImportError`/`UploadError`
    naming the problem and the remedy (nothing is written anywhere)."""
    if meta.layer_id in reserved_ids:
        raise LibraryImportError(
            f"layer id '{meta.layer_id}' is a built-in layer of the catalogue: choose another id")
    fmt, geoms, properties, notes = read_features(filename, data)
    check_label_field(meta.label_field, properties, filename)
    geoms = checked_geometries(geoms, filename, notes)
    by_name = places_by_name(places)
    features = []
    for geom, props in zip(geoms, properties, strict=True):
        if geom is None:
            continue
        raw = props.get(meta.label_field) if meta.label_field else None
        # Without a label the features share the layer's title: the map then sends them as
        # one multi-geometry with one popup (as the built-in coastline), far fewer bytes.
        label = feature_label(raw, by_name) or meta.title
        features.append(PreparedFeature(geom, label, _kept_properties(props)))
    if not features:
        raise LibraryImportError(f"'{shown(filename)}' ({fmt}) holds no geometry: check that "
                                 "the file has features")
    if any(len(p) > MAX_ATTRIBUTES for p in properties):
        notes.append(f"only the first {MAX_ATTRIBUTES} attributes of each feature kept")
    return PreparedImport(meta, filename, fmt, tuple(features), tuple(notes))


# --------------------------------------------------------------------------- into the catalogue
# Status shows in the styling, as for the built-in layers (agreed solid, unilateral dashed,
# depicted dotted, computed as light fills); the colour comes from the id, so it is stable.
PALETTE = ("#1b7837", "#762a83", "#b35806", "#2166ac", "#8c510a", "#c51b7d", "#01665e")
DASH_OF_STATUS = {"agreed": None, "official-unilateral": "6 4", "depicted-approximate": "1 3",
                  "computed-indicative": "4 2", "scientific": None}


def library_style(layer_id: str, status: str):
    colour = PALETTE[int(hashlib.sha256(layer_id.encode()).hexdigest(), 16) % len(PALETTE)]
    light = status == "computed-indicative"
    return Style(color=colour, weight=1.5, fill_color=colour,
                 fill_opacity=0.08 if light else 0.18, dash_array=DASH_OF_STATUS[status])


def features_frame_of(features):
    """A `marine.store.library.LayerFeatures` as a catalogue frame (the conventions'
    columns, the attributes kept, geometry in EPSG:4326)."""
    layer = features.layer
    if not features.wkb:
        return empty_frame()
    n = len(features.wkb)
    base = pd.DataFrame({
        "feature_id": [f"{layer.layer_id}-{i + 1}" for i in range(n)],
        "name": list(features.labels),
        "source": layer.source, "status": layer.status, "accuracy": layer.accuracy,
    })
    attributes = pd.DataFrame.from_records(list(features.properties))
    attributes = attributes[[c for c in attributes.columns if c not in REQUIRED_COLUMNS
                             and c != "geometry"]]
    frame = pd.concat([base, attributes.astype(object).where(attributes.notna(), None)], axis=1)
    geometry = shapely.from_wkb(np.asarray(features.wkb, dtype=object))
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=STORAGE_CRS)


def library_spec(layer, load):
    """The `LayerSpec` of a stored layer (`marine.store.library.LibraryLayer`); `load()`
    returns its frame. Its cache version is the stored version, so a re-import is a new key."""
    note = f"Imported into the data library, version {layer.version}. Accuracy: {layer.accuracy}."
    return LayerSpec(
        id=layer.layer_id, title=layer.title, theme=layer.theme, loader=load,
        style=library_style(layer.layer_id, layer.status), source=layer.source,
        status=layer.status, licence=layer.licence, description=note,
        cache_version=f"library-{layer.version}",
        display_tolerance=display_tolerance(layer.vertex_count), imported=True)


def display_tolerance(vertices: int) -> float:
    """Simplification for the overview map, by the layer's size: a small layer is drawn as
    imported (~100 m), a whole full-resolution coast at about a pixel of the region's
    overview (~2 km); close views get the detail through `webmap.detail_frame`."""
    return 0.001 if vertices <= 50_000 else 0.005 if vertices <= 500_000 else 0.02


def library_specs(store, actor, versions: Mapping[str, int] | None = None) -> list:
    """Every library layer `actor` may read, as catalogue layers loading from `store`.

    `versions` pins layers to older versions (a pack rebuilt as it was made), removed layers
    included; other layers come at their latest version."""
    def loader(layer_id: str, version: int):
        return lambda: features_frame_of(store.library.features(
            actor, layer_id, version, include_removed=True))

    layers = {layer.layer_id: layer for layer in store.library.list(actor)}
    for layer_id, wanted in (versions or {}).items():
        pinned = [v for v in store.library.versions(actor, layer_id) if v.version == wanted]
        if not pinned:
            raise LibraryImportError(f"layer '{layer_id}' has no version {wanted}: list its "
                                     "versions with `marine layers list`")
        layers[layer_id] = pinned[0]
    return [library_spec(layer, loader(layer.layer_id, layer.version))
            for _, layer in sorted(layers.items())]


def catalogue_with_library(catalogue, store, actor, versions: Mapping[str, int] | None = None):
    """`catalogue` plus the library layers `actor` may read (built-in layers stay loaded
    once, in `catalogue`)."""
    return catalogue.extended(library_specs(store, actor, versions))


def split_versions(layer_ids: Sequence[str]) -> tuple[tuple[str, ...], dict[str, int]]:
    """'depth-200m@2' → ('depth-200m',), {'depth-200m': 2}; plain ids pass through."""
    ids, versions = [], {}
    for text in layer_ids:
        layer_id, _, number = text.partition("@")
        if number:
            if not number.isdigit():
                raise LibraryImportError(f"layer '{shown(text)}': write a version as "
                                         "id@number, e.g. depth-200m@2")
            versions[layer_id] = int(number)
        ids.append(layer_id)
    return tuple(ids), versions


def catalogue_gazetteer(catalogue):
    """The gazetteer of the catalogue's places layer (None when it has none)."""
    from marine.gazetteer import Gazetteer

    spec = catalogue.by_role("gazetteer")
    if spec is None:
        return None
    places = catalogue.load(spec.id)
    records = places.drop(columns=places.geometry.name).to_dict("records")
    for record, point in zip(records, places.geometry.values, strict=True):
        record["lat"], record["lon"] = point.y, point.x
    return Gazetteer.from_records(records)


def import_file(store, actor, catalogue, meta: LayerMeta, filename: str, data: bytes):
    """Read, check, label and store one file as the next version of `meta.layer_id`; returns
    (`LibraryLayer`, notes). Refused files raise with nothing written."""
    prepared = prepare_import(meta, filename, data, reserved_ids=_builtin_ids(catalogue),
                              places=catalogue_gazetteer(catalogue))
    return store.library.import_layer(actor, prepared), prepared.notes


def _builtin_ids(catalogue) -> set[str]:
    return {s.id for s in catalogue if not s.imported}
