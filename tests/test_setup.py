"""The set-up commands, CI entry point, README, and maps that work with no internet."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import folium
import pytest
from folium import plugins

from marine import offline_assets as oa

REPO = Path(__file__).resolve().parent.parent
BOX = {"type": "FeatureCollection", "features": [{
    "type": "Feature", "properties": {"name": "Test box"},
    "geometry": {"type": "Polygon",
                 "coordinates": [[[110, 10], [112, 10], [112, 12], [110, 12], [110, 10]]]}}]}


def map_with_everything() -> folium.Map:
    """A map using every plugin in SUPPORTED_PLUGINS and each kind of marker icon."""
    m = folium.Map(location=[12, 114], zoom_start=5, tiles=None)
    layer = folium.GeoJson(BOX, name="box").add_to(m)
    folium.Marker([10, 114]).add_to(m)  # Leaflet's default image icon
    folium.Marker([11, 114], icon=folium.Icon()).add_to(m)  # glyphicon
    folium.Marker([12, 114], icon=folium.Icon(icon="anchor", prefix="fa", angle=30)).add_to(m)
    plugins.Draw().add_to(m)
    plugins.MousePosition().add_to(m)
    plugins.MeasureControl().add_to(m)
    plugins.Fullscreen().add_to(m)
    plugins.Search(layer=layer, search_label="name").add_to(m)
    folium.LayerControl().add_to(m)
    return m


def _urls(element) -> list[str]:
    found = []
    for el in oa._walk(element):
        for attr in ("default_js", "default_css"):
            found += [url for _, url in getattr(el, attr, None) or []]
    return found


# --------------------------------------------------------------------------- commands
def test_ci_run_ends_by_handing_over_to_workspace_test():
    script = REPO / ".ci" / "run"
    lines = [line for line in script.read_text().splitlines() if line.strip()]
    assert lines[0] == "#!/usr/bin/env bash"
    assert "set -euo pipefail" in lines
    assert lines[-1] == "exec ./workspace test"
    assert os.access(script, os.X_OK)


@pytest.mark.slow  # runs the test command itself (its set-up and two xdist workers): ~10 s
def test_workspace_test_hands_pytest_status_on():
    """`exec` of pytest: its exit status (5 = no tests ran) reaches CI unchanged."""
    done = subprocess.run([str(REPO / "workspace"), "test", "tests/test_setup.py", "-q",
                           "-p", "no:cacheprovider", "-k", "no_test_is_called_this"],
                          capture_output=True, text=True, timeout=600, cwd="/")
    assert done.returncode == 5, done.stdout[-2000:] + done.stderr[-2000:]
    assert "no tests ran" in done.stdout  # pytest's own words, through the xdist workers


@pytest.mark.slow
def test_workspace_run_starts_the_app_with_its_first_administrator(vendor_dir, tmp_path):
    """The README's first command on a fresh MARINE_HOME: a workspace with its first
    administrator (password printed once), the app served, its map assets served locally."""
    port = _free_port()
    env = {**os.environ, "MARINE_HOME": str(tmp_path / "home")}
    log = tmp_path / "run.log"
    with log.open("w") as out:
        server = subprocess.Popen([str(REPO / "workspace"), "run", "--server.port", str(port),
                                   "--server.fileWatcherType", "none"],
                                  cwd="/", env=env, stdout=out, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(f"{base}/_stcore/health", seconds=180)
        with urllib.request.urlopen(base + "/", timeout=10) as r:
            assert r.status == 200 and b"<div id=\"root\">" in r.read()
        leaflet = oa.BY_URL["https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"]
        with urllib.request.urlopen(base + leaflet.static_url, timeout=10) as r:
            assert r.read() == leaflet.local_path(vendor_dir).read_bytes()
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
    printed = log.read_text()
    assert (tmp_path / "home" / "workspace.sqlite").exists(), printed[-2000:]
    assert "password" in printed.lower(), printed[-2000:]


def test_workspace_without_a_command_prints_usage_and_fails():
    done = subprocess.run([str(REPO / "workspace")], capture_output=True, text=True,
                          timeout=30, check=False)
    assert done.returncode == 2
    assert "./workspace run" in done.stderr and "./workspace test" in done.stderr


def test_readme_documents_both_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "./workspace run" in readme and "./workspace test" in readme
    assert readme.count("<!-- setup:begin -->") == readme.count("<!-- setup:end -->") >= 2


def test_streamlit_config_serves_static_files_locally():
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert config["server"]["address"] == "127.0.0.1"
    assert config["server"]["port"] == 8501
    assert config["server"]["headless"] is True
    assert config["server"]["enableStaticServing"] is True
    assert config["browser"]["gatherUsageStats"] is False


# --------------------------------------------------------------------------- the asset table
def test_table_has_one_row_per_url_and_vendored_path():
    assert len(oa.BY_URL) == len(oa.ASSETS)
    assert len({a.relpath for a in oa.ASSETS}) == len(oa.ASSETS)
    for asset in oa.ASSETS:
        assert asset.static_url.startswith("/app/static/vendor/")
        assert (asset.package is None) == (asset.derive == "awesome-rotate")


@pytest.mark.parametrize("name", oa.SUPPORTED_PLUGINS)
def test_every_supported_plugin_url_is_in_the_table(name):
    plugin = getattr(plugins, name)
    urls = [url for _, url in [*plugin.default_js, *plugin.default_css]]
    assert urls, f"{name} loads nothing?"
    assert [u for u in urls if u not in oa.BY_URL] == []


def test_every_url_of_a_full_map_is_in_the_table():
    urls = _urls(map_with_everything())
    assert "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js" in urls
    assert [u for u in urls if u not in oa.BY_URL] == []


def _plugins_used_in_repo() -> set[str]:
    used = set()
    for path in [REPO / "app.py", *(REPO / "marine").rglob("*.py")]:
        if not path.exists():
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "folium.plugins":
                used.update(alias.name for alias in node.names)
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id == "plugins" and node.attr[:1].isupper():
                used.add(node.attr)
    return used


def test_the_app_uses_only_plugins_whose_assets_are_vendored():
    used = _plugins_used_in_repo()
    unsupported = sorted(used - set(oa.SUPPORTED_PLUGINS))
    assert not unsupported, (f"folium.plugins {unsupported} are used but their assets are not "
                             "in marine/offline_assets.py: add them to ASSETS and "
                             "SUPPORTED_PLUGINS")


def test_fetch_script_reads_the_same_table():
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "fetch_web_assets.py"),
                           "--list"], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.splitlines() == [f"{a.url} -> {a.relpath}" for a in oa.ASSETS]


def test_derived_files():
    rotate = oa.awesome_rotate_css()
    assert ".fa-rotate-0{" in rotate and "rotate(359deg)" in rotate and rotate.count("\n") == 360
    sample = ("@font-face { font-family: 'Glyphicons Halflings'; src: url(a.woff); }\n"
              + "".join(f'.glyphicon-i{i}:before {{ content: "\\e{i:03d}"; }}\n'
                        for i in range(120))
              + ".btn { color: red; }\n@media print { .x { y: z; } }\n")
    css = oa.glyphicons_css(sample)
    assert "Glyphicons Halflings" in css and ".glyphicon-i119:before" in css
    assert ".btn" not in css and "@media" not in css
    with pytest.raises(oa.MissingWebAsset, match="glyphicon rules"):
        oa.glyphicons_css(".btn { color: red; }")


def test_vendored_files_are_all_there(vendor_dir):
    assert oa.missing_files(vendor_dir) == []
    glyphs = (vendor_dir / oa.BY_URL["https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/"
                                      "bootstrap-glyphicons.css"].relpath).read_text()
    assert ".glyphicon-info-sign:before" in glyphs  # folium.Icon()'s default icon


# --------------------------------------------------------------------------- localise
def test_localise_leaves_no_cdn_link_in_the_page():
    m = map_with_everything()
    oa.localise(m)
    html = m.get_root().render()
    loads = re.findall(r"<(?:script|link)\b[^>]*(?:src|href)=\"([^\"]+)\"", html)
    assert len(loads) >= 15
    assert [u for u in loads if not u.startswith("/app/static/vendor/")] == []
    assert oa.external_loads(html) == []
    # The class-level CDN lists are untouched (other maps in the process are unaffected).
    assert folium.Map.default_js[0][1].startswith("https://")


def test_localise_is_idempotent_and_covers_feature_groups():
    group = folium.FeatureGroup(name="g")
    plugins.MeasureControl().add_to(group)
    oa.localise(group)
    oa.localise(group)
    assert all(u.startswith("/app/static/vendor/") for u in _urls(group))


def test_localise_names_an_unknown_asset_and_the_remedy():
    m = folium.Map(tiles=None)
    plugins.Terminator().add_to(m)
    with pytest.raises(oa.MissingWebAsset, match=r"leaflet\.terminator.*ASSETS"):
        oa.localise(m)


# --------------------------------------------------------------------------- offline HTML
def test_inline_html_is_self_contained(vendor_dir):
    html = oa.inline_html(map_with_everything(), vendor_dir)
    assert oa.external_loads(html) == []
    assert re.findall(r"<script\b[^>]*\bsrc=", html) == []
    assert re.findall(r"<link\b[^>]*rel=\"stylesheet\"", html) == []
    assert "/* leaflet@1.9.3/dist/leaflet.js */" in html
    assert html.count("data:font/woff2;base64,") == 3  # Font Awesome 6: brands, regular, solid
    assert "data:font/woff;base64," in html  # glyphicons
    assert 500_000 < len(html) < 2_500_000


def test_inline_html_refuses_web_tiles(vendor_dir):
    m = folium.Map(tiles="OpenStreetMap")
    with pytest.raises(oa.MissingWebAsset, match="tiles=None"):
        oa.inline_html(m, vendor_dir)


def test_inline_html_names_a_missing_file_and_the_remedy(tmp_path):
    with pytest.raises(oa.MissingWebAsset, match=r"leaflet\.js.*missing.*\./workspace run"):
        oa.inline_html(map_with_everything(), tmp_path)


def test_inline_css_resolves_local_files_and_drops_missing_ones(tmp_path):
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "a.png").write_bytes(b"\x89PNG")
    (tmp_path / "f.woff").write_bytes(b"wOFF")
    (tmp_path / "f.ttf").write_bytes(b"\0\1")
    css = ('.a{background:url("img/a.png") no-repeat}.b{background-image:url(img/gone.png)}'
           ".c{background:url('data:image/svg+xml,%3csvg xmlns=\"x\"/%3e')}"
           "@font-face{font-family:F;src:url(f.eot);src:url(f.ttf) format('truetype'),"
           "url(f.woff) format('woff')}")
    out = oa.inline_css(css, tmp_path)
    assert "url(data:image/png;base64,iVBORw==)" in out
    assert ".b{background-image:none}" in out
    assert "data:image/svg+xml,%3csvg" in out
    assert "src:url(data:font/woff;base64," in out and "f.ttf" not in out and "eot" not in out


@pytest.mark.browser
def test_offline_html_opens_from_file_with_zero_external_requests(vendor_dir, page, tmp_path):
    target = tmp_path / "map.html"
    target.write_text(oa.inline_html(map_with_everything(), vendor_dir), encoding="utf-8")
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(target.as_uri())
    page.wait_for_selector("path.leaflet-interactive")  # the GeoJSON box was drawn
    page.wait_for_function("document.fonts.status === 'loaded'")
    assert errors == []
    assert page.evaluate("L.version") == "1.9.3"
    assert page.locator(".leaflet-draw-draw-polygon").count() == 1
    assert page.locator(".leaflet-control-measure").count() == 1
    assert page.evaluate("""() => [...document.querySelectorAll('img.leaflet-marker-icon')]
                            .every(img => img.complete && img.naturalWidth > 0)""")
    assert page.evaluate("document.fonts.check('900 16px \"Font Awesome 6 Free\"')")
    external = [u for u in requests if not u.startswith(("file:", "data:"))]
    assert external == []


@pytest.mark.slow
def test_streamlit_serves_the_vendored_files(vendor_dir, tmp_path):
    """The app's maps load /app/static/vendor/...: Streamlit must serve them as JS and CSS."""
    (tmp_path / "app.py").write_text("import streamlit as st\nst.write('ok')\n")
    wanted = [("https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js", "javascript"),
              ("https://cdnjs.cloudflare.com/ajax/libs/leaflet.draw/1.0.2/leaflet.draw.css",
               "css")]
    for url, _ in wanted:  # copies: Streamlit refuses symlinks out of its static folder
        asset = oa.BY_URL[url]
        copy = tmp_path / "static" / "vendor" / asset.relpath
        copy.parent.mkdir(parents=True)
        copy.write_bytes(asset.local_path(vendor_dir).read_bytes())
    port = _free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "streamlit"), "run", str(tmp_path / "app.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.enableStaticServing", "true", "--server.fileWatcherType", "none"],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(f"{base}/_stcore/health")
        for url, kind in wanted:
            with urllib.request.urlopen(base + oa.BY_URL[url].static_url, timeout=10) as r:
                assert r.status == 200
                assert kind in r.headers["Content-Type"]
                assert r.read() == oa.BY_URL[url].local_path(vendor_dir).read_bytes()
    finally:
        server.terminate()
        server.wait(timeout=20)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


