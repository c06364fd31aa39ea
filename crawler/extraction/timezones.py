"""Infer a site's IANA timezone from the ISO dates with offsets that its own pages carry.

An offset alone is not a timezone (it changes with daylight saving time), so the zone is the
first candidate whose offset agrees with every observation at its own date.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Most likely first: where an offset is shared, the earlier zone wins.
CANDIDATE_ZONES: tuple[str, ...] = (
    "UTC",
    "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix",
    "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu", "America/Halifax",
    "America/St_Johns", "America/Sao_Paulo", "America/Argentina/Buenos_Aires",
    "America/Mexico_City", "America/Bogota",
    "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Berlin", "Europe/Paris",
    "Europe/Athens", "Europe/Helsinki", "Europe/Istanbul", "Europe/Moscow", "Europe/Kyiv",
    "Africa/Lagos", "Africa/Johannesburg", "Africa/Cairo", "Africa/Nairobi",
    "Asia/Dubai", "Asia/Tehran", "Asia/Karachi", "Asia/Kolkata", "Asia/Kathmandu",
    "Asia/Dhaka", "Asia/Bangkok", "Asia/Jakarta", "Asia/Shanghai", "Asia/Singapore",
    "Asia/Manila", "Asia/Tokyo", "Asia/Seoul", "Asia/Jerusalem",
    "Australia/Perth", "Australia/Adelaide", "Australia/Brisbane", "Australia/Sydney",
    "Pacific/Auckland",
)


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """A ZoneInfo by name, with an error that says which name was wrong."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown timezone {name!r}") from exc


def infer_timezone(observations: Iterable[datetime]) -> str | None:
    """The first candidate zone consistent with every aware local datetime observed."""
    seen = [d for d in observations if d.tzinfo is not None and d.utcoffset() is not None]
    if not seen:
        return None
    for name in CANDIDATE_ZONES:
        tz = zone(name)
        if all(tz.utcoffset(d.replace(tzinfo=None)) == d.utcoffset() for d in seen):
            return name
    return None
