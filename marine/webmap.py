"""Folium maps of the catalogue, pure: layers in, a `folium.Map` out (no Streamlit, no files).

Used by the browser workspace and by the offline HTML map of a map pack. Every map has no
online tiles unless asked (our own coastline layer is the base map), a legend, coordinates under
the cursor in decimal and DMS, a measuring tool in nautical miles and kilometres, and the
without-prejudice disclaimer.

Text from layers reaches the browser only as GeoJSON properties written into the page with
`textContent` (popups, tooltips) or through `html.escape` (legend, disclaimer): a hostile feature
name is shown, never executed.
"""

from __future__ import annotations

import html
import json
import re
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import folium
import geopandas as gpd
import numpy as np
import shapely
from branca.element import Element, MacroElement
from folium.plugins import MeasureControl, MousePosition
from jinja2 import Template

from marine import feature_labels
from marine.catalogue import STATUSES, LayerSpec, Style
from marine.config import REGION_BOUNDS
from marine.gazetteer import LABEL_SEPARATOR, Place, neutral_label
from marine.gazetteer import LANGUAGES as GAZETTEER_LANGUAGES
from marine.geo import dominant_kind
from marine.i18n import NAME_LANGUAGES, translate
from marine.mapclient import AddLabels, MapClient, RegisterLayer, client_config

DEFAULT_CENTER = (12.0, 113.0)  # lat, lon: the sea between the Gulf of Tonkin and Palawan
DEFAULT_ZOOM = 5
SEA_COLOUR = "#dde9f2"
COORD_DECIMALS = 4  # ~11 m at the equator: finer than any display tolerance we use
DETAIL_TOLERANCE = 0.0005  # degrees, ~55 m: under a pixel at zoom 10 (~150 m)
COLLAPSE_MIN_FEATURES = 50  # uniform layers this large travel as one multi-geometry

# Status shows in the styling: agreed solid, unilateral dashed, depicted-approximate dotted,
# computed envelopes as light fills. A layer's own dash pattern wins when it declares one.
STATUS_DASH = {
    "agreed": None,
    "official-unilateral": "8 6",
    "depicted-approximate": "2 6",
    "computed-indicative": None,
    "scientific": None,
}
COMPUTED_MAX_FILL = 0.18


# --------------------------------------------------------------------------- safe JSON
# branca compiles every element's rendered script as a Jinja template once more
# (MacroElement.render → Element(output)), so "{{ … }}" or "{% … %}" inside a feature name or a
# proposal title would be *evaluated on the server* (checked: a name "{{ 7*7 }}" came out as
# "49"). Every JSON we put in a page escapes the characters that open Jinja tags ("{" before
# "{", "%" or "#" becomes \u007b, which the browser reads back as "{"), besides <, >, & and '.
_JINJA_OPENERS = re.compile(r"\{(?=[{%#])")


