"""Topic search, topic counts and obligation listings over the store.

A query (Chinese or English term, synonym, or concept id) is resolved to concepts in
Python from the cached vocabulary. Each document carries one ms:ConceptUsage per concept
whose ms:topicScore already counts the mentions of narrower concepts (电梯 for 特种设备,
never the reverse), so ranking reads one number per plan in one SPARQL query; evidence
(the sentences of the usage's ms:evidence mentions, cut from the plan's ms:text by their
position selectors) is then read for the page only, in a few queries whose subjects are bound.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from fractions import Fraction
from functools import lru_cache

import ahocorasick

from kg.queries import iri_ref, iris_named, string_literal
from loaders.concepts import CONCEPT_BASE, Concept, ancestors, fold, load_vocabulary, search_concepts
from loaders.to_rdf.concepts import NARROWER_WEIGHT
from loaders.to_rdf.vocab import PREFIXES, document_named

SCORE_BASE = PREFIXES["msid"] + "score/"  # loaders.to_rdf.concepts.score_predicate

EVIDENCE_PER_PLAN = 3
MAX_VAGUE = 6

# English words that say little about the topic when a more specific word is present.
GENERIC_WORDS = {
    "safety", "supervision", "supervise", "regulation", "regulatory", "management", "market", "markets",
    "administration", "the", "of", "and", "in", "on", "for", "a", "an", "to", "with", "china", "chinese",
    "policy", "policies", "plan", "plans", "work", "system", "systems", "control", "oversight", "quality",
    "protection", "enforcement", "services", "service", "law", "rules", "by", "or", "at", "local",
}


def _stem(word: str) -> str:
    word = word.lower()
    for suffix in ("ies", "es", "s"):
        if len(word) > 4 and word.endswith(suffix):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def _words(text: str) -> list[str]:
    """Stemmed words; a hyphen joins nothing (live-stream = live stream, anti-monopoly = anti monopoly)."""
    return [_stem(w) for w in re.findall(r"[a-z0-9][a-z0-9+']*", text.lower())]


def _most_specific(ids: set[str], vocabulary) -> set[str]:
    """Drop a concept when a narrower one is also named: "cold chain food safety" is about cold-chain food."""
    above = set().union(*(ancestors(c, vocabulary) for c in ids)) if ids else set()
    return {c for c in ids if c not in above}


@lru_cache(maxsize=1)
def _index():
    """Label lookups built once: exact folded label → ids, a matcher over all labels, English word sets."""
    vocabulary = search_concepts()
    exact: dict[str, set[str]] = {}
    english: list[tuple[frozenset[str], str]] = []
    automaton = ahocorasick.Automaton()
    keys: dict[str, set[str]] = {}
    for concept in vocabulary.values():
        labels = concept.labels_zh() + concept.labels_en() + [concept.id, concept.id.replace("_", " ")]
        for label in labels:
            key = fold(label.strip())
            if not key:
                continue
            exact.setdefault(key, set()).add(concept.id)
            if len(key) >= 2:
                keys.setdefault(key, set()).add(concept.id)
        for label in concept.labels_en() + [concept.id.replace("_", " ")]:
            words = frozenset(_words(label))
            if words:
                english.append((words, concept.id))
    for key, ids in keys.items():
        automaton.add_word(key, (key, frozenset(ids)))
    automaton.make_automaton()
    return vocabulary, exact, automaton, english


def _is_latin(text: str) -> bool:
    return not re.search(r"[\u3400-\u9fff]", text)


def _english_concepts(query: str, english) -> set[str]:
    """Concepts named by an English query: labels whose words all occur in the query, or (for a
    short query) labels that contain every specific word of it; specific words beat generic ones."""
    words = set(_words(query))
    specific = words - GENERIC_WORDS
    if not words:
        return set()
    covered: dict[str, set[str]] = {}
    full: dict[str, bool] = {}
    for label_words, cid in english:
        if label_words <= words:
            hit, is_full = set(label_words), True
        elif specific and specific <= label_words:
            hit, is_full = set(words & label_words), False
        else:
            continue
        if len(hit) > len(covered.get(cid, ())) or (len(hit) == len(covered.get(cid, ())) and is_full):
            covered[cid], full[cid] = hit, is_full or full.get(cid, False)
    if not covered:
        return set()
    if any(covered[c] & specific for c in covered):
        covered = {c: w for c, w in covered.items() if w & specific}
    else:  # only generic words matched: keep the concepts that match most of them
        top = max(len(w) for w in covered.values())
        covered = {c: w for c, w in covered.items() if len(w) == top}

    def beaten(c: str) -> bool:
        return any(
            covered[c] < covered[o] or (covered[c] == covered[o] and full[o] and not full[c])
            for o in covered if o != c
        )

    return {c for c in covered if not beaten(c)}


def resolve_query(query: str) -> list[str]:
    """Concept ids a query names: exact label or id, else the longest labels inside it, else labels containing it."""
    vocabulary, exact, automaton, english = _index()
    key = fold(query.strip())
    if not key:
        return []
    if key in exact:
        return sorted(exact[key])
    found: set[str] = set()
    if _is_latin(key):
        found = _english_concepts(key, english)
        if found:
            return sorted(_most_specific(found, vocabulary))
    # longest non-overlapping labels inside the query
    hits = []
    for end, (label, ids) in automaton.iter(key):
        start = end - len(label) + 1
        if _is_latin(label):
            before = key[start - 1] if start > 0 else " "
            after = key[end + 1] if end + 1 < len(key) else " "
            if before.isalnum() or after.isalnum():
                continue
        hits.append((start, end + 1, ids))
    hits.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
    used: list[tuple[int, int]] = []
    for start, end, ids in hits:
        if any(start < e and s < end for s, e in used):
            continue
        used.append((start, end))
        found |= ids
    if found:
        return sorted(_most_specific(found, vocabulary))
    if len(key) >= 2 and not _is_latin(key):
        for label, ids in exact.items():
            if key in label:
                found |= ids
    if len(found) > MAX_VAGUE:
        # a fragment inside many labels (质量, 监管): the concepts whose preferred label holds it,
        # and of those the broadest
        named = {c for c in found if key in fold(vocabulary[c].label_zh) or key in fold(vocabulary[c].label_en)}
        tops = {c for c in named if not any(b in vocabulary for b in vocabulary[c].broader)}
        found = tops or named
        if len(found) > 2 * MAX_VAGUE:
            return []
    # a fragment (消费) names the broad topic; its narrower concepts are already in its score
    return sorted(c for c in found if not (ancestors(c, vocabulary) & found))


def concept_summary(concept: Concept) -> dict:
    return {
        "id": concept.id,
        "iri": concept.iri,
        "scheme": concept.scheme,
        "label": {"zh": concept.label_zh, "en": concept.label_en},
        "broader": list(concept.broader),
        "narrower": list(concept.narrower),
        **({"definition": {"zh": concept.definition_zh, "en": concept.definition_en}} if concept.definition_zh else {}),
    }


def _value(term) -> str | None:
    return None if term is None else term.value


_TOC = re.compile(r"(\.{4,}|…{2,}|·{4,})\s*\d*\s*$")
SNIPPET_CHARS = 160


def _snippet(item: dict) -> dict:
    """The evidence sentence, cut to a window around the first mention when it is long."""
    start, end, text = item["start"], item["end"], item["sentence"]
    if end - start > SNIPPET_CHARS:
        window_start = max(start, min(item["first"] - 40, end - SNIPPET_CHARS))
        window_end = min(end, window_start + SNIPPET_CHARS)
        text = text[window_start - start:window_end - start]
        start, end = window_start, window_end
    return {"text": text, "start": start, "end": end, "section": item["section"]}


USAGE = "/usage/"  # loaders.to_rdf.concepts.usage_triples: a usage is <document IRI>/usage/<concept id>

# The page's plans: text, title, source file and region, each an index lookup from the bound plan.
PAGE_PLANS = """
SELECT ?doc ?text ?title ?source ?region WHERE {{
  VALUES ?doc {{ {docs} }}
  ?doc ms:text ?text .
  OPTIONAL {{ ?doc eli:title ?title }}
  OPTIONAL {{ ?doc ms:sourceFile ?source }}
  OPTIONAL {{ ?doc ms:region ?region }}
}}"""

# The sentences of the ms:evidence mentions of the page's usages of the asked concepts: every subject
# is bound from the usage on, so this is a few dozen index lookups per plan of the page however many
# plans the store holds, and the mentions and sentences in between are never decoded to strings.
# The mentions' own offsets are left out: they only place the window of a long sentence (_firsts).
PAGE_EVIDENCE = """
SELECT ?u ?s ?e ?direct ?section WHERE {{
  VALUES ?u {{ {usages} }}
  ?u ms:evidence ?m .
  ?m oa:hasBody ?body ; oa:hasTarget ?t .
  ?t oa:hasSelector ?tp . ?tp oa:start ?s ; oa:end ?e .
  OPTIONAL {{ ?m ms:inSection ?sec . ?sec eli:title ?section }}
  BIND(?body IN ({concepts}) AS ?direct)
}}"""

# Where the evidence mentions of the sentences starting at `starts` begin.
MENTION_STARTS = """
SELECT ?u ?s ?first WHERE {{
  VALUES ?u {{ {usages} }}
  ?u ms:evidence ?m .
  ?m oa:hasTarget ?t ; ms:textSelector ?mp . ?mp oa:start ?first .
  ?t oa:hasSelector ?tp . ?tp oa:start ?s .
  FILTER(?s IN ({starts}))
}}"""


def _usages(plans: Iterable[str], asked: list[str]) -> str:
    return " ".join(iri_ref(f"{plan}{USAGE}{c}") for plan in plans for c in asked)


def _plan_of(usage: str) -> str:
    return usage.rsplit(USAGE, 1)[0]


def _texts(store, documents: list[str]) -> dict[str, str]:
    """Each document's ms:text, read once: spans are cut from it by their offsets
    (a span keeps one oa:TextPositionSelector, no quoted copy of its text)."""
    if not documents:
        return {}
    values = " ".join(iri_ref(d) for d in dict.fromkeys(documents))
    sparql = f"SELECT ?doc ?text WHERE {{ VALUES ?doc {{ {values} }} ?doc ms:text ?text }}"
    return {row["doc"].value: row["text"].value for row in store.query(sparql)}


def _plan_records(store, plans: list[str]) -> dict[str, dict]:
    """Text, title, source and region label of each plan of the page."""
    records: dict[str, dict] = {}
    for row in store.query(PAGE_PLANS.format(docs=" ".join(iri_ref(p) for p in plans))):
        record = records.setdefault(row["doc"].value, {"text": row["text"].value, "source": None, "title": None, "region": None})
        for key in ("source", "title", "region"):
            record[key] = record[key] or _value(row[key])
    labels = _labels(store, {r["region"] for r in records.values() if r["region"]})
    for record in records.values():
        record["region"] = labels.get(record["region"])
    return records


def _labels(store, nodes: set[str], lang: str | None = None) -> dict[str, str | None]:
    """Each node's skos:prefLabel. A region or an agency sits in the graph of every plan that names
    it, so each node gets its own LIMIT 1 subquery, which stops at the first copy instead of
    reading them all; their UNION is one query (half the time of one query per node)."""
    labels: dict[str, str | None] = dict.fromkeys(nodes)
    if not nodes:
        return labels
    condition = f"FILTER(LANG(?l) = {string_literal(lang)})" if lang else ""
    parts = " UNION ".join(
        f"{{ SELECT ?node ?l WHERE {{ BIND({iri_ref(n)} AS ?node) {iri_ref(n)} skos:prefLabel ?l {condition} }} LIMIT 1 }}"
        for n in sorted(nodes)
    )
    for row in store.query(f"SELECT ?node ?l WHERE {{ {parts} }}"):
        labels[row["node"].value] = row["l"].value
    return labels


def _page_evidence(store, plans: list[str], asked: list[str], texts: dict[str, str]) -> dict[str, dict[int, dict]]:
    """Evidence sentences by plan and start offset, cut from each plan's text."""
    evidence: dict[str, dict[int, dict]] = {plan: {} for plan in plans}
    concepts = ", ".join(iri_ref(CONCEPT_BASE + c) for c in asked)
    for row in store.query(PAGE_EVIDENCE.format(usages=_usages(plans, asked), concepts=concepts)):
        plan = _plan_of(row["u"].value)
        start, end = int(row["s"].value), int(row["e"].value)
        item = evidence[plan].setdefault(start, {
            "sentence": texts.get(plan, "")[start:end], "start": start, "end": end,
            "section": None, "direct": 0, "first": start,
        })
        item["direct"] = max(item["direct"], int(row["direct"].value == "true"))
        item["section"] = item["section"] or _value(row["section"])
    return evidence


