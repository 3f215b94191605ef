"""Shipping: the MARNET route network and ports shipped in `searoute`, and named straits.

MARNET (Eurostat) is a SCHEMATIC network for estimating sea distances, not charted
routeing: segments are straight lines between nodes and some passages are missing (no
segment uses the Balabac Strait). IMO routeing measures (Ships' Routeing, Part B) are not
reproduced here.
"""

from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path

import shapely
from shapely.geometry import Point, shape

from marine.catalogue import LayerSpec, Style, features_frame
from marine.config import DATA_DIR, REGION_BOUNDS
from marine.errors import LayerError
from marine.geo import geodesic_length_nm, parse_coordinate
from marine.i18n import NAME_LANGUAGES

SEAROUTE_SOURCE = (
    "Eurostat MARNET maritime network and ports, as shipped in PyPI package searoute 1.6.0 "
    "(searoute/data/marnet_searoute.geojson, ports.geojson)"
)
SEAROUTE_LICENCE = "Apache-2.0 (searoute); MARNET © Eurostat"
# Names used for the port's country as given by the source, in the form used on an equal
# footing in the South China Sea workshops.
COUNTRY_LABELS = {
    "Taiwan": "Chinese Taipei",
    "Hong_kong": "Hong Kong, China",
    "Macao": "Macao, China",
    "Vietnam": "Viet Nam",
}
STRAITS_CSV = DATA_DIR / "shipping" / "straits.csv"


def _searoute_file(name: str) -> Path:
    spec = importlib.util.find_spec("searoute")
    if spec is None or spec.origin is None:
        raise LayerError("package 'searoute' is not installed: pip install searoute")
    path = Path(spec.origin).parent / "data" / name
    if not path.exists():
        raise LayerError(f"searoute data file {path} missing: reinstall searoute")
    return path


def _region_features(name: str) -> list[dict]:
    features = json.loads(_searoute_file(name).read_text(encoding="utf-8"))["features"]
    box = shapely.box(*REGION_BOUNDS)
    return [f for f in features if shape(f["geometry"]).intersects(box)]


def load_routes():
    box = shapely.box(*REGION_BOUNDS)
    records, geoms = [], []
    for i, feature in enumerate(_region_features("marnet_searoute.geojson")):
        geom = shape(feature["geometry"]).intersection(box)
        if geom.is_empty or geom.length == 0:
            continue
        passage = (feature.get("properties") or {}).get("passage") or ""
        records.append({
            "feature_id": f"marnet-{i:04d}",
            "name": f"MARNET segment ({passage} passage)" if passage else "MARNET segment",
            "passage": passage,
            "length_nm": round(geodesic_length_nm(geom), 2),
        })
        geoms.append(geom)
    return features_frame(
        records, geoms, source=SEAROUTE_SOURCE, status="scientific",
        accuracy="schematic network: straight segments between nodes, tens of km from actual tracks",
    )


def load_ports():
    records, geoms = [], []
    for feature in _region_features("ports.geojson"):
        p = feature["properties"]
        country = COUNTRY_LABELS.get(p.get("cty", ""), p.get("cty", "").replace("_", " "))
        records.append({
            "feature_id": f"port-{p['port']}-{len(records):03d}",
            "name": p["name"],
            "locode": p["port"],
            "country": country,
        })
        geoms.append(shape(feature["geometry"]))
    return features_frame(
        records, geoms, source=SEAROUTE_SOURCE, status="scientific",
        accuracy="port reference point, ~1–5 km",
    )


STRAIT_NAME_COLUMNS = tuple(f"name_{lang}" for lang in NAME_LANGUAGES)


def load_straits():
    with STRAITS_CSV.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    records, geoms = [], []
    for row in rows:
        lat = parse_coordinate(row["lat"], "lat")
        lon = parse_coordinate(row["lon"], "lon")
        names = [row[k] for k in STRAIT_NAME_COLUMNS]
        records.append({
            "feature_id": row["strait_id"],
            "name": row["name_en"],
            "label": " / ".join(dict.fromkeys(n for n in names if n)),
            **{k: row[k] for k in STRAIT_NAME_COLUMNS},
            "connects": row["connects"],
            "source": row["source"],
            "accuracy": row["accuracy"],
        })
        geoms.append(Point(lon, lat))
    return features_frame(records, geoms, status="scientific")


LAYERS = [
    LayerSpec(
        id="shipping-routes",
        section="routes",
        in_packs=True,
        title="Shipping routes (MARNET, schematic)",
        theme="shipping",
        loader=load_routes,
        style=Style(color="#1f5fa8", weight=1.5, opacity=0.8),
        source=SEAROUTE_SOURCE,
        status="scientific",
        licence=SEAROUTE_LICENCE,
        description=__doc__.split("\n\n")[1].replace("\n", " "),
        derived=True,
    ),
    LayerSpec(
        id="ports",
        section="nearest-ports",
        in_packs=True,
        title="Ports",
        theme="shipping",
        loader=load_ports,
        style=Style(color="#0b3d75", fill_color="#ffffff", fill_opacity=1.0, radius=3),
        source=SEAROUTE_SOURCE,
        status="scientific",
        licence=SEAROUTE_LICENCE,
        description="Ports of the searoute port list within 95–125°E, 5°S–28°N, with UN/LOCODE.",
        derived=True,
    ),
    LayerSpec(
        id="straits",
        in_packs=True,
        on_by_default=True,  # the explorer opens with the straits shown
        title="Straits and chokepoints",
        theme="shipping",
        loader=load_straits,
        style=Style(color="#7a1fa8", fill_color="#d9b3f0", fill_opacity=0.9, radius=6),
        source="data/shipping/straits.csv (NGA GEOnet Names Server positions; IHO S-23, 1953)",
        status="scientific",
        licence="facts from public documents",
        description="Reference points of named straits, each with all its names; not limits.",
    ),
]
