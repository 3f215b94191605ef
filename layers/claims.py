"""Claims and boundaries: published baselines, agreed boundaries, joint areas, the dashed line.

Every position comes from a CSV under `data/claims/` typed by this project from the named
public document, one row per point, with latitude and longitude written exactly as the
document prints them (e.g. ``16°40.5′N``) and parsed here with `parse_coordinate`.
`data/claims/features.csv` says, per feature, which instrument it comes from, how precise the
published positions are and which points are still missing: partial features are drawn only
through the points actually typed (never guessed), and say so in `completeness` and `missing`.

Lines join the published points in order, as straight segments in longitude/latitude; the
instruments define straight (geodesic) lines, and over the longest segment here (about 160 nm)
the two differ by under 0.5 km (a test keeps this under 1 km).

Status is part of the styling: agreed boundaries solid, one party's baselines dashed, the
depicted dashed line dotted (no coordinates were ever published for it: its dashes are
transcribed from Natural Earth's depiction, accuracy tens of km, one open line per dash).
Everything here is context, shown without prejudice to any party's claims.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import shapely
from shapely.geometry import LineString, Point, Polygon

from marine.catalogue import LayerSpec, Style, empty_frame, features_frame
from marine.config import DATA_DIR
from marine.errors import LayerError
from marine.geo import geodesic_area_km2, parse_coordinate

CLAIMS_DIR = DATA_DIR / "claims"
FEATURES_CSV = CLAIMS_DIR / "features.csv"
BASELINE_POINTS_CSV = CLAIMS_DIR / "baseline_points.csv"
BOUNDARY_POINTS_CSV = CLAIMS_DIR / "boundary_points.csv"
# Not shipped yet (no citable vertex list found); the loader builds from it once typed.
JOINT_AREA_POINTS_CSV = CLAIMS_DIR / "joint_area_points.csv"
# Three points per dash transcribed from Natural Earth's depiction (geometry only).
DASH_POINTS_CSV = CLAIMS_DIR / "u_shaped_line_dashes.csv"

POINT_COLUMNS = ("feature", "seq", "point_label", "lat", "lon", "source")
LICENCE = "Facts from public official documents, typed by this project (data/claims, Apache-2.0)"

# Joint development / defined areas: the published areas checked against the vertices.
JOINT_AREAS: dict[str, dict[str, object]] = {
    "my-th-jda": {
        "agreement": "Malaysia–Thailand Memorandum of Understanding, 21 February 1979, and "
        "Agreement on the Constitution of the Malaysia–Thailand Joint Authority, 1990",
        "parties": "Malaysia; Thailand",
        "published_area_km2": 7250.0,
    },
    "my-vn-defined-area": {
        "agreement": "Malaysia–Viet Nam Memorandum of Understanding for the exploration and "
        "exploitation of petroleum in a defined area of the continental shelf, 5 June 1992",
        "parties": "Malaysia; Viet Nam",
        "published_area_km2": 2800.0,
    },
}

JOINT_AREAS_EMPTY_REASON = (
    "No vertex list for the Malaysia–Thailand Joint Development Area (1979/1990, published "
    "area 7,250 km²) or the Malaysia–Viet Nam Defined Area (1992, about 2,800 km²) was found "
    "in a citable text; both are defined by points in the agreements (UN Law of the Sea "
    "Bulletin). The layer stays empty rather than drawing areas from maps. Note for whoever "
    "types them: published areas differ (7,250 km² for the JDA as commonly cited; 5,439 km² "
    "for the 1979 zone in Miyoshi, IBRU Maritime Briefing 2(5), 1999), so state which one the "
    "vertices are checked against. Two vertices are known by identity only, without a full "
    "list: the JDA's northernmost point is point C of the 1997 Thailand–Viet Nam boundary "
    "(maritimeindex.org summary of that agreement), and point E of the Defined Area is point "
    "20, the northern end of the 1969 Indonesia–Malaysia line (IILSS, after Miyoshi 1999); "
    "both are drawn in the agreed-boundaries layer. A polygon is not drawn from two vertices."
)
DASHED_LINE_SOURCE = "as depicted by Natural Earth 1:10m, version 5.1.0 (public domain)"
DASHED_LINE_ACCURACY = "schematic: tens of km"
DASHED_LINE_NOTE = (
    "No coordinates of the dashed (U-shaped, 'nine-dash'/'ten-dash') line were ever published "
    "officially: it is depicted on the map annexed to China's notes verbales CML/17/2009 and "
    "CML/18/2009 of 7 May 2009 and on later standard maps. Maps differ in the number of dashes "
    "(9, 10 or 11: eleven on the 1947 map, nine from the 1950s, ten on the 2023 standard map); "
    "this depiction, Natural Earth's, has 9, with none in the Gulf of Tonkin and none east of "
    "Taiwan. Each dash is typed as its two end points and its middle point (data/claims/"
    "u_shaped_line_dashes.csv), which follow Natural Earth's 15-vertex dash within about 3 km. "
    "The dashes are separate open lines: never joined, never closed into an area and never a "
    "boundary."
)


# --------------------------------------------------------------------------- reading
@dataclass(frozen=True)
class TypedPoint:
    """One published point: parsed position plus the text exactly as the document prints it."""

    feature: str
    seq: int
    label: str
    lon: float
    lat: float
    row: Mapping[str, str]


def read_typed_points(path: Path) -> dict[str, list[TypedPoint]]:
    """Points grouped by feature, in published order; errors name the file, line and value."""
    grouped: dict[str, list[TypedPoint]] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in POINT_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise LayerError(f"{path.name} lacks columns {missing}; add them to the header row")
        for line, row in enumerate(reader, start=2):
            point = _typed_point(path, line, row)
            grouped.setdefault(point.feature, []).append(point)
    for feature, points in grouped.items():
        seqs = [p.seq for p in points]
        if seqs != sorted(set(seqs)):
            raise LayerError(
                f"{path.name}: feature '{feature}' has seq values {seqs}; they must be unique "
                "and in increasing order (the order the document lists the points)"
            )
    return grouped


def _typed_point(path: Path, line: int, row: Mapping[str, str]) -> TypedPoint:
    where = f"{path.name} line {line}"
    try:
        seq = int(row["seq"])
    except ValueError:
        raise LayerError(f"{where}: seq '{row['seq']}' is not an integer") from None
    try:
        lat = parse_coordinate(row["lat"], axis="lat")
        lon = parse_coordinate(row["lon"], axis="lon")
    except ValueError as exc:
        raise LayerError(f"{where} (point '{row['point_label']}'): {exc}") from None
    if not row["feature"].strip() or not row["source"].strip():
        raise LayerError(f"{where}: every point needs a feature id and a source")
    return TypedPoint(row["feature"].strip(), seq, row["point_label"].strip(), lon, lat, row)


def read_feature_table(path: Path) -> dict[str, dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return {row["feature"]: row for row in csv.DictReader(fh)}


@lru_cache(maxsize=1)
def _features() -> dict[str, dict[str, str]]:
    return read_feature_table(FEATURES_CSV)


@lru_cache(maxsize=4)
def _points(path: Path) -> dict[str, list[TypedPoint]]:
    return read_typed_points(path)


def _meta(feature: str, layer: str) -> dict[str, str]:
    meta = _features().get(feature)
    if meta is None:
        raise LayerError(f"feature '{feature}' has points but no row in {FEATURES_CSV.name}")
    if meta["layer"] != layer:
        raise LayerError(f"feature '{feature}' is listed for layer '{meta['layer']}', not '{layer}'")
    return meta


def _completeness(meta: Mapping[str, str], typed: int) -> dict[str, object]:
    total = int(meta["points_total"]) if meta["points_total"].strip() else None
    partial = bool(meta["missing"].strip()) or (total is not None and typed < total)
    return {
        "completeness": "partial" if partial else "complete",
        "points_typed": typed,
        "points_total": total,
        "missing": meta["missing"],
    }


# --------------------------------------------------------------------------- geometry
def line_through(points: Sequence[TypedPoint]) -> LineString:
    """The published points joined in order (vertices are exactly the points)."""
    if len(points) < 2:
        raise LayerError(f"feature '{points[0].feature}' has {len(points)} point; a line needs 2")
    return LineString([(p.lon, p.lat) for p in points])


def ring_through(points: Sequence[TypedPoint]) -> Polygon:
    """A joint area from its published vertices, closed back to the first one."""
    if len(points) < 3:
        raise LayerError(f"area '{points[0].feature}' has {len(points)} vertices; it needs 3")
    polygon = shapely.orient_polygons(Polygon([(p.lon, p.lat) for p in points]))
    if not polygon.is_valid:
        raise LayerError(
            f"area '{points[0].feature}' is not a valid polygon "
            f"({shapely.is_valid_reason(polygon)}); check the vertex order in the CSV"
        )
    return polygon


def dash_through(points: Sequence[TypedPoint]) -> LineString:
    """One dash of the depicted line: open by construction, never a ring or an area."""
    line = line_through(points)
    if line.is_closed:
        raise LayerError(
            f"dash '{points[0].feature}' starts and ends at the same point; dashes of the "
            "depicted line are never closed"
        )
    return line


# --------------------------------------------------------------------------- layers
def baselines_frame():
    records, lines = [], []
    for feature, points in _points(BASELINE_POINTS_CSV).items():
        meta = _meta(feature, "baselines")
        records.append({**_line_record(feature, meta, points), "party": meta["party"]})
        lines.append(line_through(points))
    return _with_counts(features_frame(records, lines, status="official-unilateral"))


def basepoints_frame():
    records, geoms = [], []
    for feature, points in _points(BASELINE_POINTS_CSV).items():
        meta = _meta(feature, "baselines")
        for p in points:
            records.append(_basepoint_record(feature, meta, p))
            geoms.append(Point(p.lon, p.lat))
    return features_frame(records, geoms, status="official-unilateral")


def agreed_boundaries_frame():
    records, lines = [], []
    for feature, points in _points(BOUNDARY_POINTS_CSV).items():
        meta = _meta(feature, "agreed-boundaries")
        record = _line_record(feature, meta, points)
        records.append({**record, "agreement": meta["instrument"], "parties": meta["party"]})
        lines.append(line_through(points))
    return _with_counts(features_frame(records, lines, status="agreed"))


def _with_counts(gdf):
    """Point counts as integers that may be unknown (a document whose length is not known)."""
    gdf["points_total"] = gdf["points_total"].astype("Int64")
    return gdf


def joint_areas_frame():
    columns = ("agreement", "parties", "published_area_km2", "area_km2")
    if not JOINT_AREA_POINTS_CSV.exists():
        return empty_frame(columns)
    records, polygons = [], []
    for feature, points in _points(JOINT_AREA_POINTS_CSV).items():
        if feature not in JOINT_AREAS:
            raise LayerError(f"joint area '{feature}' is not one of {sorted(JOINT_AREAS)}")
        polygon = ring_through(points)
        records.append(_joint_area_record(feature, points, polygon))
        polygons.append(polygon)
    return features_frame(records, polygons, status="agreed")


def u_shaped_line_frame():
    """One open LineString per dash, in the file's order (round the U from the north-east)."""
    grouped = _points(DASH_POINTS_CSV)
    records, dashes = [], []
    for number, (feature, points) in enumerate(grouped.items(), start=1):
        records.append(
            {
                "feature_id": feature,
                "name": f"Depicted dashed line, dash {number} of {len(grouped)}",
                "dash": number,
                "point_labels": " ".join(p.label for p in points),
                "source": points[0].row["source"],
                "accuracy": DASHED_LINE_ACCURACY,
                "note": DASHED_LINE_NOTE,
            }
        )
        dashes.append(dash_through(points))
    return features_frame(records, dashes, status="depicted-approximate")