def _firsts(store, asked: list[str], shown: dict[str, list[dict]]) -> None:
    """Set "first", where a sentence's first evidence mention starts, on the shown sentences too long
    to show whole (2 in 100 in the benchmark corpus): _snippet places their window by it."""
    long = {
        (plan, item["start"]): item
        for plan, items in shown.items() for item in items if item["end"] - item["start"] > SNIPPET_CHARS
    }
    if not long:
        return
    starts = ", ".join(str(start) for start in sorted({start for _plan, start in long}))
    firsts: dict[tuple[str, int], int] = {}
    for row in store.query(MENTION_STARTS.format(usages=_usages({p for p, _s in long}, asked), starts=starts)):
        key, first = (_plan_of(row["u"].value), int(row["s"].value)), int(row["first"].value)
        if key in long:
            firsts[key] = min(first, firsts.get(key, first))
    for key, item in long.items():
        item["first"] = firsts.get(key, item["start"])


def _ranked(store, asked: list[str], limit: int, offset: int) -> list[tuple[str, float]]:
    """One page of (plan, score): reads the asked concepts' score predicates and nothing else."""
    if len(asked) == 1:
        sparql = f"""SELECT ?doc ?score WHERE {{ ?doc {iri_ref(SCORE_BASE + asked[0])} ?score }}
            ORDER BY DESC(?score) LIMIT {limit} OFFSET {offset}"""
    else:
        values = " ".join(iri_ref(SCORE_BASE + c) for c in asked)
        sparql = f"""SELECT ?doc (SUM(?s) AS ?score) WHERE {{ VALUES ?p {{ {values} }} ?doc ?p ?s }}
            GROUP BY ?doc ORDER BY DESC(?score) LIMIT {limit} OFFSET {offset}"""
    return [(row["doc"].value, float(row["score"].value)) for row in store.query(sparql)]


