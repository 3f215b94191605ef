"""`marine serve` — the browser workspace, started exactly as `./workspace run` starts it."""

from __future__ import annotations

import argparse
import subprocess
import sys

from marine.config import REPO_ROOT

DEFAULT_ADDRESS = "127.0.0.1"
DEFAULT_PORT = 8501


def streamlit_command(address: str = DEFAULT_ADDRESS, port: int = DEFAULT_PORT,
                      extra: list[str] | None = None) -> list[str]:
    """The `streamlit run` command line: local address, no telemetry, the vendored web assets
    served from ./static (`enableStaticServing`), so the app makes no external request."""
    if not 0 < port < 65536:
        raise ValueError(f"port {port} is not a TCP port (1–65535)")
    return [sys.executable, "-m", "streamlit", "run", str(REPO_ROOT / "app.py"),
            "--server.address", address, "--server.port", str(port),
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--server.enableStaticServing", "true", *(extra or [])]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="start the browser workspace (Streamlit) on this machine")
    p.add_argument("--address", default=DEFAULT_ADDRESS,
                   help=f"address to listen on (default {DEFAULT_ADDRESS}: this machine only)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help="TCP port (default 8501)")
    p.add_argument("streamlit_args", nargs=argparse.REMAINDER,
                   help="further options passed to `streamlit run` (after `--`)")
    p.set_defaults(func=_serve)


def _serve(args: argparse.Namespace) -> int:
    extra = [a for a in args.streamlit_args if a != "--"]
    command = streamlit_command(args.address, args.port, extra)
    return subprocess.call(command, cwd=REPO_ROOT)
