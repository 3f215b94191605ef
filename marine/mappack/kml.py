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
from marine.mappack.content import (
    NAME_COLUMNS,
    ProposalSnapshot,
    cell_text,
    nfc,
    without_prejudice,
)
from marine.mappack.static_map import PROPOSAL_STYLE

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


def _description(items: Mapping[str, object]) -> str:
    rows = "".join(
        f"<tr><th>{html.escape(nfc(k))}</th><td>{html.escape(cell_text(v))}</td></tr>"
        for k, v in items.items() if cell_text(v) != ""
    )
    return f"<table>{rows}</table>"


def _placemark(folder: ET.Element, name: str, style_id: str, geom,
               details: Mapping[str, object]) -> None:
    pm = ET.SubElement(folder, "Placemark")
    ET.SubElement(pm, "name").text = nfc(name)
    ET.SubElement(pm, "description").text = _description({"names": name, **details})
    ET.SubElement(pm, "styleUrl").text = f"#{style_id}"
    ext = ET.SubElement(pm, "ExtendedData")
    for key, value in details.items():
        data = ET.SubElement(ext, "Data", name=str(key))
        ET.SubElement(data, "value").text = cell_text(value)
    _geometry(pm, geom)


def _feature_name(row) -> str:
    """Every name of a place (its `label`), else the feature's name."""
    for col in ("label", "name"):
        if col in row and isinstance(row[col], str) and row[col].strip():
            return row[col]
    return str(row.get("feature_id", ""))


def _layer_folder(doc: ET.Element, spec: LayerSpec, frame: gpd.GeoDataFrame) -> None:
    style_id = f"layer-{spec.id}"
    _style(doc, style_id, spec.style)
    folder = ET.SubElement(doc, "Folder")
    ET.SubElement(folder, "name").text = f"{spec.title} [{spec.status}]"
    ET.SubElement(folder, "description").text = _description(
        {"source": spec.source, "status": spec.status, "licence": spec.licence,
         "note": spec.empty_reason})
    keep = [c for c in ("feature_id", "name", "label", *NAME_COLUMNS, *PROVENANCE)
            if c in frame.columns]
    for row, geom in zip(frame[keep].to_dict("records"), frame.geometry.values, strict=True):
        if geom is not None and not geom.is_empty:
            _placemark(folder, _feature_name(row), style_id, geom, row)


def build_kml(layers: Sequence[tuple[LayerSpec, gpd.GeoDataFrame]],
              proposals: Sequence[ProposalSnapshot], title: str, disclaimer: str) -> bytes:
    root = ET.Element("kml", xmlns=KML_NS)
    doc = ET.SubElement(root, "Document")
    ET.SubElement(doc, "name").text = nfc(title)
    ET.SubElement(doc, "description").text = html.escape(without_prejudice(disclaimer))
    for spec, frame in layers:
        _layer_folder(doc, spec, frame)
    _style(doc, "proposal", PROPOSAL_STYLE)
    folder = ET.SubElement(doc, "Folder")
    ET.SubElement(folder, "name").text = "Proposals"
    for p in proposals:
        details = {"proposal_id": p.id, "title": p.title, "kind": p.kind,
                   "working_group": p.group, "version": p.version, **dict(p.attributes)}
        _placemark(folder, f"{p.id} — {p.title} (v{p.version})", "proposal", p.geometry, details)
    tree = ET.ElementTree(root)
    ET.indent(tree, space=" ")
    buf = io.BytesIO()
    tree.write(buf, encoding="utf-8", xml_declaration=True)
    return buf.getvalue()


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
