"""Printable maps drawn locally with matplotlib: no tiles, no network.

Lambert azimuthal equal-area centred on the sea (lat_0=12, lon_0=114) keeps shapes and areas
honest across the whole region; every map has a graticule with degree labels, a scale bar
(measured geodesically where it is drawn), a north arrow pointing to true north, and a legend.
Layers are projected once per pack and clipped to each map's extent.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")  # files only, never a window

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import shapely  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch, PathPatch  # noqa: E402
from matplotlib.path import Path  # noqa: E402
from matplotlib.transforms import Bbox  # noqa: E402
from pyproj import Transformer  # noqa: E402

from marine.catalogue import LayerSpec, Style  # noqa: E402
from marine.geo import EQUAL_AREA_CRS, GEOD, STORAGE_CRS  # noqa: E402
from marine.mappack.content import ProposalSnapshot, nfc, surroundings  # noqa: E402
from marine.mappack.fonts import matplotlib_families  # noqa: E402

MAP_CRS = EQUAL_AREA_CRS  # +proj=laea +lat_0=12 +lon_0=114
PROPOSAL_STYLE = Style(color="#b03a2e", weight=2.0, fill_color="#e6b0aa", fill_opacity=0.35)
OTHER_PROPOSAL_STYLE = Style(color="#7d3c98", weight=1.2, fill_color="#d7bde2", fill_opacity=0.25)
SCALE_STEPS_KM = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)
GRATICULE_STEPS = (0.1, 0.25, 0.5, 1, 2, 5, 10)
# 0.1 mm on a 1:2,000,000 proposal map is 200 m: finer detail cannot be printed, so heavy
# layers are simplified to it once per pack (the data files keep every vertex).
PRINT_TOLERANCE_M = 200.0
SIMPLIFY_ABOVE = 5000  # vertices in a layer
_FWD = Transformer.from_crs(STORAGE_CRS, MAP_CRS, always_xy=True)
_INV = Transformer.from_crs(MAP_CRS, STORAGE_CRS, always_xy=True)


@dataclass(frozen=True)
class MapLayer:
    spec: LayerSpec
    frame: gpd.GeoDataFrame  # in MAP_CRS
    legend: str = ""  # the legend's words for the layer (default: its title and status)
    labels: tuple[str, ...] = ()  # per row: every name of a named feature (places, straits)
    kinds: tuple[str, ...] = ()  # per row: the place's kind (sea, gulf, group, reef…)


@dataclass(frozen=True)
class MapSize:
    width_mm: float
    height_mm: float
    dpi: int = 150


def project_layers(specs_and_frames: Sequence[tuple[LayerSpec, gpd.GeoDataFrame]],
                   tolerance_m: float = PRINT_TOLERANCE_M,
                   legends: dict[str, str] | None = None) -> list[MapLayer]:
    """Project each layer once to MAP_CRS and simplify heavy ones to what print can show
    (the per-map work is then only clipping); named features get their labels."""
    out = []
    for spec, frame in specs_and_frames:
        projected = frame.to_crs(MAP_CRS) if len(frame) else frame.set_crs(MAP_CRS, allow_override=True)
        geoms = projected.geometry.values
        if len(projected) and shapely.get_num_coordinates(geoms).sum() > SIMPLIFY_ABOVE:
            projected = projected.set_geometry(
                shapely.simplify(np.asarray(geoms), tolerance_m, preserve_topology=True))
        labels, kinds = map_labels(frame)
        legend = (legends or {}).get(spec.id, f"{spec.title} [{spec.status}]")
        out.append(MapLayer(spec=spec, frame=projected, legend=legend, labels=labels,
                            kinds=kinds))
    return out


NAMES_PER_LINE = 2


def map_labels(frame: gpd.GeoDataFrame) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Labels of a layer of named points (places, straits) whose features carry names in
    several languages (`name_<lang>`): every name (the gazetteer's neutral label, never one
    name alone), two names a line. Areas (reefs) are drawn, not labelled: their names are the
    gazetteer's, which labels them once."""
    if not any(c.startswith("name_") for c in frame.columns) or not len(frame):
        return (), ()
    if not set(frame.geometry.geom_type.dropna()) <= {"Point", "MultiPoint"}:
        return (), ()
    from marine.feature_labels import all_names
    from marine.gazetteer import LABEL_SEPARATOR

    labels, kinds = [], []
    for row in frame.drop(columns=frame.geometry.name).to_dict("records"):
        row = {k: v for k, v in row.items() if k != "name_other"}  # print: the main names
        names = all_names(row).split(LABEL_SEPARATOR)
        lines = [" / ".join(names[i:i + NAMES_PER_LINE])
                 for i in range(0, len(names), NAMES_PER_LINE)]
        labels.append("\n".join(lines))
        kinds.append(str(row.get("kind") or ""))
    return tuple(labels), tuple(kinds)


