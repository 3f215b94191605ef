"""The map's own behaviour in the browser: layers switched on and off without a round trip to
the server, a legend of what is drawn, the view and the switches remembered, labels, and the
flight to a searched place. Pure: folium elements in, nothing read or written.

Why in the browser: a layer switch that reruns the page and resends the map took 3–5 s and
reset the view (issue 14). Here every layer is sent once with the map; a switch only adds or
removes a Leaflet layer, so the view stays where the reader left it and the map repaints at
once. The view and the switches live in the tab's `sessionStorage` under the map's key, so
they survive a rerun, a remount (a language switch) and a visit to another page.

Every text reaches the page as JSON (`webmap.safe_json`) and is put into the DOM with
`textContent`; the legend rows are HTML escaped by `webmap.legend_row`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from branca.element import MacroElement
from jinja2 import Template

# Keep this file free of two braces in a row and of brace-percent or brace-hash: branca may
# compile a script as a template once more (see webmap.safe_json).
CLIENT_JS = r"""
(function(map, cfg){
  if (map._marine) { return; }
  var store = {
    get: function(k){
      if (!cfg.key) { return null; }
      try { var v = window.sessionStorage.getItem("marine:" + cfg.key + ":" + k);
            return v ? JSON.parse(v) : null; } catch (e) { return null; }
    },
    set: function(k, v){
      if (!cfg.key) { return; }
      try { window.sessionStorage.setItem("marine:" + cfg.key + ":" + k, JSON.stringify(v)); }
      catch (e) { /* storage full or refused: the map still works, it just forgets */ }
    }
  };
  var panes = {"marine-area": 410, "marine-line": 420, "marine-points": 430,
               "marine-focus": 440, "marine-label": 645};
  Object.keys(panes).forEach(function(name){
    var pane = map.createPane(name); pane.style.zIndex = panes[name];
  });
  map.getPane("marine-label").style.pointerEvents = "none";
  var M = map._marine = {cfg: cfg, entries: {}, order: [], labels: [], store: store};
  var switches = store.get("switches") || {layers: {}, themes: {}};
  var pending = null;

  function el(tag, cls, text){
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function themeOn(theme){ return switches.themes[theme] !== false; }
  function layerChecked(meta){
    var v = switches.layers[meta.id];
    return v === undefined ? !!meta.on : !!v;
  }
  M.isShown = function(id){
    var e = M.entries[id];
    if (!e) { return false; }
    if (e.meta.parent) { return M.isShown(e.meta.parent); }
    return layerChecked(e.meta) && themeOn(e.meta.theme);
  };
  M.register = function(group, meta){
    var old = M.entries[meta.id];
    if (old && old.group !== group && map.hasLayer(old.group)) { map.removeLayer(old.group); }
    M.entries[meta.id] = {group: group, meta: meta};
    if (M.order.indexOf(meta.id) < 0) { M.order.push(meta.id); }
    M.schedule();
  };
  M.addLabels = function(layerId, items){
    items.forEach(function(item){ item.layer = layerId; M.labels.push(item); });
    M.schedule();
  };
  M.schedule = function(){
    if (pending) { return; }
    // after the rest of the script: streamlit-folium adds dynamic groups at its end
    pending = setTimeout(function(){ pending = null; M.sync(); }, 0);
  };
  M.sync = function(){
    M.order.forEach(function(id){
      var e = M.entries[id], on = M.isShown(id);
      if (on && !map.hasLayer(e.group)) { map.addLayer(e.group); }
      if (!on && map.hasLayer(e.group)) { map.removeLayer(e.group); }
    });
    renderPanel(); renderLegend(); placeLabels();
  };
  M.setLayer = function(id, on){ switches.layers[id] = on; store.set("switches", switches); M.sync(); };
  M.setTheme = function(theme, on){ switches.themes[theme] = on; store.set("switches", switches); M.sync(); };

  // ------------------------------------------------------------------ collapsible boxes
  function box(position, cls, title, storeKey, openByDefault){
    var ctl = L.control({position: position});
    var details = el("details", "marine-box " + cls);
    var summary = el("summary", "", title);
    var body = el("div", "marine-box-body");
    details.appendChild(summary); details.appendChild(body);
    var open = store.get(storeKey);
    details.open = open === null ? openByDefault : !!open;
    details.addEventListener("toggle", function(){
      store.set(storeKey, details.open); placeLabels(); });
    ctl.onAdd = function(){
      L.DomEvent.disableClickPropagation(details);
      L.DomEvent.disableScrollPropagation(details);
      return details;
    };
    ctl.addTo(map);
    return {details: details, body: body};
  }
  var panel = cfg.panel ? box("topright", "marine-panel", cfg.texts.layers, "panel-open", true) : null;
  if (cfg.disclaimer) {  // first, so that it sits lowest, by the scale
    var note = box("bottomleft", "marine-disclaimer", cfg.disclaimer.short, "note-open", false);
    note.body.appendChild(el("p", "", cfg.disclaimer.full));
  }
  var legend = box("bottomleft", "marine-legend", cfg.texts.legend, "legend-open", true);

  function renderPanel(){
    if (!panel) { return; }
    var body = panel.body; body.textContent = "";
    cfg.themes.forEach(function(theme){
      var ids = M.order.filter(function(id){
        var m = M.entries[id].meta; return m.theme === theme.id && !m.parent && !m.hidden;
      });
      if (!ids.length) { return; }
      var section = el("div", "marine-theme");
      var head = el("label", "marine-theme-title");
      var tbox = el("input"); tbox.type = "checkbox"; tbox.checked = themeOn(theme.id);
      tbox.setAttribute("data-theme", theme.id);
      tbox.addEventListener("change", function(){ M.setTheme(theme.id, tbox.checked); });
      head.appendChild(tbox); head.appendChild(el("span", "", theme.title));
      section.appendChild(head);
      ids.forEach(function(id){
        var meta = M.entries[id].meta;
        var row = el("label", "marine-layer");
        var cb = el("input"); cb.type = "checkbox"; cb.checked = layerChecked(meta);
        cb.setAttribute("data-layer", id);
        cb.disabled = !themeOn(theme.id) || meta.count === 0;
        cb.addEventListener("change", function(){ M.setLayer(id, cb.checked); });
        row.appendChild(cb); row.appendChild(el("span", "", meta.title));
        if (meta.count === 0) {
          row.classList.add("marine-empty");
          row.title = meta.empty || cfg.texts.empty;
          row.appendChild(el("small", "", " (" + cfg.texts.empty + ")"));
        }
        section.appendChild(row);
      });
      body.appendChild(section);
    });
  }

  function renderLegend(){
    var body = legend.body; body.textContent = "";
    var shown = M.order.filter(function(id){
      var m = M.entries[id].meta; return !m.parent && m.count > 0 && M.isShown(id);
    });
    shown.forEach(function(id){
      var row = el("div", "marine-legend-row");
      row.setAttribute("data-layer", id);
      row.innerHTML = M.entries[id].meta.legend;  // escaped on the server (legend_row)
      body.appendChild(row);
    });
    legend.details.style.display = shown.length ? "" : "none";
  }

  // ------------------------------------------------------------------ popups over controls
  var yielded = [];
  map.on("popupopen", function(ev){
    var pop = ev.popup.getElement(); if (!pop) { return; }
    var p = pop.getBoundingClientRect();
    [legend.details, panel && panel.details,
     map.getContainer().querySelector(".marine-disclaimer")].forEach(function(c){
      if (!c) { return; }
      var r = c.getBoundingClientRect();
      if (r.left < p.right && p.left < r.right && r.top < p.bottom && p.top < r.bottom) {
        c.classList.add("marine-yield"); yielded.push(c);
      }
    });
  });
  map.on("popupclose", function(){
    yielded.forEach(function(c){ c.classList.remove("marine-yield"); }); yielded = [];
  });

  // ------------------------------------------------------------------ labels
  var labelLayer = L.layerGroup().addTo(map);
  function labelElement(item, text, stacked){
    var div = el("div", "marine-label marine-label-" + item.kind + (stacked ? " marine-stacked" : ""));
    text.split("\n").forEach(function(line, i){
      if (i) { div.appendChild(el("br")); }
      div.appendChild(document.createTextNode(line));
    });
    div.setAttribute("data-label", item.id);
    div.setAttribute("data-disputed", item.disputed ? "1" : "0");
    div.title = item.tooltip;
    return div;
  }
  function overlaps(a, list){
    for (var i = 0; i < list.length; i++) {
      var b = list[i];
      if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) { return true; }
    }
    return false;
  }
  function placeLabels(){
    labelLayer.clearLayers();
    var zoom = map.getZoom(), bounds = map.getBounds().pad(0.1), placed = [];
    var size = map.getSize(), origin = map.getContainer().getBoundingClientRect();
    // the map's own boxes (layers, legend, tools) are taken: no label goes under them
    map.getContainer().querySelectorAll(".leaflet-control").forEach(function(c){
      var r = c.getBoundingClientRect();
      if (r.width && r.height) {
        placed.push({left: r.left - origin.left, top: r.top - origin.top,
                     right: r.right - origin.left, bottom: r.bottom - origin.top});
      }
    });
    var items = M.labels.filter(function(item){
      return zoom >= item.min_zoom && zoom <= item.max_zoom && M.isShown(item.layer) &&
             bounds.contains([item.lat, item.lon]);
    }).sort(function(a, b){ return a.rank - b.rank; });
    items.forEach(function(item){
      var centred = item.kind === "sea" || item.kind === "gulf";
      var forms = [[item.full, false], [item.short, item.stacked]];
      for (var i = 0; i < forms.length; i++) {
        var div = labelElement(item, forms[i][0], forms[i][1]);
        var marker = L.marker([item.lat, item.lon], {
          icon: L.divIcon({html: div, className: "marine-label-icon", iconSize: null}),
          pane: "marine-label", interactive: false, keyboard: false});
        marker.addTo(labelLayer);
        var w = div.offsetWidth, h = div.offsetHeight;
        var pt = map.latLngToContainerPoint([item.lat, item.lon]);
        var left = centred ? pt.x - w / 2 : pt.x + 7, top = pt.y - h / 2;
        div.style.marginLeft = (left - pt.x) + "px"; div.style.marginTop = (top - pt.y) + "px";
        var rect = {left: left - 2, top: top - 2, right: left + w + 2, bottom: top + h + 2};
        var inside = rect.left >= 0 && rect.top >= 0 && rect.right <= size.x && rect.bottom <= size.y;
        if (inside && !overlaps(rect, placed)) { placed.push(rect); return; }
        labelLayer.removeLayer(marker);
      }
    });
  }
  map.on("zoomend moveend resize", placeLabels);

  // ------------------------------------------------------------------ the view
  var view = store.get("view");
  if (view) { map.setView([view.lat, view.lng], view.zoom, {animate: false}); }
  map.on("moveend", function(){
    var c = map.getCenter();
    store.set("view", {lat: c.lat, lng: c.lng, zoom: map.getZoom()});
  });

  // ------------------------------------------------------------------ a searched place
  M.focus = function(target){
    var ring = L.circleMarker([target.lat, target.lon], {pane: "marine-focus", radius: 16,
      color: "#d93025", weight: 3, fill: false, interactive: false, className: "marine-focus-ring"});
    var group = target.group;
    ring.addTo(group);
    var popup = el("div", "marine-popup marine-focus-popup");
    popup.appendChild(el("strong", "", target.title));
    var list = el("ul", "marine-names");
    target.names.forEach(function(n){ list.appendChild(el("li", "", n)); });
    popup.appendChild(list);
    function open(){ L.popup({maxWidth: 360, autoPanPadding: [20, 20]})
      .setLatLng([target.lat, target.lon]).setContent(popup).openOn(map); }
    if (store.get("focus") === target.token) { return; }  // already flown there
    store.set("focus", target.token);
    map.once("moveend", function(){ setTimeout(open, 50); });
    map.flyTo([target.lat, target.lon], target.zoom, {duration: 0.8});
  };
  M.schedule();
})({{ this._parent.get_name() }}, {{ this.config_js }});
"""


class MapClient(MacroElement):
    """The browser side of a workspace map (added to the map before any layer)."""

    _template = Template("""
        {% macro script(this, kwargs) %}""" + CLIENT_JS + """{% endmacro %}
    """)

    def __init__(self, config: Mapping):
        from marine.webmap import safe_json

        super().__init__()
        self._name = "MapClient"
        self.config_js = safe_json(dict(config), ensure_ascii=False)


def client_config(*, key: str, panel: bool, themes: Sequence[tuple[str, str]],
                  texts: Mapping[str, str], disclaimer: tuple[str, str] | None) -> dict:
    """What the browser side needs: the storage key ("" = remember nothing), whether to show
    the layer panel, themes in order (id, title), texts, disclaimer (short, full)."""
    return {"key": key, "panel": panel,
            "themes": [{"id": t, "title": title} for t, title in themes],
            "texts": dict(texts),
            "disclaimer": ({"short": disclaimer[0], "full": disclaimer[1]}
                           if disclaimer else None)}


class RegisterLayer(MacroElement):
    """Tells the client about the feature group it sits in: id, theme, title, legend row,
    feature count, whether it is on by default (and `parent`: shown with that layer)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this._parent._parent.get_name() }}._marine.register(
            {{ this._parent.get_name() }}, {{ this.meta_js }});
        {% endmacro %}
    """)

    def __init__(self, meta: Mapping):
        from marine.webmap import safe_json

        super().__init__()
        self._name = "RegisterLayer"
        self.meta_js = safe_json(dict(meta), ensure_ascii=False)


class AddLabels(MacroElement):
    """Labels (`maplabels.MapLabel`) of the layer whose feature group holds this element."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this._parent._parent.get_name() }}._marine.addLabels(
            {{ this.layer_js }}, {{ this.items_js }});
        {% endmacro %}
    """)

    def __init__(self, layer_id: str, labels: Sequence):
        from marine.webmap import safe_json

        super().__init__()
        self._name = "AddLabels"
        self.layer_js = safe_json(layer_id)
        self.items_js = safe_json([label.to_json() for label in labels], ensure_ascii=False)


class FocusPlace(MacroElement):
    """Fly to a place, ring it and open a popup with all its names — once per `token` (a
    new search), not again on a rerun or a return to the page."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function(){
          const target = {{ this.target_js }};
          target.group = {{ this._parent.get_name() }};
          {{ this._parent._parent.get_name() }}._marine.focus(target);
        })();
        {% endmacro %}
    """)

    def __init__(self, *, token: str, lat: float, lon: float, zoom: int, title: str,
                 names: Sequence[str]):
        from marine.webmap import safe_json

        super().__init__()
        self._name = "FocusPlace"
        self.target_js = safe_json({"token": token, "lat": lat, "lon": lon, "zoom": zoom,
                                    "title": title, "names": list(names)}, ensure_ascii=False)
