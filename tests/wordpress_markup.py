"""WordPress pages written by code, in the shape the shipped themes print them.

The shapes follow WordPress 6.1 with Twenty Twenty-One (classic: `article.type-post`,
`.entry-footer`, the author box, `wp_list_comments()`), Twenty Twenty-Two and Twenty
Twenty-Three (block themes: `.wp-block-post-*` blocks, the site title an `<h1>` in the
header, the post date below the content, the comment template block). Only the parts
extraction reads are written, with the surrounding chrome that used to mislead it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

SITE = "http://blog.example"
SITE_TITLE = "The Evening Ledger"
PARAGRAPHS = (
    "The council met on Tuesday to weigh the harbour plan, which would move the ferry "
    "terminal two miles north and free the old quay for housing.",
    "Residents who spoke at the meeting were divided: shop owners feared the loss of "
    "passing trade, while families on the waiting list urged the members to act.",
    "A final vote is expected next month, after the planning office has published its "
    "review of the traffic study and the cost estimates that go with it.",
)


@dataclass
class Comment:
    """One reader comment as WordPress stores it."""

    id: int
    author: str
    datetime: str
    """ISO 8601 with the site's offset, as `<time datetime>` prints it."""
    shown: str
    """The time as the theme writes it for readers."""
    text: str
    replies: list[Comment] = field(default_factory=list)

    def walk(self) -> list[Comment]:
        return [self, *(c for r in self.replies for c in r.walk())]


def thread() -> list[Comment]:
    """Two top-level comments, the first with a reply that has a reply of its own."""
    return [
        Comment(11, "Mary Oakes", "2021-03-04T09:15:00+00:00", "March 4, 2021 at 9:15 am",
                "Moving the terminal will empty the high street within a year.", [
                    Comment(12, "Tom Reyes", "2021-03-04T10:02:00+00:00",
                            "March 4, 2021 at 10:02 am",
                            "The shops on the quay closed years ago, Mary.", [
                                Comment(14, "Mary Oakes", "2021-03-04T11:40:00+00:00",
                                        "March 4, 2021 at 11:40 am",
                                        "Two of them reopened last summer."),
                            ]),
                ]),
        Comment(13, "Ann Lee", "2021-03-05T18:30:00+00:00", "March 5, 2021 at 6:30 pm",
                "Will the study be published before the vote?"),
    ]


def head(title: str, theme: str) -> str:
    return (f'<head><meta charset="UTF-8" /><title>{escape(title)} &#8211; {SITE_TITLE}</title>'
            f'<link rel="stylesheet" href="{SITE}/wp-content/themes/{theme}/style.css" />'
            '<meta name="generator" content="WordPress 6.1.1" /></head>')


def paragraphs(items: tuple[str, ...] = PARAGRAPHS) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in items)


# Block themes (Twenty Twenty-Two, Twenty Twenty-Three)

def block_comment(comment: Comment) -> str:
    replies = "".join(block_comment(r) for r in comment.replies)
    children = f'<ol class="children">{replies}</ol>' if replies else ""
    return (
        f'<li id="comment-{comment.id}" class="comment even thread-even depth-1">'
        '<div class="is-layout-flex wp-block-columns">'
        '<div class="is-layout-flow wp-block-column" style="flex-basis:40px">'
        f'<div class="wp-block-avatar"><img alt="{escape(comment.author)} Avatar" '
        'class="avatar avatar-40 photo wp-block-avatar__image" src="a.png" /></div></div>'
        '<div class="is-layout-flow wp-block-column">'
        f'<div class="wp-block-comment-author-name">{escape(comment.author)}</div>'
        '<div class="is-layout-flex wp-block-group">'
        f'<div class="wp-block-comment-date"><time datetime="{comment.datetime}">'
        f'<a href="{SITE}/2021/03/03/harbour-plan/#comment-{comment.id}">{comment.shown}</a>'
        '</time></div></div>'
        f'<div class="wp-block-comment-content"><p>{escape(comment.text)}</p></div>'
        '<div class="wp-block-comment-reply-link"><a rel="nofollow" class="comment-reply-link" '
        f'href="?replytocom={comment.id}#respond" data-commentid="{comment.id}">Reply</a></div>'
        f'</div></div>{children}</li>')