def _project_geom(geom):
    return shapely.transform(geom, lambda xy: np.column_stack(_FWD.transform(xy[:, 0], xy[:, 1])))


def _mpl_text(text: object) -> str:
    """Literal text for matplotlib: a '$' must not switch on mathtext."""
    return nfc(text).replace("$", r"\$")


def _linestyle(dash_array: str | None):
    if not dash_array:
        return "solid"
    parts = [float(p) for p in dash_array.replace(",", " ").split()]
    return (0, tuple(parts)) if parts else "solid"


# --------------------------------------------------------------------------- extent
def _extent_for(lonlat_box: tuple[float, float, float, float], aspect: float):
    """Projected (xmin, ymin, xmax, ymax) covering a lon/lat box, widened to `aspect` (w/h)."""
    box = shapely.segmentize(shapely.box(*lonlat_box), 0.25)
    xmin, ymin, xmax, ymax = _project_geom(box).bounds
    w, h = xmax - xmin, ymax - ymin
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def _lonlat_bounds(extent):
    box = shapely.segmentize(shapely.box(*extent), (extent[2] - extent[0]) / 50)
    coords = shapely.get_coordinates(box)
    lon, lat = _INV.transform(coords[:, 0], coords[:, 1])
    return min(lon), min(lat), max(lon), max(lat)


# --------------------------------------------------------------------------- drawing
def _path(geoms: np.ndarray, closed: bool) -> Path:
    """One compound matplotlib Path for many rings or lines: one draw call per layer instead
    of one artist per feature (the overview has thousands of coast polygons)."""
    coords, index = shapely.get_coordinates(geoms, return_index=True)
    codes = np.full(len(coords), Path.LINETO, dtype=Path.code_type)
    starts = np.r_[0, np.flatnonzero(np.diff(index)) + 1]
    codes[starts] = Path.MOVETO
    if closed:
        codes[np.r_[starts[1:] - 1, len(coords) - 1]] = Path.CLOSEPOLY
    return Path(coords, codes)


def _draw_geoms(ax, geoms: np.ndarray, style: Style, zorder: float, highlight: bool = False):
    """Draw polygons, lines and points in one artist each. `add_artist` (not `add_patch`):
    the extent is set explicitly, and add_patch walks every vertex to update data limits."""
    parts = shapely.get_parts(geoms)
    kinds = shapely.get_type_id(parts)
    lw = style.weight * (0.6 if not highlight else 0.9)
    dash = _linestyle(style.dash_array)
    polys = shapely.orient_polygons(parts[kinds == 3])
    if len(polys):
        face = style.fill_color if style.fill_color and style.fill_opacity > 0 else "none"
        rgba = matplotlib.colors.to_rgba(face, style.fill_opacity) if face != "none" else "none"
        rings = shapely.get_rings(polys)
        ax.add_artist(PathPatch(_path(rings, closed=True), facecolor=rgba, edgecolor=style.color,
                               linewidth=lw, linestyle=dash, zorder=zorder))
    lines = parts[(kinds == 1) | (kinds == 2)]
    if len(lines):
        ax.add_artist(PathPatch(_path(lines, closed=False), facecolor="none",
                               edgecolor=style.color, linewidth=lw, linestyle=dash,
                               zorder=zorder + 0.1))
    points = parts[kinds == 0]
    if len(points):
        xy = shapely.get_coordinates(points)
        ax.scatter(xy[:, 0], xy[:, 1], s=style.radius * 2.5, color=style.color,
                   zorder=zorder + 0.2, linewidths=0)