def safe_json(value: object, **kwargs) -> str:
    """JSON for a <script>: HTML-safe and inert as a Jinja template; same value in JS."""
    text = json.dumps(value, **kwargs)
    text = _JINJA_OPENERS.sub(r"\\u007b", text)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("'", "\\u0027"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def _protect_tojson() -> None:
    """Make Jinja's `tojson` (folium's, branca's, ours) escape the Jinja openers too, in
    every process that builds maps: value-preserving, so nothing else sees a difference."""
    import folium.template

    for template_class in (Template, folium.template.Template):
        template_class("").environment.policies["json.dumps_function"] = _tojson_dumps


def _tojson_dumps(value: object, **kwargs) -> str:
    # htmlsafe_json_dumps escapes <, >, &, ' afterwards; we add the Jinja openers.
    return _JINJA_OPENERS.sub(r"\\u007b", json.dumps(value, **kwargs))


_protect_tojson()


@dataclass(frozen=True)
class MapOptions:
    """What a reader chooses about a map: language, order of names, view, online tiles."""

    lang: str = "en"
    name_order: tuple[str, ...] = NAME_LANGUAGES
    center: tuple[float, float] = DEFAULT_CENTER
    zoom: int = DEFAULT_ZOOM
    online_tiles: bool = False
    disclaimer: str = ""
    # The short line shown on the map (it opens to `disclaimer`); the full text when empty.
    disclaimer_short: str = ""
    # Where the browser remembers this map's view and switches ("" = nowhere, e.g. a pack).
    key: str = ""
    layer_panel: bool = False  # switches per theme and layer on the map itself


# --------------------------------------------------------------------------- styling
def status_style(style: Style, status: str) -> dict:
    """Leaflet path options for a feature of `status` drawn in a layer's `style`."""
    if status not in STATUSES:
        raise ValueError(f"status '{status}' is not one of {STATUSES}")
    fill_opacity = style.fill_opacity
    if status == "computed-indicative":
        fill_opacity = min(fill_opacity or COMPUTED_MAX_FILL, COMPUTED_MAX_FILL)
    options = {
        "color": style.color,
        "weight": style.weight,
        "opacity": style.opacity,
        "fill": fill_opacity > 0,
        "fillColor": style.fill_color or style.color,
        "fillOpacity": fill_opacity,
    }
    dash = style.dash_array or STATUS_DASH[status]
    if dash:
        options["dashArray"] = dash
    return options


def layer_kind(gdf: gpd.GeoDataFrame) -> str:
    """'area', 'line' or 'points' — the dominant kind in a layer (for order and legend)."""
    return dominant_kind(set(gdf.geometry.geom_type.dropna())) if not gdf.empty else "line"


# --------------------------------------------------------------------------- names
def ordered_names(row: Mapping, order: Sequence[str], geom=None) -> list[str]:
    """Every name a feature carries (`name_<lang>` columns), in the reader's order, as the
    gazetteer labels places (pinyin after characters, each name once); else the plain name."""
    names = {lang: str(row[f"name_{lang}"]).strip() for lang in GAZETTEER_LANGUAGES
             if isinstance(row.get(f"name_{lang}"), str) and row[f"name_{lang}"].strip()}
    if names:
        point = geom.representative_point() if geom is not None and not geom.is_empty else None
        place = Place(id=str(row.get("feature_id", "")), names=names,
                      lat=point.y if point else 0.0, lon=point.x if point else 0.0)
        return neutral_label(place, order, separator=LABEL_SEPARATOR).split(LABEL_SEPARATOR)
    name = row.get("name")
    return [str(name)] if name is not None and str(name).strip() else []


# --------------------------------------------------------------------------- display data
def display_frame(spec: LayerSpec, gdf: gpd.GeoDataFrame,
                  name_order: Sequence[str] = NAME_LANGUAGES) -> gpd.GeoDataFrame:
    """What the browser needs of a layer: provenance, names in the reader's order, a few
    details, geometry simplified by `spec.display_tolerance` and rounded to ~11 m.

    A large layer whose features share one name and provenance (e.g. coastline polygons)
    travels as one multi-geometry: the same popup, far fewer bytes. A data-library layer
    reaching beyond the workspace's map extent (`config.REGION_BOUNDS`) is shown within it:
    a coastline of half of Asia would otherwise send 3.4 MB to every map that shows it
    (bench/bench_library.py); reports and packs still use the whole layer."""
    if spec.imported and not gdf.empty and _reaches_beyond(gdf, REGION_BOUNDS):
        return detail_frame(spec, gdf, REGION_BOUNDS, name_order,
                            tolerance=spec.display_tolerance or DETAIL_TOLERANCE)
    if gdf.empty:
        return gpd.GeoDataFrame({"feature_id": [], "names": [], "source": [], "status": [],
                                 "accuracy": []}, geometry=[], crs=gdf.crs)
    rows = gdf.drop(columns=gdf.geometry.name).to_dict("records")
    out = {
        "feature_id": gdf["feature_id"].astype(str).to_list(),
        "names": [LABEL_SEPARATOR.join(ordered_names(r, name_order, g))
                  for r, g in zip(rows, gdf.geometry.values, strict=True)],
        "source": gdf["source"].astype(str).to_list(),
        "status": gdf["status"].astype(str).to_list(),
        "accuracy": gdf["accuracy"].astype(str).to_list(),
        "detail": [_detail(r) for r in rows],
    }
    geoms = np.asarray(gdf.geometry.values)
    if spec.display_tolerance:
        geoms = shapely.simplify(geoms, spec.display_tolerance, preserve_topology=True)
    geoms = shapely.transform(geoms, lambda xy: np.round(xy, COORD_DECIMALS))
    frame = gpd.GeoDataFrame(out, geometry=list(geoms), crs=gdf.crs)
    frame = frame[~frame.geometry.is_empty]
    if len(frame) >= COLLAPSE_MIN_FEATURES:
        frame = _collapse_uniform(spec, frame)
    return frame.reset_index(drop=True)


def _reaches_beyond(gdf: gpd.GeoDataFrame, bounds: tuple[float, float, float, float]) -> bool:
    minx, miny, maxx, maxy = gdf.total_bounds
    return minx < bounds[0] or miny < bounds[1] or maxx > bounds[2] or maxy > bounds[3]


def detail_frame(spec: LayerSpec, gdf: gpd.GeoDataFrame,
                 bounds: tuple[float, float, float, float],
                 name_order: Sequence[str] = NAME_LANGUAGES,
                 tolerance: float = DETAIL_TOLERANCE) -> gpd.GeoDataFrame:
    """A full-resolution layer clipped to `bounds` (minx, miny, maxx, maxy) and simplified
    below a pixel at zoom 9–10: the close view of a place gets the coastline's detail, the
    overview keeps the light display layer."""
    minx, miny, maxx, maxy = bounds
    if not (minx < maxx and miny < maxy):
        raise ValueError(f"bounds {bounds} must be (minx, miny, maxx, maxy) with min < max")
    rows = gdf.sindex.query(shapely.box(*bounds), predicate="intersects")
    part = gdf.iloc[sorted(rows)].copy()
    clipped = shapely.clip_by_rect(np.asarray(part.geometry.values), *bounds)
    part.geometry = shapely.simplify(clipped, tolerance, preserve_topology=True)
    part = part[~part.geometry.is_empty]
    return display_frame(spec, part, name_order)


def _detail(row: Mapping) -> str:
    """The feature's detail columns as [column, text] pairs in JSON (labelled in the
    reader's language by the popup: `marine.feature_labels` owns both halves)."""
    return feature_labels.detail_json(row)


def _collapse_uniform(spec: LayerSpec, frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    keys = ["names", "source", "status", "accuracy", "detail"]
    if any(frame[k].nunique() > 1 for k in keys):
        return frame
    parts = shapely.get_parts(np.asarray(frame.geometry.values))
    kinds = set(shapely.get_type_id(parts))
    if kinds == {3}:
        geom = shapely.multipolygons(parts)
    elif kinds == {1}:
        geom = shapely.multilinestrings(parts)
    elif kinds == {0}:
        geom = shapely.multipoints(parts)
    else:
        return frame
    first = frame.iloc[0]
    return gpd.GeoDataFrame({"feature_id": [f"{spec.id}-all"], **{k: [first[k]] for k in keys}},
                            geometry=[geom], crs=frame.crs)


def feature_collection(frame: gpd.GeoDataFrame, spec: LayerSpec) -> dict:
    """GeoJSON (dict) of a display frame; each feature's `id` is its feature_id."""
    features = []
    props = [c for c in frame.columns if c != frame.geometry.name]
    for values, geom in zip(frame[props].itertuples(index=False), frame.geometry.values,
                            strict=True):
        properties = dict(zip(props, values, strict=True))
        properties["layer"] = spec.id
        features.append({"type": "Feature", "id": properties["feature_id"],
                         "properties": properties,
                         "geometry": json.loads(shapely.to_geojson(geom))})
    return {"type": "FeatureCollection", "features": features}


# Display frames are made once and never changed (the UI caches them); their GeoJSON text is
# what costs in building a map (2–3 s for every layer of the catalogue, the map's whole
# rerun), so it is kept as long as its frame lives.
# (Frames are not hashable: the key is the frame's id, dropped when the frame is collected.)
_COLLECTION_JS: dict[tuple[int, str], str] = {}


def collection_js(frame: gpd.GeoDataFrame, spec: LayerSpec) -> str:
    """The layer's GeoJSON as script text (`safe_json`), made once per display frame."""
    key = (id(frame), spec.id)
    if key not in _COLLECTION_JS:
        _COLLECTION_JS[key] = safe_json(feature_collection(frame, spec), ensure_ascii=False,
                                        separators=(",", ":"))
        weakref.finalize(frame, _COLLECTION_JS.pop, key, None)
    return _COLLECTION_JS[key]


# --------------------------------------------------------------------------- elements
class SafePopup(MacroElement):
    """A popup (and tooltip) built with DOM text nodes: provenance rows, all names."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function(){
          const labels = {{ this.labels_json }};
          const rows = ["names", "layer_title", "status_label", "source", "accuracy", "detail"];
          function content(layer){
            const p = layer.feature.properties;
            const box = document.createElement("div");
            box.className = "marine-popup";
            const table = document.createElement("table");
            function add(label, value){
              const tr = document.createElement("tr");
              const th = document.createElement("th");
              th.textContent = label;
              const td = document.createElement("td");
              td.textContent = String(value);
              tr.appendChild(th); tr.appendChild(td); table.appendChild(tr);
            }
            for (const key of rows){
              if (key === "detail"){
                let pairs = [];
                try { pairs = JSON.parse(p.detail || "[]"); } catch (e) { pairs = []; }
                for (const pair of pairs){
                  if (!Array.isArray(pair) || pair.length !== 2 || pair[1] === "") continue;
                  const value = pair[0] === "disputed"
                    ? (["true", "yes", "1"].includes(String(pair[1]).toLowerCase())
                       ? labels.yes : labels.no) : pair[1];
                  add(labels.details[pair[0]] || labels.fields.detail, value);
                }
                continue;
              }
              const value = key === "layer_title" ? labels.layer_title
                          : key === "status_label" ? (labels.statuses[p.status] || p.status)
                          : p[key];
              if (value === undefined || value === null || value === "") continue;
              add(labels.fields[key], value);
            }
            box.appendChild(table);
            return box;
          }
          {{ this._parent.get_name() }}.bindPopup(content, {maxWidth: 380});
          {{ this._parent.get_name() }}.bindTooltip(function(layer){
            const span = document.createElement("span");
            span.textContent = layer.feature.properties.names || labels.layer_title;
            return span;
          }, {sticky: true, direction: "auto", className: "marine-tooltip"});
        })();
        {% endmacro %}
    """)

    def __init__(self, spec: LayerSpec, lang: str):
        super().__init__()
        self._name = "SafePopup"
        labels = {
            "layer_title": layer_title(spec, lang),
            "fields": {
                "names": translate("field.names", lang),
                "layer_title": translate("field.layer", lang),
                "status_label": translate("field.status", lang),
                "source": translate("field.source", lang),
                "accuracy": translate("field.accuracy", lang),
                "detail": translate("field.detail", lang),
            },
            "statuses": {s: translate(f"status.{s}", lang) for s in STATUSES},
            "details": feature_labels.detail_labels(lang),
            "yes": translate("label.yes", lang), "no": translate("label.no", lang),
        }
        self.labels_json = safe_json(labels, ensure_ascii=False)


class HtmlControl(MacroElement):
    """A Leaflet control holding HTML built by this module (all text escaped)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function(){
          const ctl = L.control({position: {{ this.position | tojson }}});
          ctl.onAdd = function(){
            const div = L.DomUtil.create("div", {{ this.css_class | tojson }});
            div.innerHTML = {{ this.inner_html_js }};
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            return div;
          };
          ctl.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
    """)

    def __init__(self, inner_html: str, position: str, css_class: str):
        super().__init__()
        self._name = "HtmlControl"
        self.inner_html = inner_html
        self.inner_html_js = safe_json(inner_html, ensure_ascii=False)
        self.position = position
        self.css_class = css_class


