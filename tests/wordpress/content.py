"""The content of the test WordPress sites: the same every time, made from seeded generators.

Three sites, each with its own host name (every 127.x.y.z is loopback; `site.py` serves
each once per theme, on 127.0.T.N) and database:

- `news` (127.0.0.21): the seed article and 40 others with about 470 comments, date
  permalinks, America/New_York (`timezone_string`), threaded comments five levels deep,
  ten threads per comment page with the newest page first;
- `plain` (127.0.0.22): `?p=N` permalinks, a zone given only as `gmt_offset` (+5:30),
  numeric day/month dates, five threads per page, oldest page first, newest comment first;
- `german` (127.0.0.23): de_DE with German dates, Europe/Berlin, `/%postname%/`, every
  comment on the article page.

Besides published posts each site has what a crawl must not archive as an article: pages,
an attachment page, drafts, pending, private, scheduled and password-protected posts, and
comments pending moderation or marked as spam. Three block-editor posts are split into
pages with the page-break block (two on `news`, one on `plain`): a block theme links a
post's later pages only for that block, not for a classic post's `<!--nextpage-->`. Texts
are HTML as WordPress stores them (block markup on some posts, classic paragraphs on
others); some hold `<`, `>`, `&` and entity-like words, escaped as the editor escapes them,
so that readers see them literally.
Times are local wall times of the site, as WordPress takes `post_date` and `comment_date`.
"""

from __future__ import annotations

import html
import random
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sample_site import text
from sample_site.model import slugify
from sample_site.seed import SEED_SITE_NAME, SEED_SITE_TAGLINE, seed_article
from sample_site.timefmt import unambiguous

PORT = 18080
THEMES = ("twentytwentyone", "twentytwentytwo", "twentytwentythree")
REST_MODES = ("on", "off")
FUTURE = datetime(2099, 1, 15, 9, 30)

ENTITY_SENTENCES = (
    "In the draft, x<y and y>z held for every line item, so x<z as well.",
    "AT&T and Procter & Gamble both filed; the old form kept &section=2&id=7 in its address.",
    "A reader asked why the feed printed &amp; for an ampersand, and &copy; or &#8217; as words.",
    "The clause reads “5 < 7 > 3” and someone typed <b>bold</b> into it literally.",
)
GERMAN_SUBJECTS = ("Der Stadtrat", "Die Bürgermeisterin", "Der Verkehrsverbund",
                   "Mehrere Anwohner", "Die Landesregierung", "Der Schulausschuss",
                   "Zwei Gutachter", "Die Stadtwerke")
GERMAN_VERBS = ("beschloss", "verschob", "kritisierte", "prüfte", "verteidigte", "lehnte ab")
GERMAN_OBJECTS = ("den Haushalt für das kommende Jahr", "den Ausbau der Straßenbahn",
                  "die neuen Parkgebühren", "den Umbau des Hallenbads",
                  "die Sanierung der Brücke", "den Bebauungsplan am Flussufer",
                  "die Erhöhung der Grundsteuer")
GERMAN_TAILS = ("am Dienstag", "nach langer Debatte", "trotz Protesten", "in knapper Abstimmung",
                "überraschend", "zum zweiten Mal in diesem Jahr")
GERMAN_TOPICS = ("Straßenbahn", "Grundsteuer", "Hallenbad", "Brücke", "Parkgebühren",
                 "Haushalt", "Flussufer")
GERMAN_COMMENTS = ("Sehr guter Artikel, danke.", "Das sehe ich völlig anders.",
                   "Wer bezahlt das am Ende?", "Genau so war es bei uns auch.",
                   "Endlich berichtet jemand darüber.", "Die Zahlen stimmen so nicht.",
                   "Das hatten wir doch schon einmal.", "Gut zusammengefasst.",
                   "Ich war bei der Sitzung, es war noch schlimmer.",
                   "Mal sehen, was in einem Jahr davon übrig ist.")


@dataclass(frozen=True)
class User:
    login: str
    name: str
    bio: str = ""
    role: str = "author"

    @property
    def email(self) -> str:
        return f"{self.login}@example.org"


@dataclass(frozen=True)
class Post:
    """One WordPress post, page or attachment; `key` names it inside the content."""

    key: str
    type: str
    status: str
    title: str
    slug: str
    author: str
    date: datetime
    content: str = ""
    modified: datetime | None = None
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    password: str = ""
    parent: str | None = None
    import_id: int | None = None
    comment_status: str = "open"
    links_attachment: str | None = None
    """Key of an attachment whose page this post links to (the link is added once known)."""