def _clip(frame: gpd.GeoDataFrame, extent) -> tuple[np.ndarray, np.ndarray]:
    """Geometries inside the extent (clipped) and their row positions."""
    if not len(frame):
        return np.array([], dtype=object), np.array([], dtype=int)
    rows = frame.sindex.query(shapely.box(*extent), predicate="intersects")
    rows = np.sort(rows)
    clipped = shapely.clip_by_rect(frame.geometry.values[rows], *extent)
    keep = ~shapely.is_empty(clipped)
    return np.asarray(clipped[keep], dtype=object), rows[keep]


def _draw_layers(ax, layers: Sequence[MapLayer], extent) -> tuple[list, list]:
    """Draw every layer; returns legend handles (only layers with something drawn) and the
    label candidates (x, y, text, kind) of named features inside the map."""
    handles, candidates = [], []
    for z, layer in enumerate(layers):
        geoms, rows = _clip(layer.frame, extent)
        if not len(geoms):
            continue
        _draw_geoms(ax, geoms, layer.spec.style, zorder=2 + z)
        handles.append(_legend_handle(layer.spec.style, layer.legend or layer.spec.title, geoms))
        if layer.labels:
            for geom, row in zip(geoms, rows, strict=True):
                p = shapely.point_on_surface(geom)
                candidates.append((p.x, p.y, layer.labels[row], layer.kinds[row]))
    return handles, candidates


# Seas and gulfs first (they name the map), then groups, then single features.
LABEL_PRIORITY = {"sea": 0, "gulf": 0, "group": 1, "bank": 2, "shoals": 2}
WATER_KINDS = ("sea", "gulf")
LABEL_PT = 5.5
# Where a label may sit around its point (offset in points, alignment), first choice first.
LABEL_SLOTS = ((4, 2, "left", "bottom"), (-4, 2, "right", "bottom"), (4, -2, "left", "top"),
               (-4, -2, "right", "top"), (0, 5, "center", "bottom"), (0, -5, "center", "top"))


def draw_labels(ax, candidates: Sequence[tuple], limit: int = 40) -> list[tuple[str, object]]:
    """Place labels without overlap (greedy, by priority; a label that fits nowhere is left
    out, its point stays); white halo for print. Returns (text, window box) of each placed."""
    from matplotlib import patheffects

    fig = ax.figure
    ax.apply_aspect()  # the axes' final box: labels are measured against it
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    placed_boxes, placed = [], []
    families = list(matplotlib_families())
    halo = [patheffects.withStroke(linewidth=1.6, foreground="white")]
    order = sorted(range(len(candidates)),
                   key=lambda i: (LABEL_PRIORITY.get(candidates[i][3], 3), i))
    points_per_px = fig.dpi / 72.0
    for i in order:
        if len(placed) >= limit:
            break
        x, y, text, kind = candidates[i]
        water = kind in WATER_KINDS
        slots = (((0, 0, "center", "center"),) + LABEL_SLOTS) if water else LABEL_SLOTS
        dx, dy, ha, va = slots[0]
        artist = ax.annotate(_mpl_text(text), (x, y), xytext=(dx, dy),
                             textcoords="offset points", ha=ha, va=va,
                             fontsize=LABEL_PT + (1 if water else 0),
                             fontstyle="italic" if water else "normal",
                             color="#1b4f72" if water else "#17202a",
                             fontfamily=families, zorder=55, linespacing=1.05,
                             path_effects=halo, annotation_clip=True)
        # Measured once; the other slots are the same box moved (text layout is the cost).
        size = artist.get_window_extent(renderer)
        w, h = size.width * 1.04, size.height * 1.08
        ax0, ay0 = ax.transData.transform((x, y))
        for dx, dy, ha, va in slots:
            left = ax0 + dx * points_per_px - {"left": 0, "right": w, "center": w / 2}[ha]
            low = ay0 + dy * points_per_px - {"bottom": 0, "top": h, "center": h / 2}[va]
            box = Bbox.from_bounds(left, low, w, h)
            inside = (box.x0 >= frame.x0 and box.x1 <= frame.x1 and box.y0 >= frame.y0
                      and box.y1 <= frame.y1)
            if inside and not any(box.overlaps(b) for b in placed_boxes):
                artist.xyann = (dx, dy)
                artist.set_horizontalalignment(ha)
                artist.set_verticalalignment(va)
                placed_boxes.append(box)
                placed.append((text, box))
                break
        else:
            artist.remove()
    return placed


