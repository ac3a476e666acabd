"""Map the concepts stage's facts to triples: mentions, agencies, obligations, topic counts.

- A mention is an oa:Annotation (ms:Mention) whose body is the concept; ms:textSelector
  locates the matched term, oa:hasTarget the sentence around it (one shared
  oa:SpecificResource per sentence, with its own position selector) as evidence.
- An agency is one org:FormalOrganization per real body (`entity_iri("agency", full name)`),
  its surface forms as skos:altLabel, each occurrence a ms:Mention with a span.
- An obligation is an odrl:Duty (ms:Obligation) with assignee, action, object, modality,
  policy area, deadline (time:Instant) and links to the statements of the same sentence.
- One ms:ConceptUsage per (document, concept) holds the mention count, a topic score that
  includes narrower concepts, and up to three evidence mentions, so topic search reads one
  node per plan instead of scanning every mention.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from pyoxigraph import NamedNode

from loaders.concepts import ACTION_BASE, CONCEPT_BASE, ancestors, load_vocabulary
from loaders.model import Document
from loaders.to_rdf.document import section_iris
from loaders.to_rdf.vocab import (
    DCT, MS, OA, ODRL, ORG, RDF, SKOS, TIME, XSD, decimal, doc_iri, entity_iri, lit, part_iri, position_selector, slug, text_span,
)


SCORE_BASE = "https://w3id.org/mskg/id/score/"


def score_predicate(concept_id: str) -> NamedNode:
    """A per-concept sub-property of ms:topicScore: (plan, score/<id>, n) lets topic search rank
    plans by scanning one predicate, with no join (declared in ontology/concepts/concept_terms.ttl)."""
    return NamedNode(SCORE_BASE + concept_id)


def concept_iri(concept_id: str) -> NamedNode:
    return NamedNode(CONCEPT_BASE + concept_id)


def action_iri(action_id: str) -> NamedNode:
    return NamedNode(ACTION_BASE + action_id)


def year_iri(year: int) -> NamedNode:
    return entity_iri("year", str(year))


def _section_of(doc: Document, sections: dict[int, NamedNode], offset: int) -> NamedNode | None:
    section = doc.section_at(offset)
    return sections.get(id(section)) if section is not None else None


def _sentence_node(document: NamedNode, start: int, end: int, seen: set[int]) -> tuple[NamedNode, list]:
    """The sentence a mention sits in, as one oa:SpecificResource of the document (made once)."""
    node = part_iri(document, "sentence", start)
    if start in seen:
        return node, []
    seen.add(start)
    return node, [
        (node, RDF.type, OA.SpecificResource),
        (node, OA.hasSource, document),
        *position_selector(node, OA.hasSelector, start, end),
    ]


def mention_triples(doc: Document, document: NamedNode, sections: dict[int, NamedNode]) -> list:
    triples = []
    seen: set[int] = set()
    for i, mention in enumerate(doc.mentions):
        node = part_iri(document, "mention", i)
        body = concept_iri(mention.concept)
        triples += [
            (node, RDF.type, MS.Mention),
            (node, OA.hasBody, body),
            # no ms:inDocument: the sentence's oa:hasSource names the document (and so does the graph)
            *text_span(node, None, mention.start, mention.end),
        ]
        s_start = mention.sentence_start if mention.sentence_start is not None else mention.start
        s_end = mention.sentence_end if mention.sentence_end is not None else mention.end
        sentence, sentence_triples = _sentence_node(document, s_start, s_end, seen)
        triples += sentence_triples
        triples.append((node, OA.hasTarget, sentence))
        section = _section_of(doc, sections, mention.start)
        if section is not None:
            triples.append((node, MS.inSection, section))
    triples += usage_triples(doc, document)
    return triples


NARROWER_WEIGHT = 0.5  # a mention of a narrower concept counts half towards the broader topic
EVIDENCE_PER_USAGE = 3
_TOC = re.compile(r"(\.{4,}|…{2,}|·{4,})\s*\d*\s*$")


def _evidence(doc: Document, indices: list[int]) -> list[int]:
    """Up to three mentions in distinct sentences, body text before table-of-contents lines."""
    chosen: list[int] = []
    sentences: set[int] = set()
    def toc(i: int) -> bool:
        m = doc.mentions[i]
        start = m.sentence_start if m.sentence_start is not None else m.start
        end = m.sentence_end if m.sentence_end is not None else m.end
        return _TOC.search(doc.text[start:end]) is not None
    for i in sorted(indices, key=lambda i: (toc(i), doc.mentions[i].start)):
        key = doc.mentions[i].sentence_start if doc.mentions[i].sentence_start is not None else doc.mentions[i].start
        if key in sentences:
            continue
        sentences.add(key)
        chosen.append(i)
        if len(chosen) == EVIDENCE_PER_USAGE:
            break
    return chosen


def usage_triples(doc: Document, document: NamedNode) -> list:
    """One ms:ConceptUsage per concept the document mentions or mentions something narrower than.

    ms:mentionCount counts the concept's own mentions; ms:topicScore adds NARROWER_WEIGHT per
    mention of a narrower concept, so search ranks plans by reading one number per plan;
    ms:evidence points at up to three mentions (own ones first) to show as evidence."""
    vocabulary = load_vocabulary()
    own: dict[str, list[int]] = {}
    for i, mention in enumerate(doc.mentions):
        own.setdefault(mention.concept, []).append(i)
    below: dict[str, list[int]] = {}
    for concept_id, indices in own.items():
        for ancestor in ancestors(concept_id, vocabulary):
            below.setdefault(ancestor, []).extend(indices)
    triples = []
    for concept_id in sorted(set(own) | set(below)):
        usage = part_iri(document, "usage", concept_id)
        mine, narrower = own.get(concept_id, []), below.get(concept_id, [])
        score = len(mine) + NARROWER_WEIGHT * len(narrower)
        triples += [
            (usage, RDF.type, MS.ConceptUsage),
            (usage, DCT.subject, concept_iri(concept_id)),
            (usage, MS.inDocument, document),
            (usage, MS.topicScore, decimal(score)),
            # the same number as one triple per plan, so ranking is one index scan (see score_predicate)
            (document, score_predicate(concept_id), decimal(score)),
        ]
        if mine:
            triples += [(document, DCT.subject, concept_iri(concept_id)), (usage, MS.mentionCount, lit(len(mine)))]
        evidence = _evidence(doc, mine) + _evidence(doc, narrower)
        for index in evidence[:EVIDENCE_PER_USAGE]:
            triples.append((usage, MS.evidence, part_iri(document, "mention", index)))
    return triples


def agency_node(name: str) -> NamedNode:
    return entity_iri("agency", name)


def agency_triples(doc: Document, document: NamedNode) -> list:
    triples = []
    by_id = {agency.id: agency for agency in doc.agencies}
    n = 0
    for agency in doc.agencies:
        node = agency_node(agency.name)
        triples += [
            (node, RDF.type, MS.Agency),
            (node, RDF.type, ORG.FormalOrganization),
            (node, SKOS.prefLabel, lit(agency.name, "zh")),
            (document, DCT.references, node),
        ]
        for alias in agency.aliases:
            triples.append((node, SKOS.altLabel, lit(alias, "zh")))
        if agency.parent:
            parent = by_id.get(agency.parent)
            parent_name = parent.name if parent is not None else unquote(agency.parent)
            triples.append((node, ORG.subOrganizationOf, agency_node(parent_name)))
        for span in agency.spans:
            mention = part_iri(document, "agency_mention", n)
            n += 1
            triples += [
                (mention, RDF.type, MS.Mention),
                (mention, OA.hasBody, node),
                *text_span(mention, document, span.start, span.end),
            ]
    return triples


def bearer_node(doc: Document, bearer: str) -> tuple[NamedNode, list]:
    """The IRI of an obligation's bearer: a regulated-party concept or an agency (typed if new)."""
    vocabulary = load_vocabulary()
    if bearer in vocabulary:
        return concept_iri(bearer), []
    known = {agency.id: agency.name for agency in doc.agencies}
    name = known.get(bearer) or unquote(bearer)
    node = agency_node(name)
    if bearer in known:
        return node, []
    return node, [
        (node, RDF.type, MS.Agency),
        (node, RDF.type, ORG.FormalOrganization),
        (node, SKOS.prefLabel, lit(name, "zh")),
    ]


