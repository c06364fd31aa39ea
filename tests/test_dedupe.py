"""Exact and near duplicates: marked `duplicate_of` their original, never deleted."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from archive.dedupe import (
    BANDS,
    NUM_PERM,
    SignatureStore,
    band_keys,
    find_duplicates,
    fingerprint_table,
    jaccard,
    signatures,
)
from archive.layout import DataDir
from archive.process import process
from tests.process_support import RunBuilder, at, body, by_id, rows, story, syndicated

ORIGINAL = story(1, day=2)


def _copy(n: int, site: str = "news.example", day: int = 4) -> object:
    return replace(story(n, site=site, day=day), text=syndicated(ORIGINAL.text, n))


def test_exact_duplicate_bodies_under_different_urls_are_marked_exact(tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    twin = replace(story(2, day=3), text=ORIGINAL.text)
    RunBuilder("A").crawl(ORIGINAL, twin, fetched=at(10)).write(data)
    [report] = process(data)
    articles = by_id(data, "articles")
    assert (articles[twin.article_id]["duplicate_of"],
            articles[twin.article_id]["duplicate_kind"]) == (ORIGINAL.article_id, "exact")
    assert articles[ORIGINAL.article_id]["duplicate_of"] is None
    assert report["counts"]["articles/duplicates_exact"] == 1


def test_a_syndicated_copy_on_the_same_site_is_a_near_duplicate(tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    copy = _copy(2)
    RunBuilder("A").crawl(ORIGINAL, copy, fetched=at(10)).write(data)
    process(data)
    row = by_id(data, "articles")[copy.article_id]
    assert (row["duplicate_of"], row["duplicate_kind"]) == (ORIGINAL.article_id, "near")


def test_a_syndicated_copy_on_another_site_in_a_later_run_is_a_near_duplicate(
        tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    copy = _copy(2, site="other.example")
    RunBuilder("A").crawl(ORIGINAL, fetched=at(10)).write(data)
    RunBuilder("B").crawl(copy, fetched=at(11)).write(data)
    process(data)
    row = by_id(data, "articles")[copy.article_id]
    assert (row["duplicate_of"], row["duplicate_kind"]) == (ORIGINAL.article_id, "near")


def test_copies_are_never_deleted(tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    copies = [_copy(n, site=f"site{n}.example") for n in range(2, 6)]
    RunBuilder("A").crawl(ORIGINAL, *copies, fetched=at(10)).write(data)
    process(data)
    articles = by_id(data, "articles")
    assert len(articles) == 5
    assert {articles[c.article_id]["duplicate_of"] for c in copies} == {ORIGINAL.article_id}
    assert len(rows(data, "comments")) == 5 * 3


def test_the_original_is_the_earliest_published_even_when_processed_after_the_copy(
        tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    copy = _copy(2, site="other.example")
    RunBuilder("A").crawl(copy, fetched=at(10)).write(data)
    RunBuilder("B").crawl(ORIGINAL, fetched=at(11)).write(data)
    process(data, runs=["A"])
    assert by_id(data, "articles")[copy.article_id]["duplicate_of"] is None
    process(data, runs=["B"])
    articles = by_id(data, "articles")
    assert articles[copy.article_id]["duplicate_of"] == ORIGINAL.article_id
    assert articles[ORIGINAL.article_id]["duplicate_of"] is None


def test_copies_of_a_copy_are_repointed_to_the_earlier_original(tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    first_copy = _copy(2, site="one.example", day=4)
    second_copy = replace(story(3, site="two.example", day=5), text=first_copy.text)
    RunBuilder("A").crawl(first_copy, second_copy, fetched=at(10)).write(data)
    RunBuilder("B").crawl(ORIGINAL, fetched=at(11)).write(data)
    process(data, runs=["A"])
    assert by_id(data, "articles")[second_copy.article_id]["duplicate_of"] == (
        first_copy.article_id)
    process(data, runs=["B"])
    articles = by_id(data, "articles")
    assert articles[first_copy.article_id]["duplicate_of"] == ORIGINAL.article_id
    assert articles[second_copy.article_id]["duplicate_of"] == ORIGINAL.article_id


def test_unrelated_articles_are_not_duplicates(tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    RunBuilder("A").crawl(*(story(n) for n in range(1, 30)), fetched=at(10)).write(data)
    [report] = process(data)
    assert {r["duplicate_of"] for r in rows(data, "articles")} == {None}
    assert "articles/duplicates_near" not in report["counts"]


def test_recrawling_unchanged_articles_does_not_grow_the_signature_store(
        tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    stories = [story(n) for n in range(1, 6)]
    RunBuilder("A").crawl(*stories, fetched=at(10)).write(data)
    RunBuilder("B").crawl(*stories, fetched=at(11)).write(data)
    reports = process(data)
    assert [r["counts"]["dedupe/signatures_saved"] for r in reports] == [5, 0]


def test_band_keys_are_deterministic_and_differ_between_bands() -> None:
    sigs = signatures([body("x"), body("y")])
    assert sigs.shape == (2, NUM_PERM) and sigs.dtype == np.uint32
    keys = band_keys(sigs)
    assert keys.shape == (2, BANDS)
    assert (keys == band_keys(sigs.copy())).all()
    assert len(set(keys[0].tolist())) == BANDS
    same_values = np.zeros((1, NUM_PERM), np.uint32)
    assert len(set(band_keys(same_values)[0].tolist())) == BANDS


def test_a_changed_first_paragraph_keeps_the_estimated_similarity_above_threshold() -> None:
    original, copy, other = signatures([ORIGINAL.text, syndicated(ORIGINAL.text, 1),
                                        body("unrelated")])
    assert jaccard(original, copy) >= 0.7
    assert jaccard(original, other) < 0.1


def test_find_duplicates_uses_the_newest_stored_version(tmp_path: Path) -> None:
    """Processing an older crawl after a newer one judges the article by its newer text."""
    store = SignatureStore(tmp_path)
    rewritten = body("rewritten")

    def prints(text: str, fetched: object, run: str, aid: str = "a") -> object:
        row = {"article_id": aid, "fetched_at": fetched, "crawl_run_id": run,
               "content_hash": text[:16], "published_at": at(1), "first_seen_at": fetched}
        return fingerprint_table([row], signatures([text]))

    store.save("new", prints(rewritten, at(20), "new"))
    store.save("other", prints(rewritten, at(5), "other", aid="b"))
    result = find_duplicates(prints(ORIGINAL.text, at(10), "old"), store, "old")
    assert result.decisions["a"] is not None and result.decisions["a"].original == "b"


def _variant(text: str, lead: str, tail: str | None = None) -> str:
    """`text` with a new first paragraph and, optionally, a new last one."""
    paragraphs = syndicated(text, lead).split("\n\n")
    if tail is not None:
        paragraphs[-1] = body(tail, paragraphs=1)
    return "\n\n".join(paragraphs)


def test_a_copy_of_a_copy_follows_when_its_original_turns_out_to_be_a_copy(
        tmp_path: Path) -> None:
    """C2 resembles C1 but not the original O: once O is archived, C1 and C2 name O."""
    data = DataDir.at(tmp_path)
    c1 = replace(story(2, site="one.example", day=4), text=_variant(ORIGINAL.text, "c"))
    c2 = replace(story(3, site="two.example", day=5), text=_variant(ORIGINAL.text, "c", "z"))
    assert jaccard(*signatures([c2.text, ORIGINAL.text])) < 0.7
    RunBuilder("A").crawl(c1, c2, fetched=at(10)).write(data)
    RunBuilder("B").crawl(ORIGINAL, fetched=at(11)).write(data)
    process(data, runs=["A"])
    assert by_id(data, "articles")[c2.article_id]["duplicate_of"] == c1.article_id
    [report] = process(data, runs=["B"])
    articles = by_id(data, "articles")
    assert articles[c1.article_id]["duplicate_of"] == ORIGINAL.article_id
    assert (articles[c2.article_id]["duplicate_of"],
            articles[c2.article_id]["duplicate_kind"]) == (ORIGINAL.article_id, "near")
    assert report["counts"]["articles/duplicates_repointed"] == 1


def test_a_new_copy_of_a_stored_copy_names_the_stored_original(tmp_path: Path) -> None:
    """N resembles the stored copy S but not its original T: N is a copy of T too."""
    data = DataDir.at(tmp_path)
    s = replace(story(2, site="one.example", day=3), text=_variant(ORIGINAL.text, "s"))
    n = replace(story(3, site="two.example", day=2), text=_variant(ORIGINAL.text, "s", "n"))
    assert jaccard(*signatures([n.text, ORIGINAL.text])) < 0.7
    RunBuilder("A").crawl(ORIGINAL, s, fetched=at(10)).write(data)
    RunBuilder("B").crawl(n, fetched=at(11)).write(data)
    process(data)
    articles = by_id(data, "articles")
    assert articles[s.article_id]["duplicate_of"] == ORIGINAL.article_id
    assert articles[n.article_id]["duplicate_of"] == ORIGINAL.article_id


def _many_prints(count: int, prefix: str) -> object:
    rng = np.random.default_rng(len(prefix) + count)
    rows = [{"article_id": f"{prefix}{n:05d}", "fetched_at": at(10), "crawl_run_id": prefix,
             "content_hash": f"h{n}", "published_at": at(1), "first_seen_at": at(10)}
            for n in range(count)]
    return fingerprint_table(rows, rng.integers(0, 2**32, (count, NUM_PERM), np.uint32))


def test_stored_versions_come_from_every_row_group_and_file_but_the_excluded(
        tmp_path: Path) -> None:
    store = SignatureStore(tmp_path)
    big, small = _many_prints(20_000, "a"), _many_prints(10, "b")
    store.save("big", big)
    store.save("small", small)
    wanted = ["a00003", "a09000", "a19999", "b00007", "nowhere"]
    found = store.versions(wanted, with_signature=True)
    assert sorted(found.column("article_id").to_pylist()) == wanted[:4]
    stored = {r["article_id"]: r["signature"] for r in [*big.to_pylist(), *small.to_pylist()]}
    assert all(r["signature"] == stored[r["article_id"]] for r in found.to_pylist())
    assert store.versions(wanted, exclude=["big"]).column("article_id").to_pylist() == [
        "b00007"]


def test_band_matches_find_stored_keys_with_their_articles(tmp_path: Path) -> None:
    store = SignatureStore(tmp_path)
    big = _many_prints(20_000, "a")
    store.save("big", big)
    sigs = big.column("signature").combine_chunks().flatten().to_numpy().reshape(-1, NUM_PERM)
    keys = band_keys(sigs[[5, 15_000]])
    matches = store.band_matches(keys.reshape(-1), ["a00005"])
    assert set(matches.column("article_id").to_pylist()) == {"a15000"}
    assert matches.num_rows == BANDS
    assert store.band_matches(keys.reshape(-1), [], exclude=["big"]).num_rows == 0