def _legend_handle(style: Style, label: str, geoms: np.ndarray):
    kinds = set(shapely.get_type_id(geoms).tolist())
    if kinds & {3, 6}:
        face = style.fill_color if style.fill_color and style.fill_opacity > 0 else "none"
        rgba = matplotlib.colors.to_rgba(face, style.fill_opacity) if face != "none" else "none"
        return Patch(facecolor=rgba, edgecolor=style.color, label=_mpl_text(label),
                     linestyle=_linestyle(style.dash_array))
    if kinds & {1, 2, 5}:
        return Line2D([], [], color=style.color, linewidth=style.weight,
                      linestyle=_linestyle(style.dash_array), label=_mpl_text(label))
    return Line2D([], [], color=style.color, marker="o", linestyle="none", markersize=4,
                  label=_mpl_text(label))


# --------------------------------------------------------------------------- furniture
def _graticule_step(span_deg: float) -> float:
    return next((s for s in GRATICULE_STEPS if span_deg / s <= 8), GRATICULE_STEPS[-1])


def _degree_label(value: float, axis: str) -> str:
    hemi = ("E" if value >= 0 else "W") if axis == "lon" else ("N" if value >= 0 else "S")
    text = f"{abs(value):.2f}".rstrip("0").rstrip(".")
    return f"{text}°{hemi}" if value != 0 else "0°"


def draw_graticule(ax, extent) -> int:
    """Meridians and parallels with degree labels on the bottom and left edges; returns count."""
    lon0, lat0, lon1, lat1 = _lonlat_bounds(extent)
    step = _graticule_step(max(lon1 - lon0, lat1 - lat0))
    frame = shapely.box(*extent)
    bottom = shapely.LineString([(extent[0], extent[1]), (extent[2], extent[1])])
    left = shapely.LineString([(extent[0], extent[1]), (extent[0], extent[3])])
    families = list(matplotlib_families())
    count = 0
    for axis, values in (("lon", np.arange(np.ceil(lon0 / step) * step, lon1 + 1e-9, step)),
                         ("lat", np.arange(np.ceil(lat0 / step) * step, lat1 + 1e-9, step))):
        for v in np.round(values, 6):
            ys = np.linspace(lat0 - step, lat1 + step, 60)
            pts = [(v, y) for y in ys] if axis == "lon" else [(x, v) for x in
                                                           np.linspace(lon0 - step, lon1 + step, 60)]
            line = _project_geom(shapely.LineString(pts))
            inside = line.intersection(frame)
            if inside.is_empty:
                continue
            for part in shapely.get_parts(inside):
                ax.plot(*np.asarray(part.coords).T, color="#8a9aa9", linewidth=0.35,
                        linestyle=(0, (2, 2)), zorder=1)
            count += 1
            edge = bottom if axis == "lon" else left
            hit = line.intersection(edge)
            if hit.is_empty:
                continue
            p = shapely.get_parts(hit)[0]
            ax.annotate(_degree_label(v, axis), (p.x, p.y), fontsize=6, fontfamily=families,
                        xytext=(0, -3) if axis == "lon" else (-3, 0), textcoords="offset points",
                        ha="center" if axis == "lon" else "right",
                        va="top" if axis == "lon" else "center", annotation_clip=False)
    return count


