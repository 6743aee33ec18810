"""The floor: a Flask endpoint that does what any webhook receiver must, and nothing else.

It checks the HMAC-SHA1 signature over the raw body, parses the JSON, and
answers 200, under the same gunicorn settings as ``statusbot run``
(``gunicorn benchmarks.bare_app:app``). Whatever ``statusbot run`` costs
beyond this is the bot's own work: storing the event durably, waking workers,
answering. ``BENCH_SECRET`` is the webhook secret.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os

from flask import Flask, Response, jsonify, request

app = Flask("bare")
SECRET = os.environ.get("BENCH_SECRET", "").encode()


@app.post("/webhooks/webex")
def webhook() -> tuple[Response, int]:
    body = request.get_data(cache=False)
    expected = hmac.new(SECRET, body, hashlib.sha1).hexdigest()
    if not hmac.compare_digest(expected, request.headers.get("X-Spark-Signature", "")):
        return jsonify({"error": "bad signature"}), 401
    envelope = json.loads(body)
    return jsonify({"status": "stored", "id": envelope["data"]["id"]}), 200
