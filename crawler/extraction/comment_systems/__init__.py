"""Comment systems that pages load by script (Disqus, Isso, Coral, Facebook, ...).

`detect` finds the embeds in a page (`signatures` holds each system's markers as data);
`READERS` maps the systems whose comments can be archived through a public JSON API to
their reader (one module each, `isso`, `disqus` and `remark42`, with the interface in
`api`; `replay` reads archived answers again). Adding a system is adding its signature
and, where it has a public API, a reader module with its tests.
"""

from __future__ import annotations

from crawler.extraction.comment_systems.api import ApiReader, ApiSettings, NotReadable
from crawler.extraction.comment_systems.detect import detect
from crawler.extraction.comment_systems.disqus import DisqusApi
from crawler.extraction.comment_systems.isso import IssoApi
from crawler.extraction.comment_systems.remark42 import Remark42Api
from crawler.extraction.comment_systems.signatures import BY_SYSTEM, SIGNATURES
from crawler.extraction.records import CommentEmbed

READERS: dict[str, ApiReader] = {"isso": IssoApi(), "disqus": DisqusApi(),
                                  "remark42": Remark42Api()}
PAGE = "page"


def comment_system(embeds: list[CommentEmbed], shows_comments: bool) -> str | None:
    """Where a page's comments live (the article's `comment_system`): the first system it
    embeds, else the page itself when it shows comments, else None."""
    if embeds:
        return embeds[0].system
    return PAGE if shows_comments else None


def label(system: str) -> str:
    """The system's name as people know it ("Hyvor Talk"), for reports."""
    signature = BY_SYSTEM.get(system)
    return signature.label if signature else system


__all__ = ["BY_SYSTEM", "PAGE", "READERS", "SIGNATURES", "ApiReader", "ApiSettings",
           "NotReadable", "comment_system", "detect", "label"]
