"""Fonts for the atlas and the static maps, found at run time on the system.

One document mixes Chinese, Vietnamese diacritics, Malay and Filipino, so we need Noto Sans
(Latin with full Vietnamese coverage) plus Noto Sans CJK (Simplified Chinese face of the
collection) as a per-glyph fallback. They come from Debian packages; when one is missing the
error names the package to install.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from marine.errors import MarineError

# Face index of Simplified Chinese inside NotoSansCJK-*.ttc (0 JP, 1 KR, 2 SC, 3 TC, 4 HK).
CJK_SC_INDEX = 2


@dataclass(frozen=True)
class FontFile:
    family: str  # the name we register it under
    path: Path
    package: str  # Debian package that ships it
    collection_index: int = 0


@dataclass(frozen=True)
class FontSet:
    latin: FontFile
    latin_bold: FontFile
    cjk: FontFile
    cjk_bold: FontFile
    symbols: FontFile  # DejaVu: arrows, degree and other signs

    def all(self) -> tuple[FontFile, ...]:
        return (self.latin, self.latin_bold, self.cjk, self.cjk_bold, self.symbols)


# (family, file name, fc-match pattern, Debian package, known folders)
_WANTED = {
    "latin": ("Noto Sans", "NotoSans-Regular.ttf", "Noto Sans:style=Regular", "fonts-noto-core",
              ("/usr/share/fonts/truetype/noto",)),
    "latin_bold": ("Noto Sans Bold", "NotoSans-Bold.ttf", "Noto Sans:style=Bold",
                   "fonts-noto-core", ("/usr/share/fonts/truetype/noto",)),
    "cjk": ("Noto Sans CJK SC", "NotoSansCJK-Regular.ttc", "Noto Sans CJK SC:style=Regular",
            "fonts-noto-cjk", ("/usr/share/fonts/opentype/noto",)),
    "cjk_bold": ("Noto Sans CJK SC Bold", "NotoSansCJK-Bold.ttc", "Noto Sans CJK SC:style=Bold",
                 "fonts-noto-cjk", ("/usr/share/fonts/opentype/noto",)),
    "symbols": ("DejaVu Sans", "DejaVuSans.ttf", "DejaVu Sans:style=Book", "fonts-dejavu-core",
                ("/usr/share/fonts/truetype/dejavu",)),
}


def _fc_match(pattern: str, file_name: str) -> Path | None:
    """Ask fontconfig; accept only the exact file we want (fc-match always answers something)."""
    if not shutil.which("fc-match"):
        return None
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True,
                             text=True, timeout=10, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    path = Path(out)
    return path if out and path.name == file_name and path.is_file() else None


def _find(role: str) -> FontFile:
    family, file_name, pattern, package, folders = _WANTED[role]
    for folder in folders:
        candidate = Path(folder) / file_name
        if candidate.is_file():
            path = candidate
            break
    else:
        path = _fc_match(pattern, file_name)
    if path is None:
        raise MarineError(
            f"font file '{file_name}' ({family}) was not found in {list(folders)} nor through "
            f"fc-match; install the Debian package: apt-get install {package}"
        )
    index = CJK_SC_INDEX if file_name.endswith(".ttc") else 0
    return FontFile(family=family, path=path, package=package, collection_index=index)


@lru_cache(maxsize=1)
def find_fonts() -> FontSet:
    """The fonts the atlas needs, or a MarineError naming the missing Debian package."""
    return FontSet(**{role: _find(role) for role in _WANTED})


@lru_cache(maxsize=1)
def matplotlib_families() -> tuple[str, ...]:
    """Register the fonts with matplotlib once; returns the family fallback list for text."""
    from matplotlib import font_manager

    fonts = find_fonts()
    for font in (fonts.latin, fonts.latin_bold, fonts.cjk, fonts.symbols):
        font_manager.fontManager.addfont(str(font.path))
    # addfont registers a .ttc under each face's own name; SC is "Noto Sans CJK SC".
    return ("Noto Sans", "Noto Sans CJK SC", "DejaVu Sans")
