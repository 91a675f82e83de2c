"""The account: who the token belongs to (``whoami``) and this month's usage (``usage``).

``AccountService`` holds the flows; ``Account`` and ``Usage`` are their typed results.
Usage amounts are the server's micro-cents (1 USD = 100,000,000 micro-cents), kept as the
numbers it sent; the ``_usd`` fields convert them exactly, as ``Decimal``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import attrs

from puter_client._generated import endpoints, models
from puter_client.core.flow import Flow
from puter_client.core.serialization import ModelValidationError, structure
from puter_client.core.session import Session

__all__ = ["MICROCENTS_PER_USD", "Account", "AccountService", "Usage", "UsageAmount"]

MICROCENTS_PER_USD = 100_000_000


@attrs.frozen
class Account:
    """The account a token belongs to.

    ``created`` is the account's creation time (UTC), ``directories`` its home folders
    (path -> folder uid); ``extra`` holds keys this SDK does not know yet, and ``whoami``
    the server's whole answer.
    """

    username: str
    uuid: str | None
    email: str | None
    email_confirmed: bool | None
    is_temp: bool
    created: datetime.datetime | None
    otp: bool | None
    feature_flags: dict[str, Any]
    directories: dict[str, str]
    extra: dict[str, Any]
    whoami: models.WhoAmI = attrs.field(repr=False)

    @classmethod
    def of(cls, whoami: models.WhoAmI) -> Account:
        """The account described by a ``/whoami`` answer."""
        created = None
        if whoami.created_ts is not None:
            created = datetime.datetime.fromtimestamp(whoami.created_ts, datetime.timezone.utc)
        email = whoami.email if isinstance(whoami.email, str) else None
        return cls(
            username=whoami.username,
            uuid=whoami.uuid,
            email=email,
            email_confirmed=whoami.email_confirmed,
            is_temp=bool(whoami.is_temp),
            created=created,
            otp=whoami.otp,
            feature_flags=dict(whoami.feature_flags or {}),
            directories=dict(whoami.directories or {}),
            extra=dict(whoami.additional_properties),
            whoami=whoami,
        )


@attrs.frozen
class UsageAmount:
    """One usage type this month: ``units`` used, their ``cost`` (micro-cents), ``count``
    of calls."""

    units: float
    cost: float
    count: int

    @property
    def cost_usd(self) -> Decimal:
        """``cost`` in US dollars."""
        return to_usd(self.cost)


@attrs.frozen
class Usage:
    """This month's usage of the account and its allowance.

    Amounts are micro-cents as the server sent them (``unit`` is ``"credits"`` instead
    when the deployment scales money into credits); ``total_usd`` and
    ``allowance_remaining_usd`` are the same amounts in US dollars. ``report`` is the
    server's whole answer (per-app totals included).
    """

    by_type: dict[str, UsageAmount]
    total: float
    allowance_monthly: float
    allowance_remaining: float
    unit: str
    report: models.MonthlyUsage = attrs.field(repr=False)

    @property
    def total_usd(self) -> Decimal:
        """``total`` in US dollars."""
        return to_usd(self.total)

    @property
    def allowance_remaining_usd(self) -> Decimal:
        """``allowance_remaining`` in US dollars."""
        return to_usd(self.allowance_remaining)

    @classmethod
    def of(cls, report: models.MonthlyUsage) -> Usage:
        """The usage described by a ``/metering/usage`` answer."""
        by_type = {}
        for usage_type, row in report.usage.additional_properties.items():
            try:
                typed = structure(row, models.UsageRow)
            except ModelValidationError:
                continue  # a key that is not a usage row (a newer summary field)
            by_type[usage_type] = UsageAmount(
                units=typed.units or 0, cost=typed.cost or 0, count=typed.count or 0
            )
        total = report.usage.total
        if total is None:
            total = sum(amount.cost for amount in by_type.values())
        info = report.allowance_info
        return cls(
            by_type=by_type,
            total=total,
            allowance_monthly=info.month_usage_allowance or 0,
            allowance_remaining=info.remaining or 0,
            unit=info.unit or "micro-cents",
            report=report,
        )


def to_usd(microcents: float) -> Decimal:
    """Micro-cents in US dollars, exactly as the number reads (no binary float error)."""
    return Decimal(repr(microcents)) / MICROCENTS_PER_USD


class AccountService:
    """The account calls of one client."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def whoami(self) -> Flow[Account]:
        """The account the client's token belongs to."""
        answer = yield from self._session.send(endpoints.WHOAMI, endpoints.parse_whoami)
        return Account.of(answer)

    def usage(self) -> Flow[Usage]:
        """This month's usage and allowance."""
        report = yield from self._session.send(
            endpoints.MONTHLY_USAGE, endpoints.parse_monthly_usage
        )
        return Usage.of(report)
