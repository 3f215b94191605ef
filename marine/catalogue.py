"""The layer catalogue: `LayerSpec` declarations, the conventions every layer keeps, and a
`Catalogue` that loads layers once (derived layers through a deterministic on-disk cache).

Every feature of every layer carries `feature_id`, `name`, `source` (document and date),
`status` (one of `STATUSES`) and `accuracy`. A layer may declare no geometry at all when no
citable source gives positions: it then says why in `empty_reason`.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from time import perf_counter

import geopandas as gpd
import pandas as pd
import shapely

from marine.errors import LayerError
from marine.geo import STORAGE_CRS

log = logging.getLogger(__name__)

THEMES = ("base", "claims", "shipping", "fisheries", "environment", "gazetteer")
STATUSES = (
    "agreed",  # in force between the parties
    "official-unilateral",  # published by one state
    "depicted-approximate",  # digitised from a published map, accuracy stated
    "computed-indicative",  # derived by this project, method stated
    "scientific",  # survey or research data
)
REQUIRED_COLUMNS = ("feature_id", "name", "source", "status", "accuracy")
# What a layer is for, so that the analysis, the packs and the pages ask the catalogue
# (`by_role`, `with_section`, `defaults`) instead of naming layer ids.
ROLES = (
    "coast",  # the full-resolution coastline (analysis, close views)
    "coast-display",  # the coastline drawn under every map
    "gazetteer",  # the places layer: every name of every place
)
SECTIONS = (
    "",  # the generic section: overlap area, length or count per feature
    "nearby-places", "nearest-ports", "routes", "fishing-areas", "moratorium", "environment",
    "envelopes", "envelope-coverage", "agreements", "depicted-line",
)
# Sections reported only through their own section, never also as a per-feature list.
OWN_SECTIONS = frozenset({"nearby-places", "envelopes", "envelope-coverage", "depicted-line"})
DEFAULT_PURPOSES = ("map", "draft", "pack")


@dataclass(frozen=True)
class Style:
    """How a layer is drawn; status shows in the styling (agreed solid, unilateral dashed,
    depicted dotted, computed envelopes as light fills)."""

    color: str = "#333333"
    weight: float = 1.5
    fill_color: str | None = None
    fill_opacity: float = 0.0
    dash_array: str | None = None  # Leaflet/SVG dash pattern, e.g. "6 4"
    radius: float = 4.0  # point markers, pixels
    opacity: float = 1.0


@dataclass(frozen=True)
class LayerSpec:
    id: str
    title: str
    theme: str
    loader: Callable[[], gpd.GeoDataFrame]
    style: Style
    source: str
    status: str
    licence: str
    description: str = ""
    derived: bool = False  # built from installed packages and cached on disk
    cache_version: str = "1"  # bump when the loader's output changes
    empty_reason: str = ""  # set when the layer ships no geometry, saying why
    display_tolerance: float = 0.0  # degrees; simplification for the browser map
    # A display layer names the analysis layer it stands for on maps (e.g. GSHHS high
    # resolution simplified for the browser, standing for full resolution): maps show it in
    # its place; analysis always uses the full layer.
    display_of: str = ""
    imported: bool = False  # a data-library layer (kept in the workspace database)
    role: str = ""  # one of ROLES, or "" (see `Catalogue.by_role`)
    section: str = ""  # the report section it feeds (SECTIONS; "" = the generic one)
    measured: bool = True  # False: never measured against a proposal (e.g. per-party envelopes)
    on_by_default: bool = False  # shown when the map explorer opens
    draft_context: bool = False  # drawn under the drafting map
    in_packs: bool = False  # carried by a map pack when the caller names no layers
    protection: bool = False  # protection in force or advised: a report warns when touched

    def __post_init__(self) -> None:
        blank = [name for name in ("id", "title", "source", "licence")
                 if not str(getattr(self, name)).strip()]
        if blank:
            raise LayerError(f"layer '{self.id}': {', '.join(blank)} must be given (every "
                             "layer says where it comes from and under which licence)")
        if self.theme not in THEMES:
            raise LayerError(f"layer '{self.id}': theme '{self.theme}' is not one of {THEMES}")
        if self.status not in STATUSES:
            raise LayerError(f"layer '{self.id}': status '{self.status}' is not one of {STATUSES}")
        if self.role and self.role not in ROLES:
            raise LayerError(f"layer '{self.id}': role '{self.role}' is not one of {ROLES}")
        if self.section not in SECTIONS:
            raise LayerError(f"layer '{self.id}': section '{self.section}' is not one of "
                             f"{SECTIONS}")

    @property
    def cache_key(self) -> str:
        digest = hashlib.sha256(f"{self.id}:{self.cache_version}".encode()).hexdigest()[:10]
        return f"{self.id}-{digest}"


# --------------------------------------------------------------------------- conventions
def features_frame(
    records: Sequence[dict], geometries: Sequence, **defaults: object
) -> gpd.GeoDataFrame:
    """A GeoDataFrame in STORAGE_CRS from per-feature records; `defaults` fill missing keys."""
    rows = [{**defaults, **r} for r in records]
    frame = pd.DataFrame(rows) if rows else pd.DataFrame(columns=[*REQUIRED_COLUMNS])
    gdf = gpd.GeoDataFrame(frame, geometry=list(geometries), crs=STORAGE_CRS)
    missing = [c for c in REQUIRED_COLUMNS if c not in gdf.columns]
    if missing:
        raise LayerError(f"features lack required columns {missing}; give them as defaults")
    return gdf


def empty_frame(extra_columns: Iterable[str] = ()) -> gpd.GeoDataFrame:
    columns = [*REQUIRED_COLUMNS, *extra_columns]
    return gpd.GeoDataFrame(pd.DataFrame(columns=columns), geometry=[], crs=STORAGE_CRS)


def layer_problems(spec: LayerSpec, gdf: gpd.GeoDataFrame) -> list[str]:
    """Every way `gdf` breaks the catalogue's conventions (empty list when it keeps them)."""
    problems: list[str] = []
    if gdf.crs is None or gdf.crs.to_string() != STORAGE_CRS:
        problems.append(f"CRS is {gdf.crs} but must be {STORAGE_CRS}")
    for col in REQUIRED_COLUMNS:
        if col not in gdf.columns:
            problems.append(f"column '{col}' missing")
        elif len(gdf) and (gdf[col].isna().any() or (gdf[col].astype(str).str.strip() == "").any()):
            problems.append(f"column '{col}' has empty values")
    if "status" in gdf.columns:
        bad = sorted(set(gdf["status"]) - set(STATUSES))
        if bad:
            problems.append(f"unknown status values {bad}")
    if len(gdf):
        invalid = ~shapely.is_valid(gdf.geometry.values)
        if invalid.any():
            problems.append(f"{int(invalid.sum())} invalid geometries")
        if gdf.geometry.is_empty.any():
            problems.append("empty geometries")
        if "feature_id" in gdf.columns and gdf["feature_id"].duplicated().any():
            problems.append("duplicate feature_id values")
    elif not spec.empty_reason:
        problems.append("no features and no empty_reason")
    return problems


