"""Deterministic fixture sites: the same arguments always give the same `Site`.

Generated articles are spread over 2018-2020. The first is published in summer (DST),
the second a day and a half before the zone's 2019 spring DST change, with comments
running past it (when the zone has DST). Every local time is a single, existing wall
time in the site's zone (never inside a DST gap or overlap).
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sample_site import text
from sample_site.faults import ARTICLE_FAULTS, check_faults
from sample_site.model import Article, Comment, Link, Site, slugify
from sample_site.seed import SEED_SITE_NAME, SEED_SITE_TAGLINE, SEED_TIMEZONE, seed_article
from sample_site.timefmt import transitions, unambiguous

SITE_NAMES = {
    "classic": ("The Riverside Ledger", "News and views from the river towns"),
    "print": ("The Evening Review", "Essays, argument and letters"),
    "structured": ("Metro Daily Wire", "Your city, every day"),
}
FIRST_GENERATED_COMMENT_ID = 2000001
MAX_DEPTH = 3
FIRST_DAY = date(2018, 1, 1)
LAST_DAY = date(2020, 12, 31)
CP1252_TITLE = "Café Owners Weigh the Euro’s “Real” Cost — a €5 Question"
CP1252_PARAGRAPH = (
    "At the café on Rue Saint-Honoré, an espresso now costs €2.50 — up from €1.80 in "
    "2015. “It’s the rent, not the beans,” the owner said, shrugging at the menu."
)


@dataclass
class _DraftComment:
    author: str
    published: datetime
    paragraphs: tuple[str, ...]
    parent: int | None = None


@dataclass
class _Draft:
    title: str
    slug: str
    published: datetime
    authors: tuple[str, ...] = ()
    modified: datetime | None = None
    section: str = ""
    tags: tuple[str, ...] = ()
    paragraphs: tuple[str, ...] = ()
    comments: list[_DraftComment] = field(default_factory=list)
    links: tuple[Link, ...] = ()
    fault: str | None = None

    @property
    def path(self) -> str:
        return f"/{self.published:%Y/%m/%d}/{self.slug}/"


def build_site(
    theme: str,
    *,
    n_articles: int = 6,
    seed: int = 0,
    include_seed_article: bool = True,
    timezone: str = "America/New_York",
    comments_per_page: int = 0,
    faults: Iterable[str] = (),
    rest_api: bool = True,
    name: str | None = None,
    tagline: str | None = None,
) -> Site:
    """A site with `n_articles` generated articles, plus the seed article if asked.

    Fault articles (one per enabled article fault) come on top, in `Site.fault_articles`.
    The print theme cannot show reply threads, so its comments are all top level.
    """
    fault_set = frozenset(faults)
    check_faults(fault_set)
    rng = random.Random(seed)
    zone = ZoneInfo(timezone)
    staff = tuple(dict.fromkeys(text.person_name(rng) for _ in range(6)))
    threaded = theme != "print"
    used_slugs: set[str] = set()
    seed_post = seed_article() if include_seed_article else None
    if seed_post:
        used_slugs.add(seed_post.slug)

    drafts = []
    for index, (published, span_days) in enumerate(_schedule(rng, n_articles, zone)):
        draft = _new_draft(rng, published, staff, used_slugs)
        min_comments = 6 if span_days else 0
        _add_comments(rng, draft, zone, rng.randint(min_comments, 15), span_days, threaded)
        if index % 3 == 2:
            draft.modified = unambiguous(published + timedelta(hours=rng.randint(1, 72)), zone)
        drafts.append(draft)
    fault_drafts = [
        _fault_draft(rng, fault, staff, used_slugs, zone)
        for fault in ARTICLE_FAULTS
        if fault in fault_set
    ]
    _add_links(rng, drafts + fault_drafts, seed_post)

    frozen = _freeze(drafts + fault_drafts)
    normal = frozen[: len(drafts)]
    articles = (seed_post, *normal) if seed_post else tuple(normal)
    default_name, default_tagline = SITE_NAMES.get(theme, SITE_NAMES["classic"])
    return Site(
        name=name or default_name,
        title=tagline or default_tagline,
        timezone=timezone,
        theme=theme,
        articles=articles,
        comments_per_page=comments_per_page,
        rest_api=rest_api,
        faults=fault_set,
        fault_articles=tuple(frozen[len(drafts) :]),
    )


def bundled_site() -> Site:
    """The demo's sample site: the seed article and five more, in the seed's print layout."""
    return build_site(
        "print",
        n_articles=5,
        seed=2019,
        include_seed_article=True,
        timezone=SEED_TIMEZONE,
        name=SEED_SITE_NAME,
        tagline=SEED_SITE_TAGLINE,
    )


def _schedule(rng: random.Random, count: int, zone: ZoneInfo) -> list[tuple[datetime, int]]:
    """(publication time, comment span in days or 0 for the default spread) per article."""
    schedule: list[tuple[datetime, int]] = []
    changes = transitions(2019, zone) if count > 1 else []
    for index in range(count):
        if index == 0:
            day = date(rng.choice((2018, 2019, 2020)), rng.randint(6, 8), rng.randint(1, 28))
            schedule.append((_at_random_time(rng, day, zone), 0))
            continue
        if index == 1 and changes:
            published = unambiguous(changes[0] - timedelta(hours=36), zone)
            schedule.append((published, 4))
            continue
        day = FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days))
        schedule.append((_at_random_time(rng, day, zone), 0))
    return schedule


def _at_random_time(rng: random.Random, day: date, zone: ZoneInfo) -> datetime:
    local = datetime(day.year, day.month, day.day, rng.randint(5, 21), rng.randrange(60))
    return unambiguous(local, zone)


def _new_draft(
    rng: random.Random,
    published: datetime,
    staff: tuple[str, ...],
    used_slugs: set[str],
    title: str | None = None,
) -> _Draft:
    title = title or text.headline(rng)
    while slugify(title) in used_slugs:
        title = text.headline(rng)
    slug = slugify(title)
    used_slugs.add(slug)
    return _Draft(
        title=title,
        slug=slug,
        published=published,
        authors=tuple(rng.sample(staff, rng.choice((1, 1, 1, 2)))),
        section=rng.choice(text.SECTIONS),
        tags=text.tags_for(rng, title),
        paragraphs=tuple(text.paragraph(rng) for _ in range(rng.randint(4, 8))),
    )


def _add_comments(
    rng: random.Random,
    draft: _Draft,
    zone: ZoneInfo,
    count: int,
    span_days: int,
    threaded: bool,
) -> None:
    if span_days:
        offsets = sorted(rng.randint(180, span_days * 1440 - 180) for _ in range(count))
        offsets[0], offsets[-1] = 120, span_days * 1440 - 120
    else:
        offsets, minute = [], rng.randint(5, 360)
        for _ in range(count):
            offsets.append(minute)
            minute += rng.randint(10, 1200)
    depths: list[int] = []
    previous = draft.published
    for offset in offsets:
        published = unambiguous(draft.published + timedelta(minutes=offset), zone)
        published = previous = max(published, previous)
        parent = None
        candidates = [i for i, d in enumerate(depths) if d < MAX_DEPTH]
        if threaded and candidates and rng.random() < 0.35:
            parent = rng.choice(candidates)
        reply_to = draft.comments[parent].author if parent is not None else None
        draft.comments.append(
            _DraftComment(
                author=text.commenter_name(rng),
                published=published,
                paragraphs=text.comment_paragraphs(rng, reply_to),
                parent=parent,
            )
        )
        depths.append(1 if parent is None else depths[parent] + 1)


def _fault_draft(
    rng: random.Random,
    fault: str,
    staff: tuple[str, ...],
    used_slugs: set[str],
    zone: ZoneInfo,
) -> _Draft:
    day = date(2020, rng.randint(9, 12), rng.randint(1, 28))
    published = _at_random_time(rng, day, zone)
    title = CP1252_TITLE if fault == "cp1252" else None
    draft = _new_draft(rng, published, staff, used_slugs, title)
    draft.fault = fault
    if fault == "cp1252":
        draft.paragraphs = (CP1252_PARAGRAPH, *draft.paragraphs[1:])
    count = 8 if fault == "truncated" else rng.randint(2, 5)
    _add_comments(rng, draft, zone, count, 0, threaded=False)
    if fault == "cp1252":
        draft.comments[0].paragraphs = ("Très bien — but €5 for a café crème is too much.",)
    return draft


def _add_links(rng: random.Random, drafts: list[_Draft], seed_post: Article | None) -> None:
    """Give about half the articles an inline link to another article of the site."""
    targets = [d.path for d in drafts] + ([seed_post.path] if seed_post else [])
    for draft in drafts:
        others = [t for t in targets if t != draft.path]
        if not others or rng.random() < 0.5:
            continue
        index = rng.randrange(len(draft.paragraphs))
        words = draft.paragraphs[index].split(" ")
        start = rng.randrange(max(1, len(words) - 3))
        anchor = " ".join(words[start : start + 3])
        draft.links = (Link(index, anchor, rng.choice(others)),)


def _freeze(drafts: list[_Draft]) -> list[Article]:
    """Give posts and comments WordPress-like ids (growing with time) and freeze them."""
    by_time = sorted(
        (c.published, i, j) for i, d in enumerate(drafts) for j, c in enumerate(d.comments)
    )
    comment_ids = {(i, j): FIRST_GENERATED_COMMENT_ID + n for n, (_, i, j) in enumerate(by_time)}
    used_post_ids: set[int] = set()
    articles = []
    for i, d in enumerate(drafts):
        post_id = 100000 + (d.published.date() - FIRST_DAY).days * 10 + 2
        while post_id in used_post_ids:
            post_id += 1
        used_post_ids.add(post_id)
        comments = tuple(
            Comment(
                comment_id=comment_ids[(i, j)],
                author=c.author,
                published=c.published,
                paragraphs=c.paragraphs,
                parent_id=comment_ids[(i, c.parent)] if c.parent is not None else None,
            )
            for j, c in enumerate(d.comments)
        )
        articles.append(
            Article(
                post_id=post_id,
                slug=d.slug,
                title=d.title,
                authors=d.authors,
                published=d.published,
                modified=d.modified,
                section=d.section,
                tags=d.tags,
                paragraphs=d.paragraphs,
                comments=comments,
                links=d.links,
                fault=d.fault,
            )
        )
    return articles
