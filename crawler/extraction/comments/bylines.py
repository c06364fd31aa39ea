"""Author and time written as a line of a comment rather than marked up: "Kevin said,",
"+ C98976 on August 9th, 2012 at 10:16 am said:", "Posted by: Ann | July 1, 2012 at 9:30",
"by Quakeulf (2650167) on Tuesday July 24, @10:49AM", or a line that is only a date."""

from __future__ import annotations

import re
from dataclasses import dataclass

_VERB = r"(?:says|said|wrote|writes|schreibt|schrieb|dit|a dit|dice|escribió|scrive|zegt)"
PATTERNS = (
    re.compile(rf"^\W*(?P<author>.{{1,80}}?)\s+(?:on|at|@)\s+(?P<date>.{{4,60}}?)\s*,?\s*"
               rf"{_VERB}\s*[:,.]*$", re.IGNORECASE),
    re.compile(rf"^\W*(?P<author>.{{1,80}}?)\s+{_VERB}\s*[:,.]*\s*(?P<date>)$", re.IGNORECASE),
    re.compile(r"^(?:posted|written|submitted|comment(?:ed)?)\s+by:?\s*(?P<author>.{1,80}?)"
               r"\s*(?:\||\bon\b|\bat\b|@|—|-)\s*(?P<date>.{4,60})$", re.IGNORECASE),
    re.compile(r"^by\s+(?P<author>.{1,80}?)(?:\s+\(\d+\))?\s+on\s+(?P<date>.{4,60})$",
               re.IGNORECASE),
    re.compile(r"^(?P<author>[^|]{1,80}?)\s*\|\s*(?P<date>[^|]{4,60})$"),
)
DATE_LINE = re.compile(
    r"^(?:\w+,?\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+\w+|\w+\s+\d{1,2}(?:st|nd|rd|th)?,?)\s+\d{4}"
    r"(?:\s*(?:at|@|um|à|-|,)?\s*\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?)?$|"
    r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}(?:\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]m)?)?$|"
    r"^\d+\s+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\s+ago$",
    re.IGNORECASE)
MAX_LINE = 140
_DIGIT = re.compile(r"\d")


@dataclass
class Byline:
    author: str | None
    date: str | None
    line: int
    """Which of the lines given held it."""


def find(lines: list[str], *, want_author: bool, want_date: bool) -> list[Byline]:
    """Bylines among the first and last lines of a comment, best first."""
    found = []
    candidates = [*range(min(3, len(lines))), *range(max(3, len(lines) - 2), len(lines))]
    for index in candidates:
        line = lines[index].strip()
        if not line or len(line) > MAX_LINE:
            continue
        if want_date and DATE_LINE.match(line):
            found.append(Byline(None, line, index))
            continue
        if not want_author:
            continue
        for pattern in PATTERNS:
            match = pattern.match(line)
            if match and _plausible(match.group("author"), match.group("date")):
                found.append(Byline(match.group("author").strip(" :,"),
                                    (match.group("date") or "").strip() or None, index))
                break
    return found


def _plausible(author: str, date: str | None) -> bool:
    words = author.split()
    return 0 < len(words) <= 6 and (not date or bool(_DIGIT.search(date)))
