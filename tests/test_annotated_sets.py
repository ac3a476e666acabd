"""The checks every annotated set is held to, run over one table of the sets.

Each set is a folder under tests/fixtures/ of documents written in our own words, with gold/<doc>.jsonl
(quantified statements by ../shared/gold/GUIDELINES.md) and expected/<doc>.json (metadata a reader should
find). Every set must be complete, its gold must quote its text, the scorer must keep it at its floors, the
reader must find its metadata and outline, and its genres must stay fast. What each set holds and the unit
tests of the rules it led to sit in its own module (test_blind.py, test_blind2.py, test_blind3.py,
test_holdout.py, test_unseen_genres.py); the figures it reached sit beside its row below.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import time
from collections.abc import Mapping, Set
from pathlib import Path
from typing import Literal

import pytest

from annotated_sets import FIXTURES, documents, expected, score
from loaders.model import Document
from loaders.pipeline import read_bytes, read_document
from loaders.quantities import extract_statements


@dataclasses.dataclass(frozen=True)
class Floors:
    """The lowest scores the scorer may give; `indicator` None where the similarity is not held to one."""

    f1: float
    exact: float
    field: float  # each scored field but the indicator similarity
    indicator: float | None = None


@dataclasses.dataclass(frozen=True)
class AnnotatedSet:
    """One set: its size, its floors, and the metadata the reader is known to read otherwise (judgement calls)."""

    folder: str  # below tests/fixtures
    documents: int  # texts with gold/ and expected/
    statements: int  # gold statements, all of them
    floors: Floors  # over the whole set
    document_f1: float | None = None  # each document's own F1…
    document_exact: float | None = None  # …and exact share
    expected_form: Literal["exact", "accepted"] = "exact"  # accepted: expected/ lists accepted values and substrings
    # documents whose expected doc type, period or issuer the reader reads otherwise: not checked there
    doc_type_misses: Set[str] = frozenset()
    period_misses: Set[str] = frozenset()
    issuer_misses: Set[str] = frozenset()
    country_names: tuple[str, ...] = ()  # names a country-level region may take (else: ends with the expected one)
    issuer_full_names: Mapping[str, str] = dataclasses.field(default_factory=dict)  # expected name → the reader's
    notice_titles: Set[str] = frozenset()  # titled by a transmittal notice that holds the expected title

    @property
    def path(self) -> Path:
        return FIXTURES / self.folder

    def names(self) -> list[str]:
        return documents(self.path)


COUNTRY = ("全国", "中华人民共和国")  # the reader names the country 中华人民共和国 where annotators wrote 全国

SETS = [
    # First run (before any fix): F1 0.949, exact 0.489. Floors at what the fixes reached.
    AnnotatedSet(
        "blind", documents=8, statements=107,
        floors=Floors(f1=0.99, exact=0.85, field=0.88, indicator=0.82),
        # a 专项整治工作方案 with no year in its title is read as policy_measures (expected annual_work_plan),
        # and so its period [2023, 2023] is not read either
        doc_type_misses={"yining_elevator_plan.txt"}, period_misses={"yining_elevator_plan.txt"},
    ),
    # First run (before any fix) of the first seven: F1 0.987, exact 0.747, indicator 0.856. The last two
    # (liaoning_fyp_indicator_table, sanya_work_points) were written after those fixes and first run then:
    # F1 0.882 and 0.957, exact 0.882 and 0.833. Floors at what the fixes reached for all nine
    # (F1 1.000, exact 0.991, indicator 0.915), less a little room.
    AnnotatedSet(
        "blind2", documents=9, statements=108,
        floors=Floors(f1=0.99, exact=0.95, field=0.97, indicator=0.88),
        # the reader names the country 中华人民共和国 (expected 全国) and expands 市场监管总局 to its full name;
        # an article or a Q&A whose title names no period gets none (expected the plan period they discuss)
        country_names=COUNTRY,
        issuer_full_names={"市场监管总局": "国家市场监督管理总局"},
        period_misses={"hainan_director_article.txt", "samr_qa_product_quality.txt"},
    ),
    # First run (before any fix): F1 0.909, exact 0.568, year 0.800, kind 0.914, area 0.929, indicator 0.861.
    # After the fixes: F1 0.988, exact 0.877, year 0.938, kind 0.988, area 0.950, indicator 0.879.
    # Floors at that, less a little room.
    AnnotatedSet(
        "blind3", documents=6, statements=81,
        floors=Floors(f1=0.97, exact=0.85, field=0.92, indicator=0.85),
        # a news agency's report: the reader names the agency as issuer (expected: the bureau it reports on)
        issuer_misses={"taiyuan_halfyear_press.txt"},
    ),
    # First run (before any fix): F1 0.914 (P 0.966, R 0.868), exact 0.388, year 0.562, kind 0.795.
    # Reached after the fixes: F1 1.000, every field ≥ 0.992, exact 0.992, indicator similarity 0.853.
    AnnotatedSet(
        "holdout", documents=6, statements=129,
        floors=Floors(f1=0.99, exact=0.97, field=0.98, indicator=0.86), document_f1=0.95,
        country_names=COUNTRY,
        notice_titles={"guizhou_provincial_plan.txt", "national_task_division.txt"},
    ),
    # Written after the holdout's first fixes. First run: F1 0.936 (R 0.880: the space-aligned table was
    # missed), exact 0.740. After its fixes: F1 1.000, exact 0.920 (the rest are judgement calls).
    AnnotatedSet(
        "holdout/second", documents=3, statements=50,
        floors=Floors(f1=0.99, exact=0.90, field=0.93),
    ),
    # Written after the holdout's second round of fixes. First run: F1 0.980, exact 0.846.
    # After its fixes: F1 1.000, exact 0.962.
    AnnotatedSet(
        "holdout/third", documents=2, statements=26,
        floors=Floors(f1=0.99, exact=0.90, field=0.93),
        country_names=COUNTRY,
    ),
    # Reached on 2026-11-22: F1 1.000, exact 0.990, indicator similarity 0.946 (96 of 96 found).
    # Raise the floors as it improves.
    AnnotatedSet(
        "unseen", documents=7, statements=96,
        floors=Floors(f1=0.99, exact=0.98, field=0.98, indicator=0.93), document_f1=0.95, document_exact=0.9,
        expected_form="accepted",
    ),
]
SET_IDS = [s.folder for s in SETS]
DOCUMENTS = [(s, name) for s in SETS for name in s.names()]
SCORED_DOCUMENTS = [(s, name) for s, name in DOCUMENTS if s.document_f1 is not None]


def _ids(pairs: list[tuple[AnnotatedSet, str]]) -> list[str]:
    return [f"{s.folder}/{name}" for s, name in pairs]


@functools.cache
def _scores(folder: str) -> dict:
    """The scorer's result for a set, computed once for all the tests that read it."""
    return score(FIXTURES / folder)