def search(store, query: str, limit: int = 20, offset: int = 0) -> dict:
    """Plans about a topic, ranked by how much they say about it, each with the sentences as evidence.

    After the ranking, the page's plans and their evidence are read with their subjects bound."""
    limit = max(1, min(int(limit), 200))
    offset = max(0, int(offset))
    vocabulary = search_concepts()
    asked = resolve_query(query)
    answer = {
        "query": query,
        "concepts": [concept_summary(vocabulary[c]) for c in asked],
        "results": [],
    }
    ranked = _ranked(store, asked, limit, offset) if asked else []
    if not ranked:
        return answer
    plans = [plan for plan, _score in ranked]
    records = _plan_records(store, plans)
    evidence = _page_evidence(store, plans, asked, {p: r["text"] for p, r in records.items()})
    shown = {
        plan: sorted(
            evidence[plan].values(),
            key=lambda ev: (_TOC.search(ev["sentence"]) is not None, -ev["direct"], ev["start"]),
        )[:EVIDENCE_PER_PLAN]
        for plan in plans if plan in records
    }
    _firsts(store, asked, shown)
    for plan, score in ranked:
        if not shown.get(plan):
            continue  # never a plan without evidence
        record = records[plan]
        answer["results"].append({
            "plan": plan,
            "source": record["source"],
            "title": record["title"],
            "region": record["region"],
            "score": round(score, 3),
            "evidence": [_snippet(ev) for ev in sorted(shown[plan], key=lambda ev: ev["start"])],
        })
    return answer


