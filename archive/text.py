"""Text normalisation shared by cleaning and deduplication."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata

import ftfy

# Repair mojibake, keep the typography (curly quotes, ligatures) the site wrote.
_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, fix_latin_ligatures=False,
                             fix_character_width=False, normalization="NFC")
# UTF-8 read as Latin-1 or windows-1252 always leaves a lead byte's letter (Â … ô) before a
# continuation byte's character; ftfy (milliseconds per article) runs only where one is.
_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a"
    "\u20ac\u2122]")
_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,400}>")
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
BOILERPLATE_LINE = re.compile(
    r"^(share this( article| story)?:?|click to share on .*|like this:?|related:?|"
    r"(subscribe|sign up)( now)?( to| for)? (our|the) newsletter.*|advertisement|"
    r"continue reading\W*|read more\W*|loading\.{0,3}|print this page|email this)$",
    re.IGNORECASE,
)


def clean_text(text: str | None) -> tuple[str, bool]:
    """Normalised text (NFC, no markup or entities, tidy whitespace, boilerplate lines out),
    and whether mojibake was repaired."""
    if not text:
        return "", False
    normalised = unicodedata.normalize("NFC", text)
    fixed = ftfy.fix_text(text, config=_FTFY) if _MOJIBAKE.search(text) else normalised
    repaired = fixed != normalised
    if "<" in fixed:
        fixed = _TAG.sub(" ", fixed)
    if "&" in fixed:
        fixed = html.unescape(fixed)
    paragraphs = []
    for block in _BLANK_LINES.split(fixed.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [_SPACES.sub(" ", line).strip() for line in block.split("\n")]
        lines = [line for line in lines if line and not BOILERPLATE_LINE.match(line)]
        if lines:
            paragraphs.append(" ".join(lines))
    return unicodedata.normalize("NFC", "\n\n".join(paragraphs)), repaired


def clean_line(text: str | None) -> str | None:
    """A single-line field (title, author): normalised, or None when empty."""
    cleaned, _ = clean_text(text)
    return " ".join(cleaned.split()) or None


def word_count(text: str) -> int:
    return len(text.split())


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def replacement_share(text: str) -> float:
    """Share of U+FFFD replacement characters: the mark of text decoded with a wrong charset."""
    return text.count("\ufffd") / len(text) if text else 0.0