def block_comments(comments: list[Comment], title: str, pagination: str = "") -> str:
    count = sum(len(c.walk()) for c in comments)
    return (
        '<div class="wp-block-comments"><h2>Comments</h2>'
        f'<h3 id="comments" class="wp-block-comments-title">{count} responses to '
        f'&#8220;{escape(title)}&#8221;</h3>'
        f'<ol class="wp-block-comment-template">{"".join(map(block_comment, comments))}</ol>'
        f'{pagination}'
        '<div id="respond" class="comment-respond wp-block-post-comments-form">'
        '<h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3>'
        f'<form action="{SITE}/wp-comments-post.php" method="post" id="commentform" '
        'class="comment-form"><p class="comment-form-comment"><label for="comment">Comment'
        '</label><textarea id="comment" name="comment"></textarea></p></form></div></div>')


def block_pagination(url: str, current: int, pages: int) -> str:
    """The Comments Pagination block: previous link, page numbers, next link."""
    def link(n: int) -> str:
        return f"{url}comment-page-{n}/#comments"
    numbers = "".join(
        f'<span aria-current="page" class="page-numbers current">{n}</span>' if n == current
        else f'<a class="page-numbers" href="{link(n)}">{n}</a>' for n in range(1, pages + 1))
    previous = (f'<a href="{link(current - 1)}" class="wp-block-comments-pagination-previous">'
                'Older Comments</a>') if current > 1 else ""
    following = (f'<a href="{link(current + 1)}" class="wp-block-comments-pagination-next">'
                 'Newer Comments</a>') if current < pages else ""
    return (f'<div class="is-layout-flex wp-block-comments-pagination">{previous}'
            f'<div class="wp-block-comments-pagination-numbers">{numbers}</div>{following}</div>')


def block_post(title: str = "Harbour plan splits the council", *,
               published: str = "2021-03-03T08:00:00+00:00", author: str = "Jane Doe",
               category: str = "Local", tags: tuple[str, ...] = ("Harbour", "Housing"),
               comments: list[Comment] | None = None, body: str | None = None,
               legacy_comments: bool = False, pagination: str = "", part: int = 1) -> str:
    """A single post of Twenty Twenty-Two: the site title is the header's `<h1>`, the date,
    the author and the terms sit below the content, the comments below them: in the comment
    template block (Twenty Twenty-Three), or with `legacy_comments` in the Post Comments
    block that prints the classic `wp_list_comments()` list (Twenty Twenty-Two). A `part`
    after the first of a post split over pages has WordPress's `single-paged-N` class."""
    if not comments:
        discussion = ""
    elif legacy_comments:
        discussion = ('<div class="wp-block-post-comments">'
                      f'<ol class="commentlist">{"".join(map(classic_comment, comments))}</ol>'
                      '</div>')
    else:
        discussion = block_comments(comments, title, pagination)
    tag_links = '<span class="wp-block-post-terms__separator">, </span>'.join(
        f'<a href="{SITE}/tag/{t.lower()}/" rel="tag">{escape(t)}</a>' for t in tags)
    return (
        f'<!doctype html><html lang="en-US">{head(title, "twentytwentytwo")}'
        '<body class="post-template-default single single-post postid-104 '
        f'single-format-standard wp-embed-responsive{_paged(part)}">'
        '<div class="wp-site-blocks">'
        '<header class="wp-block-template-part"><div class="wp-block-group">'
        f'<h1 class="wp-block-site-title"><a href="{SITE}" rel="home">{SITE_TITLE}</a></h1>'
        '<nav class="wp-block-navigation"><ul class="wp-block-page-list">'
        f'<li class="wp-block-pages-list__item"><a href="{SITE}/about/">About us</a></li>'
        '</ul></nav></div></header>'
        '<main class="is-layout-flow wp-block-group"><div class="wp-block-group">'
        f'<h1 class="alignwide wp-block-post-title">{escape(title)}</h1></div>'
        '<div class="is-layout-constrained entry-content wp-block-post-content">'
        f'{body if body is not None else paragraphs()}</div>'
        '<div class="is-layout-constrained wp-block-group"><div class="wp-block-group">'
        f'<div class="wp-block-post-date has-small-font-size"><time datetime="{published}">'
        f'{published[:10]}</time></div>'
        '<div class="wp-block-post-author"><div class="wp-block-post-author__content">'
        f'<p class="wp-block-post-author__name">{escape(author)}</p></div></div>'
        '<div class="taxonomy-category wp-block-post-terms">'
        f'<a href="{SITE}/category/{category.lower()}/" rel="tag">{escape(category)}</a></div>'
        f'<div class="taxonomy-post_tag wp-block-post-terms">{tag_links}</div></div></div>'
        f'{discussion}</main><footer class="wp-block-template-part"><div class="wp-block-group">'
        f'<p class="wp-block-site-title"><a href="{SITE}" rel="home">{SITE_TITLE}</a></p>'
        '</div></footer></div></body></html>')


