"""Topic search, topic counts and obligation listings over the store.

A query (Chinese or English term, synonym, or concept id) is resolved to concepts in
Python from the cached vocabulary. Each document carries one ms:ConceptUsage per concept
whose ms:topicScore already counts the mentions of narrower concepts (电梯 for 特种设备,
never the reverse), so ranking reads one number per plan in one SPARQL query; evidence
(the sentences of the usage's ms:evidence mentions) is then fetched for the page only.
"""

from __future__ import annotations

import re
from functools import lru_cache

import ahocorasick

from loaders.concepts import CONCEPT_BASE, Concept, ancestors, fold, search_concepts
from loaders.to_rdf.vocab import PREFIXES

MS, OA, ELI, SKOS = PREFIXES["ms"], PREFIXES["oa"], PREFIXES["eli"], PREFIXES["skos"]
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


_BAD_IRI = re.compile(r'[\s<>"{}|^`\\]')


def _iri(value: str) -> str:
    """An IRI for a SPARQL query; a value that cannot be one is a caller's error, not an injection."""
    if _BAD_IRI.search(value):
        raise ValueError(f"not an IRI: {value[:80]!r}")
    return "<" + value + ">"


def _literal(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return '"' + escaped + '"'


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


def _rows(store, sparql: str) -> list:
    return list(store.query(sparql))


def _evidence(store, docs: list, asked: list[str]) -> dict[str, dict[int, dict]]:
    """Evidence sentences of the page's plans, by plan and sentence start.

    Several small queries whose subjects are all bound (usage → mentions → sentences →
    sections): each is an index lookup, where one big join lets the planner scan."""
    evidence: dict[str, dict[int, dict]] = {d.value: {} for d in docs}
    usages = " ".join(_iri(f"{d.value}/usage/{c}") for d in docs for c in asked)
    mention_plan: dict[str, str] = {}
    for row in _rows(store, f"SELECT ?u ?m WHERE {{ VALUES ?u {{ {usages} }} ?u <{MS}evidence> ?m }}"):
        mention_plan[row["m"].value] = row["u"].value.rsplit("/usage/", 1)[0]
    if not mention_plan:
        return evidence
    mentions = " ".join(_iri(m) for m in mention_plan)
    found: dict[str, dict] = {}
    for row in _rows(store, f"""
        SELECT ?m ?b ?t ?ms WHERE {{
          VALUES ?m {{ {mentions} }}
          ?m <{OA}hasBody> ?b ; <{OA}hasTarget> ?t ; <{MS}textSelector> ?mp .
          ?mp <{OA}start> ?ms .
        }}"""):
        found[row["m"].value] = {"body": row["b"].value, "sentence": row["t"], "first": int(row["ms"].value)}
    sentences = " ".join(str(t) for t in {f["sentence"] for f in found.values()})
    spans: dict[str, tuple[int, int, str]] = {}
    for row in _rows(store, f"""
        SELECT ?t ?s ?e ?text WHERE {{
          VALUES ?t {{ {sentences} }}
          ?t <{OA}hasSelector> ?p , ?q .
          ?p <{OA}start> ?s ; <{OA}end> ?e .
          ?q <{OA}exact> ?text .
        }}"""):
        spans[row["t"].value] = (int(row["s"].value), int(row["e"].value), row["text"].value)
    sections: dict[str, str] = {}
    for row in _rows(store, f"""
        SELECT ?m ?section WHERE {{
          VALUES ?m {{ {mentions} }}
          ?m <{MS}inSection> ?sec . ?sec <{ELI}title> ?section .
        }}"""):
        sections[row["m"].value] = row["section"].value
    for mention, plan in mention_plan.items():
        details = found.get(mention)
        if details is None or details["sentence"].value not in spans:
            continue
        start, end, text = spans[details["sentence"].value]
        direct = details["body"][len(CONCEPT_BASE):] in asked
        item = evidence.setdefault(plan, {}).get(start)
        if item is None:
            item = evidence[plan][start] = {
                "sentence": text, "start": start, "end": end, "section": sections.get(mention),
                "direct": 0, "first": details["first"],
            }
        item["direct"] = max(item["direct"], int(direct))
        item["first"] = min(item["first"], details["first"])
    return evidence


def search(store, query: str, limit: int = 20, offset: int = 0) -> dict:
    """Plans about a topic, ranked by how much they say about it, each with the sentences as evidence."""
    limit = max(1, min(int(limit), 200))
    offset = max(0, int(offset))
    vocabulary = search_concepts()
    asked = resolve_query(query)
    answer = {
        "query": query,
        "concepts": [concept_summary(vocabulary[c]) for c in asked],
        "results": [],
    }
    if not asked:
        return answer
    if len(asked) == 1:  # one index scan of the concept's score predicate
        rows = store.query(f"""
            SELECT ?doc ?score WHERE {{ ?doc {_iri(SCORE_BASE + asked[0])} ?score }}
            ORDER BY DESC(?score) LIMIT {limit} OFFSET {offset}""")
    else:
        values = " ".join(_iri(SCORE_BASE + c) for c in asked)
        rows = store.query(f"""
            SELECT ?doc (SUM(?s) AS ?score) WHERE {{ VALUES ?p {{ {values} }} ?doc ?p ?s }}
            GROUP BY ?doc ORDER BY DESC(?score) LIMIT {limit} OFFSET {offset}""")
    ranked = [(row["doc"], float(row["score"].value)) for row in rows]
    if not ranked:
        return answer
    docs = [doc for doc, _score in ranked]
    doc_values = " ".join(str(d) for d in docs)
    info: dict[str, dict] = {d.value: {} for d in docs}
    regions: dict[str, str | None] = {}
    for row in store.query(f"""
        SELECT ?doc ?title ?source ?r WHERE {{
          VALUES ?doc {{ {doc_values} }}
          OPTIONAL {{ ?doc <http://data.europa.eu/eli/ontology#title> ?title }}
          OPTIONAL {{ ?doc <https://w3id.org/mskg/ontology#sourceFile> ?source }}
          OPTIONAL {{ ?doc <https://w3id.org/mskg/ontology#region> ?r }}
        }}"""):
        slot = info[row["doc"].value]
        for key in ("title", "source", "r"):
            if slot.get(key) is None:
                slot[key] = _value(row[key])
    for slot in info.values():
        region = slot.pop("r", None)
        if region is not None and region not in regions:
            # a region sits in every plan's graph: LIMIT 1 stops at the first copy of its label
            label = list(store.query(f"SELECT ?l WHERE {{ {_iri(region)} <{SKOS}prefLabel> ?l }} LIMIT 1"))
            regions[region] = label[0]["l"].value if label else None
        slot["region"] = regions.get(region) if region is not None else None
    evidence = _evidence(store, docs, asked)
    for doc, score in ranked:
        plan = doc.value
        items = sorted(
            evidence[plan].values(),
            key=lambda ev: (_TOC.search(ev["sentence"]) is not None, -ev["direct"], ev["start"]),
        )[:EVIDENCE_PER_PLAN]
        if not items:
            continue  # never a plan without evidence
        answer["results"].append({
            "plan": plan,
            "source": info[plan].get("source"),
            "title": info[plan].get("title"),
            "region": info[plan].get("region"),
            "score": round(score, 3),
            "evidence": [_snippet(ev) for ev in sorted(items, key=lambda ev: ev["start"])],
        })
    return answer


def topics(store) -> dict:
    """The concept schemes as trees, each concept with how many plans mention it and how often."""
    vocabulary = search_concepts()
    counts: dict[str, tuple[int, int]] = {}
    for row in store.query("""
        SELECT ?c (COUNT(DISTINCT ?doc) AS ?plans) (SUM(?n) AS ?mentions) WHERE {
          ?u a <https://w3id.org/mskg/ontology#ConceptUsage> ;
             <http://purl.org/dc/terms/subject> ?c ;
             <https://w3id.org/mskg/ontology#inDocument> ?doc ;
             <https://w3id.org/mskg/ontology#mentionCount> ?n .
        } GROUP BY ?c"""):
        iri = row["c"].value
        if iri.startswith(CONCEPT_BASE):
            counts[iri[len(CONCEPT_BASE):]] = (int(row["plans"].value), int(row["mentions"].value))

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


MODALITIES = ("obligation", "goal", "encouragement", "prohibition")


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
            patterns.append(f"?o odrl:assignee {_iri(CONCEPT_BASE + bearer)} .")
        else:
            party = [c for c in resolve_query(bearer) if vocabulary[c].scheme == "regulated_party"]
            if party:
                values = " ".join(_iri(CONCEPT_BASE + c) for c in party)
                patterns.append(f"VALUES ?bearer {{ {values} }} ?o odrl:assignee ?bearer .")
            else:
                patterns.append(
                    "?o odrl:assignee ?bearer . ?bearer skos:prefLabel|skos:altLabel ?label . "
                    f"FILTER(CONTAINS(STR(?label), {_literal(bearer)}))"
                )
    if area:
        areas = [area] if area in vocabulary else resolve_query(area)
        if not areas:
            return answer
        values = " ".join(_iri(CONCEPT_BASE + a) for a in areas)
        patterns.append(f"VALUES ?area {{ {values} }} ?o ms:policyArea ?area .")
    if plan:
        if plan.startswith("http"):
            patterns.append(f"?o ms:inDocument {_iri(plan)} .")
        else:
            patterns.append(f"?doc ms:sourceFile {_literal(plan)} . ?o ms:inDocument ?doc .")
    if modality:
        patterns.append(f"?o ms:modality {_literal(modality)} .")
    page = [row["o"] for row in store.query(
        f"SELECT DISTINCT ?o WHERE {{ {' '.join(patterns)} }} LIMIT {limit} OFFSET {offset}"
    )]
    if not page:
        return answer
    # Step 2: the details of that page.
    rows = store.query(f"""
        SELECT ?o ?doc ?source ?text ?s ?e ?action ?actionText ?object ?modality ?area ?bearer ?bearerLabel ?deadline
               (GROUP_CONCAT(DISTINCT STR(?target); separator=" ") AS ?targets)
        WHERE {{
          VALUES ?o {{ {" ".join(str(o) for o in page)} }}
          ?o <https://w3id.org/mskg/ontology#inDocument> ?doc ;
             <https://w3id.org/mskg/ontology#modality> ?modality ;
             <https://w3id.org/mskg/ontology#actionText> ?actionText ;
             <https://w3id.org/mskg/ontology#objectText> ?object ;
             <https://w3id.org/mskg/ontology#textSelector> ?p , ?q .
          ?p <http://www.w3.org/ns/oa#start> ?s ; <http://www.w3.org/ns/oa#end> ?e .
          ?q <http://www.w3.org/ns/oa#exact> ?text .
          OPTIONAL {{ ?doc <https://w3id.org/mskg/ontology#sourceFile> ?source }}
          OPTIONAL {{ ?o <http://www.w3.org/ns/odrl/2/action> ?action }}
          OPTIONAL {{ ?o <https://w3id.org/mskg/ontology#policyArea> ?area }}
          OPTIONAL {{ ?o <http://www.w3.org/ns/odrl/2/assignee> ?bearer .
                     OPTIONAL {{ ?bearer <http://www.w3.org/2004/02/skos/core#prefLabel> ?bearerLabel
                                FILTER(LANG(?bearerLabel) = "zh") }} }}
          OPTIONAL {{ ?o <https://w3id.org/mskg/ontology#deadline> ?d .
                     ?d <http://www.w3.org/2006/time#inXSDgYear> ?deadline }}
          OPTIONAL {{ ?o <https://w3id.org/mskg/ontology#hasTarget> ?target }}
        }}
        GROUP BY ?o ?doc ?source ?text ?s ?e ?action ?actionText ?object ?modality ?area ?bearer ?bearerLabel ?deadline""")
    results = []
    for row in rows:
        area_iri = _value(row["area"])
        bearer_iri = _value(row["bearer"])
        results.append({
            "obligation": row["o"].value,
            "plan": row["doc"].value,
            "source": _value(row["source"]),
            "text": row["text"].value,
            "start": int(row["s"].value),
            "end": int(row["e"].value),
            "bearer": bearer_iri,
            "bearer_label": _value(row["bearerLabel"]),
            "action": row["actionText"].value,
            "action_iri": _value(row["action"]),
            "object": row["object"].value,
            "modality": row["modality"].value,
            "area": area_iri[len(CONCEPT_BASE):] if area_iri and area_iri.startswith(CONCEPT_BASE) else area_iri,
            "deadline": int(row["deadline"].value[:4]) if row["deadline"] is not None else None,
            "targets": row["targets"].value.split() if row["targets"] is not None and row["targets"].value else [],
        })
    results.sort(key=lambda r: (r["source"] or "", r["start"]))
    answer["results"] = results
    return answer
