"""Map quantified statements to RDF Data Cube observations (qb), OWL-Time deadlines, spans.

- Each statement is a qb:Observation typed ms:Target, ms:Progress or ms:Baseline, in one of
  two qb:DataSet nodes of its document: targets, and measured values (progress + baselines).
  Both share one global qb:DataStructureDefinition (dimensions indicator / area / year,
  measure value, attributes unit, multiplier, comparator, kind).
- Indicators are ms:Indicator concepts minted from a canonical key (region, years, 全市…
  stripped), so the same indicator in two plans is one node and one query compares them.
- Deadlines are time:Instant nodes per year (time:inXSDgYear); an annual target of a plan
  period points at a time:Interval of that period.
- A progress figure links to the target of the same indicator and document (ms:progressOf)
  with ms:status met / on_track / behind / unknown.
"""

from __future__ import annotations

from pyoxigraph import NamedNode

from loaders.model import Document, Statement
from loaders.quantities.context import clean_view, read_context
from loaders.quantities.indicators import indicator_key
from loaders.quantities.numbers import unit_multiplier
from loaders.to_rdf.document import region_iri, section_iris
from loaders.to_rdf.vocab import (
    BASE, DCT, MS, QB, RDF, RDFS, SKOS, TIME, XSD, decimal, doc_iri, entity_iri, lit, part_iri, text_span,
)

KIND_CLASSES = {"target": MS.Target, "progress": MS.Progress, "baseline": MS.Baseline}
DSD = entity_iri("dsd", "quantified-statements")
_COMPONENTS = (
    ("indicator", QB.dimension, MS.indicator),
    ("area", QB.dimension, MS.refArea),
    ("year", QB.dimension, MS.refYear),
    ("value", QB.measure, MS.value),
    ("unit", QB.attribute, MS.unit),
    ("multiplier", QB.attribute, MS.unitMultiplier),
    ("comparator", QB.attribute, MS.comparator),
    ("kind", QB.attribute, MS.statementKind),
)
_LOWER_IS_BETTER = ("死亡率", "事故率", "发生率", "不合格率", "时限", "时间", "差错率")


def area_iri(code: str) -> NamedNode:
    """Policy areas are SKOS concepts minted by the concepts scheme under id/concept/<code>."""
    return NamedNode(BASE + "id/concept/" + code)


def year_iri(year: int) -> NamedNode:
    return entity_iri("year", str(year))


def indicator_iri(doc: Document, statement: Statement) -> NamedNode:
    return entity_iri("indicator", indicator_key(statement.indicator, _region_names(doc, statement)))


def structure_triples() -> list:
    """The one data structure definition every statement dataset shares."""
    triples = [
        (DSD, RDF.type, QB.DataStructureDefinition),
        (DSD, RDFS.label, lit("量化陈述数据结构", "zh")),
        (DSD, RDFS.label, lit("Quantified statement structure", "en")),
    ]
    for order, (name, role, prop) in enumerate(_COMPONENTS, 1):
        component = entity_iri("dsd", f"quantified-statements/{name}")
        triples += [
            (DSD, QB.component, component),
            (component, RDF.type, QB.ComponentSpecification),
            (component, role, prop),
            (component, QB.order, lit(order)),
        ]
    return triples


def _dataset(document: NamedNode, name: str, zh: str, en: str) -> tuple[NamedNode, list]:
    node = part_iri(document, "dataset", name)
    return node, [
        (node, RDF.type, QB.DataSet),
        (node, QB.structure, DSD),
        (node, DCT.source, document),
        (node, RDFS.label, lit(zh, "zh")),
        (node, RDFS.label, lit(en, "en")),
    ]


def _region_names(doc: Document, statement: Statement) -> tuple[str, ...]:
    names = [statement.region or ""]
    region = doc.region
    while region is not None:
        names.append(region.name)
        region = region.parent
    return tuple(n for n in names if n)


def _region_node(doc: Document, name: str | None) -> tuple[NamedNode | None, list]:
    if not name:
        return None, []
    if doc.region is not None and (doc.region.name.endswith(name) or name.endswith(doc.region.name)):
        return region_iri(doc.region), []
    node = entity_iri("region", name)
    return node, [(node, RDF.type, MS.Region), (node, SKOS.prefLabel, lit(name, "zh"))]


def _deadline(doc: Document, statement: Statement) -> tuple[NamedNode | None, list]:
    if statement.year is not None:
        node = year_iri(statement.year)
        return node, [(node, RDF.type, TIME.Instant),
                      (node, TIME.inXSDgYear, lit(statement.year, datatype=XSD.gYear))]
    if statement.per_year and doc.period is not None:
        start, end = doc.period.start, doc.period.end
        node = entity_iri("interval", f"{start}-{end}")
        begin, finish = year_iri(start), year_iri(end)
        return node, [
            (node, RDF.type, TIME.Interval),
            (node, TIME.hasBeginning, begin),
            (node, TIME.hasEnd, finish),
            (begin, RDF.type, TIME.Instant), (begin, TIME.inXSDgYear, lit(start, datatype=XSD.gYear)),
            (finish, RDF.type, TIME.Instant), (finish, TIME.inXSDgYear, lit(end, datatype=XSD.gYear)),
        ]
    return None, []