def draw_scale_bar(ax, extent) -> float:
    """A bar whose length is measured geodesically where it stands; returns its length in km."""
    xmin, ymin, xmax, ymax = extent
    x0, y0 = xmin + 0.05 * (xmax - xmin), ymin + 0.06 * (ymax - ymin)
    probe = 0.2 * (xmax - xmin)
    (lo0, lo1), (la0, la1) = _INV.transform([x0, x0 + probe], [y0, y0])
    _, _, metres = GEOD.inv(lo0, la0, lo1, la1)
    proj_per_m = probe / metres
    target_km = metres / 1000
    km = max((s for s in SCALE_STEPS_KM if s <= target_km), default=SCALE_STEPS_KM[0])
    length = km * 1000 * proj_per_m
    h = 0.008 * (ymax - ymin)
    families = list(matplotlib_families())
    ax.add_patch(matplotlib.patches.Rectangle(
        (x0 - 0.02 * (xmax - xmin), y0 - 0.02 * (ymax - ymin)), length + 0.2 * (xmax - xmin),
        0.07 * (ymax - ymin), facecolor="white", alpha=0.85, edgecolor="none", zorder=59))
    for i in range(4):
        seg = length / 4
        ax.add_patch(matplotlib.patches.Rectangle((x0 + i * seg, y0), seg, h, zorder=60,
                                                  facecolor="black" if i % 2 == 0 else "white",
                                                  edgecolor="black", linewidth=0.5))
    ax.text(x0, y0 + 2.2 * h, "0", fontsize=6, ha="center", zorder=60, fontfamily=families)
    ax.text(x0 + length, y0 + 2.2 * h, f"{km:g} km ({km * 1000 / 1852:.1f} nm)", fontsize=6,
            ha="center", zorder=60, fontfamily=families)
    return float(km)


def draw_north_arrow(ax, extent) -> float:
    """An arrow to true north (LAEA's north tilts away from 114°E); returns its bearing in °."""
    xmin, ymin, xmax, ymax = extent
    x, y = xmin + 0.93 * (xmax - xmin), ymin + 0.80 * (ymax - ymin)
    lon, lat = _INV.transform(x, y)
    nx, ny = _FWD.transform(lon, min(lat + 0.1, 89.9))
    dx, dy = nx - x, ny - y
    norm = np.hypot(dx, dy)
    length = 0.09 * (ymax - ymin)
    tip = (x + dx / norm * length, y + dy / norm * length)
    ax.annotate("", xy=tip, xytext=(x, y), zorder=60,
                arrowprops={"arrowstyle": "-|>", "color": "black", "linewidth": 1.2})
    ax.annotate("N", xy=tip, xytext=(0, 3), textcoords="offset points", ha="center",
                va="bottom", fontsize=8, fontweight="bold", zorder=60,
                fontfamily=list(matplotlib_families()))
    return float(np.degrees(np.arctan2(dx, dy)))


# --------------------------------------------------------------------------- maps
LEGEND_ROW_MM = 3.0  # one legend row at 5 pt
LEGEND_COLUMNS = 2