def _read(aset: AnnotatedSet, name: str) -> Document:
    return read_document(aset.path / name, extract=False)


def _gold(aset: AnnotatedSet, name: str) -> list[dict]:
    lines = (aset.path / "gold" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


# --- the set as a whole -------------------------------------------------------------------------

@pytest.mark.parametrize("aset", SETS, ids=SET_IDS)
def test_every_document_has_its_text_gold_and_expected_metadata(aset):
    names = aset.names()
    assert len(names) == aset.documents
    for name in names:
        assert (aset.path / name).is_file(), name
        assert (aset.path / "gold" / f"{name}.jsonl").is_file(), name


@pytest.mark.parametrize("aset", SETS, ids=SET_IDS)
def test_gold_quotes_are_in_the_decoded_text(aset):
    for name in aset.names():
        text = _read(aset, name).text
        for gold in _gold(aset, name):
            assert gold["quote"] in text, (name, gold["quote"])
            assert gold["number_text"] in gold["quote"], (name, gold["quote"])


@pytest.mark.parametrize("aset", SETS, ids=SET_IDS)
def test_quantities_stay_above_the_floor(aset):
    overall, floors = _scores(aset.folder)["overall"], aset.floors
    assert overall["gold"] == aset.statements, overall
    assert overall["f1"] >= floors.f1, overall
    assert overall["exact_share"] >= floors.exact, overall
    fields = overall["fields"]
    if floors.indicator is not None:
        assert fields["indicator_sim"] >= floors.indicator, fields
    for name, share in fields.items():
        if name != "indicator_sim":
            assert share >= floors.field, (name, fields)


@pytest.mark.parametrize("aset", SETS, ids=SET_IDS)
def test_sixty_kilobytes_of_these_genres_stay_fast(aset):
    prose = "坚持依法监管，强化部门协同，完善工作机制，推动市场监管工作高质量发展。" * 6 + "\n"
    unit = "".join((aset.path / name).read_text(encoding="utf-8") + prose for name in aset.names())
    text = unit * (60_000 // len(unit.encode("utf-8")) + 1)
    assert len(text.encode("utf-8")) >= 60_000
    doc = read_bytes(text.encode("utf-8"), "big.txt", extract=False)
    extract_statements(doc)  # patterns compiled
    timings = []
    for _ in range(3):  # CPU time, best of three
        started = time.process_time()
        extract_statements(doc)
        timings.append(time.process_time() - started)
    assert min(timings) < 0.2


# --- each document ------------------------------------------------------------------------------

@pytest.mark.parametrize("aset,name", SCORED_DOCUMENTS, ids=_ids(SCORED_DOCUMENTS))
def test_every_document_is_read_well(aset, name):
    scores = _scores(aset.folder)["documents"][name]
    assert scores["f1"] >= aset.document_f1, scores
    if aset.document_exact is not None:
        assert scores["exact_share"] >= aset.document_exact, scores


@pytest.mark.parametrize("aset,name", DOCUMENTS, ids=_ids(DOCUMENTS))
def test_metadata(aset, name):
    doc, want = _read(aset, name), expected(aset.path, name)
    if aset.expected_form == "accepted":
        _assert_accepted_metadata(doc, want)
    else:
        _assert_exact_metadata(aset, name, doc, want)


@pytest.mark.parametrize("aset,name", DOCUMENTS, ids=_ids(DOCUMENTS))
def test_outline_keeps_the_numbered_headings(aset, name):
    doc, want = _read(aset, name), expected(aset.path, name)
    for top in doc.sections:
        for section in top.walk():
            assert 0 <= section.start < section.end <= len(doc.text)
            assert section.title in doc.text[section.start:section.end]
    if aset.expected_form == "accepted":  # the listed headings, numbered, are among all of them
        headings = [s.number + s.title for top in doc.sections for s in top.walk()]
        for heading in want["outline"]:
            assert heading in headings, (heading, headings)
    else:
        assert [s.title for s in doc.sections] == want["top_sections"]


def _assert_exact_metadata(aset: AnnotatedSet, name: str, doc: Document, want: dict) -> None:
    """The expected values, but for the set's known misses; regions keep their full name (宣城市旌德县)."""
    if name not in aset.doc_type_misses:
        assert doc.doc_type == want["doc_type"]
    assert doc.region is not None and doc.region.level == want["region_level"]
    if want["region_level"] == "country" and aset.country_names:
        assert doc.region.name in aset.country_names
    else:
        assert doc.region.name.endswith(want["region"])
    issuer = want["issuer"]
    if issuer is not None and name not in aset.issuer_misses:  # null: the annotator named no issuer
        assert doc.issuer and (doc.issuer.endswith(issuer) or doc.issuer == aset.issuer_full_names.get(issuer))
    if name in aset.notice_titles:  # 关于印发《…》的通知 is titled by the notice, which holds the plan's name
        assert _unquoted(want["title"]) in _unquoted(doc.title or "")
    else:
        assert doc.title == want["title"]
    assert doc.doc_number == want["doc_number"]
    assert doc.date == want["date"]
    if name not in aset.period_misses:
        assert ([doc.period.start, doc.period.end] if doc.period else None) == want["period"]


def _assert_accepted_metadata(doc: Document, want: dict) -> None:
    """Values among those accepted, titles and issuers holding the expected words."""
    assert doc.doc_type in want["doc_type"], doc.doc_type
    assert want["title_contains"] in (doc.title or ""), doc.title
    assert want["issuer_contains"] in (doc.issuer or ""), doc.issuer
    assert doc.date == want["date"]
    assert doc.doc_number == want["doc_number"]
    assert doc.region is not None
    assert doc.region.name in want["region_name"], doc.region
    assert doc.region.level == want["region_level"], doc.region
    assert doc.region.adcode in want["region_adcode"], doc.region


def _unquoted(title: str) -> str:
    return re.sub(r"[《》]", "", title)
