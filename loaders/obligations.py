"""Obligations stage: ODRL-style duties read off sentences with directive verbs.

A plan sentence like 督促特种设备使用单位落实安全主体责任 says who must do what: the bearer
(the issuing agency unless the text puts the duty on a named agency or regulated party),
the directive verb (an ODRL action from ontology/concepts/actions.ttl), its object, the
modality the verb implies, the policy area, the deadline and the quantified statements
of the same sentence.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from loaders.agencies import AGENCY_TYPES, find_agencies, infer_region, agency_prefix
from loaders.concepts import find_mentions, load_vocabulary, sentence_spans, top_area
from loaders.model import Document, Mention, Obligation
from loaders.scan import Scanner
from loaders.to_rdf.vocab import slug

# action id → modality it implies (ids are those of ontology/concepts/actions.ttl)
MODALITY = {
    "prohibit": "prohibition",
    "encourage": "encouragement",
    "support": "encouragement",
    "strive": "goal",
    "ensure": "goal",
}
URGING = {"urge", "encourage", "support"}  # verbs that can hand the duty to the party they name
_GOAL_VERBS = re.compile(r"(达到|达|不低于|不少于|不高于|以上|以下|以内|保持在?|控制在|提高到|提升至|实现|超过)")
_LEADING_JUNK = re.compile(r"^[\s　]*(?:[（(]?[一二三四五六七八九十百零\d]+[)）、.．:：]\s*|第[一二三四五六七八九十百]+[章节条部分篇]\s*|[①-⑳]\s*)*")
_TOC_LINE = Scanner(r"(\.{4,}|…{2,}|·{4,})\s*\d*\s*$", "[.…·]")  # tried only at its dots


@lru_cache(maxsize=1)
def verb_table() -> dict[str, str]:
    """Directive verb as written → action id, from the action vocabulary."""
    table = {}
    for concept in load_vocabulary().values():
        if "action" not in concept.schemes:
            continue
        for label in concept.labels_zh():
            if len(label) >= 2:
                table[label] = concept.id
    return table


@lru_cache(maxsize=1)
def _verb_re() -> re.Pattern:
    return re.compile("|".join(sorted((re.escape(v) for v in verb_table()), key=len, reverse=True)))


_YEAR_DEADLINE = Scanner(r"(?:到|至|于|在|截至)?(20\d\d)\s*年(?:底|末|前|年底前|以前|之前|内|上半年|下半年)?",
                         "[到至于在截2]")  # tried only where a match can start (loaders.scan)
_THIS_YEAR = re.compile(r"(年内|年底前|年底|今年|本年度|全年)")
_PLAN_END = re.compile(r"(十四五|“十四五”|规划期)(末|期间|时期|期末)")


PLAN_TYPES = ("annual_work_plan", "five_year_plan")
_PAST = re.compile(r"(十三五|已经|已|以来|期间,|截至|截止|取得|成效)")


def _doc_year(doc: Document) -> int | None:
    if doc.period is not None and doc.period.start == doc.period.end:
        return doc.period.start
    if doc.date and doc.date[:4].isdigit():
        return int(doc.date[:4])
    match = re.search(r"(20\d\d)\s*年", doc.title or "")
    return int(match.group(1)) if match else None


def read_deadline(sentence: str, doc: Document) -> int | None:
    """The year a duty falls due: 到2025年, 2023年底前, 年内 (the plan's year), “十四五”末 (its end)."""
    years = [int(m.group(1)) for m in _YEAR_DEADLINE.finditer(sentence) if "到" in m.group(0) or "前" in m.group(0) or "底" in m.group(0) or "末" in m.group(0) or "内" in m.group(0)]
    if years:
        return max(years)
    if _PLAN_END.search(sentence):
        return doc.period.end if doc.period is not None else 2025
    if _THIS_YEAR.search(sentence) and doc.doc_type in ("annual_work_plan", "policy_measures", "other"):
        return _doc_year(doc)
    if doc.doc_type in PLAN_TYPES and doc.period is not None and not _PAST.search(sentence):
        return doc.period.end  # a plan's tasks fall due when the plan ends
    return None


def _default_bearer(doc: Document, agency_ids: dict[str, str]) -> str | None:
    """The issuing agency; for a press article or a plan without issuer, the local market regulator."""
    issuer = (doc.issuer or "").strip()
    if issuer and re.fullmatch(r"[\u4e00-\u9fffA-Z（）()]{3,40}", issuer) and any(t in issuer for t in AGENCY_TYPES if len(t) > 1):
        return slug(issuer)
    region = infer_region(doc)
    if region is not None and region.level != "country" and region.name not in ("全国", "中国"):
        return slug(agency_prefix(region) + "市场监督管理局")
    return None


def _area_of(mentions: list[Mention]) -> str | None:
    return _area_of_concepts(tuple(mention.concept for mention in mentions))


@lru_cache(maxsize=8192)
def _area_of_concepts(concepts: tuple[str, ...]) -> str | None:
    """The policy area of the first concept that has one. Cached: sentences repeat the same few concepts."""
    vocabulary = load_vocabulary()
    for concept in concepts:
        area = top_area(concept, vocabulary)
        if area:
            return area
    for concept in concepts:  # a regulated party points at its area through skos:related
        for related in vocabulary[concept].related:
            area = top_area(related, vocabulary)
            if area:
                return area
    return None


@lru_cache(maxsize=4096)
def _title_area(title: str) -> str | None:
    """The policy area a section heading names. Cached: every duty without an area of its own asks."""
    return _area_of(find_mentions(title))


_MODAL = re.compile(r"(应当|必须|一律不得|不得|严禁|禁止|须)")
_AGENCY_LEADS = re.compile(r"(牵头|负责|会同|联合|要|将)")  # 省知识产权局牵头建立…
_PROHIBIT_START = re.compile(r"(严禁|禁止|一律不得|不得)")
_CLAUSE_BREAK = re.compile(r"[，,；;]")
# a cited document's title (《…》, 关于…的通知): its verbs are not duties of this text
_CITED_TITLE = re.compile(r"《[^》]{1,80}》|关于[^。；;]{2,80}?的(?:通知|意见|方案|办法|决定|公告|通告|函|批复)")
_TITLE_LINE = re.compile(r"^关于.{2,60}的(通知|意见|方案|办法|决定|公告|通告|函|批复|报告)$")
_ADDRESSEE = re.compile(r"^[^，。；]{2,60}[：:]$")
_NOT_SUBJECT_BEFORE = ("对", "向", "为", "与", "对于", "针对", "帮助", "指导")
_DONE_BEFORE = re.compile(r"(已|得到|已经|均已)$")  # 得到强化, 已建立
_CLAUSE_END = re.compile(r"[，,；;。：:！!？?]")


def _opens_own_duty(text: str, c_start: int, parties: list[Mention], agencies: list) -> bool:
    """Does a party + modal (维保单位应当…) or an agency + modal or lead verb (…局牵头…) open the clause at `c_start`?"""
    for party in parties:
        if party.start == c_start and (_MODAL.match(text, party.end) or _MODAL.match(text, party.end + 1)):
            return True
    for agency in agencies:
        if agency.start == c_start and (_MODAL.match(text, agency.end) or _AGENCY_LEADS.match(text, agency.end)):
            return True
    return False


def duty_units(text: str, s_start: int, s_end: int, parties: list[Mention], agencies: list) -> list[tuple[int, int]]:
    """The sentence cut where a later clause hands a duty to someone else (…，维保单位应当…；严禁…).

    A clause that opens with a regulated party or an agency followed by a modal (应当, 不得,
    必须) or that opens with a prohibition (严禁, 禁止) is a duty of its own."""
    cuts = [s_start]
    for brk in _CLAUSE_BREAK.finditer(text, s_start, s_end):
        c_start = brk.end()
        while c_start < s_end and text[c_start].isspace():
            c_start += 1
        if _PROHIBIT_START.match(text, c_start) or _opens_own_duty(text, c_start, parties, agencies):
            cuts.append(c_start)
    bounds = cuts[1:] + [s_end]
    units = []
    for a, b in zip(cuts, bounds):
        while b > a and b != s_end and text[b - 1] in "，,；; ":
            b -= 1  # a cut clause ends before its comma; the sentence keeps its own end
        if b > a:
            units.append((a, b))
    return units


def _first_verb(sentence: str, lead: int, verb_re: re.Pattern, skip: list[tuple[int, int]]):
    """The first directive verb that is a verb here: not 最严格的 (an adjective) nor inside an agency name."""
    for verb in verb_re.finditer(sentence, lead):
        if any(a <= verb.start() < b for a, b in skip):
            continue
        if sentence[max(0, verb.start() - 1):verb.start()] in ("最", "更") or sentence[verb.end():verb.end() + 1] == "的":
            continue
        return verb
    return None


class _ByStart:
    """Spans (agencies, mentions) sorted by start and sliced by bisection.

    Why: each sentence needs only the spans inside it; scanning every span of the
    document for every sentence made the stage quadratic in the document's length."""

    def __init__(self, items: list):
        self.items = sorted(items, key=lambda item: item.start)
        self.starts = [item.start for item in self.items]

    def starting_in(self, lo: int, hi: int) -> list:
        """The items with lo <= start < hi, in order of start."""
        return self.items[bisect.bisect_left(self.starts, lo):bisect.bisect_left(self.starts, hi)]


class _Targets:
    """Indices of the target statements whose span overlaps a query span, found by bisection."""

    def __init__(self, statements: list):
        self.spans = sorted((st.start, st.end, i) for i, st in enumerate(statements) if st.kind == "target")
        self.starts = [start for start, _end, _i in self.spans]
        self.longest = max((end - start for start, end, _i in self.spans), default=0)

    def overlapping(self, start: int, end: int) -> list[int]:
        # a span ending after `start` starts after start - longest
        lo = bisect.bisect_left(self.starts, start - self.longest)
        hi = bisect.bisect_left(self.starts, end)
        return sorted(i for s, e, i in self.spans[lo:hi] if s < end and start < e)


def extract_obligations(doc: Document) -> list[Obligation]:
    """Pipeline component: one duty per sentence that carries a directive verb (or a quantified goal)."""
    text = doc.text
    mentions = doc.mentions or find_mentions(text)
    agencies = find_agencies(doc)
    agency_ids = {slug(a.name): a.name for a in agencies}
    default_bearer = _default_bearer(doc, agency_ids)
    verbs = verb_table()
    verb_re = _verb_re()
    obligations = []
    m_index = 0
    mentions = sorted(mentions, key=lambda m: m.start)
    mention_starts = [m.start for m in mentions]
    parties = [m for m in mentions if m.scheme == "regulated_party"]
    parties_by_start = _ByStart(parties)
    agencies_by_start = _ByStart(agencies)
    target_index = _Targets(doc.statements)
    sentences = sentence_spans(text)
    units = []
    for sent_start, sent_end in sentences:
        sentence = text[sent_start:sent_end].strip()
        if _TITLE_LINE.match(sentence) or _ADDRESSEE.match(sentence):
            continue  # 关于开展…的通知, 各区县市场监督管理局：
        near = parties_by_start.starting_in(sent_start, sent_end)
        # a clause may open at the sentence's very end, so agencies starting there count too
        units += duty_units(text, sent_start, sent_end, near, agencies_by_start.starting_in(sent_start, sent_end + 1))
    sentence_starts = [a for a, _b in sentences]
    party_ids = {p.concept for p in parties}
    previous: tuple[int, str | None] | None = None

    def sentence_of(offset: int) -> int:
        return bisect.bisect_right(sentence_starts, offset)

    for s_start, s_end in units:
        sentence = text[s_start:s_end]
        if len(sentence) < 6 or _TOC_LINE.search(sentence):
            continue
        lead = _LEADING_JUNK.match(sentence).end()
        targets = target_index.overlapping(s_start, s_end)
        in_names = [(a.start - s_start, a.end - s_start) for a in agencies_by_start.starting_in(s_start, s_end)]
        in_names += [m.span() for m in _CITED_TITLE.finditer(sentence)]
        verb = _first_verb(sentence, lead, verb_re, in_names)
        if verb is None and not (targets and _GOAL_VERBS.search(sentence)):
            continue
        while m_index < len(mentions) and mentions[m_index].end <= s_start:
            m_index += 1
        window_end = min(m_index + 200, bisect.bisect_left(mention_starts, s_end, m_index))  # later ones start after
        inside = [m for m in mentions[m_index:window_end] if m.start >= s_start and m.end <= s_end]
        if verb is not None:
            action_id = verbs[verb.group()]
            v_start, v_end = verb.start() + s_start, verb.end() + s_start
            action_text = verb.group()
        else:
            goal = _GOAL_VERBS.search(sentence)
            action_id, action_text = "strive", goal.group()
            v_start, v_end = goal.start() + s_start, goal.end() + s_start
        if verb is not None and _DONE_BEFORE.search(text[max(s_start, v_start - 2):v_start]):
            continue  # 得到强化, 已建立: a report of what was done, not a duty
        bearer = None
        # a named agency or regulated party before the verb bears the duty
        subject = [
            a for a in agencies_by_start.starting_in(s_start + lead, s_start + lead + 3)
            if 0 <= a.start - (s_start + lead) <= 2 and a.end <= v_start and v_start - a.end <= 10
        ]  # the sentence opens with the agency (由区市场监管局负责…), not 按照市场监管委的要求…
        parties_before = [
            m for m in inside if m.scheme == "regulated_party" and m.end <= v_start
            and not text[max(s_start, m.start - 2):m.start].endswith(_NOT_SUBJECT_BEFORE)
        ]  # 对学校食堂开展检查: the canteen is the object, not the bearer
        if subject:
            bearer = slug(subject[-1].name)
        elif parties_before and v_start - parties_before[-1].end <= 4:
            bearer = parties_before[-1].concept
        # 督促/引导/鼓励 + party + second verb: the duty is the party's
        if action_id in URGING:
            after = [m for m in inside if m.scheme == "regulated_party" and 0 <= m.start - v_end <= 6]
            if after:
                bearer = after[0].concept
                second = verb_re.search(text, after[0].end, s_end)
                if second is not None and second.start() - after[0].end <= 6 and action_id == "urge":
                    action_id, action_text = verbs[second.group()], second.group()
                    v_start, v_end = second.start(), second.end()
        if bearer is None and previous is not None and previous[0] == sentence_of(s_start) and previous[1] in party_ids \
                and _PROHIBIT_START.match(text, s_start):
            bearer = previous[1]  # 督促经营者执行明码标价规定，不得标价外加价: still the party's duty
        if bearer is None:
            bearer = default_bearer
        previous = (sentence_of(s_start), bearer)
        modality = MODALITY.get(action_id, "obligation")
        if modality == "obligation" and (targets and _GOAL_VERBS.search(sentence)):
            modality = "goal"
        clause_end = _CLAUSE_END.search(text, v_end, s_end)
        object_end = clause_end.start() if clause_end else s_end
        obj = text[v_end:min(object_end, v_end + 60)].strip(" 　“”\"'")
        if not obj and not targets:
            continue
        area = _area_of(inside)
        if area is None:
            section = doc.section_at(s_start)
            if section is not None:
                area = _title_area(section.title)
        obligations.append(Obligation(
            start=s_start, end=s_end, text=sentence, bearer=bearer, action=action_text, object=obj,
            modality=modality, area=area, deadline=read_deadline(sentence, doc), targets=targets,
            action_id=action_id,
        ))
    return obligations
