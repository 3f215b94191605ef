"""KML/KMZ for Google Earth: a folder per layer and one for the proposals, styled per layer,
names in every language (ExtendedData and the placemark name), provenance in descriptions.

Google Earth renders `<description>` as HTML, so values are HTML-escaped before the XML
writer escapes them again: hostile text shows as typed, never as markup.
"""

from __future__ import annotations

import html
import io
import zipfile
from collections.abc import Mapping, Sequence
from datetime import date
from xml.etree import ElementTree as ET

import geopandas as gpd
import shapely

from marine.catalogue import LayerSpec, Style
from marine.feature_labels import (
    all_names,
    feature_rows,
    measure_fields,
    position_rows,
    proposal_rows,
    template_title,
)
from marine.i18n import translate
from marine.mappack.content import (
    NAME_COLUMNS,
    ProposalSnapshot,
    cell_text,
    nfc,
    without_prejudice,
)
from marine.mappack.static_map import PROPOSAL_STYLE
from marine.presenter import layer_name, status_word

KML_NS = "http://www.opengis.net/kml/2.2"
PROVENANCE = ("source", "status", "accuracy")


def kml_color(hex_color: str | None, opacity: float) -> str:
    """'#rrggbb' + opacity → KML's aabbggrr."""
    h = (hex_color or "#333333").lstrip("#")
    r, g, b = h[0:2], h[2:4], h[4:6]
    return f"{round(max(0.0, min(1.0, opacity)) * 255):02x}{b}{g}{r}"


def _style(doc: ET.Element, style_id: str, style: Style) -> None:
    el = ET.SubElement(doc, "Style", id=style_id)
    line = ET.SubElement(el, "LineStyle")
    ET.SubElement(line, "color").text = kml_color(style.color, style.opacity)
    ET.SubElement(line, "width").text = f"{style.weight:g}"
    poly = ET.SubElement(el, "PolyStyle")
    ET.SubElement(poly, "color").text = kml_color(style.fill_color or style.color,
                                                  style.fill_opacity)
    ET.SubElement(poly, "fill").text = "1" if style.fill_opacity > 0 else "0"
    icon = ET.SubElement(el, "IconStyle")
    ET.SubElement(icon, "color").text = kml_color(style.color, 1.0)
    ET.SubElement(icon, "scale").text = "0.7"
    # Google Earth's default balloon puts the name in as HTML; ours shows only the (escaped)
    # description, whose first rows carry the names.
    ET.SubElement(ET.SubElement(el, "BalloonStyle"), "text").text = "$[description]"


def _coords(geom) -> str:
    return " ".join(f"{x:.7f},{y:.7f}" for x, y in shapely.get_coordinates(geom))


def _geometry(parent: ET.Element, geom) -> None:
    kind = geom.geom_type
    if kind == "Point":
        ET.SubElement(ET.SubElement(parent, "Point"), "coordinates").text = _coords(geom)
    elif kind == "LineString":
        line = ET.SubElement(parent, "LineString")
        ET.SubElement(line, "tessellate").text = "1"
        ET.SubElement(line, "coordinates").text = _coords(geom)
    elif kind == "Polygon":
        poly = ET.SubElement(parent, "Polygon")
        ET.SubElement(poly, "tessellate").text = "1"
        for tag, ring in [("outerBoundaryIs", geom.exterior)] + [
            ("innerBoundaryIs", r) for r in geom.interiors
        ]:
            lr = ET.SubElement(ET.SubElement(poly, tag), "LinearRing")
            ET.SubElement(lr, "coordinates").text = _coords(ring)
    else:  # Multi* and collections
        multi = ET.SubElement(parent, "MultiGeometry")
        for part in shapely.get_parts(geom):
            _geometry(multi, part)


def _description(rows: Sequence[tuple[str, str]]) -> str:
    """A balloon's table: human labels and values, HTML-escaped (Google Earth renders it)."""
    cells = "".join(f"<tr><th>{html.escape(nfc(k))}</th><td>{html.escape(nfc(v))}</td></tr>"
                    for k, v in rows if nfc(v) != "")
    return f"<table>{cells}</table>"


