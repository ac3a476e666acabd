"""Concepts stage: load the SKOS vocabularies and find every mention of their concepts.

The vocabularies (ontology/concepts/*.ttl) are the single source of the terms: the
matcher here and topic search (kg/search.py) both read them, so adding an altLabel to
a .ttl file makes it findable in documents and in queries at once.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import ahocorasick
import pyoxigraph as ox

from loaders.model import Document, Mention

CONCEPTS_DIR = Path(__file__).resolve().parent.parent / "ontology" / "concepts"
CONCEPT_BASE = "https://w3id.org/mskg/id/concept/"
SCHEME_BASE = "https://w3id.org/mskg/id/scheme/"
ACTION_BASE = "https://w3id.org/mskg/id/action/"
SEARCH_SCHEMES = ("policy_area", "mandate", "regulated_party")

_SKOS = "http://www.w3.org/2004/02/skos/core#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass
class Concept:
    """One SKOS concept as the matcher and search need it."""

    id: str
    iri: str
    schemes: list[str] = field(default_factory=list)  # first = primary scheme
    types: list[str] = field(default_factory=list)  # local names of rdf:type, e.g. "PolicyArea"
    label_zh: str = ""
    label_en: str = ""
    alt_zh: list[str] = field(default_factory=list)
    alt_en: list[str] = field(default_factory=list)
    broader: list[str] = field(default_factory=list)
    narrower: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    definition_zh: str | None = None
    definition_en: str | None = None

    @property
    def scheme(self) -> str:
        return self.schemes[0] if self.schemes else ""

    def labels_zh(self) -> list[str]:
        return [self.label_zh, *self.alt_zh] if self.label_zh else list(self.alt_zh)

    def labels_en(self) -> list[str]:
        return [self.label_en, *self.alt_en] if self.label_en else list(self.alt_en)


_SCHEME_ORDER = {"policy_area": 0, "mandate": 1, "regulated_party": 2, "action": 3}


def parse_vocabulary(paths: list[Path]) -> dict[str, Concept]:
    """Concepts (and ODRL actions) of the given Turtle files, keyed by id."""
    concepts: dict[str, Concept] = {}

    def local(iri: str) -> tuple[str, str] | None:
        for base in (CONCEPT_BASE, ACTION_BASE):
            if iri.startswith(base):
                return base, iri[len(base):]
        return None

    for path in paths:
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            subject = quad.subject
            if not isinstance(subject, ox.NamedNode):
                continue
            found = local(subject.value)
            if found is None:
                continue
            cid = found[1]
            concept = concepts.setdefault(cid, Concept(id=cid, iri=subject.value))
            p = quad.predicate.value
            o = quad.object
            if p == _RDF_TYPE:
                concept.types.append(o.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1])
            elif p == _SKOS + "inScheme":
                concept.schemes.append(o.value[len(SCHEME_BASE):])
            elif p in (_SKOS + "prefLabel", _SKOS + "altLabel", _SKOS + "definition") and isinstance(o, ox.Literal):
                lang = (o.language or "").split("-")[0]
                if p.endswith("prefLabel"):
                    if lang == "zh":
                        concept.label_zh = o.value
                    elif lang == "en":
                        concept.label_en = o.value
                elif p.endswith("altLabel"):
                    (concept.alt_zh if lang == "zh" else concept.alt_en).append(o.value)
                elif lang == "zh":
                    concept.definition_zh = o.value
                else:
                    concept.definition_en = o.value
            elif p in (_SKOS + "broader", _SKOS + "narrower", _SKOS + "related"):
                target = local(o.value)
                if target is not None:
                    getattr(concept, p[len(_SKOS):]).append(target[1])
    # Make broader/narrower symmetric whatever the files state.
    for concept in concepts.values():
        for b in concept.broader:
            if b in concepts and concept.id not in concepts[b].narrower:
                concepts[b].narrower.append(concept.id)
        for n in concept.narrower:
            if n in concepts and concept.id not in concepts[n].broader:
                concepts[n].broader.append(concept.id)
        concept.schemes.sort(key=lambda s: _SCHEME_ORDER.get(s, 9))
    return concepts


@lru_cache(maxsize=1)
def load_vocabulary() -> dict[str, Concept]:
    """All concepts of ontology/concepts/*.ttl, parsed once per process."""
    return parse_vocabulary(sorted(CONCEPTS_DIR.glob("*.ttl")))


def search_concepts() -> dict[str, Concept]:
    """The concepts of the three searchable schemes (not the ODRL actions)."""
    return {cid: c for cid, c in load_vocabulary().items() if any(s in SEARCH_SCHEMES for s in c.schemes)}


def narrower_closure(ids: list[str] | set[str], vocabulary: dict[str, Concept] | None = None) -> set[str]:
    """The given concepts and every concept below them (skos:narrower, transitively)."""
    vocabulary = vocabulary if vocabulary is not None else load_vocabulary()
    seen: set[str] = set()
    todo = [i for i in ids if i in vocabulary]
    while todo:
        cid = todo.pop()
        if cid in seen:
            continue
        seen.add(cid)
        todo.extend(vocabulary[cid].narrower)
    return seen


def ancestors(cid: str, vocabulary: dict[str, Concept] | None = None) -> set[str]:
    vocabulary = vocabulary if vocabulary is not None else load_vocabulary()
    seen: set[str] = set()
    todo = list(vocabulary[cid].broader) if cid in vocabulary else []
    while todo:
        b = todo.pop()
        if b in seen or b not in vocabulary:
            continue
        seen.add(b)
        todo.extend(vocabulary[b].broader)
    return seen


def top_area(cid: str, vocabulary: dict[str, Concept] | None = None) -> str | None:
    """The top policy-area code a concept falls under (itself when it is one), else None."""
    vocabulary = vocabulary if vocabulary is not None else load_vocabulary()
    for candidate in [cid, *sorted(ancestors(cid, vocabulary))]:
        concept = vocabulary.get(candidate)
        if concept and "policy_area" in concept.schemes and not any(
            "policy_area" in vocabulary[b].schemes for b in concept.broader if b in vocabulary
        ):
            return candidate
    return None


# ---------------------------------------------------------------- text normalisation

_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20


_FULLWIDTH_RX = re.compile("[" + "".join(map(chr, sorted(_FULLWIDTH))) + "]")


def _halfwidth(text: str) -> str:
    """`text.translate(_FULLWIDTH)`, as one `str.replace` per full-width character the text holds:
    `translate` looks up every character of a Chinese text and was most of the stage's folding time."""
    for ch in set(_FULLWIDTH_RX.findall(text)):
        text = text.replace(ch, chr(_FULLWIDTH[ord(ch)]))
    return text


def fold(text: str) -> str:
    """Same-length normalisation (full-width ASCII → ASCII, lower case) so offsets stay valid."""
    folded = _halfwidth(text).lower()
    if len(folded) != len(text):  # some exotic lower() changes length: fall back char by char
        folded = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in _halfwidth(text))
    return folded


# ---------------------------------------------------------------- sentences

_SENTENCE_END = re.compile(r"[。！？；!?;\n]+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence: split at 。！？； and line breaks, outer blanks trimmed."""
    return list(_sentence_spans(text))


@lru_cache(maxsize=4)  # the mentions and the obligations stages both split the same text
def _sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    spans = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start() + (1 if text[match.start()] != "\n" else 0)
        spans.append((start, end))
        start = match.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return tuple(out)


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]


def _enclosing(spans: list[tuple[int, int]], ends: list[int], start: int, end: int) -> tuple[int, int] | None:
    """The first span that holds [start, end), by bisection over sorted spans (`ends`: their ends)."""
    lo = bisect.bisect_right(ends, start)
    if lo < len(spans) and spans[lo][0] <= start:
        s = spans[lo][0]
        e = spans[lo][1]
        j = lo
        while e < end and j + 1 < len(spans):  # a match across a sentence break: widen
            j += 1
            e = spans[j][1]
        return s, e
    return None


# ---------------------------------------------------------------- matcher


@dataclass
class Matcher:
    automaton: object
    english: object  # automaton over English labels, used on mostly-Latin documents
    vocabulary: dict[str, Concept]


def _automaton(pairs: list[tuple[str, str]]):
    automaton = ahocorasick.Automaton()
    table: dict[str, set[str]] = {}
    for label, cid in pairs:
        key = fold(label.strip())
        if len(key) < 2:
            continue
        table.setdefault(key, set()).add(cid)
    for key, ids in table.items():
        automaton.add_word(key, (key, tuple(sorted(ids))))
    if table:
        automaton.make_automaton()
    return automaton


@lru_cache(maxsize=1)
def matcher() -> Matcher:
    vocabulary = search_concepts()
    zh = [(label, c.id) for c in vocabulary.values() for label in c.labels_zh()]
    en = [(label, c.id) for c in vocabulary.values() for label in c.labels_en() if len(label) >= 3]
    return Matcher(_automaton(zh), _automaton(en), vocabulary)


def _hits(automaton, folded: str, word_bounded: bool) -> list[tuple[int, int, str]]:
    """(start, end, concept id) for each label occurrence."""
    found = []
    if len(automaton) == 0:
        return found
    for end_index, (key, ids) in automaton.iter(folded):
        start = end_index - len(key) + 1
        end = end_index + 1
        if word_bounded or key.isascii():
            before = folded[start - 1] if start > 0 else " "
            after = folded[end] if end < len(folded) else " "
            if (before.isascii() and before.isalnum()) or (after.isascii() and after.isalnum()):
                continue
        for cid in ids:
            found.append((start, end, cid))
    return found


def _drop_nested(hits: list[tuple[int, int, str]], vocabulary: dict[str, Concept]) -> list[tuple[int, int, str]]:
    """Keep a hit unless a longer hit covers it with the same concept or a narrower one."""
    hits = sorted(set(hits))
    starts = [h[0] for h in hits]
    longest = max((e - s for s, e, _ in hits), default=0)
    above: dict[str, set[str]] = {}  # ancestors of each concept, computed once per call
    kept = []
    reach = -1  # the furthest end of the hits sorted before this one
    for s, e, cid in hits:
        hi = bisect.bisect_right(starts, s)
        if reach < e and hits[hi - 1][1] <= e:
            kept.append((s, e, cid))  # no hit before it reaches its end, none longer starts with it: not covered
        else:
            for s2, e2, cid2 in hits[bisect.bisect_left(starts, s - longest):hi]:
                if e2 >= e and (e2 - s2) > (e - s) and (cid2 == cid or cid in _ancestors_of(cid2, above, vocabulary)):
                    break  # covered
            else:
                kept.append((s, e, cid))
        reach = max(reach, e)
    return kept


def _ancestors_of(cid: str, memo: dict[str, set[str]], vocabulary: dict[str, Concept]) -> set[str]:
    if cid not in memo:
        memo[cid] = ancestors(cid, vocabulary)
    return memo[cid]


# A doctrine written out without its name: (concept id, component patterns, how many must co-occur
# within one paragraph).
SPELLED_OUT: list[tuple[str, list[str], int]] = [
    ("four_strictest", [r"最严谨的?标准", r"最严格的?监管", r"最严厉的?处罚", r"最严肃的?问责"], 3),
    ("double_random_one_public", [r"随机抽取(检查|抽查)?对象", r"随机选派(执法)?检查人员", r"(抽查|检查)(情况|结果)[^。\n]{0,12}(公开|公示)"], 2),
    ("streamline_delegate_serve", [r"简政放权", r"放管结合", r"优化服务"], 3),
    ("three_enforcement_systems", [r"执法公示", r"执法全过程记录", r"重大执法决定法制审核"], 3),
    ("whoever_approves_supervises", [r"谁审批[、,，]?谁(监管|负责)", r"谁主管[、,，]?谁(监管|负责)"], 1),
]
_SPELLED = [(cid, [re.compile(p) for p in parts], need) for cid, parts, need in SPELLED_OUT]


def _spelled_out(text: str, vocabulary: dict[str, Concept]) -> list[tuple[int, int, str]]:
    found = []
    # A doctrine whose parts the whole text holds fewer than `need` of is in no paragraph
    # (the part patterns have no anchors): skip it without a pass over every paragraph.
    spelled = [(cid, patterns, need) for cid, patterns, need in _SPELLED
               if cid in vocabulary and sum(1 for pat in patterns if pat.search(text)) >= need]
    if not spelled:
        return found
    for p_start, p_end in paragraph_spans(text):
        paragraph = text[p_start:p_end]
        for cid, patterns, need in spelled:
            matches = [m for m in (pat.search(paragraph) for pat in patterns) if m]
            if len(matches) >= need:
                start = min(m.start() for m in matches) + p_start
                end = max(m.end() for m in matches) + p_start
                found.append((start, end, cid))
    return found


_HAN_RUN = re.compile("[\u4e00-\u9fff]+")


def _mostly_latin(text: str) -> bool:
    sample = text[:5000]
    han = sum(map(len, _HAN_RUN.findall(sample)))  # by runs: far fewer objects than one per character
    return han < 0.1 * max(1, len(sample.strip()))


def find_mentions(text: str) -> list[Mention]:
    """Every mention of a vocabulary concept in `text`, with its span and the sentence around it."""
    m = matcher()
    vocabulary = m.vocabulary
    folded = fold(text)
    hits = _hits(m.automaton, folded, word_bounded=False)
    if _mostly_latin(text):
        hits += _hits(m.english, folded, word_bounded=True)
    hits = _drop_nested(hits, vocabulary)
    named = {(s, e, c) for s, e, c in hits}
    for s, e, cid in _spelled_out(text, vocabulary):
        if not any(c == cid and s2 < e and s < e2 for s2, e2, c in named):
            hits.append((s, e, cid))
    sentences = sentence_spans(text)
    sentence_ends = [e for _s, e in sentences]
    mentions = []
    for s, e, cid in sorted(hits):
        sentence = _enclosing(sentences, sentence_ends, s, e) or (s, e)
        mentions.append(Mention(
            concept=cid, scheme=vocabulary[cid].scheme, start=s, end=e, text=text[s:e],
            sentence_start=sentence[0], sentence_end=sentence[1],
        ))
    return mentions


def extract_mentions(doc: Document) -> list[Mention]:
    """Pipeline component: the mentions of every concept in the document's text."""
    return find_mentions(doc.text)
