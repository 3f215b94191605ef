"""The offline interactive map: one self-contained HTML file (scripts and styles inlined from
the installed assets, no CDN, no tiles) with the layers, the proposals, toggles, popups with
provenance and every name, and the disclaimer.

The layers come from `marine.webmap.build_map` (the same drawing as the app); this module adds
the proposals, a title panel and the layer toggles, makes element ids deterministic, and hands
the map to `marine.offline_assets.inline_html`. Text reaches the page only as escaped HTML or
as DOM text nodes.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence

import folium
import shapely
from branca.element import MacroElement
from jinja2 import Template

from marine.catalogue import Catalogue
from marine.i18n import translate
from marine.mappack.content import ProposalSnapshot, nfc, without_prejudice
from marine.mappack.kml import proposal_display_rows
from marine.mappack.static_map import PROPOSAL_STYLE


class ProposalPopup(MacroElement):
    """Popup and tooltip for proposals, built from DOM text nodes (never innerHTML)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function(){
          function content(layer){
            const box = document.createElement("div");
            box.className = "marine-popup";
            const table = document.createElement("table");
            for (const pair of layer.feature.properties.rows){
              const tr = document.createElement("tr");
              const th = document.createElement("th");
              th.textContent = pair[0];
              const td = document.createElement("td");
              td.textContent = pair[1];
              tr.appendChild(th); tr.appendChild(td); table.appendChild(tr);
            }
            box.appendChild(table);
            return box;
          }
          {{ this._parent.get_name() }}.bindPopup(content, {maxWidth: 420});
          {{ this._parent.get_name() }}.bindTooltip(function(layer){
            const span = document.createElement("span");
            span.textContent = layer.feature.properties.label;
            return span;
          }, {sticky: true});
        })();
        {% endmacro %}
    """)

    def __init__(self):
        super().__init__()
        self._name = "ProposalPopup"


def proposal_rows(p: ProposalSnapshot, lang: str = "en") -> list[list[str]]:
    """The popup's rows: human labels in `lang` (marine.feature_labels owns the wording)."""
    return [[label, value] for label, value in proposal_display_rows(p, lang)]


def proposals_geojson(proposals: Sequence[ProposalSnapshot], lang: str = "en") -> dict:
    features = [
        {"type": "Feature", "id": p.id,
         "properties": {"label": p.label, "rows": proposal_rows(p, lang)},
         "geometry": json.loads(shapely.to_geojson(p.geometry, indent=None))}
        for p in proposals
    ]
    return {"type": "FeatureCollection", "features": features}


def add_proposals(m: folium.Map, proposals: Sequence[ProposalSnapshot], lang: str = "en") -> None:
    style = {"color": PROPOSAL_STYLE.color, "weight": PROPOSAL_STYLE.weight + 1,
             "fillColor": PROPOSAL_STYLE.fill_color, "fillOpacity": PROPOSAL_STYLE.fill_opacity}
    name = translate("atlas.proposals", lang)
    group = folium.FeatureGroup(name=name, show=True)
    layer = folium.GeoJson(proposals_geojson(proposals, lang), name=name,
                           style_function=lambda _f: style, embed=True, control=False)
    ProposalPopup().add_to(layer)
    layer.add_to(group)
    group.add_to(m)


def title_panel_html(title: str, subtitle: str, proposals: Sequence[ProposalSnapshot]) -> str:
    items = "".join(f"<li>{html.escape(p.label)}</li>" for p in proposals)
    return (f"<strong>{html.escape(nfc(title))}</strong><br><small>{html.escape(nfc(subtitle))}"
            f"</small><ul style='margin:4px 0 0 16px;padding:0'>{items}</ul>")


def disclaimer_html(disclaimers: Mapping[str, str], lang: str = "en") -> str:
    """The reader's language (and English) always visible; every other language one click
    away (the map stays usable)."""
    first = [k for k in dict.fromkeys((lang, "en")) if k in disclaimers]
    shown = "".join(f"<div lang='{html.escape(k)}'>{html.escape(without_prejudice(disclaimers[k]))}"
                    f"</div>" for k in first)
    others = "".join(f"<p lang='{html.escape(k)}'>{html.escape(nfc(v))}</p>"
                     for k, v in sorted(disclaimers.items()) if k not in first)
    summary = translate("atlas.other_languages", lang, count=len(disclaimers) - len(first))
    return f"{shown}<details><summary>{html.escape(summary)}</summary>{others}</details>"


def deterministic_ids(m: folium.Map) -> None:
    """folium names elements with random uuids; number them in tree order instead so the same
    inputs give the same file."""
    counter = 0
    stack = [m.get_root()]
    while stack:
        element = stack.pop(0)
        element._id = f"{counter:06d}"
        counter += 1
        stack.extend(element._children.values())


def _fit(m: folium.Map, proposals: Sequence[ProposalSnapshot]) -> None:
    if not proposals:  # a context pack: the map opens on the whole sea
        return
    minx, miny, maxx, maxy = shapely.union_all([p.geometry for p in proposals]).bounds
    pad = max(0.5, 0.3 * max(maxx - minx, maxy - miny))
    m.fit_bounds([[miny - pad, minx - pad], [maxy + pad, maxx + pad]])


def build_offline_map(catalogue: Catalogue, layer_ids: Sequence[str],
                      proposals: Sequence[ProposalSnapshot], title: str, subtitle: str,
                      disclaimers: Mapping[str, str], lang: str = "en") -> folium.Map:
    """The folium map of the pack (not yet inlined), in the pack's language."""
    from marine import webmap

    m = webmap.build_map(catalogue, list(layer_ids), webmap.MapOptions(lang=lang))
    add_proposals(m, proposals, lang)
    webmap.HtmlControl(disclaimer_html(disclaimers, lang), "bottomleft",
                       "marine-disclaimer").add_to(m)
    webmap.HtmlControl(title_panel_html(title, subtitle, proposals), "topleft",
                       "marine-disclaimer").add_to(m)
    # collapsed: the toggles open on hover and leave the map visible beside the legend
    folium.LayerControl(collapsed=True, position="topright").add_to(m)
    _fit(m, proposals)
    return m


def build_offline_html(catalogue: Catalogue, layer_ids: Sequence[str],
                       proposals: Sequence[ProposalSnapshot], title: str, subtitle: str,
                       disclaimers: Mapping[str, str], lang: str = "en") -> bytes:
    """One self-contained HTML document (UTF-8 bytes) that works from disk with no network."""
    from marine.offline_assets import inline_html

    m = build_offline_map(catalogue, layer_ids, proposals, title, subtitle, disclaimers, lang)
    deterministic_ids(m)
    return inline_html(m).encode("utf-8")
