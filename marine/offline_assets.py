"""Leaflet, plugins and fonts without a CDN: the map works with no internet.

folium elements name their JavaScript and CSS by CDN URL (`default_js`, `default_css`). `ASSETS`
maps every such URL we use to the same release in the npm registry; `scripts/fetch_web_assets.py`
reads this table at set-up (`./workspace run` / `./workspace test`) and unpacks the files under
`vendor/` of the served static folder (`marine.config.static_dir()`: the checkout's git-ignored
`static/` under `./workspace`, `$MARINE_HOME/static` otherwise). Then:

- `localise(element)` points every element's links at `/app/static/vendor/...`, which Streamlit
  serves with `server.enableStaticServing` (the app's maps);
- `inline_html(map)` renders a map into one self-contained HTML file: scripts and styles inlined,
  images and fonts as `data:` URIs (offline map packs, opened from `file://`).

Pure apart from reading the vendored files; no folium import at module level (fast to import).
"""

from __future__ import annotations

import base64
import hashlib
import json
import mimetypes
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from marine.config import static_dir
from marine.errors import LayerError

STATIC_URL_PREFIX = "/app/static/vendor/"  # Streamlit serves static_dir() at /app/static
COMPLETE_STAMP = ".complete"  # written last by the fetch script: table hash of what is in place
REMEDY = ("run `./workspace run` in a source checkout (or `scripts/fetch_web_assets.py "
          "--vendor-dir DIR/vendor`) to fetch them, and set MARINE_STATIC_DIR to that DIR")


def vendor_dir() -> Path:
    """Where the vendored files are: `vendor/` of the served static folder."""
    return static_dir() / "vendor"


class MissingWebAsset(LayerError):
    """A web asset is not vendored, or an element needs a URL the table does not know."""


@dataclass(frozen=True)
class Asset:
    """One CDN URL and where the same file is found in a vendored npm package.

    `derive` names a file we make at set-up instead of unpacking (see `DERIVED`)."""

    url: str
    package: str | None  # npm package; None for files we generate
    version: str | None
    path: str  # inside the package (or inside vendor/generated/)
    note: str = ""
    derive: str | None = None

    @property
    def folder(self) -> str:
        return f"{self.package}@{self.version}" if self.package else "generated"

    @property
    def relpath(self) -> str:
        return f"{self.folder}/{self.path}"

    @property
    def kind(self) -> str:
        return "css" if self.path.endswith(".css") else "js"

    def local_path(self, vendor: Path | None = None) -> Path:
        return Path(vendor or vendor_dir()) / self.relpath

    @property
    def static_url(self) -> str:
        return STATIC_URL_PREFIX + self.relpath


_JSD = "https://cdn.jsdelivr.net"
_CDNJS = "https://cdnjs.cloudflare.com/ajax/libs"

