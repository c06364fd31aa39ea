"""schema.org `Comment`s in the article's JSON-LD (`"comment": [...]`, replies nested in
each comment's own `comment`). Often a partial list: the other layouts may hold more."""

from __future__ import annotations

import re
from typing import Any

from lxml.html import HtmlElement

from crawler.extraction.comments.markup import source_id
from crawler.extraction.comments.model import Found, RawComment
from crawler.extraction.metadata import article_json_ld


def read_page(tree: HtmlElement) -> Found:
    found = Found("json-ld")
    article = article_json_ld(tree)
    if article:
        _walk(article.get("comment"), None, found.comments)
    return found


def _walk(value: Any, parent: str | None, out: list[RawComment]) -> None:
    items = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
    for obj in items:
        if not isinstance(obj, dict):
            continue
        author = obj.get("author")
        name = author.get("name") if isinstance(author, dict) else author
        own = source_id(obj.get("@id") or obj.get("identifier") or obj.get("url"))
        parent_ref = obj.get("parentItem")
        if isinstance(parent_ref, dict):
            parent_ref = parent_ref.get("@id") or parent_ref.get("url")
        out.append(RawComment(
            source_id=own,
            parent_source_id=source_id(parent_ref) if parent_ref else parent,
            author=name.strip() if isinstance(name, str) and name.strip() else None,
            date=obj.get("dateCreated") or obj.get("datePublished"),
            text=_plain(obj.get("text") or ""),
        ))
        _walk(obj.get("comment"), own, out)


def _plain(text: str) -> str:
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p)
