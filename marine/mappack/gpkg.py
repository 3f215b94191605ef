"""The pack's GeoPackage: one table per included layer, plus `proposals` (attributes, version).

Written with pyogrio. GDAL stamps `gpkg_contents.last_change` with the current time; we pin
it to the meeting date (OGR_CURRENT_DATE) so the same inputs give the same file.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from marine.geo import STORAGE_CRS
from marine.mappack.content import ProposalSnapshot, nfc

PROPOSALS_TABLE = "proposals"


def table_name(layer_id: str) -> str:
    """GeoPackage table names: letters, digits and underscores (ids use hyphens)."""
    return re.sub(r"\W", "_", layer_id, flags=re.ASCII)


def proposals_frame(proposals: Sequence[ProposalSnapshot]) -> gpd.GeoDataFrame:
    """Proposals as rows: attributes and position counts as JSON text (keys vary by kind)."""
    rows = [
        {
            "proposal_id": p.id,
            "title": nfc(p.title),
            "kind": nfc(p.kind),
            "working_group": nfc(p.group),
            "version": int(p.version),
            "text": nfc(p.text),
            "attributes": json.dumps(dict(p.attributes), ensure_ascii=False, sort_keys=True,
                                     default=str),
            "position_counts": json.dumps(dict(p.position_counts), sort_keys=True),
        }
        for p in proposals
    ]
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry=[p.geometry for p in proposals],
                            crs=STORAGE_CRS)


def _for_gpkg(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Columns GDAL can store: lists/dicts become JSON text."""
    out = frame.copy()
    for col in out.columns:
        if col == out.geometry.name or out[col].dtype != object:
            continue
        if out[col].map(lambda v: isinstance(v, list | dict | tuple)).any():
            out[col] = out[col].map(lambda v: json.dumps(v, ensure_ascii=False, default=str)
                                    if isinstance(v, list | dict | tuple) else v)
    return out


def write_gpkg(layers: Mapping[str, gpd.GeoDataFrame], proposals: Sequence[ProposalSnapshot],
               fixed_date: str) -> bytes:
    """The GeoPackage as bytes; `fixed_date` (YYYY-MM-DD) is stamped as every table's date."""
    options = {"OGR_CURRENT_DATE": f"{fixed_date}T00:00:00.000Z", "OGR_SQLITE_JOURNAL": "OFF"}
    previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options(options)
    try:
        with tempfile.TemporaryDirectory(prefix="marine-gpkg-") as tmp:
            path = Path(tmp) / "pack.gpkg"
            for layer_id, frame in layers.items():
                _write_table(path, table_name(layer_id), frame)
            _write_table(path, PROPOSALS_TABLE, proposals_frame(proposals))
            return path.read_bytes()
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous,
                                         "OGR_SQLITE_JOURNAL": None})


def _write_table(path: Path, name: str, frame: gpd.GeoDataFrame) -> None:
    frame = _for_gpkg(frame.reset_index(drop=True))
    geometry_type = None if len(frame) else "Unknown"
    pyogrio.write_dataframe(frame, path, layer=name, driver="GPKG", promote_to_multi=False,
                            geometry_type=geometry_type, append=False)