# --------------------------------------------------------------------------- CI strictness
_STRICTNESS_TESTS = '''
import pytest

@pytest.mark.browser
def test_browser_skips():
    pytest.skip("no chromium here")

@pytest.mark.postgres
def test_postgres_fixture(pg_bin_dir, monkeypatch):
    pass

def test_plain_skip():
    pytest.skip("unrelated")
'''


# In CI the skip inside the browser test becomes a failure, the fixture's skip an error.
@pytest.mark.slow
@pytest.mark.parametrize(("ci", "expected"), [("true", "1 failed, 1 skipped, 1 error"),
                                                ("", "3 skipped")])
def test_ci_turns_browser_and_postgres_skips_into_failures(tmp_path, ci, expected):
    conftest = REPO / "tests" / "conftest.py"
    (tmp_path / "conftest.py").write_text(
        f"exec(compile(open({str(conftest)!r}).read(), {str(conftest)!r}, 'exec'))\n"
        "import pathlib\n_pg_bin_dir = lambda: None  # as if PostgreSQL were not installed\n")
    (tmp_path / "test_sample.py").write_text(_STRICTNESS_TESTS)
    env = {**os.environ, "CI": ci}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "-W", "ignore::pytest.PytestUnknownMarkWarning", str(tmp_path)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert expected in done.stdout.splitlines()[-1], done.stdout[-2000:]
    assert (done.returncode != 0) == bool(ci)


