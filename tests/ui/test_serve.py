"""`marine serve` starts Streamlit exactly as `./workspace run` does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from marine.cli import build_parser
from marine.commands.serve import streamlit_command

REPO = Path(__file__).resolve().parents[2]


def test_command_serves_the_vendored_assets_locally_without_telemetry():
    cmd = streamlit_command(port=8600, extra=["--server.fileWatcherType", "none"])
    assert cmd[1:4] == ["-m", "streamlit", "run"] and cmd[4].endswith("app.py")
    options = dict(zip(cmd[5::2], cmd[6::2], strict=True))
    assert options == {"--server.address": "127.0.0.1", "--server.port": "8600",
                       "--server.headless": "true", "--browser.gatherUsageStats": "false",
                       "--server.enableStaticServing": "true",
                       "--server.fileWatcherType": "none"}


def test_same_options_as_the_workspace_script():
    script = (REPO / "workspace").read_text()
    run = script[script.index("streamlit\" run app.py"):].split(";;")[0]
    for option in ("--server.address 127.0.0.1", "--server.headless true",
                   "--browser.gatherUsageStats false", "--server.enableStaticServing true"):
        assert re.search(re.escape(option), run), option
        assert option.split()[0] in streamlit_command()


def test_cli_parses_serve_and_rejects_a_bad_port():
    args = build_parser().parse_args(["serve", "--port", "9000"])
    assert args.port == 9000 and args.address == "127.0.0.1"
    with pytest.raises(ValueError, match="70000"):
        streamlit_command(port=70000)
