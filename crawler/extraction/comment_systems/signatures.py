"""Selectors as data: how each comment system that loads by script shows in a page's markup.

Each `Signature` lists the markers of one system's *comment thread* embed, taken from the
system's own embed snippet (and its WordPress plugin where that is how sites installed it):

- `scripts`: regular expressions searched in every `<script src>` (made absolute);
- `config`: regular expressions searched in the page's inline scripts (the embed's
  configuration variables or its loader, which builds the script URL in JavaScript);
- `containers`: XPath of the element the system renders the thread into (or of the
  embed's own script tag where it carries the system's attributes).

Any one marker detects the system. `tokens` are lower-case strings of which every marker
contains one: a page whose source holds none of them is not searched for the system (most
pages embed nothing, and a substring test costs far less than the markers).

Markers of comment *counts* only (Disqus `count.js`,
IntenseDebate `genericLinkWrapper`, Livefyre `livefyre-commentcount`, JS-Kit
`js-kit-comments-count`) and SDKs loaded for other widgets (Facebook's like buttons) are
left out on purpose: they say nothing about where this page's comments live.

`params` are read in order, the first value found for a name wins: an attribute (XPath to
an attribute), a group of a `script` src pattern, or a group of a `config` pattern.
`is_url` values are resolved against the page URL (`//host/` and relative forms).

Signatures are listed in order of preference: systems with an API reader first, so that a
page embedding two systems is archived from the one that can be read.
"""

from __future__ import annotations

from dataclasses import dataclass

_INTENSEDEBATE_WRAPPER = r"intensedebate\.com/js/(?:generic|wordpressTemplate)CommentWrapper"
_Q = r"""["'`]"""  # the quotes a JavaScript string may use
_STRING = rf"""{_Q}([^"'`]+){_Q}"""
_VALUE = rf"""{_Q}?((?<={_Q})[^"'`]+|(?<!{_Q})\d+)"""  # a string, or a bare number


@dataclass(frozen=True)
class Param:
    """One way to read one parameter; several `Param`s of a name are alternatives."""

    name: str
    attribute: str | None = None
    script: str | None = None
    config: str | None = None
    is_url: bool = False


@dataclass(frozen=True)
class Signature:
    system: str
    label: str
    tokens: tuple[str, ...]
    scripts: tuple[str, ...] = ()
    config: tuple[str, ...] = ()
    containers: tuple[str, ...] = ()
    params: tuple[Param, ...] = ()
    html_copy: str | None = None
    """The comment layout that reads the copy of the thread some installs print in the page
    (`crawler.extraction.comments`): where the API is read, the API's records win."""


def _config(name: str, key: str) -> Param:
    """`key = "value"` or `key: "value"` (or a bare number) in an inline script."""
    return Param(name, config=rf"""\b{key}\s*[:=]\s*{_VALUE}""")


def _member(name: str, variable: str, key: str, *, is_url: bool = False) -> Param:
    """`key: "value"` inside the object literal assigned to `variable`."""
    return Param(name, config=rf"""\b{variable}\s*=\s*\{{[^}}]*?\b{key}\s*:\s*{_VALUE}""",
                 is_url=is_url)


