"""The reconciliation service on the web: the routes ``wegokg serve`` mounts under /reconcile.

GET /reconcile                      the manifest; with ``queries=`` (or ``extend=``) a batch
POST /reconcile                     a form with ``queries=`` or ``extend=``
GET /reconcile/suggest/entity       ?prefix=…&type=…&limit=…
GET /reconcile/suggest/type         ?prefix=…
GET /reconcile/suggest/property     ?prefix=…
GET /reconcile/properties           ?type=…&limit=…   (property proposals)
GET /reconcile/preview              ?id=…&lang=…      (an HTML card)
GET /reconcile/preview.css                            (the card's stylesheet)
GET /reconcile/view                 ?id=…             (redirects to the site's page)

Every answer is read-only and comes from the index built at start; CORS is open (the server's
CORS middleware answers every origin), because OpenRefine calls from the browser.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from wegokg.server.reconcile.requests import ReconcileRequestError
from wegokg.server.reconcile.service import ReconcileService
from wegokg.server.sparql_protocol import MAX_QUERY_BYTES

PREFIX = "/reconcile"
# The server's one limit on a request body (``wegokg.server.serve`` answers 413 above it before
# reading it): a POSTed batch of 1,000 queries fits many times.
MAX_BODY = MAX_QUERY_BYTES
PREVIEW_POLICY = "default-src 'none'; style-src 'self'; frame-ancestors *"


def reconcile_routes(service: ReconcileService) -> list[Route]:
    """The routes of the service, to put before the server's catch-all routes."""

    async def endpoint(request: Request) -> Response:
        params = dict(request.query_params)
        if request.method == "POST":
            body = b""
            async for chunk in request.stream():
                body += chunk
                if len(body) > MAX_BODY:
                    return _error(413, f"a request body holds at most {MAX_BODY} bytes")
            params.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        try:
            if "queries" in params:
                return _json(service.reconcile(params["queries"]), params)
            if "extend" in params:
                return _json(service.extend(params["extend"], params.get("lang", "en")), params)
        except ReconcileRequestError as error:
            return _error(400, str(error))
        return _json(service.manifest(_base(request)), params)

    async def suggest_entity(request: Request) -> Response:
        q = request.query_params
        try:
            answer = service.suggest_entities(q.get("prefix", ""), q.get("type"), _limit(q))
        except ReconcileRequestError as error:
            return _error(400, str(error))
        return _json(answer, q)

    async def suggest_type(request: Request) -> Response:
        q = request.query_params
        return _json(service.suggest_types(q.get("prefix", ""), _limit(q)), q)

    async def suggest_property(request: Request) -> Response:
        q = request.query_params
        return _json(service.suggest_properties(q.get("prefix", ""), _limit(q)), q)

    async def properties(request: Request) -> Response:
        q = request.query_params
        limit = _limit(q) if "limit" in q else None
        return _json(service.propose_properties(q.get("type"), limit), q)

    async def preview(request: Request) -> Response:
        iri = request.query_params.get("id", "")
        card = service.preview(iri, request.query_params.get("lang"))
        if card is None:
            return _error(404, f"no resource {iri!r} in the graph")
        return Response(
            card,
            media_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": PREVIEW_POLICY},
        )

    async def preview_style(request: Request) -> Response:
        from wegokg.publish.site.render import static_file

        stylesheet = static_file("reconcile-preview.css")
        return Response(stylesheet, media_type="text/css; charset=utf-8")

    async def view(request: Request) -> Response:
        iri = request.query_params.get("id", "")
        path = service.view_path(iri)
        if path is None:
            return _error(404, f"no resource {iri!r} in the graph")
        return RedirectResponse(path, status_code=303)

    return [
        Route(PREFIX, endpoint, methods=["GET", "HEAD", "POST"]),
        Route(PREFIX + "/suggest/entity", suggest_entity, methods=["GET", "HEAD"]),
        Route(PREFIX + "/suggest/type", suggest_type, methods=["GET", "HEAD"]),
        Route(PREFIX + "/suggest/property", suggest_property, methods=["GET", "HEAD"]),
        Route(PREFIX + "/properties", properties, methods=["GET", "HEAD"]),
        Route(PREFIX + "/preview", preview, methods=["GET", "HEAD"]),
        Route(PREFIX + "/preview.css", preview_style, methods=["GET", "HEAD"]),
        Route(PREFIX + "/view", view, methods=["GET", "HEAD"]),
    ]


def _base(request: Request) -> str:
    return str(request.url.replace(query="", fragment="")).rstrip("/")


def _limit(params) -> int:
    try:
        return max(0, min(int(params.get("limit", 10)), 100))
    except ValueError:
        return 10


def _json(answer: dict, params) -> Response:
    """JSON, or JSONP when the client gives a ``callback`` (as OpenRefine 2 did)."""
    callback = params.get("callback")
    if callback and callback.replace("_", "").replace(".", "").isalnum():
        body = f"{callback}({json.dumps(answer, ensure_ascii=False)})"
        return Response(body, media_type="application/javascript; charset=utf-8")
    return JSONResponse(answer)


def _error(status: int, message: str) -> Response:
    return PlainTextResponse(message + "\n", status_code=status)