MAP_CSS = """
<style>
.folium-map, .leaflet-container { background: SEA_COLOUR; }
.marine-popup table { border-collapse: collapse; font-size: 12px; }
.marine-popup th { text-align: left; vertical-align: top; padding: 1px 6px 1px 0;
  color: #555; font-weight: 600; white-space: nowrap; }
.marine-popup td { padding: 1px 0; }
.marine-box, div.marine-disclaimer { background: rgba(255,255,255,0.94); padding: 3px 8px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.3); font: 12px/1.35 sans-serif; }
.marine-box summary { cursor: pointer; font-weight: 600; }
.marine-box-body { overflow-y: auto; }
.marine-panel { max-width: 260px; }
.marine-panel .marine-box-body { max-height: calc(100vh - 60px); }
.marine-theme { margin: 4px 0 2px; }
.marine-theme-title { display: block; font-weight: 600; }
.marine-layer { display: block; margin-left: 14px; }
.marine-layer input, .marine-theme-title input { margin: 0 4px 0 0; vertical-align: -2px; }
.marine-empty { color: #777; }
.marine-legend { max-width: 300px; }
.marine-legend .marine-box-body { max-height: 35vh; }
.marine-legend-row { margin: 1px 0; }
.marine-legend svg { vertical-align: middle; margin-right: 4px; }
.marine-disclaimer { max-width: 60%; font-size: 10px; line-height: 1.3; padding: 1px 6px; }
.marine-disclaimer summary { font-weight: 400; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
.marine-disclaimer p { margin: 3px 0; max-width: 420px; }
.marine-yield { visibility: hidden; }
.marine-tooltip { white-space: normal; max-width: 280px; width: max-content; }
.marine-label-icon { background: none; border: none; }
.marine-label { font: 11px/1.2 sans-serif; color: #1f2a44; white-space: nowrap;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff; pointer-events: none; }
.marine-label.marine-stacked { font-size: 10px; }
.marine-label-sea { font-size: 13px; font-style: italic; color: #2b5b84; letter-spacing: 0.5px; }
.marine-label-gulf, .marine-label-strait { font-style: italic; color: #2b5b84; }
.marine-label-group { font-weight: 600; }
.leaflet-popup-content, .leaflet-tooltip { font: 12px/1.4 sans-serif; }
.marine-names { margin: 4px 0 0; padding-left: 16px; }
#map_div { height: 100vh !important; width: 100% !important; }
body:has(#map_div) { overflow: hidden; }
</style>
""".replace("SEA_COLOUR", SEA_COLOUR)