SIGNATURES: tuple[Signature, ...] = (
    Signature(
        "isso", "Isso",
        tokens=("isso",),
        containers=("//script[@data-isso]", "//*[@id='isso-thread']"),
        params=(
            Param("host", attribute="//script[@data-isso]/@data-isso", is_url=True),
            Param("host", script=r"^(.*/)js/embed(?:\.min|\.dev)?\.js", is_url=True),
            Param("thread", attribute="//*[@id='isso-thread']/@data-isso-id"),
            Param("title", attribute="//*[@id='isso-thread']/@data-title"),
        ),
    ),
    Signature(
        "disqus", "Disqus",
        tokens=("disqus",),
        scripts=(r"//[\w-]+\.disqus\.com/embed\.js",),
        config=(r"disqus\.com/embed\.js", r"disqus\.com['\"]\s*\+\s*['\"]/embed\.js",
                r"\bdisqus_domain\s*\+\s*['\"]/embed\.js", r"\bdisqus_config\s*=\s*function"),
        containers=("//*[@id='disqus_thread']",),
        params=(
            Param("shortname", script=r"//([\w-]+)\.disqus\.com/embed\.js"),
            _config("shortname", "disqus_shortname"),
            Param("shortname", config=r"//([\w-]+)\.disqus\.com/embed\.js"),
            _config("identifier", "disqus_identifier"),
            _config("identifier", r"this\.page\.identifier"),
            Param("identifier", attribute="//*[@id='disqus_thread']/@data-disqus-identifier"),
            Param("url", config=rf"""\bdisqus_url\s*=\s*{_STRING}""", is_url=True),
            Param("url", config=rf"""\bthis\.page\.url\s*=\s*{_STRING}""", is_url=True),
        ),
        html_copy="disqus-html",
    ),
    Signature(
        "coral", "Coral",
        tokens=("coral",),
        config=(r"\bCoral\.createStreamEmbed\s*\(", r"\bCoral\.Talk\.render\s*\("),
        containers=("//*[@id='coral_thread']", "//*[@id='coral_talk_stream']"),
        params=(_config("root_url", "rootURL"), _config("root_url", "talk"),
                _config("story_url", "storyURL"), _config("story_id", "storyID")),
    ),
    Signature(
        "commento", "Commento",
        tokens=("commento",),
        scripts=(r"/js/commento\.js(?:[?#]|$)",),
        containers=("//*[@id='commento']",),
        params=(
            Param("origin", script=r"^(.*)/js/commento\.js", is_url=True),
            Param("page_id", attribute="//script[contains(@src, 'commento.js')]/@data-page-id"),
        ),
    ),
    Signature(
        "remark42", "Remark42",
        tokens=("remark",),
        config=(r"\bremark_config\s*=",),
        containers=("//*[@id='remark42']",),
        params=(
            _member("host", "remark_config", "host", is_url=True),
            _member("site_id", "remark_config", "site_id"),
            _member("url", "remark_config", "url", is_url=True),
        ),
    ),
    Signature(
        "hyvor", "Hyvor Talk",
        tokens=("hyvor",),
        scripts=(r"//talk\.hyvor\.com/(?:web-api/)?embed",),
        config=(r"\bHYVOR_TALK_WEBSITE\s*=",),
        containers=("//*[@id='hyvor-talk-view']", "//hyvor-talk-comments"),
        params=(
            Param("website_id", attribute="//hyvor-talk-comments/@website-id"),
            Param("website_id", config=r"""\bHYVOR_TALK_WEBSITE\s*=\s*["']?(\d+)"""),
            Param("page_id", attribute="//hyvor-talk-comments/@page-id"),
            _member("page_id", "HYVOR_TALK_CONFIG", "id"),
        ),
    ),
    Signature(
        "facebook", "Facebook comments",
        tokens=("fb-comments", "fb:comments", "facebook-comments", "plugins/comments.php"),
        containers=("//*[contains(concat(' ', normalize-space(@class), ' '), ' fb-comments ')]",
                    "//*[name()='fb:comments']", "//amp-facebook-comments",
                    "//iframe[contains(@src, 'facebook.com/plugins/comments.php')]"),
        params=(
            Param("href", attribute="//*[contains(concat(' ', normalize-space(@class), ' '),"
                                    " ' fb-comments ')]/@data-href", is_url=True),
            Param("href", attribute="//*[name()='fb:comments']/@href", is_url=True),
            Param("href", attribute="//amp-facebook-comments/@data-href", is_url=True),
        ),
    ),
    Signature(
        "discourse", "Discourse",
        tokens=("discourse",),
        config=(r"\bDiscourseEmbed\s*=",),
        containers=("//*[@id='discourse-comments']",),
        params=(_config("discourse_url", "discourseUrl"),
                _config("embed_url", "discourseEmbedUrl"),
                Param("topic_id", config=r"\btopicId\s*:\s*[\"']?(\d+)")),
    ),
    Signature(
        "giscus", "giscus",
        tokens=("giscus",),
        scripts=(r"//giscus\.app/client\.js",),
        containers=("//*[contains(concat(' ', normalize-space(@class), ' '), ' giscus ')]",),
        params=(Param("repo", attribute="//script[contains(@src, 'giscus.app')]/@data-repo"),
                Param("mapping",
                      attribute="//script[contains(@src, 'giscus.app')]/@data-mapping")),
    ),
    Signature(
        "utterances", "utterances",
        tokens=("utteranc",),
        scripts=(r"//utteranc\.es/client\.js",),
        params=(Param("repo", attribute="//script[contains(@src, 'utteranc.es')]/@repo"),
                Param("issue_term",
                      attribute="//script[contains(@src, 'utteranc.es')]/@issue-term")),
    ),
    Signature(
        "vuukle", "Vuukle",
        tokens=("vuukle",),
        scripts=(r"//cdn\.vuukle\.com/platform\.js", r"//vuukle\.com/js/vuukle\.js"),
        config=(r"\bVUUKLE_CONFIG\s*=", r"\bcreate_vuukle_platform\s*\("),
        containers=("//*[@id='vuukle-comments']",),
        params=(_config("api_key", "apiKey"), _config("article_id", "articleId")),
    ),
    Signature(
        "openweb", "OpenWeb (Spot.IM)",
        tokens=("spot.im", "spotim"),
        scripts=(r"//launcher\.spot\.im/spot/",),
        containers=("//*[@data-spotim-module='conversation']",),
        params=(Param("spot_id", script=r"//launcher\.spot\.im/spot/(sp_\w+)"),
                Param("post_id", attribute="//*[@data-spotim-module]/@data-post-id"),
                Param("post_url", attribute="//*[@data-spotim-module]/@data-post-url",
                      is_url=True)),
    ),
    Signature(
        "viafoura", "Viafoura",
        tokens=("viafoura", "vf-conversations"),
        scripts=(r"//cdn\.viafoura\.net/",),
        containers=("//vf-conversations",
                    "//*[contains(concat(' ', normalize-space(@class), ' '), ' viafoura ')]"),
    ),
    Signature(
        "livefyre", "Livefyre",
        tokens=("livefyre", "fyre.conv"),
        scripts=(r"//zor\.livefyre\.com/wjs/v1\.0/javascripts/livefyre_init\.js",
                 r"//zor\.livefyre\.com/wjs/v3\.0/javascripts/livefyre\.js"),
        config=(r"\bfyre\.conv\.load\s*\(", r"\blivefyre_init\.js"),
        containers=("//*[@id='livefyre']", "//*[@id='livefyre-comments']"),
        params=(_config("site_id", "siteId"), _config("site_id", "site_id"),
                _config("article_id", "articleId"), _config("article_id", "article_id")),
    ),
    Signature(
        "intensedebate", "IntenseDebate",
        tokens=("intensedebate", "idc-container", "idcommentsposttitle"),
        scripts=(_INTENSEDEBATE_WRAPPER,),
        config=(_INTENSEDEBATE_WRAPPER,),
        containers=("//*[@id='idc-container']", "//*[@id='IDCommentsPostTitle']"),
        params=(_config("account", "idcomments_acct"),
                Param("account", script=rf"{_INTENSEDEBATE_WRAPPER}.*[?&]acct=(\w+)"),
                Param("account", config=rf"{_INTENSEDEBATE_WRAPPER}.*?[?&]acct=(\w+)"),
                _config("post_id", "idcomments_post_id")),
    ),
    Signature(
        "jskit", "JS-Kit / Echo",
        tokens=("js-kit",),
        scripts=(r"//js-kit\.com/(?:for/[^/]+/)?comments\.js",),
        containers=("//*[contains(concat(' ', normalize-space(@class), ' '),"
                    " ' js-kit-comments ')]",),
        params=(Param("thread", attribute="//*[contains(concat(' ', normalize-space(@class),"
                                          " ' '), ' js-kit-comments ')]/@uniq"),),
    ),
)

BY_SYSTEM: dict[str, Signature] = {s.system: s for s in SIGNATURES}