def _layout(size: MapSize, legend_entries: int) -> tuple[tuple[float, ...], float]:
    """Axes box (figure fractions) with a band below for the legend, so the legend never
    hides the area, and the box's width/height ratio."""
    rows = -(-legend_entries // LEGEND_COLUMNS)
    band = (rows * LEGEND_ROW_MM + 6.0) / size.height_mm  # legend rows + degree labels
    box = (0.07, band, 0.91, 0.985 - band)
    return box, (box[2] * size.width_mm) / (box[3] * size.height_mm)


def _figure(size: MapSize, box: tuple[float, ...]):
    fig = plt.figure(figsize=(size.width_mm / 25.4, size.height_mm / 25.4), dpi=size.dpi)
    ax = fig.add_axes(box)
    ax.set_facecolor("#f4f8fb")  # sea
    ax.set_xticks([])
    ax.set_yticks([])
    return fig, ax


def _layers_in(layers: Sequence[MapLayer], extent) -> int:
    box = shapely.box(*extent)
    return sum(1 for layer in layers
               if len(layer.frame) and len(layer.frame.sindex.query(box, predicate="intersects")))


def _fit(size: MapSize, layers: Sequence[MapLayer], lonlat_box, extra_entries: int):
    """Extent and axes box sized for the legend entries this map will really have."""
    _, aspect = _layout(size, len(layers) + extra_entries)
    entries = _layers_in(layers, _extent_for(lonlat_box, aspect)) + extra_entries
    box, aspect = _layout(size, entries)
    return _extent_for(lonlat_box, aspect), box


def _finish(fig, ax, extent, handles, candidates=()) -> bytes:
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect("equal")
    ax.set_xlabel("")
    ax.set_ylabel("")
    if candidates:
        draw_labels(ax, candidates)
    draw_graticule(ax, extent)
    draw_scale_bar(ax, extent)
    draw_north_arrow(ax, extent)
    if handles:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, -0.035),
                  ncol=LEGEND_COLUMNS, frameon=False, borderaxespad=0.0, columnspacing=1.5,
                  prop={"family": list(matplotlib_families()), "size": 5})
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi, metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def _proposal_handles(ax, proposals, style, extent, label: bool, legend: str) -> list:
    handles = []
    families = list(matplotlib_families())
    drawn = []
    for p in proposals:
        geom = shapely.clip_by_rect(_project_geom(p.geometry), *extent)
        if geom.is_empty:
            continue
        drawn.append(p.geometry)
        _draw_geoms(ax, np.array([geom], dtype=object), style, zorder=40, highlight=True)
        if label:
            c = shapely.point_on_surface(geom)
            ax.annotate(_mpl_text(p.id), (c.x, c.y), fontsize=6, fontweight="bold", zorder=61,
                        ha="center", fontfamily=families,
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "alpha": 0.8,
                              "lw": 0})
    if drawn:
        handles.append(_legend_handle(style, legend, np.array(drawn, dtype=object)))
    return handles


def render_overview(layers: Sequence[MapLayer], proposals: Sequence[ProposalSnapshot],
                    lonlat_box: tuple[float, float, float, float], size: MapSize,
                    legend: str = "proposals in this pack") -> bytes:
    """The whole pack on one map: every layer, named places, every proposal by its id."""
    extent, box = _fit(size, layers, lonlat_box, extra_entries=1 if proposals else 0)
    fig, ax = _figure(size, box)
    handles, candidates = _draw_layers(ax, layers, extent)
    handles += _proposal_handles(ax, proposals, PROPOSAL_STYLE, extent, label=True,
                                 legend=legend)
    return _finish(fig, ax, extent, handles, candidates)


def render_proposal_map(layers: Sequence[MapLayer], proposal: ProposalSnapshot,
                        others: Sequence[ProposalSnapshot], size: MapSize,
                        legend_this: str = "", legend_others: str = "other proposals in this pack"
                        ) -> bytes:
    """One proposal with its surroundings: layers, named places (all names), other proposals."""
    others = [o for o in others if o.id != proposal.id]
    extent, box = _fit(size, layers, surroundings(proposal.geometry), extra_entries=2)
    fig, ax = _figure(size, box)
    handles, candidates = _draw_layers(ax, layers, extent)
    handles += _proposal_handles(ax, others, OTHER_PROPOSAL_STYLE, extent, label=True,
                                 legend=legend_others)
    handles += _proposal_handles(
        ax, [proposal], PROPOSAL_STYLE, extent, label=False,
        legend=legend_this or f"this proposal ({proposal.id}, v{proposal.version})")
    return _finish(fig, ax, extent, handles, candidates)