def layer_title(spec: LayerSpec, lang: str) -> str:
    """A layer's title in `lang` (the catalogue's own title when no translation exists)."""
    return translate(f"layer.{spec.id}", lang, default=spec.title)


def legend_swatch(style: Style, status: str, kind: str) -> str:
    """A small inline SVG drawn the way the layer is drawn."""
    opts = status_style(style, status)
    dash = f' stroke-dasharray="{html.escape(opts["dashArray"])}"' if "dashArray" in opts else ""
    stroke = f'stroke="{html.escape(opts["color"])}" stroke-width="{min(opts["weight"], 3)}"'
    if kind == "points":
        shape = (f'<circle cx="9" cy="6" r="4" {stroke} fill="{html.escape(opts["fillColor"])}"'
                 f' fill-opacity="{max(opts["fillOpacity"], 0.6)}"/>')
    elif kind == "area":
        shape = (f'<rect x="1" y="1" width="16" height="10" {stroke}{dash} '
                 f'fill="{html.escape(opts["fillColor"])}" fill-opacity="{opts["fillOpacity"]}"/>')
    else:
        shape = f'<line x1="0" y1="6" x2="18" y2="6" {stroke}{dash}/>'
    return f'<svg width="18" height="12" aria-hidden="true">{shape}</svg>'