def _paged(part: int) -> str:
    return f" paged-{part} single-paged-{part}" if part > 1 else ""


def page_links(urls: list[str], current: int) -> str:
    """`wp_link_pages()` below a split post's text: "Pages: 1 2 3", the current one
    unlinked."""
    numbers = "".join(
        f' <span class="post-page-numbers current" aria-current="page">{n}</span>'
        if n == current else f' <a href="{url}" class="post-page-numbers">{n}</a>'
        for n, url in enumerate(urls, start=1))
    return f'<p class="post-nav-links">Pages:{numbers}</p>'


# Classic themes (Twenty Twenty-One)

STYLES = {"ol": ("li", "ol"), "ul": ("li", "ul"), "div": ("div", "div")}
"""`wp_list_comments(style=…)`: the tag of one comment and of the list of its replies."""


def classic_comment(comment: Comment, depth: int = 1, style: str = "ol") -> str:
    """`wp_list_comments()` in its html5 format."""
    item, group = STYLES[style]
    replies = "".join(classic_comment(r, depth + 1, style) for r in comment.replies)
    children = f'<{group} class="children">{replies}</{group}>' if replies else ""
    return (
        f'<{item} id="comment-{comment.id}" class="comment even thread-even depth-{depth}">'
        f'<article id="div-comment-{comment.id}" class="comment-body">'
        '<footer class="comment-meta"><div class="comment-author vcard">'
        '<img alt="" src="a.png" class="avatar avatar-60 photo" />'
        f'<b class="fn">{escape(comment.author)}</b> <span class="says">says:</span></div>'
        '<div class="comment-metadata">'
        f'<a href="{SITE}/2021/03/03/harbour-plan/#comment-{comment.id}">'
        f'<time datetime="{comment.datetime}">{comment.shown}</time></a></div></footer>'
        f'<div class="comment-content"><p>{escape(comment.text)}</p></div>'
        '<div class="reply"><a rel="nofollow" class="comment-reply-link" '
        f'href="?replytocom={comment.id}#respond" aria-label="Reply to '
        f'{escape(comment.author)}">Reply</a></div></article>{children}</{item}>')


