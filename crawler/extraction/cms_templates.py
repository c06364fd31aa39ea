"""Body classes by which content management systems name the template they rendered.

Data for `page_kind`: a system's classes count only on a page that carries the system's
marks (its generator tag, its asset paths), since other sites use the same words for other
things. Not-article classes are checked first (a paged archive is still an archive); a
page with an article class and none of those is an article.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CmsTemplates:
    name: str
    marks: tuple[str, ...]
    """CSS that only this system's pages match."""
    mark_classes: tuple[str, ...] = ()
    """Body class prefixes that only this system writes."""
    not_article: tuple[tuple[str, str], ...] = ()
    """(body class, why the page is not an article), in the order they are checked."""
    article: tuple[str, ...] = ()
    """Body classes (or prefixes ending in `-`) of the article template."""


WORDPRESS = CmsTemplates(
    name="wordpress",
    marks=("meta[name=generator][content^=WordPress]", "link[href*='/wp-content/']",
           "script[src*='/wp-includes/']", "link[href*='/wp-includes/']"),
    mark_classes=("postid-", "page-id-"),
    not_article=(
        ("post-password-required", "password_protected"), ("error404", "not_found"),
        ("search", "search"), ("attachment", "attachment"), ("single-product", "product"),
        ("paged", "listing"), ("home", "listing"), ("blog", "listing"),
        ("archive", "listing"), ("page", "cms_page"),
    ),
    article=("postid-",),
)
GHOST = CmsTemplates(
    name="ghost",
    marks=("meta[name=generator][content^=Ghost]",),
    not_article=(("error-template", "not_found"), ("paged", "listing"),
                 ("home-template", "listing"), ("tag-template", "listing"),
                 ("author-template", "listing"), ("page-template", "cms_page")),
    article=("post-template",),
)
DRUPAL = CmsTemplates(
    name="drupal",
    marks=("meta[name=Generator][content^=Drupal]", "meta[name=generator][content^=Drupal]",
           "link[href*='/sites/default/files/']", "script[src*='/sites/default/files/']"),
    mark_classes=("page-node-", "path-node", "node-type-"),
    not_article=(("front", "listing"), ("path-frontpage", "listing"),
                 ("page-taxonomy", "listing"), ("path-taxonomy", "listing"),
                 ("path-user", "listing"), ("page-user", "listing"),
                 ("page-search", "search"), ("path-search", "search"),
                 ("page-node-type-page", "cms_page"), ("node-type-page", "cms_page")),
    article=("node-type-article", "page-node-type-article", "node-type-blog",
             "page-node-type-blog-post", "node-type-story", "node-type-news"),
)
JOOMLA = CmsTemplates(
    name="joomla",
    marks=("meta[name=generator][content^=Joomla]",),
    mark_classes=("com_content",),
    not_article=(("view-category", "listing"), ("view-featured", "listing"),
                 ("view-archive", "listing"), ("view-search", "search"),
                 ("com_search", "search"), ("com_finder", "search")),
    article=("view-article",),
)
SYSTEMS = (WORDPRESS, GHOST, DRUPAL, JOOMLA)
