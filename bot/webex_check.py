"""What a failed token check (``GET /people/me``) means, said so an operator can act.

``statusbot run`` and ``statusbot doctor`` both check the token before anything
else. Telling "Webex refused the token" from "Webex could not be reached" matters:
the first is fixed on developer.webex.com, the second in the network (proxy,
firewall, DNS) or in STATUSBOT_WEBEX_API_URL, and sending someone to regenerate a
good token during an outage costs them an hour.
"""

from __future__ import annotations

from bot.webex import WebexError

#: Statuses with which Webex judged the token itself.
REFUSED = frozenset({401, 403})


def explain(error: WebexError, api_url: str) -> str:
    """One line: what went wrong checking the token, and what to fix."""
    tracking = f", tracking id {error.tracking_id}" if error.tracking_id else ""
    status = error.status_code
    if status is None:
        what = error.reason.rsplit(": ", 1)[-1]  # "connection error" or "timeout"
        return (
            f"cannot reach the Webex API at {api_url} ({what}): a network problem, "
            "not the token: check STATUSBOT_WEBEX_API_URL and this machine's network "
            "(DNS, proxy, firewall)"
        )
    if status in REFUSED:
        return (
            f"WEBEX_ACCESS_TOKEN was refused by {api_url} (HTTP {status}{tracking}): "
            "check the bot's token on developer.webex.com"
        )
    if status == 429 or status >= 500:
        return (
            f"the Webex API at {api_url} is not answering (HTTP {status}{tracking}), so the "
            "token could not be checked: try again in a few minutes"
        )
    return (
        f"the Webex API at {api_url} answered HTTP {status}{tracking} to the token check: "
        "check STATUSBOT_WEBEX_API_URL (it should end in /v1/) and WEBEX_ACCESS_TOKEN"
    )
