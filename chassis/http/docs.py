"""The interactive API documentation at ``/docs``, served from bundled assets only.

FastAPI's default page loads Swagger UI from a public CDN, so opening ``/docs``
would tell a third party who browses the API and run scripts the project
never reviewed. This page loads ``swagger-ui-dist`` (version in
``static/swagger-ui/VERSION``) from the package's own files, mounted at
``/docs/static``, and turns off Swagger UI's online validator badge.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS_PATH = "/docs"
STATIC_PATH = f"{DOCS_PATH}/static"
ASSETS = Path(__file__).parent / "static" / "swagger-ui"
"""The vendored, unmodified swagger-ui-dist files."""


def install_local_docs(app: FastAPI) -> None:
    """Serve Swagger UI at ``/docs`` with its scripts, styles and icon from the package.

    The app must be built with ``docs_url=None`` and ``redoc_url=None`` (ReDoc
    also loads from a CDN, so it is not offered).
    """
    app.mount(STATIC_PATH, StaticFiles(directory=ASSETS), name="swagger-ui-assets")

    @app.get(DOCS_PATH, include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title} - API documentation",
            swagger_js_url=f"{root}{STATIC_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{STATIC_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{root}{STATIC_PATH}/favicon-32x32.png",
            swagger_ui_parameters={"validatorUrl": None},
        )
