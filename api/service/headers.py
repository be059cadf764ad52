"""Security headers on every response and a check of the ``Host`` header: two pure ASGI middlewares.

:class:`SecurityHeaders` adds ``X-Content-Type-Options: nosniff`` and ``Server: stancegraph``
(:data:`SERVER_HEADER`, by which a client given the base URL knows the layout of the routes) to every
response and, to every
document a browser renders (HTML, SVG), a Content-Security-Policy, ``Referrer-Policy: no-referrer`` and a
framing rule. A route may send a policy of its own (the ``/viz`` pages send
:data:`stancegraph.graph.drawing.CONTENT_SECURITY_POLICY`, ``/docs`` adds the hash of Swagger UI's inline
script with :func:`content_security_policy`); the middleware keeps it and adds ``frame-ancestors`` when it
has none. Pages refuse to be framed (``frame-ancestors 'none'``, ``X-Frame-Options: DENY``), except under
the ``embeddable`` paths (``/viz/``), whose views are meant to sit in reports as iframes: there
``frame-ancestors * file:`` (any http(s) page, and a report opened from disk, which ``*`` alone does not
match) and no ``X-Frame-Options``, which cannot say "any origin". Framing them gains an attacker nothing:
they are read-only, submit no forms (``form-action 'none'``) and fetch nothing. An ancestor with an opaque
origin (a sandboxed ``srcdoc`` frame, a ``data:`` page) matches no source, so it cannot frame them.

:class:`AllowedHosts` answers a request whose ``Host`` names none of :func:`accepted_hosts` with a 400
problem, so that a web page on another name that resolves to this service (DNS rebinding) cannot read it.

Examples
--------
>>> split_host("[::1]:8000"), split_host("LocalHost.:80"), split_host("example.org")
(('::1', 8000), ('localhost', 80), ('example.org', None))
>>> host_allowed("localhost:8000", ("localhost", "127.0.0.1"))
True
>>> host_allowed("evil.example", ("localhost",)), host_allowed("a.example.org", ("*.example.org",))
(False, True)
"""

from __future__ import annotations

__all__ = [
    "SERVER_HEADER",
    "SecurityHeaders",
    "AllowedHosts",
    "LOOPBACK_HOSTS",
    "content_security_policy",
    "split_host",
    "host_allowed",
    "accepted_hosts",
]

import base64
import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

from stancegraph.api.service import problems
from stancegraph.api.service.settings import Settings

#: The names of this machine's loopback interface, always accepted in the Host header.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")

#: Media types of documents a browser renders and may run scripts in.
_DOCUMENTS = ("text/html", "application/xhtml+xml", "image/svg+xml")
#: ``frame-ancestors`` of the embeddable pages: any site, and any file a report is opened from.
_ANY_ANCESTOR = "* file:"
_NO_ANCESTOR = "'none'"


def content_security_policy(*, scripts: Iterable[str] = (), frame_ancestors: str = _NO_ANCESTOR) -> str:
    """The Content-Security-Policy of the service's own pages.

    Scripts, styles, images and requests from this origin only, nothing from any other host, no inline
    script but the ones given (allowed by their SHA-256 hash), no inline style, no plugins, no ``<base>``.

    Parameters
    ----------
    scripts : iterable of str
        The exact text of each inline ``<script>`` the page may run (trusted text from a template, never
        text that holds request data).
    frame_ancestors : str
        Who may frame the page: ``'none'`` (the default), ``'self'``, ``*`` ...

    Returns
    -------
    str
        The header value.

    Examples
    --------
    >>> content_security_policy(scripts=["alert(1)"]).split("; ")[1]
    "script-src 'self' 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
    """
    hashes = "".join(
        f" 'sha256-{base64.b64encode(hashlib.sha256(s.encode('utf-8')).digest()).decode('ascii')}'"
        for s in scripts
    )
    return (
        f"default-src 'none'; script-src 'self'{hashes}; style-src 'self'; img-src 'self' data: blob:; "
        f"font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
        f"frame-ancestors {frame_ancestors}"
    )


#: The ``Server`` header of every response (``serve`` turns uvicorn's own off).
SERVER_HEADER = "stancegraph"


