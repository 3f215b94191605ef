"""`marine serve` starts Streamlit as `./workspace run` does, from any folder."""

from __future__ import annotations

import ast
import os
import re
import tomllib
from pathlib import Path

import pytest

from marine import uploads
from marine.cli import build_parser
from marine.commands.serve import (
    ENTRY_SCRIPT,
    launch_folder,
    streamlit_command,
)

REPO = Path(__file__).resolve().parents[2]


def _options(cmd: list[str]) -> dict[str, str]:
    return dict(zip(cmd[5::2], cmd[6::2], strict=True))


def test_command_serves_the_vendored_assets_locally_without_telemetry(tmp_path):
    cmd = streamlit_command(tmp_path / "app.py", port=8600,
                            extra=["--server.fileWatcherType", "none"])
    assert cmd[1:4] == ["-m", "streamlit", "run"] and cmd[4] == str(tmp_path / "app.py")
    assert _options(cmd) == {
        "--server.address": "127.0.0.1", "--server.port": "8600", "--server.headless": "true",
        "--browser.gatherUsageStats": "false", "--server.enableStaticServing": "true",
        "--server.maxUploadSize": "20", "--client.toolbarMode": "viewer",
        "--server.fileWatcherType": "none"}


def test_every_option_of_the_checkouts_streamlit_config_is_on_the_command_line(tmp_path):
    # An installed app started from / has no .streamlit/config.toml: the command carries it all.
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    in_file = {f"--{section}.{key}": str(value).lower() if isinstance(value, bool) else str(value)
               for section, values in config.items() for key, value in values.items()}
    assert in_file == _options(streamlit_command(tmp_path / "app.py"))


def test_the_upload_limit_is_the_readers(tmp_path, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 7 * 2**20)
    assert _options(streamlit_command(tmp_path / "app.py"))["--server.maxUploadSize"] == "7"


def test_same_options_as_the_workspace_script(tmp_path):
    script = (REPO / "workspace").read_text()
    run = script[script.index("streamlit\" run app.py"):].split(";;")[0]
    for option in ("--server.address 127.0.0.1", "--server.headless true",
                   "--browser.gatherUsageStats false", "--server.enableStaticServing true"):
        assert re.search(re.escape(option), run), option
        assert option.split()[0] in streamlit_command(tmp_path / "app.py")


def _code(source: str) -> str:
    tree = ast.parse(source)
    body = [n for n in tree.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
    return ast.dump(ast.Module(body=body, type_ignores=[]))


def test_the_launch_folder_runs_the_checkouts_entry_beside_the_static_folder(tmp_path):
    static_a, static_b = tmp_path / "static-a", tmp_path / "static-b"
    folder = launch_folder(tmp_path / "home", static_a)
    assert folder == tmp_path / "home" / "serve"
    assert _code((folder / "app.py").read_text(encoding="utf-8")) == _code(
        (REPO / "app.py").read_text(encoding="utf-8"))
    assert (folder / "static").is_symlink() and Path(os.readlink(folder / "static")) == static_a
    # Moving MARINE_STATIC_DIR moves the link; a stale entry is rewritten.
    (folder / "app.py").write_text("print('old')\n")
    launch_folder(tmp_path / "home", static_b)
    assert Path(os.readlink(folder / "static")) == static_b
    assert (folder / "app.py").read_text(encoding="utf-8") == ENTRY_SCRIPT


def test_something_else_in_the_way_of_the_static_link_is_refused(tmp_path):
    (tmp_path / "serve" / "static").mkdir(parents=True)
    with pytest.raises(FileExistsError, match="remove it"):
        launch_folder(tmp_path, tmp_path / "elsewhere")


def test_cli_parses_serve_and_rejects_a_bad_port(tmp_path):
    args = build_parser().parse_args(["serve", "--port", "9000"])
    assert args.port == 9000 and args.address == "127.0.0.1"
    with pytest.raises(ValueError, match="70000"):
        streamlit_command(tmp_path / "app.py", port=70000)


def test_serve_warns_when_the_web_assets_are_missing_and_starts_the_entry(tmp_path, monkeypatch,
                                                                          capsys):
    from marine.commands import serve

    monkeypatch.setenv("MARINE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MARINE_STATIC_DIR", str(tmp_path / "empty-static"))
    started = []
    monkeypatch.setattr(serve.subprocess, "call", lambda cmd: started.append(cmd) or 0)
    args = build_parser().parse_args(["serve", "--port", "8611"])
    assert args.func(args) == 0
    err = capsys.readouterr().err
    assert "web assets are not in" in err and str(tmp_path / "empty-static") in err
    assert started[0][4] == str(tmp_path / "home" / "serve" / "app.py")
    assert Path(os.readlink(tmp_path / "home" / "serve" / "static")) == tmp_path / "empty-static"