def legend_row(spec: LayerSpec, kind: str, lang: str) -> str:
    """One legend row (swatch, title, status), every text escaped."""
    status = translate(f"status.{spec.status}", lang)
    return (f"{legend_swatch(spec.style, spec.status, kind)}"
            f"{html.escape(layer_title(spec, lang))} <small>({html.escape(status)})</small>")


def legend_html(entries: Iterable[tuple[LayerSpec, str]], lang: str) -> str:
    """The legend as one block: one row per layer (the static form of the map's legend)."""
    rows = [f"<h4>{html.escape(translate('legend.title', lang))}</h4>"]
    rows += [f"<div>{legend_row(spec, kind, lang)}</div>" for spec, kind in entries]
    return "".join(rows)


DMS_JS = """function(num){
  var h = num < 0 ? '%(neg)s' : '%(pos)s'; var a = Math.abs(num);
  var d = Math.floor(a); var mf = (a - d) * 60; var m = Math.floor(mf);
  var s = ((mf - m) * 60).toFixed(1);
  if (s === '60.0') { s = '0.0'; m += 1; } if (m === 60) { m = 0; d += 1; }
  return num.toFixed(5) + '\u00b0 (' + d + '\u00b0' + m + '\u2032' + s + '\u2033' + h + ')';
}"""