def classic_comments(comments: list[Comment], style: str = "ol") -> str:
    """Twenty Twenty-One's comments area; with the `div` style the list is a `div` too."""
    count = sum(len(c.walk()) for c in comments)
    tag = "div" if style == "div" else style
    items = "".join(classic_comment(c, 1, style) for c in comments)
    return (
        '<div id="comments" class="comments-area default-max-width show-avatars">'
        f'<h2 class="comments-title">{count} comments</h2>'
        f'<{tag} class="comment-list">{items}</{tag}>'
        '<div id="respond" class="comment-respond"><h3 id="reply-title" '
        'class="comment-reply-title">Leave a comment</h3>'
        f'<form action="{SITE}/wp-comments-post.php" method="post" id="commentform" '
        'class="comment-form"><p class="comment-form-comment"><textarea id="comment" '
        'name="comment"></textarea></p></form></div></div>')


def author_box(author: str) -> str:
    """Twenty Twenty-One's author box below a post whose author has a biography."""
    return (
        '<div class="author-bio show-avatars"><img alt="" src="a.png" class="avatar" />'
        f'<div class="author-bio-content"><h2 class="author-title">By {escape(author)}</h2>'
        f'<p class="author-description"> {escape(author)} covers the harbour.</p>'
        f'<a class="author-link" href="{SITE}/author/{author.split()[0].lower()}/" '
        f'rel="author">View all of {escape(author)}&#039;s posts.</a></div></div>')


def classic_post(title: str = "Harbour plan splits the council", *,
                 published: str = "2021-03-03T08:00:00+00:00",
                 byline: str | None = "Jane Doe", box: str | None = "Jane Doe",
                 categories: tuple[str, ...] = ("Local",),
                 tags: tuple[str, ...] = ("Harbour", "Housing"),
                 comments: list[Comment] | None = None, body: str | None = None,
                 body_classes: str = "post-template-default single single-post postid-104 "
                                     "single-format-standard",
                 content: str | None = None, post_type: str = "post",
                 extra_classes: str = "", discussion: str | None = None) -> str:
    """A single post of Twenty Twenty-One. The byline (`span.byline`) is printed only on
    sites with several authors; the author box only for authors with a biography.
    `content` replaces everything below the title (a page); `discussion` replaces the
    comments area."""
    if discussion is None:
        discussion = classic_comments(comments) if comments else ""
    by = (f'<span class="byline">By <a href="{SITE}/author/{byline.split()[0].lower()}/" '
          f'rel="author">{escape(byline)}</a></span>') if byline else ""
    cats = ", ".join(f'<a href="{SITE}/category/{c.lower()}/" rel="category tag">'
                     f'{escape(c)}</a>' for c in categories)
    tag_links = ", ".join(f'<a href="{SITE}/tag/{t.lower()}/" rel="tag">{escape(t)}</a>'
                          for t in tags)
    entry = content if content is not None else (
        f'<div class="entry-content">{body if body is not None else paragraphs()}</div>'
        '<footer class="entry-footer default-max-width"><div class="posted-by">'
        '<span class="posted-on">Published <time class="entry-date published updated" '
        f'datetime="{published}">{published[:10]}</time></span>{by}</div>'
        f'<div class="post-taxonomies"><span class="cat-links">Categorized as {cats} </span>'
        f'<span class="tags-links">Tagged {tag_links}</span></div></footer>'
        f'{author_box(box) if box else ""}')
    return (
        f'<!doctype html><html lang="en-US">{head(title, "twentytwentyone")}'
        f'<body class="{body_classes} wp-embed-responsive is-light-theme no-js singular">'
        '<div id="page" class="site"><header id="masthead" class="site-header">'
        f'<div class="site-branding"><p class="site-title"><a href="{SITE}/">{SITE_TITLE}</a>'
        '</p></div></header><div id="content" class="site-content"><div id="primary" '
        'class="content-area"><main id="main" class="site-main">'
        f'<article id="post-104" class="post-104 {post_type} type-{post_type} status-publish '
        f'format-standard hentry category-local {extra_classes} entry">'
        f'<header class="entry-header alignwide"><h1 class="entry-title">{escape(title)}</h1>'
        f'</header>{entry}</article>'
        f'{discussion}</main></div></div></div></body></html>')


