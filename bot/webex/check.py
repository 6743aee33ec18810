"""What a failed token check (``GET /people/me``) means, said so an operator can act.

``statusbot run`` and ``statusbot doctor`` both check the token before anything
else. Telling "Webex refused the token" from "Webex could not be reached" matters:
the first is fixed on developer.webex.com, the second in the network (proxy,
firewall, DNS) or in STATUSBOT_WEBEX_API_URL, and sending someone to regenerate a
good token during an outage costs them an hour.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.settings import SettingsError

if TYPE_CHECKING:  # the CLI imports this module for every verb: keep it light
    from bot.webex.errors import WebexError

#: Statuses with which Webex judged the token itself.
REFUSED = frozenset({401, 403})


class WebexUnavailable(Exception):
    """Webex could not be asked (network, outage, rate limit): trying again later may
    work, so ``statusbot run`` exits 3 (as ``sync`` does), not 2, and a supervisor
    that restarts on failure but not on bad settings (deploy/systemd) tries again."""


def token_check_failed(error: WebexError, api_url: str) -> Exception:
    """What ``run`` raises when the token check failed: a setting, or Webex unavailable."""
    message = explain(error, api_url)
    return SettingsError(message) if _judged(error) else WebexUnavailable(message)


def _judged(error: WebexError) -> bool:
    """Webex answered, and not with an outage: the token or the URL is at fault."""
    status = error.status_code
    return status is not None and status != 429 and status < 500


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