@dataclass(frozen=True)
class Comment:
    key: int
    post: str
    author: str
    date: datetime
    content: str
    parent: int | None = None
    status: str = "1"
    email: str = ""
    url: str = ""
    user: str | None = None


@dataclass(frozen=True)
class SiteContent:
    key: str
    host: str
    title: str
    tagline: str
    timezone: str
    """IANA zone of local times, or a fixed offset as `+05:30` when the site has none."""
    options: dict[str, str]
    users: tuple[User, ...]
    posts: tuple[Post, ...]
    comments: tuple[Comment, ...]
    language: str = ""

    def to_json(self, base_url: str) -> dict[str, Any]:
        """The fill script's input for the site at `base_url`: every datetime as WordPress's
        `Y-m-d H:i:s`."""
        def plain(value: Any) -> Any:
            if isinstance(value, datetime):
                return value.strftime("%Y-%m-%d %H:%M:%S")
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list | tuple):
                return [plain(v) for v in value]
            return value

        data = plain(asdict(self))
        data["base_url"] = base_url
        return data


def sites() -> dict[str, SiteContent]:
    """Every test site by key."""
    return {s.key: s for s in (news_site(), plain_site(), german_site())}


# --- texts -----------------------------------------------------------------------------------


def _block(paragraphs: list[str]) -> str:
    """Block-editor markup, as WordPress 5+ stores a post written in the editor."""
    out = []
    for p in paragraphs:
        if p.startswith("<h2>"):
            heading = p.replace("<h2>", '<h2 class="wp-block-heading">')
            out.append(f"<!-- wp:heading -->\n{heading}\n<!-- /wp:heading -->")
        elif p.startswith("<blockquote>"):
            inner = p.removeprefix("<blockquote>").removesuffix("</blockquote>")
            out.append(f'<!-- wp:quote -->\n<blockquote class="wp-block-quote">{inner}'
                       "</blockquote>\n<!-- /wp:quote -->")
        else:
            out.append(f"<!-- wp:paragraph -->\n<p>{p}</p>\n<!-- /wp:paragraph -->")
    return "\n\n".join(out)


