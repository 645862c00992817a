"""Time for the counters: hours since the epoch, UTC days, and a clock the demo can set.

The demo simulates a day of reading through the real beacon endpoint; it sets
:data:`simulated_now` for its own thread so views land in past hours. Nothing else sets it.
"""

import contextvars
from datetime import UTC, date, datetime, timedelta

simulated_now: contextvars.ContextVar[datetime | None] = contextvars.ContextVar(
    "readership_simulated_now", default=None
)


def now() -> datetime:
    return simulated_now.get() or datetime.now(UTC)


def hour_of(moment: datetime) -> int:
    return int(moment.timestamp() // 3600)


def hour_start(hour: int) -> datetime:
    return datetime.fromtimestamp(hour * 3600, UTC)


def utc_day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def end_of_day(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(days=1)
