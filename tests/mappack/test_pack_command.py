"""`marine pack` end to end: a SQLite workspace with a proposal, comments and positions →
a pack zip; nothing in it names who commented or took a position."""

from __future__ import annotations

import io
import json
import subprocess

import pytest
import shapely
from pack_fixtures import sample_report

from marine import cli
from marine.mappack.assemble import read_pack
from marine.mappack.commands import progress_bar
from marine.mappack.from_store import parse_proposal_ref
from marine.store import SYSTEM, Store

pytestmark = pytest.mark.slow


@pytest.fixture()
def workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("MARINE_HOME", str(tmp_path / "home"))
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    store = Store.open(url)
    alice = store.users.create(SYSTEM, "kestrel7", "Alice Secretname", password="pw-alice-123456")
    bob = store.users.create(SYSTEM, "osprey9", "Bob Hiddenname", password="pw-bob-1234567")
    for user in (alice, bob):
        store.groups.add_member(SYSTEM, "marine-scientific-research", user.id, "member")
    p = store.proposals.create(
        alice, group="marine-scientific-research", kind="joint-survey",
        title="Reef survey near Fiery Cross Reef", text="Survey text.",
        geometry=shapely.box(112.5, 9.2, 113.3, 9.9), attributes={"months": 12},
        report=sample_report(shapely.box(112.5, 9.2, 113.3, 9.9)))
    store.comments.add(bob, p.id, 1, "A comment without a name.")
    store.positions.set(alice, p.id, 1, "can-live-with")
    store.positions.set(bob, p.id, 1, "have-concerns")
    store.close()
    return url, p.id


def test_marine_pack_writes_a_pack_from_the_store(workspace, tmp_path, capsys):
    url, pid = workspace
    out = tmp_path / "out" / "pack.zip"
    code = cli.main(["pack", "--database-url", url, "--group", "marine-scientific-research",
                     "--proposal", str(pid), "--layers", "land-display",
                     "--title", "Workshop", "--date", "2026-11-20", "--out", str(out)])
    assert code == 0
    captured = capsys.readouterr()
    assert "wrote" in captured.out and "100%" in captured.err
    files = read_pack(out)
    man = json.loads(files["manifest.json"])
    assert man["proposals"] == [{"id": f"P-{pid}", "title": "Reef survey near Fiery Cross Reef",
                                 "kind": "joint-survey", "version": 1}]
    text = subprocess.run(["pdftotext", "-", "-"], input=files["atlas.pdf"],
                          capture_output=True, check=True).stdout.decode()
    assert "A comment without a name." in text
    assert "can live with it: 1" in text and "have concerns: 1" in text  # words, not keys
    pages = text.split("\f")
    section = next(p for p in pages if f"P-{pid} — Reef survey near Fiery Cross Reef" in p)
    assert "Survey text." in section  # the measure's text on its section's first page
    assert "Joint scientific survey" in section  # the template by its title, not its id
    for raw in ("schema_version", "bbox", "_km2", '{"', "True", "False", "None"):
        assert raw not in text, raw
    everything = b"".join(files.values()) + text.encode()
    for secret in (b"Secretname", b"Hiddenname", b"kestrel7", b"osprey9"):
        assert secret not in everything


def test_a_group_without_proposals_gets_a_context_pack(workspace, tmp_path, capsys):
    url, _ = workspace
    out = tmp_path / "context.zip"
    code = cli.main(["pack", "--database-url", url, "--group", "legal-matters",
                     "--layers", "land-display,agreed-boundaries,joint-areas,places",
                     "--title", "First meeting", "--date", "2026-11-20", "--out", str(out),
                     "--quiet"])
    assert code == 0
    said = capsys.readouterr().out
    assert "has no proposals yet" in said and "context layers only" in said
    files = read_pack(out)
    assert {"atlas.pdf", "map.html", "data/pack.gpkg", "data/google-earth.kmz",
            "data/csv/gazetteer.csv", "data/DATA-DICTIONARY.csv"} <= set(files)
    text = subprocess.run(["pdftotext", "-", "-"], input=files["atlas.pdf"],
                          capture_output=True, check=True).stdout.decode()
    assert "no proposals yet" in text and "context layers only" in text
    assert "Map: Claims and boundaries" in text  # a map per theme
    assert "Annex B" in text and "Layers without data" in text
    assert json.loads(files["manifest.json"])["proposals"] == []


def test_marine_pack_names_the_problem(workspace, tmp_path, capsys):
    url, _ = workspace
    code = cli.main(["pack", "--database-url", url, "--group", "no-such-group",
                     "--title", "t", "--out", str(tmp_path / "x.zip")])
    assert code == 2
    assert "no-such-group" in capsys.readouterr().err


def test_proposal_refs_and_progress_bar():
    assert parse_proposal_ref("12") == (12, None)
    assert parse_proposal_ref("P-12@3") == (12, 3)
    with pytest.raises(Exception, match="12@3"):
        parse_proposal_ref("twelve")
    stream = io.StringIO()
    show = progress_bar(stream, width=10)
    show(0.5, "drawing maps")
    show(1.0, "done")
    assert "[#####-----]  50% drawing maps" in stream.getvalue()
    assert stream.getvalue().endswith("\n")