def _score_totals(store, concept_id: str) -> tuple[int, Fraction]:
    """How many plans have a usage of the concept (it or a narrower one is mentioned), and their scores' sum."""
    row = next(iter(store.query(
        f"SELECT (COUNT(?score) AS ?plans) (SUM(?score) AS ?total) WHERE {{ ?plan {iri_ref(SCORE_BASE + concept_id)} ?score }}"
    )))
    return int(row["plans"].value), Fraction(row["total"].value) if row["total"] is not None else Fraction(0)


def _subject_count(store, concept_id: str) -> int:
    """(x, dct:subject, concept) triples: one per usage, one more per plan that mentions the concept itself."""
    row = next(iter(store.query(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ ?x <http://purl.org/dc/terms/subject> {iri_ref(CONCEPT_BASE + concept_id)} }}"
    )))
    return int(row["n"].value)


def _topic_counts(store, wanted: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Per concept: how many plans mention it itself, and how often, read from short index ranges.

    The mapping (loaders/to_rdf/concepts.py usage_triples) gives a plan one usage of concept c,
    with (plan, score/c, own + NARROWER_WEIGHT × mentions of concepts below c), whenever it
    mentions c or something below, and (plan, dct:subject, c) only when it mentions c itself.
    Hence, summed over plans:
      mentions(c) = Σ score(c) − NARROWER_WEIGHT × Σ mentions(x) over the x below c;
      plans(c)    = usages(c) when nothing is below c, else #(?, dct:subject, c) − usages(c).
    This is what counting every ms:ConceptUsage gives (checked on the 1,000- and 10,000-plan
    stores), but it reads one triple per usage and no join: under 1 s at 10,000 plans, not 12 s.
    """
    vocabulary = load_vocabulary()  # the mapping's, actions included, so "below" is the same
    below: dict[str, set[str]] = {}
    for cid in vocabulary:
        for ancestor in ancestors(cid, vocabulary):
            below.setdefault(ancestor, set()).add(cid)
    wanted = list(wanted)
    needed = set(wanted) | {x for c in wanted for x in below.get(c, ())}
    usages, totals = {}, {}
    for cid in needed:
        usages[cid], totals[cid] = _score_totals(store, cid)
    mentions: dict[str, Fraction] = {}

    def mention_count(cid: str) -> Fraction:
        if cid not in mentions:
            narrower = sum((mention_count(x) for x in below.get(cid, ())), Fraction(0))
            mentions[cid] = totals[cid] - Fraction(NARROWER_WEIGHT) * narrower
        return mentions[cid]

    counts = {}
    for cid in wanted:
        plans = _subject_count(store, cid) - usages[cid] if cid in below else usages[cid]
        count = mention_count(cid)
        if plans < 0 or count < 0 or count.denominator != 1:
            raise RuntimeError(f"the topic scores of {cid} do not follow the current mapping: re-ingest the store")
        counts[cid] = (plans, int(count))
    return counts


def topics(store) -> dict:
    """The concept schemes as trees, each concept with how many plans mention it and how often."""
    vocabulary = search_concepts()
    counts = _topic_counts(store, vocabulary)

    def node(cid: str, scheme: str, seen: frozenset) -> dict:
        concept = vocabulary[cid]
        plans, mentions = counts.get(cid, (0, 0))
        children = [
            node(n, scheme, seen | {cid}) for n in concept.narrower
            if n in vocabulary and scheme in vocabulary[n].schemes and n not in seen
        ]
        return {
            "id": cid, "label": {"zh": concept.label_zh, "en": concept.label_en},
            "plans": plans, "mentions": mentions, "narrower": children,
        }

    schemes = []
    for scheme in ("policy_area", "mandate", "regulated_party"):
        tops = [
            c.id for c in vocabulary.values()
            if scheme in c.schemes and not any(scheme in vocabulary[b].schemes for b in c.broader if b in vocabulary)
        ]
        schemes.append({"id": scheme, "concepts": [node(c, scheme, frozenset()) for c in tops]})
    return {"schemes": schemes}


def _targets(store, duties: list) -> dict[str, list[str]]:
    """The statements (ms:hasTarget) each duty of the page links to."""
    targets: dict[str, list[str]] = {}
    values = " ".join(str(d) for d in duties)
    for row in store.query(f"SELECT ?o ?target WHERE {{ VALUES ?o {{ {values} }} ?o ms:hasTarget ?target }}"):
        found = targets.setdefault(row["o"].value, [])
        if row["target"].value not in found:
            found.append(row["target"].value)
    return targets


MODALITIES = ("obligation", "goal", "encouragement", "prohibition")

def _bearers_named(store, text: str) -> list[str]:
    """IRIs of the agencies and concepts (the only bearers: loaders/to_rdf/concepts.py bearer_node)
    a label of which holds `text`. Resolved before the page is read: joined to each duty's assignee,
    an agency's labels were read once per plan naming it, for every duty in the store until a page
    was found (at 10,000 plans 23 s for 国家市场监督管理总局, 13 minutes for a name no agency has);
    resolved first, it is one scan of the labels (0.5-0.8 s) and the page is index lookups."""
    return sorted(iris_named(store, text, "skos:prefLabel|skos:altLabel", [PREFIXES["msid"] + "agency/", CONCEPT_BASE]))


def obligations(
    store,
    bearer: str | None = None,
    area: str | None = None,
    plan: str | None = None,
    modality: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict:
    """Duties in the store, filtered by bearer (party id or agency name), policy area, plan and modality."""
    limit = max(1, min(int(limit), 500))
    offset = max(0, int(offset))
    vocabulary = search_concepts()
    answer = {"bearer": bearer, "area": area, "plan": plan, "modality": modality, "results": []}
    # Step 1: the page of duties, every filter a pattern on bound terms (index lookups, no global sort).
    patterns = ["?o a ms:Obligation ."]
    if bearer:
        if bearer in vocabulary:
            patterns.append(f"?o odrl:assignee {iri_ref(CONCEPT_BASE + bearer)} .")
        else:
            party = [c for c in resolve_query(bearer) if vocabulary[c].scheme == "regulated_party"]
            if party:
                values = " ".join(iri_ref(CONCEPT_BASE + c) for c in party)
                patterns.append(f"VALUES ?bearer {{ {values} }} ?o odrl:assignee ?bearer .")
            else:
                named = _bearers_named(store, bearer)
                if not named:
                    return answer
                patterns.append(f"VALUES ?bearer {{ {' '.join(map(iri_ref, named))} }} ?o odrl:assignee ?bearer .")
    if area:
        areas = [area] if area in vocabulary else resolve_query(area)
        if not areas:
            return answer
        values = " ".join(iri_ref(CONCEPT_BASE + a) for a in areas)
        patterns.append(f"VALUES ?area {{ {values} }} ?o ms:policyArea ?area .")
    if plan:
        patterns.append(f"?o ms:inDocument {iri_ref(document_named(plan))} .")
    if modality:
        patterns.append(f"?o ms:modality {string_literal(modality)} .")
    page = [row["o"] for row in store.query(
        f"SELECT DISTINCT ?o WHERE {{ {' '.join(patterns)} }} LIMIT {limit} OFFSET {offset}"
    )]
    if not page:
        return answer
    # Step 2: the details of that page, then the texts, bearer labels and targets it names. A bearer's
    # label sits in every graph that names the bearer: joined into the details it multiplied the rows
    # by the plans sharing the bearer (4 s a page at 1,000 plans); read once per bearer it is a lookup.
    rows = list(store.query(f"""
        SELECT DISTINCT ?o ?doc ?source ?s ?e ?action ?actionText ?object ?modality ?area ?bearer ?deadline
        WHERE {{
          VALUES ?o {{ {" ".join(str(o) for o in page)} }}
          ?o ms:inDocument ?doc ; ms:modality ?modality ; ms:actionText ?actionText ; ms:objectText ?object ;
             ms:textSelector ?p .
          ?p oa:start ?s ; oa:end ?e .
          OPTIONAL {{ ?doc ms:sourceFile ?source }}
          OPTIONAL {{ ?o odrl:action ?action }}
          OPTIONAL {{ ?o ms:policyArea ?area }}
          OPTIONAL {{ ?o odrl:assignee ?bearer }}
          OPTIONAL {{ ?o ms:deadline ?d . ?d time:inXSDgYear ?deadline }}
        }}"""))
    texts = _texts(store, [row["doc"].value for row in rows])
    labels = _labels(store, {row["bearer"].value for row in rows if row["bearer"] is not None}, lang="zh")
    targets = _targets(store, page)
    results = []
    for row in rows:
        area_iri = _value(row["area"])
        bearer_iri = _value(row["bearer"])
        start, end = int(row["s"].value), int(row["e"].value)
        results.append({
            "obligation": row["o"].value,
            "plan": row["doc"].value,
            "source": _value(row["source"]),
            "text": texts.get(row["doc"].value, "")[start:end],
            "start": start,
            "end": end,
            "bearer": bearer_iri,
            "bearer_label": labels.get(bearer_iri),
            "action": row["actionText"].value,
            "action_iri": _value(row["action"]),
            "object": row["object"].value,
            "modality": row["modality"].value,
            "area": area_iri[len(CONCEPT_BASE):] if area_iri and area_iri.startswith(CONCEPT_BASE) else area_iri,
            "deadline": int(row["deadline"].value[:4]) if row["deadline"] is not None else None,
            "targets": targets.get(row["o"].value, []),
        })
    results.sort(key=lambda r: (r["source"] or "", r["start"]))
    answer["results"] = results
    return answer