class SecurityHeaders:
    """ASGI middleware: ``nosniff`` on every response; a policy, referrer and framing rule on documents.

    Parameters
    ----------
    app
        The ASGI application to wrap.
    embeddable : sequence of str
        Path prefixes whose documents any site may frame (``("/viz/",)``); all others refuse framing.
    """

    def __init__(self, app: Any, *, embeddable: Sequence[str] = ()) -> None:
        self.app = app
        self.embeddable = tuple(embeddable)

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        embeddable = scope.get("path", "").startswith(self.embeddable) if self.embeddable else False

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = _with_headers(message.get("headers") or [], embeddable=embeddable)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _with_headers(headers: Iterable[tuple[bytes, bytes]], *, embeddable: bool) -> list[tuple[bytes, bytes]]:
    """The response's headers with ours added; a header the route set is kept (CSP: extended)."""
    headers = [(name.lower(), value) for name, value in headers]
    given = {name.decode("latin-1"): value.decode("latin-1") for name, value in headers}
    # the Server header names the service, so that a client given its base URL knows its layout
    ours = {"x-content-type-options": "nosniff", "server": SERVER_HEADER}
    if given.get("content-type", "").lower().startswith(_DOCUMENTS):
        ancestors = _ANY_ANCESTOR if embeddable else _NO_ANCESTOR
        policy = given.get("content-security-policy")
        if policy is None:
            ours["content-security-policy"] = content_security_policy(frame_ancestors=ancestors)
        elif "frame-ancestors" not in policy:
            ours["content-security-policy"] = f"{policy.rstrip('; ')}; frame-ancestors {ancestors}"
        if not embeddable:
            ours["x-frame-options"] = "DENY"
        ours["referrer-policy"] = "no-referrer"
    replaced = {"content-security-policy"} & ours.keys()
    kept = [(name, value) for name, value in headers if name.decode("latin-1") not in replaced]
    return kept + [
        (name.encode(), value.encode("latin-1"))
        for name, value in ours.items()
        if name in replaced or name not in given
    ]


def split_host(value: str) -> tuple[str, int | None] | None:
    """A ``Host`` header value as its name (lower case, no trailing dot, IPv6 without brackets) and port.

    Returns ``None`` for a value that is not a host name with an optional numeric port.
    """
    value = value.strip().lower()
    name, port = value, ""
    if value.startswith("["):
        name, bracket, rest = value[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            return None
        port = rest[1:]
    elif value.count(":") == 1:
        name, _, port = value.partition(":")
    if port and not (port.isascii() and port.isdigit()):
        return None
    name = name[:-1] if name.endswith(".") else name
    if not name or any(c in name for c in "/\\@ \t[]"):
        return None
    return name, int(port) if port else None


def host_allowed(value: str, accepted: Iterable[str]) -> bool:
    """Whether the ``Host`` header ``value`` names one of ``accepted`` (any port).

    An accepted entry is a name, ``*.example.org`` (any name under example.org) or ``*`` (any name).
    """
    parsed = split_host(value)
    if parsed is None:
        return False
    name = parsed[0]
    for entry in accepted:
        if entry == "*" or entry == name or (entry.startswith("*.") and name.endswith(entry[1:])):
            return True
    return False


def accepted_hosts(settings: Settings) -> tuple[str, ...]:
    """The names the service answers to: the loopback names, the bind address and ``allowed_hosts``.

    Raises
    ------
    ValueError
        For an ``allowed_hosts`` entry that is not a host name (a URL, a path, an empty string), naming it.
    """
    given = (settings.host, *settings.allowed_hosts)
    return tuple(dict.fromkeys((*LOOPBACK_HOSTS, *map(_accepted_name, given))))


def _accepted_name(entry: str) -> str:
    entry = entry.strip().lower()
    if entry == "*":
        return entry
    wildcard = "*." if entry.startswith("*.") else ""
    parsed = split_host(entry.removeprefix(wildcard))
    if parsed is None:
        raise ValueError(
            f"allowed host {entry!r} is not a host name: give the name alone (example.org, *.example.org, "
            "or * for any), without a scheme or path"
        )
    return wildcard + parsed[0]


class AllowedHosts:
    """ASGI middleware: refuse a request whose ``Host`` header names none of ``hosts`` (400 problem).

    A request without a ``Host`` header (HTTP/1.0) passes: only browsers can be led to another name by
    DNS rebinding, and they always send it.

    Parameters
    ----------
    app
        The ASGI application to wrap.
    hosts : sequence of str
        The accepted names, from :func:`accepted_hosts`.
    """

    def __init__(self, app: Any, *, hosts: Sequence[str]) -> None:
        self.app = app
        self.hosts = tuple(hosts)

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        host = next((v for k, v in scope.get("headers") or [] if k == b"host"), None)
        if host is None or host_allowed(host.decode("latin-1"), self.hosts):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        await self._refuse(host.decode("latin-1"), scope, receive, send)

    async def _refuse(self, host: str, scope: dict, receive: Any, send: Any) -> None:
        parsed = split_host(host)
        name = parsed[0] if parsed else host[:200]
        response = problems.problem(
            400,
            "host",
            f"this service does not answer to the host name {name!r} (Host: {host[:200]!r}); to allow "
            f"it, start the service with --allowed-host {name} or set "
            f"STANCEGRAPH_ALLOWED_HOSTS='[\"{name}\"]'",
            instance=scope.get("path"),
            host=name,
        )
        await response(scope, receive, send)
