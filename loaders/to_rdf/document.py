"""Map a document's metadata, region and outline to triples (ELI, SKOS, Web Annotation)."""

from __future__ import annotations

import re

from loaders.fingerprint import pipeline_fingerprint
from loaders.model import Document, Region, Section
from loaders.to_rdf.vocab import (
    DCT, ELI, MS, PROV, RDF, RDFS, SKOS, SPDX, XSD, blank_node, doc_iri, entity_iri, graph_iri, lit, part_iri, text_span,
)

DOC_CLASSES = {
    "five_year_plan": MS.FiveYearPlan,
    "annual_work_plan": MS.AnnualWorkPlan,
    "evaluation_report": MS.EvaluationReport,
    "press_article": MS.PressArticle,
    "policy_interpretation": MS.PolicyInterpretation,
    "policy_measures": MS.PolicyMeasures,
    "budget": MS.Budget,
    "other": MS.OtherDocument,
}


def region_iri(region: Region):
    """By GB/T 2260 code; a place without one (an anonymised XX市) is named within its parent."""
    if region.adcode:
        return entity_iri("region", region.adcode)
    if region.parent is not None and region.parent.adcode:
        return entity_iri("region", f"{region.parent.adcode}-{region.name}")
    return entity_iri("region", region.name)


def region_triples(region: Region) -> list:
    node = region_iri(region)
    triples = [
        (node, RDF.type, MS.Region),
        (node, SKOS.prefLabel, lit(region.name, "zh")),
    ]
    if region.adcode:
        triples.append((node, SKOS.notation, lit(region.adcode)))
    if region.level:
        triples.append((node, MS.regionLevel, lit(region.level)))
    if region.parent is not None:
        triples.append((node, SKOS.broader, region_iri(region.parent)))
        triples += region_triples(region.parent)
    return triples


def section_triples(doc: Document, document, section: Section, parent, index: str) -> list:
    node = part_iri(document, "section", index)
    triples = [
        (node, RDF.type, MS.Section),
        (node, ELI.is_part_of, parent),
        (node, ELI.title, lit(section.title, "zh")),
        (node, MS.sectionNumber, lit(section.number)),
        (node, MS.level, lit(section.level)),
        *text_span(node, document, section.start, section.end),
    ]
    for i, child in enumerate(section.children, 1):
        triples += section_triples(doc, document, child, node, f"{index}.{i}")
    return triples


def section_iris(doc: Document) -> dict[int, object]:
    """id(section) → its IRI, so other mappings can point facts at their section."""
    document = doc_iri(doc.source)
    found: dict[int, object] = {}

    def visit(sections, prefix):
        for i, section in enumerate(sections, 1):
            index = f"{prefix}{i}"
            found[id(section)] = part_iri(document, "section", index)
            visit(section.children, index + ".")

    visit(doc.sections, "")
    return found


def document_triples(doc: Document) -> list:
    document = doc_iri(doc.source)
    triples = [
        (document, RDF.type, DOC_CLASSES.get(doc.doc_type, MS.OtherDocument)),
        (document, ELI.type_document, entity_iri("doctype", doc.doc_type)),
        (document, MS.sourceFile, lit(doc.source)),
        (document, DCT.format, lit(doc.format)),
        (document, MS.text, lit(doc.text)),  # the string all offsets index; served by /api/plans/{id}/text
    ]
    if doc.title:
        triples += [(document, ELI.title, lit(doc.title, "zh")), (document, RDFS.label, lit(doc.title, "zh"))]
    if doc.date:
        triples.append((document, ELI.date_document, lit(doc.date, datatype=date_datatype(doc.date))))
    if doc.doc_number:
        triples.append((document, ELI.id_local, lit(doc.doc_number)))
    if doc.issuer:
        issuer = entity_iri("agency", doc.issuer)
        triples += [
            (document, ELI.passed_by, issuer),
            (issuer, RDF.type, MS.Agency),
            (issuer, SKOS.prefLabel, lit(doc.issuer, "zh")),
        ]
    if doc.region is not None:
        triples.append((document, MS.region, region_iri(doc.region)))
        triples += region_triples(doc.region)
    if doc.period is not None:
        triples += [
            (document, MS.periodStart, lit(doc.period.start, datatype=XSD.gYear)),
            (document, MS.periodEnd, lit(doc.period.end, datatype=XSD.gYear)),
        ]
    for cited in doc.cites:
        triples.append((document, ELI.based_on, lit(cited, "zh")))
    if doc.about:
        triples.append((document, MS.about, lit(doc.about, "zh")))
    for i, section in enumerate(doc.sections, 1):
        triples += section_triples(doc, document, section, document, str(i))
    return triples + source_triples(doc, document)


def pipeline_iri():
    """The software agent named by this pipeline's fingerprint (loaders/fingerprint.py)."""
    return entity_iri("pipeline", pipeline_fingerprint())


def source_triples(doc: Document, document) -> list:
    """The file's digest (an SPDX checksum, as DCAT records one) and the pipeline that read it
    (PROV: the document's graph is attributed to it), so that a later ingest can recognise a
    file it holds unchanged, read by this same pipeline, and skip it (kg/ingest.py)."""
    triples = []
    if doc.digest:
        checksum = blank_node()
        triples += [
            (document, SPDX.checksum, checksum),
            (checksum, RDF.type, SPDX.Checksum),
            (checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256),
            (checksum, SPDX.checksumValue, lit(doc.digest, datatype=XSD.hexBinary)),
        ]
    fingerprint = pipeline_fingerprint()
    pipeline = pipeline_iri()
    return triples + [
        (graph_iri(doc.source), PROV.wasAttributedTo, pipeline),
        (pipeline, RDF.type, PROV.SoftwareAgent),
        (pipeline, RDFS.label, lit(f"mskg 抽取流程 {fingerprint}", "zh")),
        (pipeline, RDFS.label, lit(f"mskg extraction pipeline {fingerprint}", "en")),
    ]


def date_datatype(date: str):
    """xsd:date for a full date (2023-12-05); xsd:gYearMonth for a month-only one (2023-12), xsd:gYear for a year."""
    if re.fullmatch(r"\d{4}-\d{2}", date):
        return XSD.gYearMonth
    if re.fullmatch(r"\d{4}", date):
        return XSD.gYear
    return XSD.date
