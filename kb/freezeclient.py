"""The freezer's client: each page asked of the app with one WSGI call.

Frozen-Flask asks the app for every page through `app.test_client()`. Werkzeug's test client
builds each request's environ from scratch and wraps each response for inspection, which costs
about a third of what rendering an entry page costs. A static page needs neither: the environ of
every page is the same but for its path, so it is built once by Werkzeug and copied, and the
response is read once. A URL that is not plain ASCII path characters, and a redirect (which the
test client follows), go through the test client itself, so they behave exactly as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from io import BytesIO

from flask import Flask
from flask.testing import EnvironBuilder, FlaskClient

# Characters that quoting and unquoting leave as they are: a path made of them needs no encoding.
PLAIN_PATH = re.compile(r"/(?!/)[A-Za-z0-9._~/-]*")  # "//x" would name a host


class CookielessClient(FlaskClient):
    """The test client, without a cookie jar: a static page sets no cookie, and a jar costs two
    URL parses per page."""

    def __init__(self, *args, **kwargs):
        kwargs["use_cookies"] = False
        super().__init__(*args, **kwargs)


@dataclass
class PageResponse:
    """What Frozen-Flask reads of a response."""

    status: str
    content_type: str | None
    data: bytes

    @property
    def status_code(self) -> int:
        return int(self.status.split(None, 1)[0])

    @property
    def mimetype(self) -> str | None:
        """As Werkzeug gives it: the type as sent, without its parameters."""
        return self.content_type.partition(";")[0].strip() if self.content_type else None

    def close(self) -> None:
        pass


class FreezerClient:
    """A client with the test client's `get`, for Frozen-Flask (set as app.test_client_class)."""

    def __init__(self, app: Flask, response_wrapper=None, use_cookies: bool = False):
        self.app = app
        self.response_wrapper = response_wrapper

    def get(self, url: str, follow_redirects: bool = False, base_url: str | None = None):
        environ = page_environ(self.app, url, base_url)
        if environ is not None:
            response = _call(self.app, environ)
            if not 300 <= response.status_code < 400:  # a redirect: the test client follows it
                return response
        client = CookielessClient(self.app, self.response_wrapper)
        return client.get(url, follow_redirects=follow_redirects, base_url=base_url)


def page_environ(app: Flask, url: str, base_url: str | None) -> dict | None:
    """The environ of url, copied from the one built once; None if url needs encoding."""
    if not PLAIN_PATH.fullmatch(url):
        return None
    environ = dict(_base_environ(app, base_url))
    environ["PATH_INFO"] = url
    environ["REQUEST_URI"] = environ["RAW_URI"] = environ["REQUEST_URI"][:-1] + url
    environ["wsgi.input"] = BytesIO()
    return environ


def environ_for(app: Flask, url: str, base_url: str | None) -> dict:
    """The environ the test client builds for url (what FreezerClient's copies must equal)."""
    client = CookielessClient(app)
    builder = EnvironBuilder(app, url, base_url, environ_base=client.environ_base)
    try:
        return builder.get_environ()
    finally:
        builder.close()


def _base_environ(app: Flask, base_url: str | None) -> dict:
    """The environ of "/" under base_url, built once per app and base URL (page_environ puts
    each page's path and input stream in a copy; its REQUEST_URI ends with the "/" asked for)."""
    built = app.extensions.setdefault("kb_freezer_environ", {})
    if base_url not in built:
        environ = environ_for(app, "/", base_url)
        built[base_url] = {key: value for key, value in environ.items() if key != "wsgi.input"}
    return built[base_url]


def _call(app: Flask, environ: dict) -> PageResponse:
    """What one WSGI call gives: the status, the content type and the whole body.

    Flask's own wsgi_app, step for step, reading a page's body from its response instead of
    through the WSGI protocol (its headers listed, its body iterated: 10 µs of the 340 an entry
    page takes). A file sent as it is, a body without content (a 204 or 304), and an app wrapped
    in middleware take the WSGI call itself.
    """
    if getattr(app.wsgi_app, "__func__", None) is not type(app).wsgi_app:
        return _wsgi_call(app, environ)
    ctx = app.request_context(environ)
    error: BaseException | None = None
    try:
        try:
            ctx.push()
            response = app.full_dispatch_request()
        except Exception as caught:
            error = caught
            response = app.handle_exception(caught)
        except BaseException as caught:
            error = caught
            raise
        if response.direct_passthrough or not response.is_sequence or not _has_body(response):
            return _wsgi_call(response, environ)
        try:
            return PageResponse(
                response.status, response.headers.get("Content-Type"), response.get_data()
            )
        finally:
            response.close()
    finally:
        if error is not None and app.should_ignore_error(error):
            error = None
        ctx.pop(error)


def _has_body(response) -> bool:
    """Whether WSGI sends the response's body (not for 1xx, 204 and 304)."""
    return response.status_code >= 200 and response.status_code not in (204, 304)


def _wsgi_call(wsgi, environ: dict) -> PageResponse:
    """Call a WSGI application (the app, or a response) and read all it answers."""
    started: list = []
    written: list[bytes] = []

    def start_response(status, headers, exc_info=None):
        started[:] = [status, headers]
        return written.append  # WSGI's write(), which Flask never calls

    body = wsgi(environ, start_response)
    try:
        data = b"".join([*written, *body])
    finally:
        if hasattr(body, "close"):
            body.close()
    status, headers = started
    content_type = next((value for name, value in headers if name.lower() == "content-type"), None)
    return PageResponse(status, content_type, data)
