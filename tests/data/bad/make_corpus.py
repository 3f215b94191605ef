"""Write the bad-input corpus.

    python tests/data/bad/make_corpus.py              the small files, into this folder
    python tests/data/bad/make_corpus.py --large DIR  also the generated ones, into DIR

The small files are committed; the generated ones (shapefiles and GeoPackages written through
GDAL, 1,000,000 vertices, zip bombs, files over the upload limit, 1 MB strings) are built at
test time into a temporary folder instead. The
builders live in `reliability.bad_corpus` because `marine check` needs them without the
tests folder; what the user must see for each file is in `expected.json` beside this script.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from reliability.bad_corpus import write_large, write_small

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=Path, help="also write the large files into this folder")
    args = parser.parse_args()
    small = write_small(HERE)
    print(f"wrote {len(small)} small files into {HERE}")
    if args.large:
        large = write_large(args.large)
        print(f"wrote {len(large)} large files into {args.large}")


if __name__ == "__main__":
    main()
