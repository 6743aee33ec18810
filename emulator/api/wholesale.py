"""``/v1/wholesale/customers`` and ``/v1/organizations/{orgId}`` (emulator.wholesale),
and ``PUT /_emulator/wholesale`` to fill them."""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, request

from emulator.api.admin import LOCAL_ADDRESSES
from emulator.api.common import caller, json_body
from emulator.context import EmulatorContext
from emulator.errors import ErrorAnswer

DEFAULT_MAX = 100
MAX_MAX = 1000
NO_SCOPE = (
    "The access token does not hold spark-admin:wholesale_customers_read (a bot token cannot)."
)


def _number(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ErrorAnswer(400, f"'{name}' must be a whole number.") from None
    if not low <= value <= high:
        raise ErrorAnswer(400, f"'{name}' must be between {low} and {high}.")
    return value


def wholesale_blueprint(ctx: EmulatorContext) -> Blueprint:
    bp = Blueprint("wholesale", __name__)
    book = ctx.wholesale

    def admin_only() -> None:
        if caller().is_bot:
            raise ErrorAnswer(403, NO_SCOPE)

    @bp.get("/v1/wholesale/customers")
    def list_customers() -> Response:
        admin_only()
        offset = _number("offset", 0, 0, 10_000_000)
        size = _number("max", DEFAULT_MAX, 1, MAX_MAX)
        statuses = {
            part.strip()
            for value in request.args.getlist("status")
            for part in value.split(",")
            if part.strip()
        }
        found = book.find(statuses, request.args.get("externalId"), request.args.get("orgId"))
        return jsonify({"items": found[offset : offset + size]})

    @bp.get("/v1/wholesale/customers/<customer_id>")
    def get_customer(customer_id: str) -> Response:
        admin_only()
        customer = book.customer(customer_id)
        if customer is None:
            raise ErrorAnswer(404, "Customer not found.")
        return jsonify(customer)

    @bp.get("/v1/organizations/<org_id>")
    def get_organization(org_id: str) -> Response:
        org = book.organization(org_id)
        if org is None:
            raise ErrorAnswer(404, "Organization not found.")
        return jsonify(org)

    @bp.put("/_emulator/wholesale")
    def fill() -> Response:
        if ctx.config.admin_local_only and request.remote_addr not in LOCAL_ADDRESSES:
            abort(403)
        try:
            customers, organizations = book.replace(json_body())
        except ValueError as error:
            response = jsonify({"error": str(error)})
            response.status_code = 400
            return response
        return jsonify({"customers": customers, "organizations": organizations})

    return bp