def _satisfies(value: float, target: Statement) -> bool:
    """Does a measured value meet the target, given its comparator?"""
    goal = float(target.value)
    lower_better = target.comparator in ("<=", "<") or any(w in target.indicator for w in _LOWER_IS_BETTER)
    if target.comparator == "range":
        return goal <= value <= float(target.value_max or goal)
    if target.comparator == ">":
        return value > goal
    if target.comparator == "<":
        return value < goal
    return value <= goal if lower_better else value >= goal


def progress_status(progress: Statement, target: Statement, period_start: int | None) -> str:
    """met / on_track / behind / unknown for one progress figure against its target."""
    if progress.value is None or target.value is None or progress.unit != target.unit:
        return "unknown"
    if _satisfies(float(progress.value), target):
        return "on_track" if progress.forecast else "met"
    if progress.forecast:
        return "behind"
    # Share of the period elapsed: only for a figure inside the plan's period, before the target
    # year (a year before the period, e.g. a baseline-like figure, says nothing about pace).
    if progress.year and target.year and period_start and period_start <= progress.year < target.year:
        elapsed = (progress.year - period_start + 1) / (target.year - period_start + 1)
        goal = float(target.value)
        return "on_track" if goal and float(progress.value) / goal >= elapsed else "behind"
    return "unknown"


def _match_targets(doc: Document) -> dict[int, int]:
    """Index of each progress statement → index of the target of the same indicator and unit."""
    targets: dict[tuple[str, str | None], int] = {}
    for i, s in enumerate(doc.statements):
        if s.kind == "target":
            targets.setdefault((indicator_key(s.indicator, _region_names(doc, s)), s.unit), i)
    links = {}
    for i, s in enumerate(doc.statements):
        if s.kind == "progress":
            j = targets.get((indicator_key(s.indicator, _region_names(doc, s)), s.unit))
            if j is not None:
                links[i] = j
    return links


def statement_triples(doc: Document, index: int, statement: Statement, document: NamedNode,
                      dataset: NamedNode, sections: dict[int, NamedNode]) -> list:
    node = part_iri(document, "statement", index)
    indicator = indicator_iri(doc, statement)
    triples = [
        (node, RDF.type, QB.Observation),
        (node, RDF.type, MS.Observation),
        (node, RDF.type, KIND_CLASSES.get(statement.kind, MS.Observation)),
        (node, QB.dataSet, dataset),
        (node, MS.indicator, indicator),
        (indicator, RDF.type, MS.Indicator),
        (indicator, SKOS.prefLabel, lit(indicator_key(statement.indicator, _region_names(doc, statement)), "zh")),
        (indicator, SKOS.altLabel, lit(statement.indicator, "zh")),
        (node, RDFS.label, lit(statement.text, "zh")),
        (node, MS.numberText, lit(statement.number_text)),
        (node, MS.comparator, lit(statement.comparator)),
        (node, MS.statementKind, lit(statement.kind)),
        (node, MS.perYear, lit(bool(statement.per_year))),
        (node, MS.forecast, lit(bool(statement.forecast))),
        *text_span(node, document, statement.start, statement.end),
    ]
    if statement.value is not None:
        triples.append((node, MS.value, decimal(statement.value)))
    if statement.value_max is not None:
        triples.append((node, MS.valueMax, decimal(statement.value_max)))
    if statement.unit:
        triples.append((node, MS.unit, lit(statement.unit)))
    exponent = unit_multiplier(statement.number_text)
    if exponent:
        triples.append((node, MS.unitMultiplier, lit(exponent)))
    if statement.year is not None:
        triples.append((node, MS.refYear, lit(statement.year, datatype=XSD.gYear)))
    deadline, deadline_triples = _deadline(doc, statement)
    if deadline is not None:
        triples += [(node, MS.deadline, deadline), *deadline_triples]
    if statement.area:
        triples.append((node, MS.policyArea, area_iri(statement.area)))
    region, region_triples = _region_node(doc, statement.region)
    if region is not None:
        triples += [(node, MS.refArea, region), *region_triples]
    section = doc.section_at(statement.start)
    if section is not None and id(section) in sections:
        triples.append((node, MS.inSection, sections[id(section)]))
    return triples


def _plan_start(doc: Document) -> int | None:
    """The plan period as the quantities stage reads it off the text, when metadata has none."""
    clean, _ = clean_view(doc.text)
    return read_context(doc, clean).plan_start


def quantities_triples(doc: Document) -> list:
    """Every statement of the document as an observation, plus datasets, structure and links."""
    if not doc.statements:
        return []
    document = doc_iri(doc.source)
    sections = section_iris(doc)
    targets_ds, triples = _dataset(document, "targets", "目标值", "Targets")
    measured_ds, measured_triples = _dataset(document, "measured", "进展与基数", "Progress and baselines")
    triples += measured_triples + structure_triples()
    for index, statement in enumerate(doc.statements):
        dataset = targets_ds if statement.kind == "target" else measured_ds
        triples += statement_triples(doc, index, statement, document, dataset, sections)
    period_start = doc.period.start if doc.period is not None else _plan_start(doc)
    for progress, target in _match_targets(doc).items():
        node = part_iri(document, "statement", progress)
        triples += [
            (node, MS.progressOf, part_iri(document, "statement", target)),
            (node, MS.status, lit(progress_status(doc.statements[progress], doc.statements[target], period_start))),
        ]
    return triples