def obligation_triples(doc: Document, document: NamedNode, sections: dict[int, NamedNode]) -> list:
    triples = []
    bearers: dict[str, NamedNode] = {}
    years: set[int] = set()
    for i, duty in enumerate(doc.obligations):
        node = part_iri(document, "obligation", i)
        triples += [
            (node, RDF.type, MS.Obligation),
            (node, RDF.type, ODRL.Duty),
            (node, MS.actionText, lit(duty.action, "zh")),
            (node, MS.objectText, lit(duty.object, "zh")),
            (node, MS.modality, lit(duty.modality)),
            *text_span(node, document, duty.start, duty.end),
        ]
        if duty.action_id:
            triples.append((node, ODRL.action, action_iri(duty.action_id)))
        if duty.bearer:
            if duty.bearer not in bearers:
                bearer, extra = bearer_node(doc, duty.bearer)
                bearers[duty.bearer] = bearer
                triples += extra
            triples.append((node, ODRL.assignee, bearers[duty.bearer]))
        if duty.area:
            triples.append((node, MS.policyArea, concept_iri(duty.area)))
        if duty.deadline:
            triples.append((node, MS.deadline, year_iri(duty.deadline)))
            if duty.deadline not in years:
                years.add(duty.deadline)
                triples += [
                    (year_iri(duty.deadline), RDF.type, TIME.Instant),
                    (year_iri(duty.deadline), TIME.inXSDgYear, lit(duty.deadline, datatype=XSD.gYear)),
                ]
        for index in duty.targets:
            triples.append((node, MS.hasTarget, part_iri(document, "statement", index)))
        section = _section_of(doc, sections, duty.start)
        if section is not None:
            triples.append((node, MS.inSection, section))
    return triples


def concepts_triples(doc: Document) -> list:
    document = doc_iri(doc.source)
    sections = section_iris(doc)
    return (
        mention_triples(doc, document, sections)
        + agency_triples(doc, document)
        + obligation_triples(doc, document, sections)
    )


__all__ = ["concepts_triples", "concept_iri", "action_iri", "agency_node", "slug"]
