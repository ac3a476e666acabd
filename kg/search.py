"""Topic search, topic counts and obligation listings over the store.

A query (Chinese or English term, synonym, or concept id) is resolved to concepts in
Python from the cached vocabulary; the concepts and everything narrower than them go into
one SPARQL query over the per-document ms:ConceptUsage counts, so search stays fast
however many plans the store holds. Evidence (the sentences around the mentions) is then
fetched for the returned page only.
"""

from __future__ import annotations

import re
from functools import lru_cache

import ahocorasick

from loaders.concepts import CONCEPT_BASE, Concept, fold, narrower_closure, search_concepts

EVIDENCE_PER_PLAN = 3
MAX_VAGUE = 6
NARROWER_WEIGHT = 0.5  # a mention of a narrower concept counts half as much as one of the concept asked for

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
    return [_stem(w) for w in re.findall(r"[a-z0-9][a-z0-9+'\-]*", text.lower())]


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
            return sorted(found)
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
        return sorted(found)
    if len(key) >= 2 and not _is_latin(key):
        for label, ids in exact.items():
            if key in label:
                found |= ids
    if len(found) > MAX_VAGUE:
        return []  # a fragment inside many labels (监管) names no topic
    return sorted(found)


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


def _iri(value: str) -> str:
    return "<" + value.replace(">", "%3E").replace(" ", "%20") + ">"


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
    closure = narrower_closure(asked, vocabulary)
    weights = " ".join(
        f"({_iri(CONCEPT_BASE + c)} {1.0 if c in asked else NARROWER_WEIGHT})" for c in sorted(closure)
    )
    ranked = list(store.query(f"""
        SELECT ?doc (SUM(?n * ?w) AS ?score) WHERE {{
          VALUES (?c ?w) {{ {weights} }}
          ?u <http://purl.org/dc/terms/subject> ?c ;
             <https://w3id.org/mskg/ontology#inDocument> ?doc ;
             <https://w3id.org/mskg/ontology#mentionCount> ?n .
        }} GROUP BY ?doc ORDER BY DESC(?score) ?doc LIMIT {limit} OFFSET {offset}"""))
    if not ranked:
        return answer
    docs = [row["doc"] for row in ranked]
    doc_values = " ".join(str(d) for d in docs)
    concept_values = " ".join(_iri(CONCEPT_BASE + c) for c in sorted(closure))
    info: dict[str, dict] = {d.value: {} for d in docs}
    for row in store.query(f"""
        SELECT ?doc ?title ?source ?region WHERE {{
          VALUES ?doc {{ {doc_values} }}
          OPTIONAL {{ ?doc <http://data.europa.eu/eli/ontology#title> ?title }}
          OPTIONAL {{ ?doc <https://w3id.org/mskg/ontology#sourceFile> ?source }}
          OPTIONAL {{ ?doc <https://w3id.org/mskg/ontology#region> ?r .
                     ?r <http://www.w3.org/2004/02/skos/core#prefLabel> ?region }}
        }}"""):
        slot = info[row["doc"].value]
        for key in ("title", "source", "region"):
            if slot.get(key) is None:
                slot[key] = _value(row[key])
    evidence: dict[str, dict[int, dict]] = {d.value: {} for d in docs}
    for row in store.query(f"""
        SELECT ?doc ?c ?s ?e ?ms ?text ?section WHERE {{
          VALUES ?doc {{ {doc_values} }}
          VALUES ?c {{ {concept_values} }}
          ?m <http://www.w3.org/ns/oa#hasBody> ?c ;
             <https://w3id.org/mskg/ontology#inDocument> ?doc ;
             <http://www.w3.org/ns/oa#hasTarget> ?t ;
             <https://w3id.org/mskg/ontology#textSelector> ?mp .
          ?mp <http://www.w3.org/ns/oa#start> ?ms .
          ?t <http://www.w3.org/ns/oa#hasSelector> ?p , ?q .
          ?p <http://www.w3.org/ns/oa#start> ?s ; <http://www.w3.org/ns/oa#end> ?e .
          ?q <http://www.w3.org/ns/oa#exact> ?text .
          OPTIONAL {{ ?m <https://w3id.org/mskg/ontology#inSection> ?sec .
                     ?sec <http://data.europa.eu/eli/ontology#title> ?section }}
        }}"""):
        start = int(row["s"].value)
        direct = row["c"].value[len(CONCEPT_BASE):] in asked
        slot = evidence[row["doc"].value]
        item = slot.get(start)
        if item is None:
            item = slot[start] = {
                "sentence": row["text"].value, "start": start, "end": int(row["e"].value),
                "section": _value(row["section"]), "direct": 0, "hits": 0, "first": int(row["ms"].value),
            }
        item["hits"] += 1
        item["direct"] += int(direct)
        item["first"] = min(item["first"], int(row["ms"].value))
    for row in ranked:
        plan = row["doc"].value
        items = sorted(
            evidence[plan].values(),
            key=lambda ev: (_TOC.search(ev["sentence"]) is not None, -ev["direct"], -ev["hits"], ev["start"]),
        )[:EVIDENCE_PER_PLAN]
        if not items:
            continue  # never a plan without evidence
        answer["results"].append({
            "plan": plan,
            "source": info[plan].get("source"),
            "title": info[plan].get("title"),
            "region": info[plan].get("region"),
            "score": round(float(row["score"].value), 3),
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
    filters = []
    if bearer:
        if bearer in vocabulary:
            filters.append(f"FILTER(?bearer = {_iri(CONCEPT_BASE + bearer)})")
        else:
            party = [c for c in resolve_query(bearer) if vocabulary[c].scheme == "regulated_party"]
            if party:
                filters.append("FILTER(?bearer IN (" + ", ".join(_iri(CONCEPT_BASE + c) for c in party) + "))")
            else:
                filters.append(f"FILTER(CONTAINS(STR(?bearerLabel), {_literal(bearer)}) || EXISTS {{ ?bearer <http://www.w3.org/2004/02/skos/core#altLabel> ?alt FILTER(STR(?alt) = {_literal(bearer)}) }})")
    if area:
        areas = [area] if area in vocabulary else resolve_query(area)
        if not areas:
            return {"bearer": bearer, "area": area, "plan": plan, "results": []}
        filters.append("FILTER(?area IN (" + ", ".join(_iri(CONCEPT_BASE + a) for a in areas) + "))")
    if plan:
        filters.append(f"FILTER(?source = {_literal(plan)} || STR(?doc) = {_literal(plan)})")
    if modality:
        filters.append(f"FILTER(?modality = {_literal(modality)})")
    rows = store.query(f"""
        SELECT ?o ?doc ?source ?text ?s ?e ?action ?actionText ?object ?modality ?area ?bearer ?bearerLabel ?deadline
               (GROUP_CONCAT(DISTINCT STR(?target); separator=" ") AS ?targets)
        WHERE {{
          ?o a <https://w3id.org/mskg/ontology#Obligation> ;
             <https://w3id.org/mskg/ontology#inDocument> ?doc ;
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
          {" ".join(filters)}
        }}
        GROUP BY ?o ?doc ?source ?text ?s ?e ?action ?actionText ?object ?modality ?area ?bearer ?bearerLabel ?deadline
        ORDER BY ?source ?s
        LIMIT {limit} OFFSET {offset}""")
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
    return {"bearer": bearer, "area": area, "plan": plan, "modality": modality, "results": results}