MEASURE_UNITS = {
    "nauticalmiles": {"factor": 1 / 1852.0, "display": "nm", "decimals": 2},
    "sqnauticalmiles": {"factor": 1 / 1852.0**2, "display": "nm²", "decimals": 2},
    "kilometres": {"factor": 0.001, "display": "km", "decimals": 2},
    "sqkilometres": {"factor": 1e-6, "display": "km²", "decimals": 2},
}


def add_tools(m: folium.Map, lang: str) -> None:
    """Coordinates under the cursor (decimal and DMS) and a measuring tool in nm and km."""
    MousePosition(position="bottomright", separator=" | ", empty_string="",
                  lat_formatter=DMS_JS % {"pos": "N", "neg": "S"},
                  lng_formatter=DMS_JS % {"pos": "E", "neg": "W"},
                  prefix=html.escape(translate("map.cursor", lang))).add_to(m)
    MeasureControl(position="topleft", primary_length_unit="nauticalmiles",
                   secondary_length_unit="kilometres", primary_area_unit="sqnauticalmiles",
                   secondary_area_unit="sqkilometres", units=MEASURE_UNITS).add_to(m)


def client_for(options: MapOptions) -> MapClient:
    """The browser side of the map (layer switches, legend, disclaimer line, view memory)."""
    from marine.catalogue import THEMES

    lang = options.lang
    disclaimer = ((options.disclaimer_short or options.disclaimer, options.disclaimer)
                  if options.disclaimer else None)
    texts = {"layers": translate("map.layers", lang), "legend": translate("legend.title", lang),
             "empty": translate("map.layer_empty", lang)}
    return MapClient(client_config(
        key=options.key, panel=options.layer_panel, texts=texts, disclaimer=disclaimer,
        themes=[(t, translate(f"theme.{t}", lang)) for t in THEMES]))


def new_map(options: MapOptions) -> folium.Map:
    """An empty map: our coastline is the base, online tiles only when asked; the browser
    side (`marine.mapclient`) comes first so every layer can register with it."""
    m = folium.Map(location=list(options.center), zoom_start=options.zoom,
                   tiles="OpenStreetMap" if options.online_tiles else None,
                   control_scale=True, prefer_canvas=False, max_bounds=False)
    # Only Leaflet itself: folium's other defaults (jQuery, Bootstrap, Font Awesome, awesome
    # markers) are unused here and would be more assets to serve offline.
    m.default_js = [(n, u) for n, u in folium.Map.default_js if n == "leaflet"]
    m.default_css = [(n, u) for n, u in folium.Map.default_css if n == "leaflet_css"]
    m.get_root().header.add_child(Element(MAP_CSS))
    client_for(options).add_to(m)
    return m


class _RawScript(Element):
    """Script text that goes into the page as it is (never compiled as a template)."""

    def __init__(self, text: str):
        super().__init__()
        self._text = text

    def render(self, **kwargs) -> str:
        return self._text


