"""The URL source against real local HTTP servers (no mocks)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from werkzeug.wrappers import Request, Response

from core.sources.base import SourceError
from core.sources.url import UrlSource, safe_url
from tests.sources.data import ACME, BETA, GAMMA, export
from tests.sources.http_support import LocalServer

NOW = datetime(2026, 11, 30, 8, 15, tzinfo=UTC)


def source(url: str, **options: object) -> UrlSource:
    return UrlSource(url, allow_private=True, **options)  # type: ignore[arg-type]


def test_etag_and_304_cost_no_body_and_keep_the_snapshot(server: LocalServer) -> None:
    body = {"text": export(ACME, BETA), "etag": '"v1"'}

    def answer(request: Request) -> Response:
        if request.headers.get("If-None-Match") == body["etag"]:
            return Response(status=304)
        return Response(body["text"], headers={"ETag": body["etag"]}, content_type="text/csv")

    server.routes["/export.csv"] = answer
    url_source = source(server.url + "/export.csv")
    first = url_source.fetch(NOW)
    assert first.changed and sorted(first.snapshot.customers) == ["c-1", "c-2"]
    second = url_source.fetch(NOW)
    assert second.changed is False and second.snapshot is first.snapshot
    assert server.seen[-1].headers["If-None-Match"] == '"v1"'
    body.update(text=export(ACME, GAMMA), etag='"v2"')
    third = url_source.fetch(NOW)
    assert third.changed and sorted(third.snapshot.customers) == ["c-1", "c-3"]


def test_last_modified_is_sent_back(server: LocalServer) -> None:
    stamp = "Mon, 30 Nov 2026 08:00:00 GMT"

    def answer(request: Request) -> Response:
        if request.headers.get("If-Modified-Since") == stamp:
            return Response(status=304)
        return Response(export(ACME), headers={"Last-Modified": stamp})

    server.routes["/x"] = answer
    url_source = source(server.url + "/x")
    url_source.fetch(NOW)
    assert url_source.fetch(NOW).changed is False


def test_the_bearer_token_is_sent_and_never_part_of_the_name(server: LocalServer) -> None:
    server.routes["/x"] = lambda request: (
        Response(export(ACME))
        if request.headers.get("Authorization") == "Bearer s3cret"
        else Response(status=401)
    )
    with pytest.raises(SourceError, match=r"HTTP 401.*STATUSBOT_SOURCES_TOKEN"):
        source(server.url + "/x").fetch(NOW)
    fetched = source(server.url + "/x", token="s3cret")
    assert list(fetched.fetch(NOW).snapshot.customers) == ["c-1"]
    assert "s3cret" not in fetched.name


def test_a_url_with_credentials_is_shown_without_them() -> None:
    assert safe_url("https://user:pw@example.com:8443/x.csv?key=abc#f") == (
        "https://example.com:8443/x.csv"
    )


def test_a_server_that_does_not_answer_in_time_is_a_failure(server: LocalServer) -> None:
    def stall(request: Request) -> Response:
        server.release.wait(10)
        return Response(export(ACME))

    server.routes["/slow"] = stall
    with pytest.raises(SourceError, match=r"no answer within 0\.3 s"):
        source(server.url + "/slow", timeout=0.3).fetch(NOW)


def test_a_redirect_to_the_same_host_is_followed(server: LocalServer) -> None:
    server.routes["/old"] = lambda request: Response(status=302, headers={"Location": "/new"})
    server.routes["/new"] = lambda request: Response(export(ACME))
    assert list(source(server.url + "/old").fetch(NOW).snapshot.customers) == ["c-1"]


def test_a_redirect_to_another_host_is_refused(
    server: LocalServer, other_server: LocalServer
) -> None:
    other_server.routes["/x"] = lambda request: Response(export(ACME))
    server.routes["/x"] = lambda request: Response(
        status=302, headers={"Location": other_server.url + "/x"}
    )
    with pytest.raises(SourceError, match="redirected to another host"):
        source(server.url + "/x").fetch(NOW)
    assert other_server.seen == []


def test_a_body_over_the_cap_is_refused(server: LocalServer) -> None:
    big = export(ACME).encode() + b"#" * (10 * 1024 * 1024)
    server.routes["/declared"] = lambda request: Response(big)

    def streamed(request: Request) -> Response:  # no Content-Length: counted while read
        return Response(iter([big[i : i + 65536] for i in range(0, len(big), 65536)]))

    server.routes["/streamed"] = streamed
    for path in ("/declared", "/streamed"):
        with pytest.raises(SourceError, match="larger than the cap"):
            source(server.url + path, max_bytes=5 * 1024 * 1024).fetch(NOW)


def test_a_private_address_is_refused_without_the_allowance(server: LocalServer) -> None:
    server.routes["/x"] = lambda request: Response(export(ACME))
    # https: the address is checked on connecting, before any TLS; names are resolved first
    for url in (f"https://127.0.0.1:{server.port}/x", f"https://localhost:{server.port}/x"):
        with pytest.raises(SourceError, match=r"refused: .* private, loopback or link-local"):
            UrlSource(url).fetch(NOW)
    assert server.seen == []
    with pytest.raises(ValueError, match="use https"):
        UrlSource(server.url + "/x")
    assert list(source(server.url + "/x").fetch(NOW).snapshot.customers) == ["c-1"]


def test_server_errors_and_bad_data_are_failures_naming_the_source(server: LocalServer) -> None:
    server.routes["/busy"] = lambda request: Response(status=503, headers={"Retry-After": "120"})
    with pytest.raises(SourceError) as raised:
        source(server.url + "/busy").fetch(NOW)
    assert raised.value.reason == "HTTP 503" and raised.value.retry_after == 120
    server.routes["/bad"] = lambda request: Response(export(ACME, "c-2,,s,paid\n"))
    with pytest.raises(SourceError) as bad:
        source(server.url + "/bad").fetch(NOW)
    assert bad.value.invalid and bad.value.source == server.url + "/bad"
    assert "line 3, column customer_name" in bad.value.report()
