"""A site's timezone: named by the site (its file, WordPress's own setting) or inferred,
honestly, from the ISO dates with offsets that its pages carry.

An offset alone is not a timezone: it changes with daylight saving time, and many zones
share it at any one instant (-07:00 in July is Los Angeles *and* Phoenix). So inference
keeps every zone consistent with all the observations, taken among the zones of the
countries the site's locale names (`en-GB` -> Great Britain) when it names one and one of
them fits, else among the world's most used zones. When the zones left agree on every
offset over the years observed, any of them is right and the first is taken; when they
disagree, the answer is a fixed offset (`Etc/GMT+7`, "UTC+05:30") flagged `offset_only`:
the observed offset is exact at least, and no DST rule is invented. Times in +00:00 beside
local offsets that no zone reconciles are taken for UTC copies (SEO plugins write dates
in UTC) and left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal
from zoneinfo import TZPATH, ZoneInfo, ZoneInfoNotFoundError

TimezoneSource = Literal["site_file", "wordpress_settings", "page_evidence", "default_utc"]

# Most likely first: where zones agree, the earlier one is named.
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
_FIXED = re.compile(r"UTC([+-])(\d{2}):(\d{2})")
_REGION = re.compile(r"^[A-Za-z]{2,3}[-_]([A-Za-z]{2})(?:$|[-_])")


@dataclass(frozen=True)
class SiteTimezone:
    """The zone a site's local times are read in, and where that knowledge came from."""

    name: str
    source: TimezoneSource
    offset_only: bool = False
    """A fixed offset taken from page evidence: right at the observed dates, no DST rule."""


DEFAULT_UTC = SiteTimezone("UTC", "default_utc")


def date_flag(decided: SiteTimezone) -> str | None:
    """The flag every local time read in this zone carries, when the zone is a guess."""
    if decided.offset_only:
        return "offset_only_timezone"
    return "guessed_timezone" if decided.source == "default_utc" else None


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """A ZoneInfo by name, with an error that says which name was wrong."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown timezone {name!r}") from exc


@lru_cache(maxsize=64)
def tzinfo_of(name: str) -> tzinfo:
    """An IANA zone, or a fixed offset written "UTC+05:30" (no IANA name has one)."""
    match = _FIXED.fullmatch(name)
    if match:
        sign = -1 if match[1] == "-" else 1
        return timezone(sign * timedelta(hours=int(match[2]), minutes=int(match[3])), name)
    return zone(name)


def fixed_offset_name(offset: timedelta) -> str:
    """The name of a fixed offset: IANA's `Etc/GMT±N` for whole hours (its sign inverted,
    as POSIX has it: `Etc/GMT+7` is UTC-7), else "UTC+05:30"."""
    minutes = int(offset.total_seconds()) // 60
    if minutes == 0:
        return "UTC"
    if minutes % 60 == 0 and -12 <= minutes // 60 <= 14:
        hours = minutes // 60
        return f"Etc/GMT{'-' if hours > 0 else '+'}{abs(hours)}"
    sign = "+" if minutes > 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def from_wordpress(index: object) -> SiteTimezone | None:
    """WordPress's own setting from its REST index (`/wp-json/`): `timezone_string`, else
    `gmt_offset` (hours, possibly fractional) as a fixed offset, as WordPress itself uses it."""
    if not isinstance(index, dict):
        return None
    name = index.get("timezone_string")
    if isinstance(name, str) and name.strip():
        try:
            zone(name.strip())
        except ValueError:
            return None
        return SiteTimezone(name.strip(), "wordpress_settings")
    offset = index.get("gmt_offset")
    try:
        hours = float(offset) if offset is not None and str(offset).strip() else None
    except ValueError:
        return None
    if hours is None or not -12 <= hours <= 14:
        return None
    return SiteTimezone(fixed_offset_name(timedelta(hours=hours)), "wordpress_settings")


def countries_of(hints: Iterable[str]) -> list[str]:
    """ISO country codes named by locale hints (`en-GB`, `en_GB`, `pt-BR-x`), in order."""
    found: dict[str, None] = {}
    for hint in hints:
        match = _REGION.match(hint.strip())
        if match:
            found.setdefault(match[1].upper(), None)
    return list(found)


@cache
def _zones_by_country() -> dict[str, tuple[str, ...]]:
    """Country code -> its zones, from the tz database's `zone.tab`."""
    text = _zone_tab()
    table: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) >= 3:
            table.setdefault(fields[0], []).append(fields[2])
    return {country: tuple(zones) for country, zones in table.items()}


