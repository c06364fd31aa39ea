"""The quality table: body and comment scores of both extractors, from one run's results."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from tests.quality import metric
from tests.quality.run import Extracted, PageResult

BODY_N = 4
COMMENTS_N = 1


@dataclass(frozen=True)
class Row:
    body_f1: float
    body_precision: float
    body_recall: float
    comments_f1: float
    comments_precision: float
    comments_recall: float
    comment_pages_found: int
    comment_pages: int
    false_comment_pages: int
    commentless_pages: int
    comment_text_in_body: float
    comment_records: int
    empty_comment_records: int
    errors: int
    not_articles: int
    """Gold pages (all of them articles) that page understanding turned away."""

    def to_dict(self) -> dict[str, float | int]:
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(self).items()}


def row(results: list[PageResult], side: str) -> Row:
    extracted: list[tuple[PageResult, Extracted]] = [(r, getattr(r, side)) for r in results]
    body = metric.score(metric.match(r.page.body, e.body, BODY_N) for r, e in extracted)
    with_comments = [(r, e) for r, e in extracted if r.page.comments]
    comments = metric.score(metric.match(r.page.comments, e.comments, COMMENTS_N)
                            for r, e in with_comments)
    leaked = [metric.leaked(r.page.comments, r.page.body, e.body) for r, e in with_comments]
    total_comment_shingles = sum(t for _, t in leaked) or 1
    return Row(
        body_f1=body.f1, body_precision=body.precision, body_recall=body.recall,
        comments_f1=comments.f1, comments_precision=comments.precision,
        comments_recall=comments.recall,
        comment_pages_found=sum(1 for _, e in with_comments if metric.tokens(e.comments)),
        comment_pages=len(with_comments),
        false_comment_pages=sum(1 for r, e in extracted
                                if not r.page.comments and metric.tokens(e.comments)),
        commentless_pages=sum(1 for r, _ in extracted if not r.page.comments),
        comment_text_in_body=sum(f for f, _ in leaked) / total_comment_shingles,
        comment_records=sum(e.comment_records for _, e in extracted),
        empty_comment_records=sum(e.empty_records for _, e in extracted),
        errors=sum(1 for _, e in extracted if e.error),
        not_articles=sum(1 for _, e in extracted if e.not_article),
    )


def render(rows: dict[str, Row]) -> str:
    header = ("| | body F1 (P / R) | comments token F1 (P / R) | comments found | "
              "comments on comment-less pages | comment text in body |")
    lines = [header, "| --- | --- | --- | --- | --- | --- |"]
    for name, r in rows.items():
        lines.append(
            f"| {name} | {r.body_f1:.3f} ({r.body_precision:.2f} / {r.body_recall:.2f}) "
            f"| {r.comments_f1:.3f} ({r.comments_precision:.2f} / {r.comments_recall:.2f}) "
            f"| {r.comment_pages_found} of {r.comment_pages} "
            f"| {r.false_comment_pages} of {r.commentless_pages} "
            f"| {r.comment_text_in_body:.0%} |")
    return "\n".join(lines)
