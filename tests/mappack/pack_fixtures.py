"""Fixture data for the map pack tests: a small catalogue of real features, three proposals (one
with hostile text), and a pack built once per session.

Positions and names are typed from /work/shared/reference/sources.md (gazetteer table, FAO area
definition, Gulf of Tonkin agreement 2000); the coastline is the real GSHHS layer.
"""

from __future__ import annotations

from datetime import UTC, datetime

import geopandas as gpd
import shapely

from layers import base
from marine.catalogue import Catalogue, LayerSpec, Style, features_frame
from marine.geo import parse_coordinate
from marine.mappack.content import MeetingInfo, PackContent, ProposalSnapshot
from tests.registry_roles import registry_roles

HOSTILE = '<script>alert(1)</script> "><img src=x onerror=alert(2)>'


PLACES = [  # neutral id, en, zh, vi, fil, ms, lat, lon
    ("fiery-cross-reef", "Fiery Cross Reef", "永暑礁", "Đá Chữ Thập", "Kagitingan", "", 9.549,
     112.889),
    ("itu-aba", "Itu Aba", "太平岛", "Ba Bình", "Ligaw", "", 10.377, 114.365),
    ("thitu", "Thitu Island", "中业岛", "Thị Tứ", "Pag-asa", "", 11.055, 114.285),
    ("mischief-reef", "Mischief Reef", "美济礁", "Đá Vành Khăn", "Panganiban", "", 9.90, 115.535),
    ("swallow-reef", "Swallow Reef", "弹丸礁", "Đá Hoa Lau", "", "Terumbu Layang-Layang", 7.372,
     113.842),
    ("woody-island", "Woody Island", "永兴岛", "Đảo Phú Lâm", "", "", 16.834, 112.336),
]
SOURCE_PLACES = "Project gazetteer fixture: names and positions from sources.md (2026)"


def places_frame() -> gpd.GeoDataFrame:
    records, geoms = [], []
    for pid, en, zh, vi, fil, ms, lat, lon in PLACES:
        names = [n for n in (en, zh, vi, fil, ms) if n]
        records.append({"feature_id": pid, "place_id": pid, "name": en, "name_en": en,
                        "name_zh": zh, "name_vi": vi, "name_fil": fil, "name_ms": ms,
                        "disputed": True, "label": " / ".join(names)})
        geoms.append(shapely.Point(lon, lat))
    return features_frame(records, geoms, source=SOURCE_PLACES, status="scientific",
                          accuracy="~1 km")


def fao_frame() -> gpd.GeoDataFrame:
    # FAO 61/71 boundary: 20°N east of 115°E, 115°E from 20°N to 15°N, 15°N westward.
    # Area 71 part cut to 105–121°E, 5–20°N for the fixture.
    poly = shapely.Polygon([(105, 5), (121, 5), (121, 20), (115, 20), (115, 15), (105, 15)])
    return features_frame([{"feature_id": "fao-71-part", "name": "FAO major fishing area 71 "
                            "(part)", "fao_area": "71"}], [poly],
                          source="FAO major fishing areas, area 61/71 definition",
                          status="agreed", accuracy="boundary by definition (exact)")


def tonkin_frame() -> gpd.GeoDataFrame:
    pts = [("21°16′32″N", "108°08′05″E"), ("21°12′35″N", "108°12′31″E"),
           ("20°24′05″N", "108°22′45″E")]
    line = shapely.LineString([(parse_coordinate(lon), parse_coordinate(lat)) for lat, lon in pts])
    return features_frame([{"feature_id": "tonkin-p8-p10", "name": "Gulf of Tonkin boundary "
                            "P8–P10", "agreement": "China–Viet Nam 25 December 2000"}], [line],
                          source="Agreement on the delimitation of the Gulf of Tonkin, 2000",
                          status="agreed", accuracy="as published (0.1″)")


def fixture_catalogue() -> Catalogue:
    land_display = next(s for s in base.LAYERS if s.id == "land-display")
    specs = [
        land_display,
        LayerSpec(id="places", title="Places (every name)", theme="gazetteer",
                  loader=places_frame, style=Style(color="#1f4e79", radius=3),
                  source=SOURCE_PLACES, status="scientific", licence="CC-BY-4.0 (project)",
                  **registry_roles("places")),
        LayerSpec(id="fao-areas", title="FAO major fishing areas", theme="fisheries",
                  loader=fao_frame, style=Style(color="#1e8449", weight=1.0,
                                                fill_color="#abebc6", fill_opacity=0.2),
                  source="FAO", status="agreed", licence="facts (FAO definitions)",
                  **registry_roles("fao-areas")),
        LayerSpec(id="agreed-boundaries", title="Agreed boundaries", theme="claims",
                  loader=tonkin_frame, style=Style(color="#000000", weight=1.5),
                  source="Gulf of Tonkin agreement 2000", status="agreed",
                  licence="public treaty text",
                  **registry_roles("agreed-boundaries")),
        LayerSpec(id="u-shaped-line", title="Depicted dashed line", theme="claims",
                  loader=lambda: features_frame([], []), style=Style(dash_array="6 4"),
                  source="CML/17/2009 map", status="depicted-approximate",
                  licence="n/a", empty_reason="no coordinates were ever published",
                  **registry_roles("u-shaped-line")),
    ]
    return Catalogue(specs)


def sample_report(geometry) -> dict:
    """A real overlap report of `geometry` against the fixture catalogue (Report.to_dict())."""
    from marine.analysis import overlap_report

    return overlap_report(geometry, fixture_catalogue()).to_dict()


def proposals() -> list[ProposalSnapshot]:
    box = shapely.box(112.5, 9.2, 113.3, 9.9)
    return [
        ProposalSnapshot(
            id="P-001", title="Joint reef survey around Fiery Cross Reef", kind="scientific",
            group="WG-Marine Science", version=3,
            text="Parties co-operate on a coral reef survey; Vietnamese: Khảo sát rạn san hô.",
            attributes={"duration_months": 24, "lead": "rotating"}, geometry=box,
            report=sample_report(box), status="circulated",
            position_counts={"support": 5, "reservations": 2, "oppose": 0},
            comments=("Consider the monsoon season.", "Survey method: reef check.")),
        ProposalSnapshot(
            id="P-002", title=f"Fisheries data sharing {HOSTILE}", kind="fisheries",
            group="WG-Fisheries", version=1, text=f"Text with hostile content: {HOSTILE}",
            attributes={"note": HOSTILE}, geometry=shapely.box(114.0, 10.1, 114.8, 11.3),
            report=sample_report(shapely.box(114.0, 10.1, 114.8, 11.3)), status="draft",
            position_counts={"support": 3}, comments=(HOSTILE,)),
        ProposalSnapshot(
            id="P-003", title="Search and rescue exercise corridor", kind="safety",
            group="WG-Navigation", version=2, text="An exercise corridor (line).",
            attributes={}, geometry=shapely.LineString([(115.0, 9.5), (116.2, 10.4)]),
            report="", position_counts={}, comments=()),
    ]


def make_content(generated_at: datetime | None = None, page_size: str = "A4",
                 title: str = "Track-two meeting on marine co-operation") -> PackContent:
    return PackContent(
        meeting=MeetingInfo(title=title, date="2026-11-20", venue="Hà Nội / 河内",
                            working_group="Marine science"),
        proposals=proposals(),
        layer_ids=("places", "fao-areas", "agreed-boundaries", "u-shaped-line"),
        catalogue=fixture_catalogue(),
        page_size=page_size,
        generated_at=generated_at or datetime(2026, 11, 21, 9, 30, tzinfo=UTC),
    )