def _zone_tab() -> str:
    for directory in TZPATH:
        path = Path(directory) / "zone.tab"
        if path.exists():
            return path.read_text(encoding="utf-8")
    return resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")


def _consistent(names: Iterable[str], seen: list[datetime]) -> list[str]:
    found = []
    for name in names:
        tz = zone(name)
        if all(tz.utcoffset(d.replace(tzinfo=None)) == d.utcoffset() for d in seen):
            found.append(name)
    return found


def _same_rules(names: list[str], seen: list[datetime]) -> bool:
    """Whether the zones give the same offset throughout the years around the observations
    (twice a month), so that which of them is named changes no time."""
    return _agree(tuple(names), min(d.year for d in seen) - 2, max(d.year for d in seen) + 1)


@lru_cache(maxsize=256)
def _agree(names: tuple[str, ...], first: int, last: int) -> bool:
    for year in range(first, last + 1):
        for month in range(1, 13):
            for day in (1, 16):
                instant = datetime(year, month, day, 12, tzinfo=UTC)
                if len({instant.astimezone(zone(n)).utcoffset() for n in names}) > 1:
                    return False
    return True


_ISO_WITH_OFFSET = re.compile(
    r"\b(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[+-]\d{2}:\d{2}|Z))(?![\d:])")
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)",
                        re.IGNORECASE)
_OG_LOCALE = re.compile(
    r"<meta\b[^>]*?property\s*=\s*[\"']og:locale[\"'][^>]*?content\s*=\s*[\"']([A-Za-z_-]+)",
    re.IGNORECASE)


def page_evidence(html: str) -> tuple[list[datetime], list[str]]:
    """What a page says about its site's zone: the ISO 8601 times with offsets it carries
    (attributes, meta tags, JSON-LD) and its locale (`<html lang>`, `og:locale`)."""
    seen = []
    for match in _ISO_WITH_OFFSET.finditer(html):
        try:
            seen.append(datetime.fromisoformat(match[1].replace("Z", "+00:00")))
        except ValueError:
            continue
    hints = [m[1] for m in _HTML_LANG.finditer(html[:4096])]
    hints += [m[1] for m in _OG_LOCALE.finditer(html)]
    return seen, hints


def infer_site_timezone(observations: Iterable[datetime],
                        hints: Iterable[str] = ()) -> SiteTimezone | None:
    """The zone page evidence supports (see the module docstring), or None without any."""
    seen = [d for d in observations if d.tzinfo is not None and d.utcoffset() is not None]
    if not seen:
        return None
    local = [z for c in countries_of(hints) for z in _zones_by_country().get(c, ())]
    ranked = [z for z in CANDIDATE_ZONES if z in local] + [z for z in local
                                                           if z not in CANDIDATE_ZONES]
    consistent = _consistent(ranked, seen) or _consistent(CANDIDATE_ZONES, seen)
    if not consistent and any(d.utcoffset() for d in seen):
        seen = [d for d in seen if d.utcoffset()]  # the +00:00 ones were UTC copies
        consistent = _consistent(ranked, seen) or _consistent(CANDIDATE_ZONES, seen)
    if consistent and _same_rules(consistent, seen):
        return SiteTimezone(consistent[0], "page_evidence")
    offsets = {d.utcoffset() for d in seen}
    if len(offsets) == 1:
        return SiteTimezone(fixed_offset_name(offsets.pop() or timedelta()), "page_evidence",
                            offset_only=True)
    if consistent:
        return SiteTimezone(consistent[0], "page_evidence")
    return None


def infer_timezone(observations: Iterable[datetime], hints: Iterable[str] = ()) -> str | None:
    """The name of the zone page evidence supports, or None."""
    found = infer_site_timezone(observations, hints)
    return found.name if found else None
