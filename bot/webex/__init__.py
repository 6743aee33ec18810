"""The Webex API client: typed answers, bounded retries, its errors, and the
webhooks it reconciles with the manifest."""
