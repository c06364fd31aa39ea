"""Which comment systems a page loads by script, and the parameters their APIs need.

A page object over the parsed page: the signatures whose tokens the page source holds are
matched against its scripts (read once: sources made absolute, inline code joined) and its
elements. Pure and network-free, so it is tested on saved pages.
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import urljoin

from lxml import etree
from lxml.html import HtmlElement

from crawler.extraction.comment_systems.signatures import SIGNATURES, Param, Signature
from crawler.extraction.records import CommentEmbed

_JS_ESCAPES = re.compile(r"\\([/'\"`])")


class Scripts:
    """A page's scripts: where each external one comes from, and the inline code."""

    def __init__(self, tree: HtmlElement, url: str) -> None:
        self.sources = [urljoin(url, src.strip()) for src in tree.xpath("//script/@src")
                        if src.strip()]
        self.inline = "\n".join(text for text in tree.xpath("//script[not(@src)]/text()"))


def detect(tree: HtmlElement, url: str, html: str) -> list[CommentEmbed]:
    """The comment systems embedded in the page (`html` is its source, `tree` the parsed
    source), in the order of `SIGNATURES`."""
    source = html.lower()
    candidates = [s for s in SIGNATURES if any(token in source for token in s.tokens)]
    if not candidates:
        return []
    scripts = Scripts(tree, url)
    found = []
    for signature in candidates:
        evidence = _evidence(signature, tree, scripts)
        if evidence:
            found.append(CommentEmbed(signature.system, _params(signature, tree, scripts, url),
                                      evidence))
    return found


def _evidence(signature: Signature, tree: HtmlElement, scripts: Scripts) -> tuple[str, ...]:
    found = []
    if any(_regex(p).search(src) for p in signature.scripts for src in scripts.sources):
        found.append("script")
    if scripts.inline and any(_regex(p).search(scripts.inline) for p in signature.config):
        found.append("config")
    if any(_xpath(x)(tree) for x in signature.containers):
        found.append("container")
    return tuple(found)


def _params(signature: Signature, tree: HtmlElement, scripts: Scripts,
            url: str) -> dict[str, str]:
    params: dict[str, str] = {}
    for param in signature.params:
        if param.name in params:
            continue
        value = _value(param, tree, scripts)
        if value:
            params[param.name] = urljoin(url, value) if param.is_url else value
    return params


def _value(param: Param, tree: HtmlElement, scripts: Scripts) -> str | None:
    if param.attribute:
        for value in _xpath(param.attribute)(tree):
            if str(value).strip():
                return str(value).strip()
    if param.script:
        for src in scripts.sources:
            match = _regex(param.script).search(src)
            if match and match.group(1):
                return match.group(1)
    if param.config:
        match = _regex(param.config).search(scripts.inline)
        if match and match.group(1).strip():
            return _JS_ESCAPES.sub(r"\1", match.group(1).strip())
    return None


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


@cache
def _xpath(expression: str) -> etree.XPath:
    return etree.XPath(expression)
