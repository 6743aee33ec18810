"""The HTTP edge: the Flask app, receiving a webhook, ``/readyz`` and ``/metrics``."""
