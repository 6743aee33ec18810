"""What every ``/v1/`` endpoint shares: Webex errors, the caller, bodies and paging."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from urllib.parse import urlencode

from flask import Response, g, jsonify, request

from emulator.errors import ErrorAnswer
from emulator.ids import new_tracking_id
from emulator.models import Person
from emulator.store import WebexState

JsonDict = dict[str, Any]
T = TypeVar("T")

UNAUTHORIZED = "The request requires a valid access token set in the Authorization request header."


def tracking_id() -> str:
    if "tracking_id" not in g:
        g.tracking_id = new_tracking_id()
    return str(g.tracking_id)


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    response = jsonify(
        {"message": message, "errors": [{"description": message}], "trackingId": tracking_id()}
    )
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def authenticate(store: WebexState) -> Person:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ErrorAnswer(401, UNAUTHORIZED)
    with store.lock:
        person = store.person_by_token(token.strip())
    if person is None:
        raise ErrorAnswer(401, UNAUTHORIZED)
    return person


def caller() -> Person:
    person: Person = g.person
    return person


def json_body() -> JsonDict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ErrorAnswer(400, "The request body must be a JSON object.")
    return body


def optional_str(body: JsonDict, key: str) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ErrorAnswer(400, f"'{key}' must be a string.")
    return value


def required_str(body: JsonDict, key: str) -> str:
    value = optional_str(body, key)
    if not value:
        raise ErrorAnswer(400, f"'{key}' is required.")
    return value


def parse_max(default: int, limit: int) -> int:
    raw = request.args.get("max")
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ErrorAnswer(400, "'max' must be a positive integer.") from None
    if value < 1 or value > limit:
        raise ErrorAnswer(400, f"'max' must be between 1 and {limit}.")
    return value


def paginate(
    items: Sequence[T],
    item_id: Callable[[T], str],
    to_json: Callable[[T], JsonDict],
    *,
    default_max: int = 100,
    limit: int = 1000,
) -> Response:
    """One page of ``items`` and, when more follow, ``Link: <absolute-url>; rel="next"``.

    The cursor is the id of the last item served, so items added at the head
    (newer messages) never shift a page.
    """
    size = parse_max(default_max, limit)
    start = 0
    cursor = request.args.get("cursor")
    if cursor:
        position = next((i for i, item in enumerate(items) if item_id(item) == cursor), None)
        start = len(items) if position is None else position + 1
    page = items[start : start + size]
    response = jsonify({"items": [to_json(item) for item in page]})
    if start + size < len(items) and page:
        args = {k: v for k, v in request.args.items() if k != "cursor"}
        args["max"] = str(size)
        args["cursor"] = item_id(page[-1])
        response.headers["Link"] = f'<{request.base_url}?{urlencode(args)}>; rel="next"'
    return response
