"""manifest.json: every file of the pack with its sha256 and size, the software version, the
layers' sources, the proposals and versions included, and the generation time."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from marine.mappack.content import PackContent

MANIFEST_NAME = "manifest.json"


def file_entry(name: str, data: bytes) -> dict:
    return {"path": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def build_manifest(content: PackContent, files: Mapping[str, bytes],
                   layer_counts: Mapping[str, int], disclaimer: str) -> dict:
    return {
        "pack": "marine-workspace map pack",
        "software_version": content.software_version,
        "generated_at": content.generated_at_text,
        "meeting": {"title": content.meeting.title, "date": content.meeting.date,
                    "venue": content.meeting.venue,
                    "working_group": content.meeting.working_group},
        "page_size": content.page_size,
        "disclaimer": disclaimer,
        "proposals": [{"id": p.id, "title": p.title, "kind": p.kind, "version": p.version}
                      for p in content.proposals],
        "layers": [_layer_entry(content, layer_id, layer_counts) for layer_id in
                   content.layer_ids],
        "files": [file_entry(name, files[name]) for name in sorted(files)],
    }


def _layer_entry(content: PackContent, layer_id: str, counts: Mapping[str, int]) -> dict:
    spec = content.catalogue.spec(layer_id)
    entry = {"id": spec.id, "title": spec.title, "source": spec.source, "status": spec.status,
             "licence": spec.licence, "features": int(counts.get(layer_id, 0))}
    if spec.empty_reason:
        entry["empty_reason"] = spec.empty_reason
    return entry


def manifest_bytes(manifest: Mapping) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def verify(manifest: Mapping, files: Mapping[str, bytes]) -> list[str]:
    """Problems with a pack's files against its manifest (empty list when all match)."""
    problems: list[str] = []
    listed = {f["path"]: f for f in manifest["files"]}
    for name in sorted(set(listed) | set(files)):
        if name not in files:
            problems.append(f"{name}: listed but missing")
        elif name not in listed:
            problems.append(f"{name}: present but not listed")
        elif file_entry(name, files[name]) != listed[name]:
            problems.append(f"{name}: hash or size differs")
    return problems