# Every default_js/default_css URL of folium 0.20's Map and of the plugins we use (Draw,
# MousePosition, MeasureControl, Fullscreen, Search), plus branca's colormap d3.
ASSETS: tuple[Asset, ...] = (
    Asset(f"{_JSD}/npm/leaflet@1.9.3/dist/leaflet.js", "leaflet", "1.9.3", "dist/leaflet.js"),
    Asset(f"{_JSD}/npm/leaflet@1.9.3/dist/leaflet.css", "leaflet", "1.9.3", "dist/leaflet.css"),
    Asset("https://code.jquery.com/jquery-3.7.1.min.js", "jquery", "3.7.1", "dist/jquery.min.js"),
    Asset(f"{_JSD}/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js", "bootstrap", "5.2.2",
          "dist/js/bootstrap.bundle.min.js"),
    Asset(f"{_JSD}/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css", "bootstrap", "5.2.2",
          "dist/css/bootstrap.min.css"),
    Asset("https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css",
          "bootstrap", "3.1.1", "dist/css/bootstrap-glyphicons.css",
          note="3.0.0 is not in the npm registry; the .glyphicon rules and font are taken "
               "from bootstrap 3.1.1 (the earliest 3.x there, same icon names)",
          derive="glyphicons"),
    Asset(f"{_JSD}/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css",
          "@fortawesome/fontawesome-free", "6.2.0", "css/all.min.css"),
    Asset(f"{_CDNJS}/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js",
          "drmonty-leaflet-awesome-markers", "2.0.2", "js/leaflet.awesome-markers.js",
          note="npm repackaging of Leaflet.awesome-markers 2.0.2"),
    Asset(f"{_CDNJS}/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css",
          "drmonty-leaflet-awesome-markers", "2.0.2", "css/leaflet.awesome-markers.css"),
    Asset(f"{_JSD}/gh/python-visualization/folium/folium/templates/leaflet.awesome.rotate.min.css",
          None, None, "leaflet.awesome.rotate.css",
          note="not in any registry: generated (.fa-rotate-N = rotate(N deg), N = 0..359)",
          derive="awesome-rotate"),
    Asset(f"{_CDNJS}/leaflet.draw/1.0.2/leaflet.draw.js", "leaflet-draw", "1.0.2",
          "dist/leaflet.draw.js"),
    Asset(f"{_CDNJS}/leaflet.draw/1.0.2/leaflet.draw.css", "leaflet-draw", "1.0.2",
          "dist/leaflet.draw.css"),
    Asset(f"{_JSD}/gh/ardhi/Leaflet.MousePosition/src/L.Control.MousePosition.min.js",
          "leaflet-mouse-position", "1.2.0", "src/L.Control.MousePosition.js",
          note="the CDN serves the plugin's git master; npm has its 1.2.0 release"),
    Asset(f"{_JSD}/gh/ardhi/Leaflet.MousePosition/src/L.Control.MousePosition.min.css",
          "leaflet-mouse-position", "1.2.0", "src/L.Control.MousePosition.css"),
    Asset(f"{_JSD}/gh/ljagis/leaflet-measure@2.1.7/dist/leaflet-measure.min.js",
          "leaflet-measure", "2.1.7", "dist/leaflet-measure.min.js"),
    Asset(f"{_JSD}/gh/ljagis/leaflet-measure@2.1.7/dist/leaflet-measure.min.css",
          "leaflet-measure", "2.1.7", "dist/leaflet-measure.css",
          note="the CDN minifies on the fly; the package ships the unminified file"),
    Asset(f"{_JSD}/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.min.js",
          "leaflet.fullscreen", "3.0.0", "Control.FullScreen.js",
          note="the CDN minifies on the fly; the package ships the unminified file"),
    Asset(f"{_JSD}/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.css",
          "leaflet.fullscreen", "3.0.0", "Control.FullScreen.css"),
    Asset(f"{_JSD}/npm/leaflet-search@2.9.7/dist/leaflet-search.min.js", "leaflet-search",
          "2.9.7", "dist/leaflet-search.min.js"),
    Asset(f"{_JSD}/npm/leaflet-search@2.9.7/dist/leaflet-search.min.css", "leaflet-search",
          "2.9.7", "dist/leaflet-search.min.css"),
    Asset(f"{_CDNJS}/d3/3.5.5/d3.min.js", "d3", "3.5.5", "d3.min.js",
          note="branca colormaps (legends) add it to the page header"),
)

BY_URL: dict[str, Asset] = {a.url: a for a in ASSETS}

# The folium.plugins classes whose assets are in the table (tests check each one).
SUPPORTED_PLUGINS = ("Draw", "MousePosition", "MeasureControl", "Fullscreen", "Search")


def table_digest(assets: Iterable[Asset] = ASSETS) -> str:
    """A hash of the table: the fetch script re-runs when it changes."""
    rows = [[a.url, a.package, a.version, a.path, a.derive] for a in assets]
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:16]


def asset_for(url: str) -> Asset:
    try:
        return BY_URL[url]
    except KeyError:
        raise MissingWebAsset(
            f"web asset {url!r} is not in marine/offline_assets.py ASSETS: add the same "
            "release from the npm registry to the table, then run `./workspace run`"
        ) from None


def missing_files(vendor: Path | None = None) -> list[Path]:
    """Vendored files the table needs that are not on disk."""
    return [a.local_path(vendor) for a in ASSETS if not a.local_path(vendor).is_file()]


def is_complete(vendor: Path | None = None) -> bool:
    """True when the fetch script finished for this very table and every file is there."""
    stamp = Path(vendor or vendor_dir()) / COMPLETE_STAMP
    try:
        current = stamp.read_text().strip() == table_digest()
    except OSError:
        return False
    return current and not missing_files(vendor)


