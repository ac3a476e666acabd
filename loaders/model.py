"""Plain data passed between the pipeline's stages.

decode → structure → metadata → extract (quantities, concepts, obligations) → map to RDF.
Every stage reads and writes these dataclasses only, so each can be tested alone.
All offsets are Python string indices (code points) into `Document.text`, the
decoded but otherwise untouched original text.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

DOC_TYPES = (
    "five_year_plan",
    "annual_work_plan",
    "evaluation_report",
    "press_article",
    "policy_interpretation",
    "policy_measures",
    "budget",
    "other",
)


@dataclass
class DecodedText:
    """Output of the decode stage: the text as a reader sees it, and how it was read."""

    source: str  # file name, e.g. "000_88596622a34990bc.txt"
    text: str
    format: str  # "txt", "html", "docx", "pdf"
    encoding: str | None = None  # e.g. "utf-8", "utf-8-sig", "gb18030"; None for binary formats
    digest: str | None = None  # SHA-256 of the file's bytes, hex: ingest skips a file the store holds unchanged


@dataclass
class Span:
    start: int
    end: int


@dataclass
class Section:
    """A node of the outline: heading plus body, [start, end) in the original text."""

    number: str  # as written: "一、", "(一)", "1.", "第一章", "01"
    title: str
    level: int  # 1 = top
    start: int
    end: int
    children: list[Section] = field(default_factory=list)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Region:
    name: str  # canonical full name, e.g. "天津市河东区"; "XX市" when anonymised
    adcode: str | None = None  # GB/T 2260, e.g. "120102"
    level: str | None = None  # "country" | "province" | "city" | "district"
    parent: Region | None = None


@dataclass
class Period:
    start: int
    end: int


@dataclass
class Metadata:
    """What the metadata stage reads off a document (see `mskg parse`)."""

    title: str | None = None
    doc_type: str = "other"
    issuer: str | None = None
    date: str | None = None
    doc_number: str | None = None
    region: Region | None = None
    period: Period | None = None
    cites: list[str] = field(default_factory=list)
    about: str | None = None


@dataclass
class Statement:
    """One quantified statement: a number attached to a measurable indicator."""

    doc: str
    start: int
    end: int
    text: str
    number_text: str
    indicator: str
    value: float | int | None
    value_max: float | int | None
    unit: str | None
    comparator: str  # ">=", "=", "<=", ">", "<", "range"
    year: int | None
    per_year: bool
    kind: str  # "target" | "progress" | "baseline"
    forecast: bool = False
    area: str | None = None
    region: str | None = None


@dataclass
class Mention:
    """A span of text that names a concept of one of the SKOS schemes."""

    concept: str  # concept id, e.g. "special_equipment", "elevator", "four_strictest"
    scheme: str  # "policy_area" | "mandate" | "regulated_party"
    start: int
    end: int
    text: str
    sentence_start: int | None = None  # the sentence (or paragraph) that holds the mention: evidence
    sentence_end: int | None = None


@dataclass
class Agency:
    """One real organisation, whatever form the text names it by."""

    id: str  # stable slug
    name: str  # canonical full name
    aliases: list[str] = field(default_factory=list)
    parent: str | None = None  # id of the parent agency, when the text shows it
    spans: list[Span] = field(default_factory=list)


@dataclass
class Obligation:
    """An ODRL-style duty: who must do what, to which object, by when."""

    start: int
    end: int
    text: str
    bearer: str | None  # agency id or regulated-party concept id
    action: str  # directive verb, e.g. "加强"
    object: str
    modality: str  # "obligation" | "goal" | "encouragement" | "prohibition"
    area: str | None = None
    deadline: int | None = None
    targets: list[int] = field(default_factory=list)  # indices into Document.statements
    action_id: str | None = None  # ODRL action id of ontology/concepts/actions.ttl, e.g. "strengthen"


@dataclass
class Document:
    """Everything the loaders know about one document."""

    source: str
    text: str
    format: str = "txt"
    encoding: str | None = None
    digest: str | None = None  # of the source file's bytes (see DecodedText)
    title: str | None = None
    doc_type: str = "other"
    issuer: str | None = None
    date: str | None = None  # ISO 8601
    doc_number: str | None = None
    region: Region | None = None
    period: Period | None = None
    cites: list[str] = field(default_factory=list)
    about: str | None = None
    sections: list[Section] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)
    obligations: list[Obligation] = field(default_factory=list)

    def all_sections(self):
        for section in self.sections:
            yield from section.walk()

    def section_at(self, offset: int) -> Section | None:
        """The innermost section whose span holds `offset`."""
        found = None
        nodes = self.sections
        while nodes:
            for node in nodes:
                if node.start <= offset < node.end:
                    found = node
                    nodes = node.children
                    break
            else:
                break
        return found

    def outline_dict(self) -> dict[str, Any]:
        """The `mskg parse` view: metadata and outline, without the text and the facts."""
        data = asdict(self)
        for key in ("text", "statements", "mentions", "agencies", "obligations", "format", "encoding"):
            data.pop(key)
        if self.region is not None:
            data["region"] = {"name": self.region.name, "adcode": self.region.adcode, "level": self.region.level}
        return data


class DocumentError(Exception):
    """A document that cannot be read; the message names the file and says why, in one line."""