# --------------------------------------------------------------------------- records
def _line_record(feature: str, meta: Mapping[str, str], points: Sequence[TypedPoint]) -> dict:
    return {
        "feature_id": feature,
        "name": meta["name"],
        "instrument": meta["instrument"],
        "source": meta["source"],
        "accuracy": meta["accuracy"],
        "point_labels": " ".join(p.label for p in points),
        "note": meta["note"],
        **_completeness(meta, len(points)),
    }


def _basepoint_record(feature: str, meta: Mapping[str, str], p: TypedPoint) -> dict:
    named = p.row.get("name_in_instrument", "").strip()
    others = p.row.get("other_names", "").strip()
    label = f"{named} / {others.replace('; ', ' / ')}" if others else named
    distance = p.row.get("distance_to_next_nm", "").strip()
    return {
        "feature_id": f"{feature}-{p.label}",
        "name": f"{meta['party']} basepoint {p.label}: {label}",
        "baseline_id": feature,
        "party": meta["party"],
        "instrument": meta["instrument"],
        "point_label": p.label,
        "seq": p.seq,
        "name_in_instrument": named,
        "other_names": others,
        "lat_text": p.row["lat"],
        "lon_text": p.row["lon"],
        "distance_to_next_nm": float(distance) if distance else None,
        "source": p.row["source"],
        "accuracy": meta["accuracy"],
        "note": p.row.get("note", ""),
    }