# --------------------------------------------------------------------------- derived files
def glyphicons_css(bootstrap3_css: str) -> str:
    """The Glyphicons font face and `.glyphicon*` rules out of bootstrap 3's bootstrap.css."""
    kept = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", bootstrap3_css):
        selector = selector.strip()
        selectors = [s.strip() for s in selector.split(",")]
        if selector == "@font-face" and "Glyphicons Halflings" in body:
            kept.append(f"@font-face {{{body}}}")
        elif selectors and all(s.startswith(".glyphicon") for s in selectors):
            kept.append(f"{selector} {{{body}}}")
    if len(kept) < 100:
        raise MissingWebAsset(
            f"found only {len(kept)} glyphicon rules in bootstrap 3's bootstrap.css; "
            "expected the font face and ~200 icons"
        )
    return "\n".join(kept) + "\n"


def awesome_rotate_css() -> str:
    """folium's rotated awesome-marker icons: class `fa-rotate-N` turns the icon N degrees."""
    return "".join(
        f".fa-rotate-{d}{{-webkit-transform:rotate({d}deg);transform:rotate({d}deg)}}\n"
        for d in range(360)
    )


DERIVED = {"glyphicons": glyphicons_css, "awesome-rotate": awesome_rotate_css}


# --------------------------------------------------------------------------- Streamlit maps
def _walk(element) -> Iterator:
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def localise(element) -> None:
    """Point every `default_js`/`default_css` of `element` and its children at the copies
    Streamlit serves under `/app/static/vendor/` (in place; the CDN lists stay untouched)."""
    for el in _walk(element):
        for attr in ("default_js", "default_css"):
            links = getattr(el, attr, None)
            if links:
                setattr(el, attr, [(name, _local_url(url)) for name, url in links])


def _local_url(url: str) -> str:
    if url.startswith(STATIC_URL_PREFIX):
        return url  # already localised
    return asset_for(url).static_url


# --------------------------------------------------------------------------- offline HTML
_SCRIPT = re.compile(r"<script\b[^>]*\bsrc=[\"']([^\"']+)[\"'][^>]*>\s*</script>", re.I)
_LINK = re.compile(r"<link\b[^>]*\bhref=[\"']([^\"']+)[\"'][^>]*/?>", re.I)
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)"'\s]*))\s*\)""")
_FONT_FACE = re.compile(r"@font-face\s*\{([^}]*)\}", re.I)
_SOURCE_MAP = re.compile(r"/\*#\s*sourceMappingURL=[^*]*\*/|//#\s*sourceMappingURL=\S*")
_FONT_PREFERENCE = (".woff2", ".woff", ".ttf")
# Font Awesome 6's all.css declares its three fonts again under the Font Awesome 5 and 4 family
# names (shims for old markup that names those families; folium's icons use the FA 6 classes).
# Inlined, the repeats would triple the page (1.2 MB instead of 0.4 MB): they are left out.
_DROPPED_FONT_FAMILIES = ("Font Awesome 5 Brands", "Font Awesome 5 Free", "FontAwesome")
_EXTERNAL_LOADS = (
    re.compile(r"<script\b[^>]*\bsrc=[\"'](https?:)?//[^\"']*", re.I),
    re.compile(r"<link\b[^>]*\bhref=[\"'](https?:)?//[^\"']*", re.I),
    re.compile(r"<img\b[^>]*\bsrc=[\"'](https?:)?//[^\"']*", re.I),
    re.compile(r"url\(\s*[\"']?(https?:)?//[^\"')]*", re.I),
    re.compile(r"L\.tileLayer(\.wms)?\(\s*[\"'](https?:)?//[^\"']*", re.I),
)


def inline_html(m, vendor: Path | None = None) -> str:
    """The whole map as one HTML page that makes no request outside itself."""
    vendor = Path(vendor or vendor_dir())
    html = m.get_root().render()
    html = _SCRIPT.sub(lambda match: _inline_script(match.group(1), vendor), html)
    html = _LINK.sub(lambda match: _inline_link(match.group(0), match.group(1), vendor), html)
    external = external_loads(html)
    if external:
        raise MissingWebAsset(
            f"the offline map would still load {external[0]!r}: build the map with "
            "tiles=None and only elements whose assets are in marine/offline_assets.py ASSETS"
        )
    return html


