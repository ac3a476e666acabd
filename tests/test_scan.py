"""Every `Scanner` in the loaders finds exactly what its pattern's own `finditer` finds."""

from __future__ import annotations

import importlib
import random
from pathlib import Path

import pytest

from loaders.scan import Scanner

REPO = Path(__file__).resolve().parent.parent
MODULES = ["loaders.cleanup", "loaders.regions", "loaders.quantities.extract", "loaders.quantities.cues",
           "loaders.agencies", "loaders.obligations"]
ALPHABET = ("0123456789IlLOo一二两三四五六七八九十百千万亿半减费达成分之居位排名第到至于在截年底前内:：比%％ 　\t\n，。、"
            "元家户个件人项次省市区县总局XＸ×.…·")


def _texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "examples").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((REPO / "tests" / "fixtures").rglob("*.txt"))]
    texts.append("开办时间压缩至半个工作日，半天办结；费用减半收取，备案率达到百分之百，提高到七成以上，"
                 "综合排名位列全省第3，居全国前列。到2025年底前完成。\n一、总体要求......3\n二、主要任务…………5\n")
    rnd = random.Random(1)
    texts += ["".join(rnd.choice(ALPHABET) for _ in range(1500)) for _ in range(150)]
    return texts


SCANNERS = [(f"{name}.{attr}", value) for name in MODULES
            for attr, value in vars(importlib.import_module(name)).items() if isinstance(value, Scanner)]


def test_the_loaders_use_scanners():
    assert len(SCANNERS) >= 10


@pytest.mark.parametrize("scanner", [s for _, s in SCANNERS], ids=[n for n, _ in SCANNERS])
def test_scanner_matches_are_the_patterns_matches(scanner):
    found = 0
    for text in _texts():
        expected = [(m.span(), m.groups()) for m in scanner.pattern.finditer(text)]
        assert [(m.span(), m.groups()) for m in scanner.finditer(text)] == expected
        found += len(expected)
    assert found, "no text exercised this pattern"


def test_an_empty_match_is_refused():
    with pytest.raises(ValueError):
        list(Scanner(r"a*", "[a-z]").finditer("xyz"))
