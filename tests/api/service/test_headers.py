"""Security headers on every kind of response, and the Host check (api/headers.py).

The parsing and the policy are tested as functions; the middlewares in-process through httpx's ASGI
transport on routes that need no running store (``/docs``, ``/openapi.json``, ``/static``; the app's
lifespan is not run there); the landing page, ``/viz``, ``/api`` and ``/sparql`` on the service with its
store (in-process too, its lifespan run), and ``serve --allowed-host`` on a real service of its own.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
from pathlib import Path

import httpx
import pytest

from stancegraph.api.service.app import create_app
from stancegraph.api.service.headers import (
    AllowedHosts,
    accepted_hosts,
    content_security_policy,
    host_allowed,
    split_host,
)
from stancegraph.api.service.settings import Settings
from stancegraph.graph.drawing.pages import CONTENT_SECURITY_POLICY

from .conftest import InProcess, running_service

PAGE_FRAMING = {"x-frame-options": "DENY"}
EVIL = "evil.example"


def sources(policy: str) -> dict[str, list[str]]:
    """A Content-Security-Policy as {directive: [source, ...]}."""
    parsed = {}
    for directive in policy.split(";"):
        name, *values = directive.split()
        assert name not in parsed, f"{name} given twice in {policy!r}"
        parsed[name] = values
    return parsed


def assert_own_page_policy(policy: str) -> None:
    """The policy of the service's pages: nothing from another host, no inline script or style."""
    parsed = sources(policy)
    assert parsed["default-src"] == ["'none'"]
    assert parsed["frame-ancestors"] == ["'none'"]
    assert parsed["base-uri"] == ["'none'"]
    for name, values in parsed.items():
        for value in values:
            assert value in ("'self'", "'none'", "data:", "blob:") or re.fullmatch(
                r"'sha256-[A-Za-z0-9+/]{43}='", value
            ), f"{name} allows {value}"


def in_process(settings: Settings, method: str, path: str, *, host: str, **options) -> httpx.Response:
    """One request to ``create_app(settings)`` through httpx's ASGI transport (no lifespan run)."""
    app = create_app(settings)

    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as client:
            return await client.request(method, path, headers={"Host": host}, **options)

    return asyncio.run(send())


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(store=tmp_path / "store", load_bundled=False)


# -- the functions ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("localhost", ("localhost", None)),
        ("LocalHost:8000", ("localhost", 8000)),
        ("localhost.:8000", ("localhost", 8000)),
        ("127.0.0.1:65535", ("127.0.0.1", 65535)),
        ("[::1]:8000", ("::1", 8000)),
        ("[::1]", ("::1", None)),
        ("::1", ("::1", None)),
        ("stances.example.org", ("stances.example.org", None)),
        ("", None),
        ("localhost:http", None),
        ("[::1]x", None),
        ("[::1", None),
        ("evil.example/path", None),
        ("user@localhost", None),
        ("http://localhost", None),
    ],
)
def test_split_host(value: str, expected) -> None:
    assert split_host(value) == expected


@pytest.mark.parametrize(
    ("value", "allowed"),
    [
        ("localhost:8000", True),
        ("127.0.0.1:1", True),
        ("[::1]:8000", True),
        ("stances.example.org", True),
        ("a.b.example.net:443", True),
        (EVIL, False),
        (EVIL + ":8000", False),
        ("localhost.evil.example", False),
        ("127.0.0.1.evil.example", False),
        ("example.net", False),  # *.example.net is its subdomains only
        ("evilexample.net", False),
        ("localhost@evil.example", False),
        ("", False),
    ],
)
def test_host_allowed(value: str, allowed: bool) -> None:
    accepted = ("localhost", "127.0.0.1", "::1", "stances.example.org", "*.example.net")
    assert host_allowed(value, accepted) is allowed


