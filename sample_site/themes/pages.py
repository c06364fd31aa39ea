"""Pages that are not articles or listings: errors, About, the members area, the calendar."""

from __future__ import annotations

from sample_site.themes.base import RenderContext, document, esc_text, head
from sample_site.themes.chrome import footer, sidebar, site_header
from sample_site.themes.listing import entry_card

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def simple_page(ctx: RenderContext, *, title: str, path: str, inner: str, body_class: str) -> str:
    canonical = ctx.url(path)
    meta = [
        ("og:type", "website"),
        ("og:title", title),
        ("og:url", canonical),
        ("og:site_name", ctx.site.name),
    ]
    head_html = head(ctx, title=f"{title} – {ctx.site.name}", canonical=canonical, meta=meta)
    body = f"""<div id="page" class="site">
{site_header(ctx)}
<div id="content" class="site-content">
<section id="primary" class="content-area">
<main id="main" class="site-main">
{inner}
</main>
</section>
{sidebar(ctx)}
</div>
{footer(ctx)}
</div>"""
    return document(head_html, body_class, body)


def error_page(ctx: RenderContext, path: str, status: int) -> str:
    heading = "This content has been removed" if status == 410 else "Nothing Found"
    message = (
        "This story was retracted and is no longer available."
        if status == 410
        else "It looks like nothing was found at this location. Maybe try a search?"
    )
    inner = f"""<section class="error-404 not-found">
<header class="page-header"><h1 class="page-title">{heading}</h1></header>
<div class="page-content"><p>{message}</p></div>
</section>"""
    return simple_page(ctx, title=heading, path=path, inner=inner, body_class="error404")


def about_page(ctx: RenderContext) -> str:
    inner = f"""<article class="page type-page status-publish hentry entry">
<header class="entry-header"><h1 class="entry-title">About</h1></header>
<div class="entry-content">
<p>{esc_text(ctx.site.name)} publishes reporting and argument, and welcomes the comments of
its readers. Comments are moderated for civility, not for opinion.</p>
</div>
</article>"""
    return simple_page(ctx, title="About", path="/about/", inner=inner, body_class="page")


def private_page(ctx: RenderContext, path: str) -> str:
    inner = f"""<article class="page type-page status-private hentry entry">
<header class="entry-header"><h1 class="entry-title">Members area</h1></header>
<div class="entry-content">
<p>Log in to read the members&rsquo; newsletter archive.</p>
<p><a href="{ctx.url("/private/archive/")}">Newsletter archive</a></p>
</div>
</article>"""
    return simple_page(ctx, title="Members area", path=path, inner=inner, body_class="page")


def month_path(year: int, month: int) -> str:
    return f"/calendar/{year:04d}/{month:02d}/"


def calendar_page(ctx: RenderContext, year: int, month: int) -> str:
    """A month of the archive calendar; it always links the months before and after."""
    prev_y, prev_m = (year, month - 1) if month > 1 else (year - 1, 12)
    next_y, next_m = (year, month + 1) if month < 12 else (year + 1, 1)
    articles = [
        a for a in ctx.site.newest_first if (a.published.year, a.published.month) == (year, month)
    ]
    cards = "\n".join(entry_card(ctx, a) for a in articles) or "<p>No posts this month.</p>"
    label = f"{MONTHS[month - 1]} {year}"
    inner = f"""<header class="page-header"><h1 class="page-title">Archives: {label}</h1></header>
{cards}
<nav class="navigation calendar-navigation" aria-label="Months">
<a rel="prev" href="{ctx.url(month_path(prev_y, prev_m))}">&laquo; {MONTHS[prev_m - 1]} {prev_y}</a>
<a rel="next" href="{ctx.url(month_path(next_y, next_m))}">{MONTHS[next_m - 1]} {next_y} &raquo;</a>
</nav>"""
    return simple_page(
        ctx,
        title=f"Archives: {label}",
        path=month_path(year, month),
        inner=inner,
        body_class="archive date",
    )