def _split(paragraphs: list[str], parts: int, block: bool) -> str:
    """The post's text in `parts` pages, split as the editors do: `<!--nextpage-->`, inside
    a `wp:nextpage` block in the block editor."""
    render = _block if block else _classic
    size = -(-len(paragraphs) // parts)
    pages = [render(paragraphs[i:i + size]) for i in range(0, len(paragraphs), size)]
    marker = ("<!-- wp:nextpage -->\n<!--nextpage-->\n<!-- /wp:nextpage -->" if block
              else "<!--nextpage-->")
    return f"\n\n{marker}\n\n".join(pages)


def _classic(paragraphs: list[str]) -> str:
    """Classic-editor text: paragraphs separated by blank lines, `wpautop` adds the `<p>`s."""
    return "\n\n".join(paragraphs)


def _esc(plain: str) -> str:
    return html.escape(plain, quote=False)


def _english_paragraphs(rng: random.Random, entities: bool, rich: bool) -> list[str]:
    paragraphs = [_esc(text.paragraph(rng)) for _ in range(rng.randint(4, 8))]
    if entities:
        paragraphs.insert(rng.randint(1, len(paragraphs)), _esc(" ".join(ENTITY_SENTENCES)))
    if rich:
        paragraphs.insert(2, f"<h2>{_esc(text.headline(rng))}</h2>")
        paragraphs.insert(4, f"<blockquote><p>{_esc(text.sentence(rng))}</p></blockquote>")
    return paragraphs


def _german_sentence(rng: random.Random) -> str:
    return (f"{rng.choice(GERMAN_SUBJECTS)} {rng.choice(GERMAN_VERBS)} "
            f"{rng.choice(GERMAN_OBJECTS)} {rng.choice(GERMAN_TAILS)}.")


def _german_paragraphs(rng: random.Random, entities: bool) -> list[str]:
    paragraphs = [" ".join(_german_sentence(rng) for _ in range(rng.randint(3, 6)))
                  for _ in range(rng.randint(3, 6))]
    if entities:
        paragraphs.append("Die Firma Müller & Söhne schrieb „a<b und b>c“, also a<c.")
    return [_esc(p) for p in paragraphs]


def _comment_text(rng: random.Random, german: bool, entities: bool) -> str:
    if german:
        paragraphs = [" ".join(rng.sample(GERMAN_COMMENTS, rng.randint(1, 3)))
                      for _ in range(rng.choice((1, 1, 2)))]
    else:
        paragraphs = list(text.comment_paragraphs(rng))
    if entities:
        paragraphs.append(rng.choice(ENTITY_SENTENCES))
    return "\n\n".join(_esc(p) for p in paragraphs)


# --- threads ---------------------------------------------------------------------------------


@dataclass
class _Thread:
    """Builds one post's comments: replies at most `depth` deep, each later than its parent."""

    rng: random.Random
    post: str
    zone: ZoneInfo | None
    depth: int
    german: bool
    next_key: int
    comments: list[Comment] = field(default_factory=list)

    def add(self, count: int, start: datetime, staff: User | None = None) -> None:
        depth_of: dict[int, int] = {}
        when = start
        for _ in range(count):
            when = self._later(when)
            replyable = [c for c in self.comments if depth_of.get(c.key, 1) < self.depth
                         and c.status == "1"]
            parent = None
            if replyable and self.rng.random() < 0.45:
                # Half the replies answer the newest comment: threads that run deep.
                parent = replyable[-1] if self.rng.random() < 0.5 else self.rng.choice(replyable)
            if staff and parent and self.rng.random() < 0.15:
                author, email, url, user = staff.name, staff.email, "", staff.login
            else:
                author = text.commenter_name(self.rng)
                email = f"{slugify(author) or 'reader'}@example.org"
                url = f"https://example.org/~{slugify(author)}" if self.rng.random() < 0.3 else ""
                user = None
            entities = self.rng.random() < 0.08
            comment = Comment(self.next_key, self.post, author, when,
                              _comment_text(self.rng, self.german, entities),
                              parent.key if parent else None, "1", email, url, user)
            depth_of[comment.key] = depth_of[parent.key] + 1 if parent else 1
            self.comments.append(comment)
            self.next_key += 1

    def unwanted(self, start: datetime) -> None:
        """One comment awaiting moderation and one marked as spam: never shown."""
        for status, words in (("0", "Awaiting moderation: "), ("spam", "Cheap pills here: ")):
            when = self._later(start)
            self.comments.append(Comment(self.next_key, self.post, "Mod Queue", when,
                                         words + _comment_text(self.rng, False, False),
                                         None, status, "queue@example.org"))
            self.next_key += 1

    def _later(self, when: datetime) -> datetime:
        step = timedelta(minutes=self.rng.randint(4, 900), seconds=self.rng.randint(0, 59))
        later = when + step
        return unambiguous(later, self.zone) if self.zone else later


# --- sites -----------------------------------------------------------------------------------


def _users(rng: random.Random, count: int, with_bio: int, lead: User | None = None) -> list[User]:
    users = [lead] if lead else []
    while len(users) < count:
        name = text.person_name(rng)
        if any(u.name == name for u in users):
            continue
        bio = (f"{name} covers {rng.choice(text.TOPICS).removeprefix('the ').lower()} and "
               f"{rng.choice(text.TOPICS).removeprefix('the ').lower()} for the paper."
               if len(users) < with_bio else "")
        users.append(User(slugify(name).replace("-", ""), name, bio))
    return users


def _schedule(rng: random.Random, count: int, zone: ZoneInfo | None) -> list[datetime]:
    days = sorted(rng.sample(range(0, 3 * 365), count))
    out = []
    for day in days:
        local = datetime(2018, 1, 3) + timedelta(days=day, hours=rng.randint(6, 20),
                                                 minutes=rng.randint(0, 59),
                                                 seconds=rng.randint(0, 59))
        out.append(unambiguous(local, zone) if zone else local)
    return out


@dataclass
class _Builder:
    """Accumulates one site's posts and comments."""

    rng: random.Random
    zone: ZoneInfo | None
    depth: int
    german: bool = False
    posts: list[Post] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    slugs: set[str] = field(default_factory=set)

    def thread(self, post: str) -> _Thread:
        return _Thread(self.rng, post, self.zone, self.depth, self.german,
                       len(self.comments) + 1)

    def add_comments(self, post: Post, count: int, staff: User | None,
                     unwanted: bool = False) -> None:
        thread = self.thread(post.key)
        thread.add(count, post.date, staff)
        if unwanted:
            thread.unwanted(post.date)
        self.comments.extend(thread.comments)

    def slug(self, title: str) -> str:
        base = slugify(title)[:60].strip("-")
        slug, n = base, 2
        while slug in self.slugs:
            slug, n = f"{base}-{n}", n + 1
        self.slugs.add(slug)
        return slug

    def article(self, key: str, users: list[User], when: datetime, *, block: bool,
                entities: bool = False, rich: bool = False, parts: int = 1,
                **fields: Any) -> Post:
        title = fields.pop("title", None) or (
            f"{self.rng.choice(GERMAN_TOPICS)}: {_german_sentence(self.rng)[:-1]}"
            if self.german else text.headline(self.rng))
        paragraphs = (_german_paragraphs(self.rng, entities) if self.german
                      else _english_paragraphs(self.rng, entities, rich))
        sections = (("Lokales", "Politik", "Verkehr") if self.german else text.SECTIONS)
        categories = tuple(self.rng.sample(sections, self.rng.choice((1, 1, 1, 2))))
        tags = (tuple(self.rng.sample(GERMAN_TOPICS, 2)) if self.german
                else text.tags_for(self.rng, title))
        post = Post(key, "post", "publish", fields.pop("escaped_title", None) or _esc(title),
                    self.slug(title), self.rng.choice(users).login, when,
                    _split(paragraphs, parts, block),
                    categories=categories, tags=tags, **fields)
        self.posts.append(post)
        return post


def _not_articles(b: _Builder, users: list[User], anchor: Post, pages: tuple[str, ...],
                  later: datetime) -> None:
    """Pages, a draft, a pending, a private and a scheduled post: none is an article."""
    author = users[0].login
    for i, title in enumerate(pages):
        b.posts.append(Post(f"page-{i}", "page", "publish", _esc(title), b.slug(title), author,
                            later + timedelta(days=i),
                            _classic([_esc(text.paragraph(b.rng)) for _ in range(2)]),
                            comment_status="closed"))
    for status in ("draft", "pending", "private"):
        title = f"{status.title()} post: {text.headline(b.rng)}"
        b.posts.append(Post(f"{status}-0", "post", status, _esc(title), b.slug(title), author,
                            later, _classic([_esc(text.paragraph(b.rng))]),
                            categories=anchor.categories))
    title = "Scheduled: " + text.headline(b.rng)
    b.posts.append(Post("future-0", "post", "publish", _esc(title), b.slug(title), author,
                        FUTURE, _classic([_esc(text.paragraph(b.rng))]),
                        categories=anchor.categories))


def _protected(b: _Builder, users: list[User], when: datetime) -> None:
    """A password-protected post with approved comments: neither may be archived."""
    post = b.article("protected-0", users, when, block=True, password="letmein",
                     title="Members only: " + text.headline(b.rng))
    b.add_comments(post, 3, None)


def _attachment(b: _Builder, parent: Post) -> None:
    b.posts.append(Post("attachment-0", "attachment", "inherit", "Chart of the budget",
                        "chart-of-the-budget", parent.author, parent.date,
                        "The budget, line by line.", parent=parent.key))


def news_site() -> SiteContent:
    rng = random.Random(9021)
    zone = ZoneInfo("America/New_York")
    seed = seed_article()
    lead = User("hkazianis", seed.authors[0],
                "Harry J. Kazianis writes on defense and Asian security.", "editor")
    users = _users(rng, 5, with_bio=3, lead=lead)
    b = _Builder(rng, zone, depth=5)
    b.posts.append(_seed_post(seed, lead.login))
    b.slugs.add(seed.slug)
    b.comments.extend(Comment(i + 1, "seed", c.author, c.published, "\n\n".join(
        _esc(p) for p in c.paragraphs), email=f"{slugify(c.author)}@example.org")
        for i, c in enumerate(seed.comments))
    counts = [rng.randint(4, 15) for _ in range(38)] + [48, 62]
    rng.shuffle(counts)
    for i, when in enumerate(_schedule(rng, 40, zone)):
        fields: dict[str, Any] = {}
        if i % 9 == 4:
            fields["modified"] = unambiguous(when + timedelta(days=rng.randint(2, 40),
                                                              hours=3), zone)
        if i == 7:
            fields["escaped_title"] = "Q&amp;A: Why x&lt;y Matters for R&amp;D Budgets"
            fields["title"] = "Q&A: Why x<y Matters for R&D Budgets"
        if i == 11:
            fields["comment_status"] = "closed"
        if i == 20:
            fields["links_attachment"] = "attachment-0"
        post = b.article(f"post-{i}", users, when, block=i % 2 == 0, entities=i % 5 == 1,
                         rich=i % 4 == 2, parts=3 if i in (24, 26) else 1, **fields)
        b.add_comments(post, 0 if i == 11 else counts[i], _user(users, post.author),
                       unwanted=i in (3, 17))
    _attachment(b, b.posts[21])
    _protected(b, users, datetime(2020, 6, 2, 10, 15, 7))
    _not_articles(b, users, b.posts[1], ("About us", "Comment policy"),
                  datetime(2018, 1, 2, 9, 0))
    options = {
        "timezone_string": "America/New_York", "gmt_offset": "",
        "permalink_structure": "/%year%/%monthnum%/%day%/%postname%/",
        "date_format": "F j, Y", "time_format": "g:i a", "posts_per_page": "10",
        "page_comments": "1", "comments_per_page": "10", "default_comments_page": "newest",
        "comment_order": "asc", "thread_comments": "1", "thread_comments_depth": "5",
    }
    return SiteContent("news", "127.0.0.21", SEED_SITE_NAME, SEED_SITE_TAGLINE,
                       "America/New_York", options, tuple(users), tuple(b.posts),
                       tuple(b.comments))


def _seed_post(seed: Any, author: str) -> Post:
    paragraphs = [_esc(p) for p in seed.paragraphs]
    for link in seed.links:
        i = link.paragraph
        escaped = _esc(link.text)
        paragraphs[i] = paragraphs[i].replace(escaped, f'<a href="{link.href}">{escaped}</a>', 1)
    return Post("seed", "post", "publish", _esc(seed.title), seed.slug, author, seed.published,
                _block(paragraphs), categories=(seed.section,), tags=seed.tags,
                import_id=seed.post_id)


def _user(users: list[User], login: str) -> User:
    return next(u for u in users if u.login == login)


def plain_site() -> SiteContent:
    rng = random.Random(9022)
    users = _users(rng, 3, with_bio=1)
    b = _Builder(rng, None, depth=3)
    for i, when in enumerate(_schedule(rng, 12, None)):
        post = b.article(f"post-{i}", users, when, block=i % 3 != 0, entities=i % 4 == 1,
                         modified=when + timedelta(days=3) if i == 5 else None,
                         parts=2 if i == 7 else 1)
        b.add_comments(post, rng.randint(5, 16), _user(users, post.author), unwanted=i == 2)
    _not_articles(b, users, b.posts[0], ("About",), datetime(2018, 1, 2, 9, 0))
    options = {
        "timezone_string": "", "gmt_offset": "5.5", "permalink_structure": "",
        "date_format": "d/m/Y", "time_format": "H:i", "posts_per_page": "5",
        "page_comments": "1", "comments_per_page": "5", "default_comments_page": "oldest",
        "comment_order": "desc", "thread_comments": "1", "thread_comments_depth": "3",
    }
    return SiteContent("plain", "127.0.0.22", "Metro Daily Wire", "Your city, every day",
                       "+05:30", options, tuple(users), tuple(b.posts), tuple(b.comments))


def german_site() -> SiteContent:
    rng = random.Random(9023)
    zone = ZoneInfo("Europe/Berlin")
    users = _users(rng, 3, with_bio=2)
    b = _Builder(rng, zone, depth=4, german=True)
    for i, when in enumerate(_schedule(rng, 10, zone)):
        post = b.article(f"post-{i}", users, when, block=True, entities=i == 3)
        b.add_comments(post, rng.randint(4, 14), _user(users, post.author))
    _not_articles(b, users, b.posts[0], ("Impressum",), datetime(2018, 1, 2, 9, 0))
    options = {
        "timezone_string": "Europe/Berlin", "gmt_offset": "",
        "permalink_structure": "/%postname%/", "date_format": "j. F Y", "time_format": "G:i",
        "posts_per_page": "6", "page_comments": "0", "thread_comments": "1",
        "thread_comments_depth": "4", "comment_order": "asc",
    }
    return SiteContent("german", "127.0.0.23", "Der Stadtbote", "Nachrichten aus der Stadt",
                       "Europe/Berlin", options, tuple(users), tuple(b.posts),
                       tuple(b.comments), language="de_DE")

