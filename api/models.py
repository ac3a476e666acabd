"""Response shapes of the JSON API, so the OpenAPI schema says exactly what comes back."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Problem(BaseModel):
    """An error as RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None


class Health(BaseModel):
    """The server answers; `caches` says whether the shared lists of a start or upload are built yet."""

    status: str = Field("ok", description="Always \"ok\" when the server answers")
    caches: str = Field(description="\"warming\" while the plan list, agencies, topics and graph backbone are being "
                                    "built after a start or an upload (requests still work, some wait for the build); "
                                    "\"ready\" once they are built")
    caches_built_in_s: float | None = Field(None, description="Seconds the last build took, once ready")


class PlanSummary(BaseModel):
    id: str = Field(description="IRI of the document")
    source: str = Field(description="Source file name; also usable as the {plan_id} in URLs")
    title: str | None = None
    doc_type: str
    issuer: str | None = None
    region: str | None = None
    adcode: str | None = None
    date: str | None = None


class PlanPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[PlanSummary]


class OutlineSection(BaseModel):
    id: str
    number: str | None = None
    title: str | None = None
    level: int | None = None
    start: int
    end: int
    children: list[OutlineSection] = []


class PlanDetail(PlanSummary):
    graph: str = Field(description="IRI of the plan's named graph")
    text_length: int | None = Field(None, description="Length of the decoded text in code points")
    counts: dict[str, int] = Field(description="Things of each kind in the plan's graph, and its triples")
    outline: list[OutlineSection]


class Annotation(BaseModel):
    id: str = Field(description="IRI of the located node (section, statement, mention, agency, obligation…)")
    kind: str = Field(description="Local name of its class, e.g. Section, Target, Mention, Obligation")
    label: str | None = None
    start: int = Field(description="Offset in code points into the text")
    end: int
    refers_to: str | None = Field(None, description="For a mention: the kind of thing it names (Agency, PolicyArea…)")
    properties: dict[str, list[Any]] | None = Field(None, description="Its other statements: property → values")


class PlanText(BaseModel):
    id: str
    source: str
    text: str | None = Field(description="The decoded, unnormalised text the offsets index")
    length: int | None = None
    kinds: dict[str, int] = Field(description="Annotations of each kind (before filtering and paging)")
    total: int = Field(description="Annotations matching the filter")
    limit: int
    offset: int
    annotations: list[Annotation]


class AgencySummary(BaseModel):
    id: str
    label: str
    plans: list[str] = Field(
        description="Source files (in file-name order) of up to `plans_limit` of the plans that name it: all of them "
        "when plans_total is no more, else a stable sample (a widely named agency is named by thousands of plans)"
    )
    plans_total: int = Field(description="How many plans name it")


class AgencyPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[AgencySummary]


class Uploaded(BaseModel):
    source: str
    triples: int
    plan: PlanSummary | None
    copies: list[str] = Field(
        default_factory=list,
        description="Other documents in the store read from the same bytes (a copy under another name: "
                    "DELETE /api/documents/{name} takes out one you do not want)")


PROBLEMS = {
    404: {"model": Problem, "description": "Unknown id"},
    422: {"model": Problem, "description": "Invalid parameters"},
}