class GeoJsonLayer(MacroElement):
    """A layer's features with one Leaflet style per status (no per-feature style map).

    Its script is added to the page without the second template pass branca gives every
    element: the data may be large (fast) and holds text from the layer (safe either way)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJson(null, {
          pane: {{ this.pane | tojson }},
          style: function(f){ return {{ this.styles_js }}[f.properties.status]; },
          pointToLayer: function(f, latlng){
            return L.circleMarker(latlng, Object.assign({pane: {{ this.pane | tojson }}},
                                  {{ this.styles_js }}[f.properties.status])); }
        });
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        // Features are made the first time the layer is shown: a layer switched off costs
        // the page only its text, and the first map appears sooner.
        (function(layer, group, data){
          if (group._map) { layer.addData(data); }
          else { group.once("add", function(){ layer.addData(data); }); }
        })({{ this.get_name() }}, {{ this._parent.get_name() }}, {{ this.data_js }});
        {% endmacro %}
    """)

    def __init__(self, data: dict | str, style: Style, kind: str):
        super().__init__()
        self._name = "GeoJsonLayer"
        styles = {}
        for status in STATUSES:
            options = status_style(style, status)
            if kind == "points":
                options.update(radius=style.radius, fill=True,
                               fillOpacity=max(options["fillOpacity"], 0.8))
            styles[status] = options
        self.styles_js = safe_json(styles, separators=(",", ":"))
        self.pane = f"marine-{kind}"  # fills under lines under points, whatever the order
        self.data_js = data if isinstance(data, str) else safe_json(
            data, ensure_ascii=False, separators=(",", ":"))

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        script = self._template.module.script(self, kwargs)
        figure.script.add_child(_RawScript(script), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


def layer_group(spec: LayerSpec, frame: gpd.GeoDataFrame, lang: str,
                kind: str | None = None, *, on: bool = True, labels: Sequence = (),
                parent: str = "") -> folium.FeatureGroup:
    """One layer as a feature group: GeoJSON styled by status, safe popups and tooltips,
    registered with the map's client (which shows it when `on` and the reader agrees);
    `labels` (`maplabels.MapLabel`) are drawn with it; a `parent` layer's detail is shown
    whenever that layer is."""
    kind = kind or layer_kind(frame)
    group = folium.FeatureGroup(name=layer_title(spec, lang), show=False)
    if not frame.empty:
        layer = GeoJsonLayer(collection_js(frame, spec), spec.style, kind)
        SafePopup(spec, lang).add_to(layer)
        layer.add_to(group)
    meta = {"id": spec.id, "theme": spec.theme, "title": layer_title(spec, lang),
            "count": len(frame), "on": on, "legend": legend_row(spec, kind, lang),
            "empty": spec.empty_reason, "parent": parent}
    RegisterLayer(meta).add_to(group)
    if labels:
        AddLabels(parent or spec.id, labels).add_to(group)
    return group


def add_layer(m: folium.Map, spec: LayerSpec, frame: gpd.GeoDataFrame, lang: str = "en",
              *, on: bool = True, labels: Sequence = ()) -> str:
    """Add one display frame to `m`; returns its geometry kind (for the legend)."""
    kind = layer_kind(frame)
    layer_group(spec, frame, lang, kind, on=on, labels=labels).add_to(m)
    return kind


def layer_labels(gdf: gpd.GeoDataFrame, name_order: Sequence[str] = NAME_LANGUAGES) -> list:
    """Labels for a layer of named points: one whose features carry names in two or more
    languages (the gazetteer, the straits). Other layers are named in their popups."""
    from marine.maplabels import feature_labels

    name_columns = [f"name_{lang}" for lang in GAZETTEER_LANGUAGES if f"name_{lang}" in gdf]
    if gdf.empty or len(name_columns) < 2 or layer_kind(gdf) != "points":
        return []
    kind = "strait" if "connects" in gdf else "feature"
    return feature_labels(gdf, name_order, kind=kind)


def build_map(catalogue, layer_ids: Sequence[str], options: MapOptions = MapOptions(),
              frames: Mapping[str, gpd.GeoDataFrame] | None = None,
              on: Iterable[str] | None = None,
              labels: Mapping[str, Sequence] | None = None) -> folium.Map:
    """A map of `layer_ids` from `catalogue`: fills under lines under points, a legend of
    what is drawn, tools, disclaimer. `frames` may hold display frames already made and
    `labels` the layers' labels (the UI caches both); `on` lists the layers shown at first
    (all when None) — the others are in the map, one switch away."""
    m = new_map(options)
    shown = set(layer_ids if on is None else on)
    prepared = []
    for layer_id in layer_ids:
        spec = catalogue.spec(layer_id)
        frame = frames[layer_id] if frames and layer_id in frames else display_frame(
            spec, catalogue.load(layer_id), options.name_order)
        if labels is not None:
            names = labels.get(layer_id, ())
        else:
            names = layer_labels(catalogue.load(layer_id), options.name_order)
        prepared.append((spec, frame, layer_kind(frame), names))
    for spec, frame, kind, names in prepared:
        layer_group(spec, frame, options.lang, kind, on=spec.id in shown,
                    labels=names).add_to(m)
    add_tools(m, options.lang)
    return m


DRAFT_STYLE = Style(color="#0b57d0", weight=3, fill_color="#0b57d0", fill_opacity=0.12,
                    radius=6)


class DrawLocal(MacroElement):
    """Leaflet.draw's texts in the reader's language (L.drawLocal, read when the toolbar is
    built: this element is added before the Draw control)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function(){
          const t = {{ this.texts_js }};
          const d = L.drawLocal.draw, e = L.drawLocal.edit;
          d.toolbar.buttons.polygon = t.polygon; d.toolbar.buttons.polyline = t.polyline;
          d.toolbar.buttons.rectangle = t.rectangle; d.toolbar.buttons.marker = t.marker;
          d.toolbar.actions.text = t.cancel; d.toolbar.actions.title = t.cancel;
          d.toolbar.finish.text = t.finish; d.toolbar.finish.title = t.finish;
          d.toolbar.undo.text = t.undo; d.toolbar.undo.title = t.undo;
          d.handlers.polygon.tooltip = {start: t.start, cont: t["continue"], end: t.close};
          d.handlers.polyline.tooltip = {start: t.start, cont: t["continue"], end: t.line_end};
          d.handlers.rectangle.tooltip.start = t.rectangle_start;
          d.handlers.marker.tooltip.start = t.marker_start;
          e.toolbar.buttons.edit = t.edit; e.toolbar.buttons.remove = t.remove;
          e.toolbar.actions.save.text = t.save; e.toolbar.actions.cancel.text = t.cancel;
          e.toolbar.actions.clearAll.text = t.clear_all;
        })();
        {% endmacro %}
    """)
    KEYS = ("polygon", "polyline", "rectangle", "marker", "cancel", "finish", "undo", "start",
            "continue", "close", "line_end", "rectangle_start", "marker_start", "edit",
            "remove", "save", "clear_all")

    def __init__(self, lang: str):
        super().__init__()
        self._name = "DrawLocal"
        self.texts_js = safe_json({k: translate(f"map.draw.{k}", lang) for k in self.KEYS},
                                  ensure_ascii=False)