LISTING_CLASSES = {
    "home": "home blog",
    "paged": "home blog paged paged-2",
    "month": "archive date",
    "category": "archive category category-local category-2",
    "tag": "archive tag tag-harbour tag-3",
    "author": "archive author author-jane author-2",
    "search": "search search-results",
}
LISTING_HEADINGS = {
    "home": "", "paged": "", "month": "Month: <span>March 2021</span>",
    "category": "Category: <span>Local</span>", "tag": "Tag: <span>Harbour</span>",
    "author": "Author: <span>Jane Doe</span>",
    "search": 'Results for "<span class="page-description search-term">harbour</span>"',
}


def classic_listing(kind: str, posts: int = 4) -> str:
    """A listing of Twenty Twenty-One: the archive's heading, then one `article` per post
    with its linked `h2.entry-title`, its excerpt and its date."""
    heading = LISTING_HEADINGS[kind]
    header = (f'<header class="page-header alignwide"><h1 class="page-title">{heading}</h1>'
              '</header>') if heading else ""
    items = "".join(
        f'<article id="post-{n}" class="post-{n} post type-post status-publish hentry entry">'
        f'<header class="entry-header"><h2 class="entry-title default-max-width">'
        f'<a href="{SITE}/2021/03/0{n}/story-{n}/">Story number {n}</a></h2></header>'
        f'<div class="entry-content"><p>{escape(PARAGRAPHS[n % 3])}&hellip; '
        f'<a class="more-link" href="{SITE}/2021/03/0{n}/story-{n}/">Continue reading</a>'
        '</p></div><footer class="entry-footer default-max-width"><span class="posted-on">'
        f'Published <time class="entry-date published updated" datetime="2021-03-0{n}T08:00:'
        f'00+00:00">March {n}, 2021</time></span></footer></article>'
        for n in range(1, posts + 1))
    return (
        f'<!doctype html><html lang="en-US">{head("Listing", "twentytwentyone")}'
        f'<body class="{LISTING_CLASSES[kind]} wp-embed-responsive is-light-theme no-js hfeed">'
        '<div id="page" class="site"><header id="masthead" class="site-header">'
        f'<p class="site-title"><a href="{SITE}/">{SITE_TITLE}</a></p></header>'
        f'<main id="main" class="site-main">{header}{items}'
        '<nav class="navigation pagination"><div class="nav-links">'
        f'<a class="next page-numbers" href="{SITE}/page/3/">Older posts</a></div></nav>'
        '</main></div></body></html>')


def classic_not_found() -> str:
    """Twenty Twenty-One's 404 template."""
    return (
        f'<!doctype html><html lang="en-US">{head("Page not found", "twentytwentyone")}'
        '<body class="error404 wp-embed-responsive is-light-theme no-js hfeed">'
        f'<div id="page" class="site"><header id="masthead" class="site-header">'
        f'<p class="site-title"><a href="{SITE}/">{SITE_TITLE}</a></p></header>'
        '<main id="main" class="site-main"><header class="page-header alignwide">'
        '<h1 class="page-title">Nothing here</h1></header>'
        '<div class="error-404 not-found default-max-width"><div class="page-content">'
        '<p>It looks like nothing was found at this location. Maybe try a search?</p>'
        f'<form role="search" method="get" class="search-form" action="{SITE}/">'
        '<input type="search" name="s" /></form></div></div></main></div></body></html>')


def password_form(post_id: int = 104) -> str:
    """What WordPress prints instead of a protected post's content (its date, byline and
    terms are printed as for any post)."""
    return (
        f'<form action="{SITE}/wp-login.php?action=postpass" class="post-password-form" '
        'method="post"><p>This content is password protected. To view it please enter your '
        'password below:</p>'
        f'<p><label for="pwbox-{post_id}">Password: <input name="post_password" '
        f'id="pwbox-{post_id}" type="password" size="20" /></label> '
        '<input type="submit" name="Submit" value="Enter" /></p></form>')
