"""`marine serve` — the browser workspace, from any folder, for a checkout or an installed wheel.

Streamlit serves the `static/` folder next to the script it runs (`server.enableStaticServing`),
so the command runs a two-line entry written into `$MARINE_HOME/serve/`, beside a link named
`static` to `marine.config.static_dir()` (the vendored web assets). Every server option is on
the command line (`STREAMLIT_OPTIONS`); nothing depends on the working directory.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from marine.config import static_dir, var_dir

DEFAULT_ADDRESS = "127.0.0.1"
DEFAULT_PORT = 8501
# The options of the checkout's .streamlit/config.toml (a test checks they agree), so that an
# installed app started from any folder behaves as `./workspace run` does; the upload limit
# is added from marine.uploads (imported only when a command line is built: numpy, shapely).
STREAMLIT_OPTIONS: dict[str, str] = {
    "server.headless": "true",
    "browser.gatherUsageStats": "false",        # no telemetry
    "server.enableStaticServing": "true",       # vendored Leaflet at /app/static/vendor
    "client.toolbarMode": "viewer",             # no Deploy button or developer menu
}
ENTRY_SCRIPT = (
    '"""Written by `marine serve`: the browser workspace (marine/ui/main.py)."""\n\n'
    "from marine.ui.main import main\n\nmain()\n"
)


def launch_folder(home: Path | None = None, static: Path | None = None) -> Path:
    """`<home>/serve/` holding `app.py` (the entry) and `static` (a link to the static folder),
    made or brought up to date; `home` defaults to `var_dir()`, `static` to `static_dir()`."""
    folder = (home or var_dir()) / "serve"
    folder.mkdir(parents=True, exist_ok=True)
    entry = folder / "app.py"
    if not entry.is_file() or entry.read_text(encoding="utf-8") != ENTRY_SCRIPT:
        entry.write_text(ENTRY_SCRIPT, encoding="utf-8")
    link, target = folder / "static", Path(static or static_dir()).absolute()
    if link.is_symlink() and Path(os.readlink(link)) != target:
        link.unlink()
    if not link.is_symlink():
        if link.exists():
            raise FileExistsError(f"{link} is in the way of the static folder link: remove it")
        link.symlink_to(target, target_is_directory=True)
    return folder


def streamlit_command(entry: Path, *, address: str = DEFAULT_ADDRESS, port: int = DEFAULT_PORT,
                      extra: list[str] | None = None) -> list[str]:
    """The `streamlit run` command line: local address, no telemetry, the vendored web assets
    served from the static folder beside `entry`, so the app makes no external request."""
    if not 0 < port < 65536:
        raise ValueError(f"port {port} is not a TCP port (1–65535)")
    from marine.uploads import MAX_UPLOAD_BYTES

    options = {"server.address": address, "server.port": str(port), **STREAMLIT_OPTIONS,
               "server.maxUploadSize": str(MAX_UPLOAD_BYTES // 2**20)}  # MB; the uploader shows it
    flags = [part for name, value in options.items() for part in (f"--{name}", value)]
    return [sys.executable, "-m", "streamlit", "run", str(entry), *flags, *(extra or [])]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="start the browser workspace (Streamlit) on this machine")
    p.add_argument("--address", default=DEFAULT_ADDRESS,
                   help=f"address to listen on (default {DEFAULT_ADDRESS}: this machine only)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help="TCP port (default 8501)")
    p.add_argument("streamlit_args", nargs=argparse.REMAINDER,
                   help="further options passed to `streamlit run` (after `--`)")
    p.set_defaults(func=_serve)


def _serve(args: argparse.Namespace) -> int:
    from marine.offline_assets import REMEDY, is_complete, vendor_dir

    if not is_complete():
        print(f"marine serve: the map's web assets are not in {vendor_dir()}, so the maps will "
              f"not draw: {REMEDY}", file=sys.stderr)
    extra = [a for a in args.streamlit_args if a != "--"]
    command = streamlit_command(launch_folder() / "app.py", address=args.address,
                                port=args.port, extra=extra)
    return subprocess.call(command)
