"""The JSON API under /api/v1/, its OpenAPI schema at /api/v1/openapi.json and its
browsable docs at /api/v1/docs (served from this site's own static files)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from kb.api import directory
from kb.api.auth import AnonymousReader, TokenRejected, read_auth
from kb.api.parser import StorableJSONParser
from lessons import api as lessons_api
from lessons.tracking import api as tracking_api
from peer_review import api as peer_review_api
from search import api as search_api


class KbOpenAPISchema(OpenAPISchema):
    def operation_security(self, operation):
        security = super().operation_security(operation) or []
        # An operation that also serves the public lists "no credential" as an option.
        if any(isinstance(callback, AnonymousReader) for callback in operation.auth_callbacks):
            security.append({})
        return security or None


class KbAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return KbOpenAPISchema(self, path_prefix)


api = KbAPI(
    title="Lessons Knowledge Base API",
    version="1",
    description=(
        "Debriefs and lessons of the network, trimmed by the Traffic Light Protocol "
        "marking: without a credential only TLP:CLEAR material is returned."
    ),
    urls_namespace="api-v1",
    auth=read_auth,
    parser=StorableJSONParser(),
)


@api.exception_handler(TokenRejected)
def token_rejected(request: HttpRequest, exc: TokenRejected) -> HttpResponse:
    response = api.create_response(request, {"detail": exc.message}, status=401)
    response["WWW-Authenticate"] = 'Token realm="api"'
    return response


api.add_router("", directory.router)
api.add_router("", lessons_api.router)
api.add_router("", search_api.router)
api.add_router("", peer_review_api.router)
api.add_router("", tracking_api.router)
