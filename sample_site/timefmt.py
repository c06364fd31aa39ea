"""Date and time formats the pages use, from naive local times and an IANA zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from functools import cache
from zoneinfo import ZoneInfo


def aware(local: datetime, zone: ZoneInfo) -> datetime:
    return local.replace(tzinfo=zone)


def is_unambiguous(local: datetime, zone: ZoneInfo) -> bool:
    """False for wall times skipped (spring forward) or repeated (fall back) in `zone`."""
    first = local.replace(tzinfo=zone, fold=0)
    second = local.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        return False
    back = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    return back == local


def unambiguous(local: datetime, zone: ZoneInfo) -> datetime:
    """`local`, moved forward by whole hours until it is a single, existing wall time."""
    while not is_unambiguous(local, zone):
        local += timedelta(hours=1)
    return local


def iso_local(local: datetime, zone: ZoneInfo) -> str:
    """ISO 8601 with the local offset: 2019-02-11T00:01:00-05:00."""
    return aware(local, zone).isoformat()


def iso_utc_naive(local: datetime, zone: ZoneInfo) -> str:
    """WordPress `*_gmt` fields: UTC without offset, 2019-02-11T05:01:00."""
    return aware(local, zone).astimezone(UTC).replace(tzinfo=None).isoformat()


def rfc822_utc(local: datetime, zone: ZoneInfo) -> str:
    """RSS pubDate: Mon, 11 Feb 2019 05:01:00 +0000."""
    return format_datetime(aware(local, zone).astimezone(UTC))


def http_date(local: datetime, zone: ZoneInfo) -> str:
    """HTTP-date (Last-Modified): Mon, 11 Feb 2019 05:01:00 GMT."""
    return format_datetime(aware(local, zone).astimezone(UTC), usegmt=True)


def wp_date(local: datetime) -> str:
    """WordPress default date format "F j, Y": February 11, 2019."""
    return f"{local:%B} {local.day}, {local.year}"


def wp_time(local: datetime) -> str:
    """WordPress default time format "g:i a": 1:26 pm, 12:01 am."""
    hour = local.hour % 12 or 12
    return f"{hour}:{local:%M} {'am' if local.hour < 12 else 'pm'}"


def news_datetime(local: datetime, zone: ZoneInfo) -> str:
    """News-site style: Feb. 11, 2019, 1:26 PM EST."""
    month = local.strftime("%b") + ("." if local.month != 5 else "")
    hour = local.hour % 12 or 12
    suffix = "AM" if local.hour < 12 else "PM"
    abbrev = aware(local, zone).tzname()
    return f"{month} {local.day}, {local.year}, {hour}:{local:%M} {suffix} {abbrev}"


def offset_hours(local: datetime, zone: ZoneInfo) -> float:
    offset = aware(local, zone).utcoffset() or timedelta(0)
    return offset.total_seconds() / 3600


@cache
def transitions(year: int, zone: ZoneInfo) -> tuple[datetime, ...]:
    """Naive local times just after each UTC-offset change of `zone` in `year`."""
    found = []
    day = datetime(year, 1, 1, tzinfo=UTC)
    while day.year == year:
        next_day = day + timedelta(days=1)
        if day.astimezone(zone).utcoffset() != next_day.astimezone(zone).utcoffset():
            hour = day
            while hour < next_day:
                before = hour.astimezone(zone).utcoffset()
                hour += timedelta(hours=1)
                if hour.astimezone(zone).utcoffset() != before:
                    found.append(hour.astimezone(zone).replace(tzinfo=None, fold=0))
        day = next_day
    return tuple(found)