# --------------------------------------------------------------------------- catalogue
class Catalogue:
    """Loads layers by id, once per process; derived layers go through `cache`."""

    def __init__(self, specs: Sequence[LayerSpec], cache=None, base: Catalogue | None = None):
        ids = [s.id for s in specs]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise LayerError(f"layer ids declared twice: {dupes}")
        self.specs: dict[str, LayerSpec] = {s.id: s for s in specs}
        self.cache = cache
        self.base = base  # layers of `base` load (once) there: see `extended`
        self._loaded: dict[str, gpd.GeoDataFrame] = {}
        self._loading = threading.RLock()  # one load at a time (loaders load other layers)

    def __iter__(self):
        return iter(self.specs.values())

    def __len__(self) -> int:
        return len(self.specs)

    def spec(self, layer_id: str) -> LayerSpec:
        try:
            return self.specs[layer_id]
        except KeyError:
            raise LayerError(
                f"layer '{layer_id}' is not in the catalogue; known layers: {sorted(self.specs)}"
            ) from None

    def by_theme(self) -> dict[str, list[LayerSpec]]:
        return {t: [s for s in self.specs.values() if s.theme == t] for t in THEMES}

    def by_role(self, role: str) -> LayerSpec | None:
        """The layer that plays `role` (one of ROLES), or None when the catalogue has none."""
        if role not in ROLES:
            raise LayerError(f"role '{role}' is not one of {ROLES}")
        found = [s for s in self.specs.values() if s.role == role]
        if len(found) > 1:
            raise LayerError(f"layers {[s.id for s in found]} all declare role '{role}'; "
                             "a role belongs to one layer")
        return found[0] if found else None

    def with_section(self, section: str) -> list[LayerSpec]:
        """The analysis layers feeding report section `section` (SECTIONS)."""
        if section not in SECTIONS:
            raise LayerError(f"section '{section}' is not one of {SECTIONS}")
        return [s for s in self.analysis_layers() if s.section == section]

    def defaults(self, purpose: str) -> list[LayerSpec]:
        """The layers on by default for `purpose`: 'map' (the explorer opens with them),
        'draft' (context under the drafting map) or 'pack' (a pack naming no layers; the data
        library's layers included)."""
        flag = {"map": "on_by_default", "draft": "draft_context", "pack": "in_packs"}.get(purpose)
        if flag is None:
            raise LayerError(f"purpose '{purpose}' is not one of {DEFAULT_PURPOSES}")
        return [s for s in self.specs.values() if getattr(s, flag)
                or (purpose == "pack" and s.imported)]

    def map_layers(self) -> list[LayerSpec]:
        """Layers to put on a map: display variants replace the layers they stand for."""
        replaced = {s.display_of for s in self.specs.values() if s.display_of}
        return [s for s in self.specs.values() if s.id not in replaced]

    def analysis_layers(self) -> list[LayerSpec]:
        """Layers to analyse against: full-resolution ones, never display variants."""
        return [s for s in self.specs.values() if not s.display_of]

    def extended(self, specs: Sequence[LayerSpec]) -> Catalogue:
        """This catalogue plus `specs` (e.g. the data library's layers a user may read); the
        layers of this one are loaded and cached here, once, whatever the extension."""
        clash = sorted(s.id for s in specs if s.id in self.specs)
        if clash:
            raise LayerError(f"layer ids {clash} are built-in layers; import under another id")
        return Catalogue([*self.specs.values(), *specs], cache=self.cache, base=self)

    def load(self, layer_id: str) -> gpd.GeoDataFrame:
        if self.base is not None and layer_id in self.base.specs:
            return self.base.load(layer_id)
        loaded = self._loaded.get(layer_id)
        if loaded is not None:
            return loaded
        spec = self.spec(layer_id)
        with self._loading:  # sessions asking at once wait for the first load, not redo it
            if layer_id not in self._loaded:
                self._loaded[layer_id] = self._load_uncached(spec)
            return self._loaded[layer_id]

    def load_all(self) -> dict[str, gpd.GeoDataFrame]:
        return {layer_id: self.load(layer_id) for layer_id in self.specs}

    def build(self, layer_ids: Iterable[str] | None = None) -> dict[str, float]:
        """Rebuild derived layers (ignoring the cache) and store them; returns seconds each."""
        seconds: dict[str, float] = {}
        for layer_id in layer_ids or self.specs:
            spec = self.spec(layer_id)
            if not spec.derived:
                continue
            start = perf_counter()
            gdf = self._run_loader(spec)
            if self.cache is not None:
                self.cache.write(spec.cache_key, gdf)
            self._loaded[layer_id] = gdf
            seconds[layer_id] = perf_counter() - start
        return seconds

    def _load_uncached(self, spec: LayerSpec) -> gpd.GeoDataFrame:
        if spec.derived and self.cache is not None:
            cached = self.cache.read(spec.cache_key)
            if cached is not None:
                return cached
            gdf = self._run_loader(spec)
            self.cache.write(spec.cache_key, gdf)
            return gdf
        return self._run_loader(spec)

    def _run_loader(self, spec: LayerSpec) -> gpd.GeoDataFrame:
        try:
            gdf = spec.loader()
        except LayerError:
            raise
        except Exception as exc:  # a loader failing names the layer, then the cause
            raise LayerError(f"layer '{spec.id}' failed to load: {exc}") from exc
        problems = layer_problems(spec, gdf)
        if problems:
            raise LayerError(f"layer '{spec.id}' breaks the conventions: {'; '.join(problems)}")
        return gdf.reset_index(drop=True)
