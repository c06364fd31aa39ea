"""Resolve the dates a page writes into UTC instants, honestly.

ISO 8601 first; then formats already seen on this site (a compiled `strptime`, about
1 µs); then dateparser for the long tail (about 1 ms), whose format is learnt for the
next time. Relative times ("2 hours ago") count back from the fetch time, never `now()`.
A date that cannot be trusted becomes None with the raw string and a flag kept.

Naive local times are placed in the site's timezone as WordPress 6.1 places them when it
stores `post_date_gmt` and `comment_date_gmt` (PHP's `date_create(local, wp_timezone())`,
timelib's rule, emulated in `_php_instant`): a time in a DST gap (02:30 on a spring-forward
night) moves forward by the gap and is flagged `nonexistent_local_time`; a time that occurs
twice (the autumn repeated hour) is flagged `ambiguous_local_time` and takes the offset in
force at the wall time read as UTC (so the first occurrence west of Greenwich, the second
east of it, as PHP does). So a WordPress page's text gives the instants its REST API states.

Day and month order (`03/04/2025`) is one per site: the site file's `date_order`, else
the order of the first all-numeric date read, frozen from then on (it is learnt into the
shared `formats`, which the spider keeps for the whole crawl). A later date that cannot be
read in that order (`25/04/2025` on a month-first site) is not swapped into another order
but left unparsed with the flag `date_order_conflict`.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo

import dateparser

from crawler.extraction.records import NO_DATE, ResolvedDate
from crawler.extraction.timezones import tzinfo_of

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
_NUMERIC_DATE = re.compile(r"^(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})\b")
_NUMERIC_FIELDS = re.compile(r"%[dmYy]")
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


def numeric_order(fmt: str) -> str | None:
    """The day/month order of an all-numeric date format (`%d/%m/%Y` -> "DMY"), else None."""
    fields = _NUMERIC_FIELDS.findall(fmt.split(" ")[0])
    if len(fields) != 3 or "%m" not in fields:
        return None
    return "".join({"%d": "D", "%m": "M", "%Y": "Y", "%y": "Y"}[f] for f in fields)


def learnt_order(formats: list[str]) -> str | None:
    """The day/month order a site's learnt formats fix, if any."""
    return next((o for o in map(numeric_order, formats) if o), None)


def _fits_order(text: str, parsed: datetime, order: str) -> bool:
    """Whether an all-numeric date reads as `parsed` in `order` (dateparser swaps day and
    month when the order it was given cannot work)."""
    match = _NUMERIC_DATE.match(text)
    if match is None:
        return True
    parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
    return (parts["D"], parts["M"]) == (parsed.day, parsed.month)


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
        zone_flag: str | None = None,
    ) -> None:
        """`zone_flag` is added to the flags of every local time placed in `timezone` (e.g.
        `offset_only_timezone` when the zone is a fixed offset inferred from the pages)."""
        self.timezone = timezone
        self.tz = tzinfo_of(timezone) if timezone else UTC
        self.zone_flag = zone_flag if timezone else "guessed_timezone"
        self.fetched_at = fetched_at.astimezone(UTC)
        self.languages = list(languages)
        self.formats: list[str] = formats if formats is not None else []
        self.date_order = date_order or learnt_order(self.formats)
        self.floor = floor

    def resolve(self, raw: str | None) -> ResolvedDate:
        if raw is None or not raw.strip():
            return NO_DATE
        raw = " ".join(raw.split())
        flags: list[str] = []
        try:
            parsed = self._parse(raw, flags)
        except _OrderConflict:
            return ResolvedDate(None, raw, ("date_order_conflict",))
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
        if parsed is None or parsed.tzinfo is not None:
            return parsed
        if self.date_order and not _fits_order(text, parsed, self.date_order):
            raise _OrderConflict
        self._learn(text, parsed)
        return parsed

    def _learn(self, text: str, parsed: datetime) -> None:
        for fmt in LEARNABLE_FORMATS:
            order = numeric_order(fmt)
            if order and self.date_order and order != self.date_order:
                continue
            try:
                if datetime.strptime(text, fmt) == parsed:
                    self.formats.insert(0, fmt)
                    self.date_order = self.date_order or order
                    return
            except ValueError:
                continue

    def _to_utc(self, parsed: datetime, flags: list[str]) -> datetime:
        if parsed.tzinfo is not None:
            return parsed.astimezone(UTC)
        if self.zone_flag:
            flags.append(self.zone_flag)
        first = parsed.replace(tzinfo=self.tz, fold=0)
        if first.utcoffset() == parsed.replace(tzinfo=self.tz, fold=1).utcoffset():
            return first.astimezone(UTC)
        gap = first.astimezone(UTC).astimezone(self.tz).replace(tzinfo=None) != parsed
        flags.append("nonexistent_local_time" if gap else "ambiguous_local_time")
        return _php_instant(parsed, self.tz)

    def _check(self, value: datetime, raw: str, flags: list[str]) -> ResolvedDate:
        if value > self.fetched_at + FUTURE_TOLERANCE:
            return ResolvedDate(None, raw, (*flags, "future_date"))
        if value < self.floor:
            return ResolvedDate(None, raw, (*flags, "too_old"))
        return ResolvedDate(value, raw, tuple(flags))


def _php_instant(local: datetime, tz: tzinfo) -> datetime:
    """The UTC instant PHP gives a local time in a DST gap or fold (timelib's
    `do_adjust_timezone`): the offset at the wall time read as UTC, then re-read."""
    wall = local.replace(tzinfo=UTC)
    current = wall.astimezone(tz).utcoffset() or timedelta()
    first_guess = wall - current
    after = first_guess.astimezone(tz).utcoffset() or timedelta()
    if current == after:
        return first_guess
    change = _last_change(first_guess, tz)
    in_transition = change is not None and (
        change + (current - after) <= wall - after < change)
    return first_guess if in_transition else wall - after


def _last_change(instant: datetime, tz: tzinfo) -> datetime | None:
    """The latest offset change of `tz` at or before `instant`, within two days."""
    low, high = instant - timedelta(days=2), instant
    offset = instant.astimezone(tz).utcoffset()
    if low.astimezone(tz).utcoffset() == offset:
        return None
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(tz).utcoffset() == offset:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)


class _OrderConflict(Exception):
    """An all-numeric date that does not fit the site's day/month order."""


def _parse_iso(raw: str) -> datetime | None:
    if not raw[:4].isdigit() or len(raw) < 10 or raw[4] != "-":
        return None
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
