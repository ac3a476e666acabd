"""The OpenAPI schema as the service really answers: every error is application/problem+json.

FastAPI documents error models as application/json and its own 422 as HTTPValidationError;
our handlers (api/errors.py) answer RFC 9457 problem details instead, so the schema is
rewritten once to say so, and clients and schemathesis can rely on it.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
PROBLEM_SCHEMA = {
    "title": "Problem",
    "type": "object",
    "description": "An error as RFC 9457 problem details.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object"}, "description": "For 422: each invalid parameter"},
    },
    "required": ["type", "title", "status"],
}


def problem_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Every 4xx/5xx response of every operation documented as application/problem+json,
    and 404 documented wherever a path parameter names something that may not exist."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            if any(p.get("in") == "path" for p in operation.get("parameters", [])) and "404" not in responses:
                responses["404"] = {"description": "No such id"}  # every lookup by id can miss
            for status, response in operation.get("responses", {}).items():
                if not status[:1] in ("4", "5"):
                    continue
                content = response.get("content") or {}
                if "application/problem+json" in content and len(content) == 1:
                    content["application/problem+json"] = {"schema": PROBLEM_REF}
                    continue
                response["content"] = {"application/problem+json": {"schema": PROBLEM_REF}}
    return schema


def install_openapi(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
            app.openapi_schema = problem_errors(schema)
        return app.openapi_schema

    app.openapi = openapi


def install_docs(app: FastAPI) -> None:
    """Swagger UI at /docs from the bundled files (swagger-ui-bundle), so the page works offline."""
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.responses import HTMLResponse
    from fastapi.staticfiles import StaticFiles
    from swagger_ui_bundle import swagger_ui_path

    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_path), name="swagger")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url,
            title=f"{app.title} API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/swagger/favicon-32x32.png",
        )
