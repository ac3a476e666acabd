"""Scale the real plan documents into a corpus of N plans for benchmarks.

Reads the documents at run time (../shared/seeds and ../shared/samples beside the checkout,
else examples/) and writes N variants into OUT_DIR: each moved to another county-level region
(from cpca's table of China's ~3,500 administrative divisions), shifted by a few years, and with
its quantities perturbed, so no two files are alike and nothing is deduplicated. Nothing
from the source documents is kept in the repository.

    python scripts/make_corpus.py /tmp/mskg-corpus-1000 --plans 1000
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SOURCES = [REPO.parent / "shared" / "seeds", REPO.parent / "shared" / "samples"]
FALLBACK_SOURCES = [REPO / "examples"]
SUFFIXES = {".txt", ".text", ".md", ".html", ".htm"}

YEAR = re.compile(r"(?<!\d)(20[0-3]\d)(?=年|—|-|－|～|~|至)")
QUANTITY = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?=\s*(?:%|％|‰|万|亿|个|家|件|批|项|台|人|元|次|户|天|小时|公里|吨|所|座))")


@dataclass(frozen=True)
class Region:
    adcode: str
    name: str
    city: str
    province: str


def load_regions() -> list[Region]:
    """County-level regions with their city and province names, from cpca's bundled table."""
    import cpca

    table = Path(cpca.__file__).parent / "resources" / "adcodes.csv"
    with table.open(encoding="utf-8") as handle:
        names = {row["adcode"]: row["name"] for row in csv.DictReader(handle)}
    regions = []
    for code, name in sorted(names.items()):
        if code[4:6] == "00" or code[6:] != "000000" or name in ("市辖区", "县", "省直辖县级行政区划"):
            continue
        province = names.get(code[:2] + "0" * 10, "")
        city = names.get(code[:4] + "0" * 8, province)
        regions.append(Region(code[:6], name, city, province))
    return regions


def region_names(regions: list[Region]) -> dict[str, str]:
    """Every known region name → its level (county, city, province)."""
    levels = {}
    for region in regions:
        levels.setdefault(region.province, "province")
        levels.setdefault(region.city, "city")
        levels.setdefault(region.name, "county")
    levels.pop("", None)
    return levels


def named_regions(text: str, levels: dict[str, str], head: int = 600) -> list[tuple[str, str]]:
    """Region names in the document's opening lines (where title and issuer sit), longest first."""
    opening = text[:head]
    found = sorted((name for name in levels if len(name) >= 2 and name in opening), key=len, reverse=True)
    kept = [n for i, n in enumerate(found) if not any(n in longer for longer in found[:i])]
    return [(name, levels[name]) for name in kept]


def vary(text: str, target: Region, names: list[tuple[str, str]], year_shift: int, rng: random.Random) -> str:
    """Move the document to `target`, shift its years, perturb its quantities by ±20 %."""
    replacement = {"county": target.name, "city": target.city, "province": target.province}
    for name, level in names:
        text = text.replace(name, replacement[level])
    text = YEAR.sub(lambda m: str(int(m.group(1)) + year_shift), text)

    def perturb(match: re.Match) -> str:
        number = match.group(1)
        decimals = len(number.split(".")[1]) if "." in number else 0
        value = float(number) * rng.uniform(0.8, 1.2)
        return f"{value:.{decimals}f}" if decimals else str(max(1, round(value)))

    return QUANTITY.sub(perturb, text)


def read_sources(sources: list[Path]) -> list[tuple[str, str]]:
    """(stem, text) of every readable document in the source folders."""
    from loaders.decode import decode_file
    from loaders.model import DocumentError

    documents = []
    for folder in sources:
        for path in sorted(p for p in folder.glob("*") if p.suffix.lower() in SUFFIXES):
            try:
                documents.append((path.stem[:24], decode_file(path).text))
            except DocumentError as exc:
                print(f"skipped: {exc}", file=sys.stderr)
    return documents


def make_corpus(out_dir: Path, plans: int, sources: list[Path], seed: int = 7) -> list[Path]:
    """Write `plans` varied documents into `out_dir`; returns their paths."""
    documents = read_sources(sources)
    if not documents:
        raise SystemExit(f"error: no documents in {', '.join(map(str, sources))}")
    regions = load_regions()
    levels = region_names(regions)
    found = [named_regions(text, levels) for _, text in documents]
    rng = random.Random(seed)
    order = list(range(len(regions)))
    rng.shuffle(order)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for i in range(plans):
        base = i % len(documents)
        stem, text = documents[base]
        region = regions[order[(i // len(documents)) % len(regions)]]
        year_shift = (i // (len(documents) * len(regions))) * 5 - rng.choice((0, 1, 2, 3, 5))
        variant = vary(text, region, found[base], year_shift, random.Random(seed * 1_000_003 + i))
        path = out_dir / f"{i:05d}_{region.adcode}_{stem}.txt"
        path.write_text(variant, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="where to write the corpus (e.g. /tmp/mskg-corpus)")
    parser.add_argument("--plans", type=int, default=1000, help="number of documents (default 1000)")
    parser.add_argument("--source", type=Path, action="append", help="folder of source documents (repeatable)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    sources = args.source or [p for p in DEFAULT_SOURCES if p.is_dir()] or FALLBACK_SOURCES
    written = make_corpus(args.out_dir, args.plans, sources, args.seed)
    size = sum(p.stat().st_size for p in written)
    print(f"wrote {len(written)} plans, {size / 1e6:.1f} MB, to {args.out_dir} (from {', '.join(map(str, sources))})")


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    main()
