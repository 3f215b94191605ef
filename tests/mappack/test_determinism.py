"""Same inputs → same files: only the generated-at timestamp differs between builds."""

from __future__ import annotations

import hashlib
import json
import subprocess
import time
from datetime import UTC, datetime

import pytest
from pack_fixtures import make_content

from marine.mappack.assemble import build_pack, read_pack

pytestmark = pytest.mark.slow

A = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
B = datetime(2027, 1, 2, 17, 45, tzinfo=UTC)
MASK = b"<generated-at>"


def _pdf_text(data: bytes) -> bytes:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data,
                          capture_output=True, check=True, timeout=60).stdout


def masked_digests(files: dict[str, bytes], generated_at: datetime) -> dict[str, str]:
    """sha256 of each file with its generation time masked; the PDF by its text (the time is
    inside compressed content) and the manifest without the PDF's own hash."""
    stamp = generated_at.strftime("%Y-%m-%d %H:%M UTC").encode()
    out = {}
    for name, data in files.items():
        if name == "atlas.pdf":
            data = _pdf_text(data)
        elif name == "manifest.json":
            man = json.loads(data)
            man["files"] = [f for f in man["files"] if f["path"] != "atlas.pdf"]
            data = json.dumps(man, sort_keys=True).encode()
        out[name] = hashlib.sha256(data.replace(stamp, MASK)).hexdigest()
    return out


def test_same_inputs_give_identical_zip_bytes(tmp_path):
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    build_pack(make_content(A), first)
    time.sleep(1.1)  # a wall-clock second later: nothing may depend on it
    build_pack(make_content(A), second)
    assert first.read_bytes() == second.read_bytes()


def test_only_timestamps_differ_between_generation_times(tmp_path):
    build_pack(make_content(A), tmp_path / "a.zip")
    build_pack(make_content(B), tmp_path / "b.zip")
    files_a, files_b = read_pack(tmp_path / "a.zip"), read_pack(tmp_path / "b.zip")
    assert masked_digests(files_a, A) == masked_digests(files_b, B)
    changed = sorted(n for n in files_a if files_a[n] != files_b[n])
    assert changed == ["atlas.pdf", "manifest.json"]  # the two files that show the time