def add_draw(m: folium.Map, lang: str = "en") -> None:
    """The drawing tools of the Draft page: polygon, rectangle, line, points; no circles (a
    circle is not a geometry a measure can be stored as); texts in the reader's language."""
    from folium.plugins import Draw

    DrawLocal(lang).add_to(m)
    Draw(export=False, position="topleft",
         draw_options={"polygon": {"allowIntersection": False, "showArea": False},
                       "rectangle": True, "polyline": True, "marker": True,
                       "circle": False, "circlemarker": False},
         edit_options={"edit": True, "remove": True}).add_to(m)


ADDED_STYLE = Style(color="#146c2e", weight=2, fill_color="#34a853", fill_opacity=0.35)
REMOVED_STYLE = Style(color="#b3261e", weight=2, fill_color="#ea4335", fill_opacity=0.35,
                      dash_array="6 4")


def geometry_group(geojson: Mapping, title: str, style: Style = DRAFT_STYLE
                   ) -> folium.FeatureGroup:
    """A proposal geometry (GeoJSON) as its own feature group (draft style by default)."""
    group = folium.FeatureGroup(name=title)
    style = {"color": style.color, "weight": style.weight, "fillColor": style.fill_color,
             "fillOpacity": style.fill_opacity, "dashArray": style.dash_array}
    folium.GeoJson({"type": "Feature", "properties": {}, "geometry": dict(geojson)},
                   style_function=lambda _f: style, marker=folium.CircleMarker(radius=6),
                   control=False).add_to(group)
    return group


def map_html(m: folium.Map) -> str:
    """The whole map as one HTML document (scripts still referenced; the map pack inlines)."""
    return m.get_root().render()
