"""A Query in words: a title that says what was asked and how many matched.

Common questions get a whole-sentence title of their own ("3 customers with
subscriptions expiring within 30 days"); any other combination gets "N
customers match this filter" and one line per condition, each a whole
sentence too, so nothing is glued together across languages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from core.query import Query
from core.statuses import Lang, ProvisioningStatus, SubscriptionKind, SubscriptionStatus
from handlers.cards.safe_text import md
from handlers.i18n import join_or
from handlers.i18n import t as translate

Translate = Callable[..., str]
#: How a title key names the kind a question is limited to ("list_title_trial_…").
_KIND_PART = {None: "", SubscriptionKind.TRIAL: "_trial", SubscriptionKind.PAID: "_paid"}


@dataclass(frozen=True, slots=True)
class Description:
    title: str
    conditions: tuple[str, ...] = ()


def _labels(statuses: Iterable[ProvisioningStatus | SubscriptionStatus], lang: Lang) -> str:
    ordered = sorted(statuses, key=lambda status: status.rank)
    return join_or([status.label(lang) for status in ordered], lang)


def _set_fields(query: Query) -> set[str]:
    return {name for name in Query.model_fields if getattr(query, name) != getattr(Query(), name)}


def describe(query: Query, count: int, lang: Lang, *, markdown: bool = False) -> Description:
    """The list title for ``count`` matches of ``query`` (data left unescaped:
    the caller puts it in a TextRun), or with ``markdown`` the same sentences
    with every parameter escaped for the markdown fallback."""
    t = md if markdown else translate
    fields = _set_fields(query)
    if not fields:
        return Description(t("list_title_all", lang, count=count))
    if fields == {"needing_attention"}:
        return Description(t("list_title_attention", lang, count=count))
    if fields == {"name"} and query.name is not None:
        return Description(t("list_title_name", lang, count=count, name=query.name))
    within = query.expiring_within_days
    if within is not None and fields <= {"expiring_within_days", "kind"}:
        duration = t("duration_days", lang, count=within)
        key = {
            None: "list_title_expiring",
            SubscriptionKind.TRIAL: "list_title_trial_expiring",
            SubscriptionKind.PAID: "list_title_paid_expiring",
        }[query.kind]
        if within == 0:  # "within 0 days" is today, as the rows say
            key += "_today"
        return Description(t(key, lang, count=count, duration=duration))
    for field, day in (
        ("expiring_by", query.expiring_by),
        ("expiring_before", query.expiring_before),
    ):
        if day is not None and fields <= {field, "kind"}:  # "before": the date as typed
            key = f"list_title{_KIND_PART[query.kind]}_{field}"
            return Description(t(key, lang, count=count, date=day.isoformat()))
    if fields == {"provisioning"} and len(query.provisioning) == 1:
        (status,) = query.provisioning
        return Description(
            t("list_title_provisioning", lang, count=count, status=status.label(lang))
        )
    if fields == {"subscription"} and len(query.subscription) == 1:
        (sub_status,) = query.subscription
        return Description(
            t("list_title_subscription", lang, count=count, status=sub_status.label(lang))
        )
    return Description(t("list_title_filtered", lang, count=count), conditions(query, lang, t))


def conditions(query: Query, lang: Lang, t: Translate = translate) -> tuple[str, ...]:
    """One whole sentence per condition of ``query``."""
    lines: list[str] = []
    if query.needing_attention:
        lines.append(t("cond_attention", lang))
    if query.provisioning:
        lines.append(t("cond_provisioning", lang, statuses=_labels(query.provisioning, lang)))
    if query.subscription:
        lines.append(t("cond_subscription", lang, statuses=_labels(query.subscription, lang)))
    if query.expiring_within_days == 0:
        lines.append(t("cond_today", lang))
    elif query.expiring_within_days is not None:
        duration = t("duration_days", lang, count=query.expiring_within_days)
        lines.append(t("cond_within", lang, duration=duration))
    if query.expiring_by is not None:
        lines.append(t("cond_by", lang, date=query.expiring_by.isoformat()))
    if query.expiring_before is not None:
        lines.append(t("cond_before", lang, date=query.expiring_before.isoformat()))
    if query.kind is SubscriptionKind.TRIAL:
        lines.append(t("cond_trial", lang))
    elif query.kind is SubscriptionKind.PAID:
        lines.append(t("cond_paid", lang))
    if query.name is not None:
        lines.append(t("cond_name", lang, name=query.name))
    return tuple(lines)
