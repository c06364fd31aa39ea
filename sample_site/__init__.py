"""Deterministic fixture news sites with reader comments, their ground truth and a server.

`build_site()` / `bundled_site()` give a `Site` (the ground truth: articles, comments,
local times); `SiteServer` serves it on loopback in one of three layouts ("classic"
WordPress, the seed's "print" view, "structured" JSON-LD + microdata) with the faults
named in `Site.faults` (see `sample_site.faults`) and routes listed in `sample_site.routes`.
"""

from sample_site.generate import build_site, bundled_site
from sample_site.model import Article, Comment, Link, Site
from sample_site.seed import seed_article
from sample_site.server import CanaryServer, RequestRecord, SiteServer, serve_in_background

__all__ = [
    "Article",
    "CanaryServer",
    "Comment",
    "Link",
    "RequestRecord",
    "Site",
    "SiteServer",
    "build_site",
    "bundled_site",
    "seed_article",
    "serve_in_background",
]