# --------------------------------------------------------------------------- PostgreSQL
@pytest.mark.postgres
def test_throwaway_postgres_with_postgis(postgres_server, postgis_enabled, postgres_db):
    import sqlalchemy as sa

    assert postgres_server.startswith("postgresql+psycopg://marine@127.0.0.1:")
    engine = sa.create_engine(postgres_db)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("CREATE TABLE t (id int primary key, name text)"))
            conn.execute(sa.text("INSERT INTO t VALUES (1, 'Pratas / 東沙')"))
            assert conn.execute(sa.text("SELECT name FROM t")).scalar() == "Pratas / 東沙"
            if postgis_enabled:
                area = conn.execute(sa.text(
                    "SELECT ST_Area(ST_GeogFromText("
                    "'POLYGON((114 15,115 15,115 16,114 16,114 15))')) / 1e6")).scalar()
                assert area == pytest.approx(11_872.84, rel=1e-3)  # 1°x1° at 15°N
    finally:
        engine.dispose()
    if in_ci_here():
        assert postgis_enabled, "CI installs postgresql-<ver>-postgis-3: PostGIS must be there"
    session = sa.create_engine(postgres_server)
    try:
        with session.connect() as conn:  # a per-test database leaves the session one empty
            assert conn.execute(sa.text("SELECT to_regclass('public.t')")).scalar() is None
    finally:
        session.dispose()


def in_ci_here() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}