def test_accepted_hosts_are_loopback_the_bind_address_and_the_setting() -> None:
    assert accepted_hosts(Settings()) == ("localhost", "127.0.0.1", "::1")
    chosen = Settings(host="10.0.0.5", allowed_hosts=["Stances.Example.org", "*.example.net", "[::1]:80"])
    assert accepted_hosts(chosen) == (
        "localhost",
        "127.0.0.1",
        "::1",
        "10.0.0.5",
        "stances.example.org",
        "*.example.net",
    )
    assert "*" in accepted_hosts(Settings(allowed_hosts=["*"]))


@pytest.mark.parametrize("entry", ["https://stances.example.org", "example.org/path", "", "*.", "a b"])
def test_an_allowed_host_that_is_no_name_is_refused_at_start(entry: str) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(entry.lower()))) as error:
        create_app(Settings(allowed_hosts=[entry]))
    assert "without a scheme or path" in str(error.value)


def test_policy_allows_inline_scripts_by_hash_only() -> None:
    script = "\n    const ui = SwaggerUIBundle({url: '/openapi.json'})\n    "
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    policy = content_security_policy(scripts=[script])
    assert sources(policy)["script-src"] == ["'self'", f"'sha256-{digest}'"]
    assert "unsafe" not in policy
    assert_own_page_policy(policy)
    assert sources(content_security_policy(frame_ancestors="'self'"))["frame-ancestors"] == ["'self'"]


def test_a_request_without_host_header_passes() -> None:
    # HTTP/1.0 has no Host header; DNS rebinding needs a browser, which always sends one
    reached = []

    async def app(scope, receive, send) -> None:
        reached.append(scope["path"])

    scope = {"type": "http", "path": "/sparql", "headers": [(b"accept", b"*/*")]}
    asyncio.run(AllowedHosts(app, hosts=("localhost",))(scope, None, None))
    assert reached == ["/sparql"]


# -- in-process ---------------------------------------------------------------------------------------


def test_docs_page_policy_hashes_its_inline_script(settings: Settings) -> None:
    response = in_process(settings, "GET", "/docs", host="127.0.0.1:8000")
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert_own_page_policy(policy)
    inline = re.findall(r"<script>(.*?)</script>", response.text, flags=re.DOTALL)
    assert len(inline) == 1 and "SwaggerUIBundle" in inline[0]
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    assert sources(policy)["script-src"] == ["'self'", f"'sha256-{digest}'"]
    assert "validator.swagger.io" not in response.text and '"validatorUrl": null' in response.text
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/openapi.json", 200),
        ("GET", "/static/site.css", 200),
        ("GET", "/static/app.js", 200),
        ("GET", "/no/such/page", 404),
        ("POST", "/sparql", 413),  # refused by BodyLimit, inside the headers middleware
    ],
)
def test_every_response_is_nosniff_and_only_documents_get_a_policy(
    settings: Settings, method: str, path: str, status: int
) -> None:
    body = {"content": b"x" * (settings.max_body_bytes + 1)} if method == "POST" else {}
    response = in_process(settings, method, path, host="localhost:8000", **body)
    assert response.status_code == status
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in response.headers
    assert "x-frame-options" not in response.headers


@pytest.mark.parametrize("host", ["localhost:8000", "127.0.0.1:80", "[::1]:8000", "localhost", "LOCALHOST."])
def test_loopback_names_with_any_port_are_accepted(settings: Settings, host: str) -> None:
    assert in_process(settings, "GET", "/static/site.css", host=host).status_code == 200


def test_the_bind_address_and_the_allowed_hosts_are_accepted(tmp_path: Path) -> None:
    chosen = Settings(store=tmp_path, host="10.0.0.5", allowed_hosts=["stances.example.org", "*.example.net"])
    for host in ("10.0.0.5:8000", "stances.example.org", "stances.example.org:443", "reports.example.net"):
        assert in_process(chosen, "GET", "/static/site.css", host=host).status_code == 200, host
    assert in_process(chosen, "GET", "/static/site.css", host="example.net").status_code == 400


