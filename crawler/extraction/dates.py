"""Resolve the dates a page writes into UTC instants, honestly.

ISO 8601 first; then formats already seen on this site (a compiled `strptime`, about
1 µs); then dateparser for the long tail (about 1 ms), whose format is learnt for the
next time. Naive local times are placed in the site's timezone with PEP 495 folds;
relative times ("2 hours ago") count back from the fetch time, never from `now()`.
A date that cannot be trusted becomes None with the raw string and a flag kept.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import dateparser

from crawler.extraction.records import NO_DATE, ResolvedDate
from crawler.extraction.timezones import zone

FLOOR = datetime(1990, 1, 1, tzinfo=UTC)
FUTURE_TOLERANCE = timedelta(days=1)

# Formats tried when learning how a site writes its dates, after `normalise` (no commas,
# no ordinals, no "at").
LEARNABLE_FORMATS: tuple[str, ...] = (
    "%B %d %Y %I:%M %p", "%b %d %Y %I:%M %p", "%B %d %Y %H:%M", "%b %d %Y %H:%M",
    "%d %B %Y %H:%M", "%d %B %Y %I:%M %p", "%d %b %Y %H:%M", "%d %b %Y %I:%M %p",
    "%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y", "%d %b %y", "%b %d %y",
    "%A %B %d %Y %I:%M %p", "%A %B %d %Y", "%a %b %d %Y %I:%M %p", "%A %d %B %Y",
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d",
    "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M", "%m/%d/%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y",
    "%d.%m.%Y %H:%M", "%d.%m.%Y",
)
NAMED_MONTH_FORMATS = tuple(f for f in LEARNABLE_FORMATS if "%B" in f or "%b" in f)
_MONTH_NAME = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.IGNORECASE)
_NOISE = re.compile(r"\s+(?:@|at|um|à|a las)\s+|\s*[|·#,]\s*|\s+/\s*|\s*/\s+|/$|\s+",
                    re.IGNORECASE)
_ORDINAL = re.compile(r"(\d)(st|nd|rd|th)\b", re.IGNORECASE)
_DAY_DOT = re.compile(r"\b(\d{1,2})\.\s+(?=\D)")
_MERIDIEM = re.compile(r"(\d)\s*([ap])\.?m\.?(?=\W|$)", re.IGNORECASE)
_LEADING = re.compile(r"^(?:on|posted|published|updated)\s*:?\s+", re.IGNORECASE)
_RELATIVE = re.compile(
    r"\b(ago|yesterday|today|just now|minutes?|hours?|days?|weeks?)\b", re.IGNORECASE
)
_DIGIT = re.compile(r"\d")


ZONE_ABBREVIATIONS = {
    "UTC": 0, "GMT": 0, "Z": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7,
    "MDT": -6, "PST": -8, "PDT": -7, "AKST": -9, "AKDT": -8, "HST": -10, "BST": 1,
    "CET": 1, "CEST": 2, "MEZ": 1, "MESZ": 2, "EET": 2, "EEST": 3, "WET": 0, "WEST": 1,
    "JST": 9, "KST": 9, "AEST": 10, "AEDT": 11, "ACST": 9.5, "AWST": 8, "NZST": 12,
    "NZDT": 13,
}
"""Zone abbreviations a date may end with, those that name one offset only ("IST" is
India, Ireland or Israel and is left to dateparser)."""
_ZONE_AT_END = re.compile(r"\s+\(?([A-Z]{1,5})\)?$")


def split_zone(text: str) -> tuple[str, timezone | None]:
    """A date written with its zone ("Aug 9 2012 1:13 PM EDT"): the local part and the
    zone's fixed offset; the text unchanged and None where it ends with no known zone."""
    match = _ZONE_AT_END.search(text)
    if not match or match.group(1) not in ZONE_ABBREVIATIONS:
        return text, None
    hours = ZONE_ABBREVIATIONS[match.group(1)]
    return text[:match.start()], timezone(timedelta(hours=hours))


def normalise(raw: str) -> str:
    """Drop what formats cannot express: the words around a date ("On", "@", "at"),
    ordinals, commas, a day's dot ("09. Jul"), separators; "11:31PM" becomes "11:31 PM"."""
    text = _LEADING.sub("", raw.strip())
    text = _ORDINAL.sub(r"\1", text)
    text = _DAY_DOT.sub(r"\1 ", text)
    text = _MERIDIEM.sub(lambda m: f"{m.group(1)} {m.group(2).upper()}M", text)
    return _NOISE.sub(" ", text).strip(" .")