def external_loads(html: str) -> list[str]:
    """Scripts, styles, images, CSS urls and tile layers `html` would fetch over the network."""
    return [hit.group(0) for pattern in _EXTERNAL_LOADS for hit in pattern.finditer(html)]


def _read(asset: Asset, vendor: Path) -> str:
    path = asset.local_path(vendor)
    if not path.is_file():
        raise MissingWebAsset(f"web asset file {path} (for {asset.url}) is missing: {REMEDY}")
    return path.read_text(encoding="utf-8")


def _inline_script(url: str, vendor: Path) -> str:
    asset = asset_for(url)
    code = _SOURCE_MAP.sub("", _read(asset, vendor)).replace("</script", "<\\/script")
    extra = _leaflet_icon_fix(asset, vendor) if asset.path == "dist/leaflet.js" else ""
    return f"<script>/* {asset.relpath} */\n{code}\n{extra}</script>"


def _inline_link(tag: str, url: str, vendor: Path) -> str:
    if "stylesheet" not in tag.lower():
        return tag
    asset = asset_for(url)
    css = inline_css(_read(asset, vendor), asset.local_path(vendor).parent)
    return f"<style>/* {asset.relpath} */\n{css}\n</style>"


def inline_css(css: str, folder: Path) -> str:
    """`css` with each font face reduced to its best local format and every local file it
    points at turned into a `data:` URI; files that are not there become `none`."""
    css = _SOURCE_MAP.sub("", css)
    css = _FONT_FACE.sub(lambda m: _inline_font_face(m.group(1), folder), css)
    return _CSS_URL.sub(lambda m: _data_url("".join(m.groups(default="")), folder), css)


def _inline_font_face(body: str, folder: Path) -> str:
    family = re.search(r"font-family\s*:\s*[\"']?([^\"';]+)", body)
    if family and family.group(1).strip() in _DROPPED_FONT_FAMILIES:
        return ""
    urls = ["".join(parts) for parts in _CSS_URL.findall(body)]
    files = {Path(u.split("?")[0].split("#")[0]).suffix.lower(): u for u in urls}
    best = next((files[ext] for ext in _FONT_PREFERENCE if ext in files), None)
    rest = re.sub(r"src\s*:[^;}]*;?", "", body).strip().rstrip(";")
    if best is None or not _resolve(best, folder):
        return f"@font-face{{{rest}}}"  # no usable font file: the face is dropped
    return f"@font-face{{{rest};src:url({best})}}"


def _resolve(ref: str, folder: Path) -> Path | None:
    if ref.startswith(("data:", "#")) or re.match(r"^[a-z]+:|^//", ref, re.I):
        return None
    clean = ref.split("?")[0].split("#")[0]
    path = (folder / PurePosixPath(clean)).resolve()
    return path if path.is_file() else None


def _data_url(ref: str, folder: Path) -> str:
    if ref.startswith("data:"):
        return f'url("{ref}")' if '"' not in ref else f"url('{ref}')"
    path = _resolve(ref, folder)
    if path is None:
        return "none" if not re.match(r"^(https?:)?//", ref, re.I) else f"url({ref})"
    return f"url({data_uri(path)})"


def data_uri(path: Path) -> str:
    mime = {".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf",
            ".svg": "image/svg+xml"}.get(path.suffix.lower())
    mime = mime or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _leaflet_icon_fix(leaflet: Asset, vendor: Path) -> str:
    """Leaflet finds its default marker images relative to leaflet.css, which an inlined
    page no longer has: give it the images as data URIs instead."""
    images = leaflet.local_path(vendor).parent / "images"
    names = {"iconUrl": "marker-icon.png", "iconRetinaUrl": "marker-icon-2x.png",
             "shadowUrl": "marker-shadow.png"}
    options = {key: data_uri(images / name) for key, name in names.items()
               if (images / name).is_file()}
    return ("L.Icon.Default.imagePath = '';\n"
            f"L.Icon.Default.mergeOptions({json.dumps(options)});\n")