def test_binding_every_interface_accepts_only_the_listed_names(tmp_path: Path) -> None:
    # 0.0.0.0 answers on every address of the machine, but the service cannot know their names
    chosen = Settings(store=tmp_path, host="0.0.0.0")
    assert in_process(chosen, "GET", "/static/site.css", host="localhost:8000").status_code == 200
    assert in_process(chosen, "GET", "/static/site.css", host="192.168.1.20:8000").status_code == 400
    assert in_process(chosen, "GET", "/static/site.css", host="stances.example.org").status_code == 400


def test_any_host_with_a_star(tmp_path: Path) -> None:
    chosen = Settings(store=tmp_path, allowed_hosts=["*"])
    assert in_process(chosen, "GET", "/static/site.css", host=EVIL).status_code == 200


# -- the service with its store, in-process -----------------------------------------------------------


def assert_refused(response: httpx.Response, path: str, name: str = EVIL) -> None:
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["x-content-type-options"] == "nosniff"
    problem = response.json()
    assert problem["type"].endswith("/problems/host") and problem["host"] == name
    assert problem["instance"] == path
    assert repr(name) in problem["detail"]
    assert f"--allowed-host {name}" in problem["detail"]
    assert f"STANCEGRAPH_ALLOWED_HOSTS='[\"{name}\"]'" in problem["detail"]


@pytest.mark.parametrize("path", ["/sparql", "/", "/api/actors", "/docs", "/viz/plan", "/static/site.css"])
def test_another_host_name_is_refused(client: httpx.Client, path: str) -> None:
    assert_refused(client.get(path, headers={"Host": EVIL}), path)
    assert_refused(client.get(path, headers={"Host": EVIL + ":8000"}), path)


@pytest.mark.parametrize("name", ["localhost", "127.0.0.1"])
@pytest.mark.parametrize("path", ["/sparql", "/", "/api/actors"])
def test_loopback_names_reach_the_service(service: InProcess, client: httpx.Client, name: str, path: str):
    port = httpx.URL(service.url).port
    response = client.get(path, headers={"Host": f"{name}:{port}"})
    assert response.status_code == 200
    if path == "/sparql":  # the service description names the host it was asked under
        assert f"http://{name}:{port}/sparql" in response.text


@pytest.mark.parametrize("path", ["/", "/docs"])
def test_pages_carry_their_policy_and_refuse_framing(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert_own_page_policy(response.headers["content-security-policy"])
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize("path", ["/viz/plan?plan=us-28", "/viz/stances", "/viz/stances.svg"])
def test_viz_documents_keep_their_policy_and_may_be_framed_anywhere(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert policy == CONTENT_SECURITY_POLICY + "; frame-ancestors * file:"
    assert "x-frame-options" not in response.headers
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize(
    ("path", "media"),
    [
        ("/api/actors", "application/json"),
        ("/sparql?query=ASK%20%7B%7D", "application/sparql-results+json"),
        ("/sparql", "text/turtle"),
        ("/openapi.json", "application/json"),
    ],
)
def test_other_answers_are_nosniff_without_a_page_policy(client: httpx.Client, path: str, media: str) -> None:
    response = client.get(path)
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in response.headers
    assert "x-frame-options" not in response.headers


def test_serve_allowed_host_flag(tmp_path: Path) -> None:
    with running_service(
        tmp_path,
        "--allowed-host",
        "stances.example.org",
        "--allowed-host",
        "*.example.net",
        load_bundled=False,
    ) as running:
        with httpx.Client(base_url=running.url, timeout=60) as http:
            for name in ("stances.example.org", "stances.example.org:8443", "reports.example.net"):
                for path in ("/sparql", "/api/actors"):
                    assert http.get(path, headers={"Host": name}).status_code == 200, (name, path)
            assert_refused(http.get("/api/actors", headers={"Host": EVIL}), "/api/actors")
            assert http.get("/api/actors").status_code == 200  # 127.0.0.1 still