class DateResolver:
    """Resolves one site's dates; remembers the formats the site uses."""

    def __init__(
        self,
        timezone: str | None,
        fetched_at: datetime,
        *,
        languages: tuple[str, ...] = ("en",),
        date_order: str | None = None,
        floor: datetime = FLOOR,
        formats: list[str] | None = None,
    ) -> None:
        self.timezone = timezone
        self.tz = zone(timezone) if timezone else UTC
        self.fetched_at = fetched_at.astimezone(UTC)
        self.languages = list(languages)
        self.date_order = date_order
        self.floor = floor
        self.formats: list[str] = formats if formats is not None else []

    def resolve(self, raw: str | None) -> ResolvedDate:
        if raw is None or not raw.strip():
            return NO_DATE
        raw = " ".join(raw.split())
        flags: list[str] = []
        parsed = self._parse(raw, flags)
        if parsed is None:
            return ResolvedDate(None, raw, ("unparsed_date",))
        return self._check(self._to_utc(parsed, flags), raw, flags)

    def _parse(self, raw: str, flags: list[str]) -> datetime | None:
        iso = _parse_iso(raw)
        if iso is not None:
            return iso
        text = normalise(raw)
        local, offset = split_zone(text)
        known = self._known_format(local)
        if known is not None:
            return known.replace(tzinfo=offset) if offset else known
        if _RELATIVE.search(text):
            flags.append("relative_date")
        elif not _DIGIT.search(text):
            return None  # no number and no relative word: not a date ("Permalink")
        return self._dateparser(text)

    def _known_format(self, text: str) -> datetime | None:
        for fmt in self.formats:
            try:
                return datetime.strptime(text, fmt)
            except ValueError:
                continue
        return self._named_month(text)

    def _named_month(self, text: str) -> datetime | None:
        """English dates with the month's name ("February 11, 2019 1:26 pm") in a few
        microseconds, before dateparser's milliseconds; learnt like dateparser's."""
        if "en" not in self.languages or not _MONTH_NAME.search(text):
            return None
        for fmt in NAMED_MONTH_FORMATS:
            try:
                parsed = datetime.strptime(text, fmt)
            except ValueError:
                continue
            self.formats.insert(0, fmt)
            return parsed
        return None

    def _dateparser(self, text: str) -> datetime | None:
        base = self.fetched_at.astimezone(self.tz).replace(tzinfo=None)
        settings: dict[str, object] = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
        if self.date_order:
            settings["DATE_ORDER"] = self.date_order
        parsed = dateparser.parse(text, languages=self.languages, settings=settings)
        if parsed is not None and parsed.tzinfo is None:
            self._learn(text, parsed)
        return parsed

    def _learn(self, text: str, parsed: datetime) -> None:
        for fmt in LEARNABLE_FORMATS:
            try:
                if datetime.strptime(text, fmt) == parsed:
                    self.formats.insert(0, fmt)
                    return
            except ValueError:
                continue

    def _to_utc(self, parsed: datetime, flags: list[str]) -> datetime:
        if parsed.tzinfo is not None:
            return parsed.astimezone(UTC)
        if self.timezone is None:
            flags.append("guessed_timezone")
        local = parsed.replace(tzinfo=self.tz, fold=0)
        if local.utcoffset() != parsed.replace(tzinfo=self.tz, fold=1).utcoffset():
            flags.append("ambiguous_local_time")
        as_utc = local.astimezone(UTC)
        if as_utc.astimezone(self.tz).replace(tzinfo=None) != parsed:
            flags.append("nonexistent_local_time")
        return as_utc

    def _check(self, value: datetime, raw: str, flags: list[str]) -> ResolvedDate:
        if value > self.fetched_at + FUTURE_TOLERANCE:
            return ResolvedDate(None, raw, (*flags, "future_date"))
        if value < self.floor:
            return ResolvedDate(None, raw, (*flags, "too_old"))
        return ResolvedDate(value, raw, tuple(flags))


def _parse_iso(raw: str) -> datetime | None:
    if not raw[:4].isdigit() or len(raw) < 10 or raw[4] != "-":
        return None
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