def _placemark(folder: ET.Element, name: str, style_id: str, geom,
               rows: Sequence[tuple[str, str]], data: Mapping[str, object]) -> None:
    """A placemark: its name, a described balloon, and the machine columns as ExtendedData
    (for GIS use; the pack's data dictionary explains them)."""
    pm = ET.SubElement(folder, "Placemark")
    ET.SubElement(pm, "name").text = nfc(name)
    ET.SubElement(pm, "description").text = _description(rows)
    ET.SubElement(pm, "styleUrl").text = f"#{style_id}"
    ext = ET.SubElement(pm, "ExtendedData")
    for key, value in data.items():
        item = ET.SubElement(ext, "Data", name=str(key))
        ET.SubElement(item, "value").text = cell_text(value)
    _geometry(pm, geom)


def _layer_folder(doc: ET.Element, spec: LayerSpec, frame: gpd.GeoDataFrame, lang: str) -> None:
    style_id = f"layer-{spec.id}"
    _style(doc, style_id, spec.style)
    title = layer_name(spec.id, lang, spec.title)
    folder = ET.SubElement(doc, "Folder")
    ET.SubElement(folder, "name").text = f"{title} ({status_word(spec.status, lang)})"
    ET.SubElement(folder, "description").text = _description(
        [(translate("label.source", lang), spec.source),
         (translate("label.status", lang), status_word(spec.status, lang)),
         (translate("atlas.col.licence", lang), spec.licence)])
    keep = [c for c in ("feature_id", "name", "label", *NAME_COLUMNS, "kind", "disputed",
                        "party", "agreement", "fao_area", "season_text", "count", *PROVENANCE)
            if c in frame.columns]
    for row, geom in zip(frame[keep].to_dict("records"), frame.geometry.values, strict=True):
        if geom is not None and not geom.is_empty:
            name = all_names(row) or str(row.get("feature_id", ""))
            _placemark(folder, name, style_id, geom, feature_rows(row, lang, title), row)


def build_kml(layers: Sequence[tuple[LayerSpec, gpd.GeoDataFrame]],
              proposals: Sequence[ProposalSnapshot], title: str, disclaimer: str,
              lang: str = "en") -> bytes:
    root = ET.Element("kml", xmlns=KML_NS)
    doc = ET.SubElement(root, "Document")
    ET.SubElement(doc, "name").text = nfc(title)
    ET.SubElement(doc, "description").text = html.escape(without_prejudice(disclaimer))
    for spec, frame in layers:
        if len(frame):  # an empty layer would be an empty folder: the atlas says why
            _layer_folder(doc, spec, frame, lang)
    _style(doc, "proposal", PROPOSAL_STYLE)
    folder = ET.SubElement(doc, "Folder")
    ET.SubElement(folder, "name").text = translate("atlas.proposals", lang)
    for p in proposals:
        data = {"proposal_id": p.id, "title": p.title, "kind": p.kind,
                "working_group": p.group, "version": p.version, **dict(p.attributes)}
        _placemark(folder, f"{p.id} — {p.title} (v{p.version})", "proposal", p.geometry,
                   proposal_display_rows(p, lang), data)
    tree = ET.ElementTree(root)
    ET.indent(tree, space=" ")
    buf = io.BytesIO()
    tree.write(buf, encoding="utf-8", xml_declaration=True)
    return buf.getvalue()


def proposal_display_rows(p: ProposalSnapshot, lang: str) -> list[tuple[str, str]]:
    """What a popup or balloon says of a proposal, in `lang` (offline map and KML)."""
    return proposal_rows(p.id, nfc(p.title), p.version, template_title(p.kind, lang), p.group,
                         measure_fields(p.kind, p.attributes, lang),
                         position_rows(p.position_counts, lang), lang)


def build_kmz(kml_bytes: bytes, fixed_day: date) -> bytes:
    """KMZ = zip with doc.kml first; fixed timestamp so the bytes repeat."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo("doc.kml", date_time=(fixed_day.year, fixed_day.month,
                                                     fixed_day.day, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        zf.writestr(info, kml_bytes)
    return buf.getvalue()