def _joint_area_record(feature: str, points: Sequence[TypedPoint], polygon: Polygon) -> dict:
    info = JOINT_AREAS[feature]
    return {
        "feature_id": feature,
        "name": str(info["agreement"]).split(",")[0],
        "agreement": info["agreement"],
        "parties": info["parties"],
        "published_area_km2": info["published_area_km2"],
        "area_km2": round(geodesic_area_km2(polygon), 1),
        "source": points[0].row["source"],
        "accuracy": points[0].row.get("accuracy", "") or "as published in the agreement",
    }


# --------------------------------------------------------------------------- declarations
UNILATERAL = Style(color="#b35806", weight=1.8, dash_array="8 5")
AGREED = Style(color="#1b1b1b", weight=2.2)
LAYERS = [
    LayerSpec(
        id="baselines",
        on_by_default=True,
        draft_context=True,
        in_packs=True,
        title="Baselines published by one state",
        theme="claims",
        loader=baselines_frame,
        style=UNILATERAL,
        source="Official declarations and laws listed per feature (data/claims/features.csv)",
        status="official-unilateral",
        licence=LICENCE,
        description=(
            "Straight and archipelagic baselines as each state published them, one line per "
            "instrument, vertices exactly at the published points. Partial lines (Paracel "
            "1996: points 1–23 of 28; Viet Nam 1982: A1–A11, point 0 having no "
            "coordinates; Viet Nam 2025: A11–A20 of 14; Philippines RA 9522: basepoints 1–16 of 101) are drawn only through the typed "
            "points and marked in `completeness`/`missing`. One party's claim, not endorsed."
        ),
    ),
    LayerSpec(
        id="basepoints",
        title="Basepoints of published baselines",
        theme="claims",
        loader=basepoints_frame,
        style=Style(color="#b35806", weight=1.0, fill_color="#fdb863", fill_opacity=0.9, radius=3),
        source="Official declarations and laws listed per feature (data/claims/features.csv)",
        status="official-unilateral",
        licence=LICENCE,
        description=(
            "The points of the published baselines, with the coordinates as printed "
            "(`lat_text`, `lon_text`), the name used in the instrument and other names of the "
            "place (`other_names`)."
        ),
    ),
    LayerSpec(
        id="agreed-boundaries",
        section="agreements",
        on_by_default=True,
        draft_context=True,
        in_packs=True,
        title="Agreed maritime boundaries",
        theme="claims",
        loader=agreed_boundaries_frame,
        style=AGREED,
        source="Boundary agreements listed per feature (data/claims/features.csv)",
        status="agreed",
        licence=LICENCE,
        description=(
            "Boundaries in force between the parties: China–Viet Nam Beibu Gulf/Bac Bo Gulf 2000 "
            "(points 1–10 and 12–21 of 21, as two open pieces: point 11 is not typed), "
            "Indonesia–Viet Nam continental shelf 2003, Thailand–Viet Nam "
            "1997 (point C discrepancy noted). Vertices in the published order."
        ),
    ),
    LayerSpec(
        id="joint-areas",
        section="agreements",
        on_by_default=True,
        draft_context=True,
        in_packs=True,
        title="Joint development and defined areas",
        theme="claims",
        loader=joint_areas_frame,
        style=Style(color="#1b1b1b", weight=1.5, fill_color="#5aae61", fill_opacity=0.25),
        source="Malaysia–Thailand MoU 1979 / agreement 1990; Malaysia–Viet Nam MoU 1992",
        status="agreed",
        licence=LICENCE,
        description="Areas the parties agreed to develop jointly pending delimitation.",
        empty_reason=JOINT_AREAS_EMPTY_REASON,
    ),
    LayerSpec(
        id="u-shaped-line",
        section="depicted-line",
        on_by_default=True,
        draft_context=True,
        in_packs=True,
        title="Depicted dashed line (U-shaped line)",
        theme="claims",
        loader=u_shaped_line_frame,
        # Dotted, thin and unfilled: unlike any boundary style (agreed solid, unilateral dashed).
        style=Style(color="#7b3294", weight=3.0, dash_array="1 3"),
        source=(
            f"Dashes {DASHED_LINE_SOURCE}; the line is depicted on the map annexed to notes "
            "verbales CML/17/2009 and CML/18/2009, 7 May 2009"
        ),
        status="depicted-approximate",
        licence="Natural Earth: public domain; points typed by this project (data/claims, Apache-2.0)",
        description=DASHED_LINE_NOTE,
    ),
]
