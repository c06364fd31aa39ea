"""The Parquet archive on disk: atomic partition swaps, the declared schema, hive layout."""

from __future__ import annotations

import errno
import threading
from datetime import UTC
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

import archive.store as store_module
from archive.layout import DataDir
from archive.process import Archive, process
from archive.store import PartitionStore, row_group_rows
from schemas.arrow import ARTICLE_SCHEMA, COMMENT_SCHEMA
from tests.process_support import RunBuilder, at, hive_table, snapshot, story

STORIES = [story(n, day=1 + n % 20, month=1 + n % 3) for n in range(1, 13)]


@pytest.fixture
def data(tmp_path: Path) -> DataDir:
    data = DataDir.at(tmp_path)
    RunBuilder("A").crawl(*STORIES, fetched=at(25, month=4)).write(data)
    process(data)
    return data


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_a_writer_failing_with_disk_full_leaves_the_partition_and_no_staging_file(
        data: DataDir, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Archive.open(data).articles
    partition = store.partitions()[0]
    before = Path(store.path(partition)).read_bytes()
    real_write = pq.write_table

    def disk_full(table: pa.Table, where: str, **kwargs: object) -> None:
        real_write(table.slice(0, 1), where, **kwargs)  # a partial file, then the error
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store_module.pq, "write_table", disk_full)
    with pytest.raises(OSError) as failure:
        store.write(partition, store.read(partition).slice(0, 1))
    assert failure.value.errno == errno.ENOSPC
    assert Path(store.path(partition)).read_bytes() == before
    assert _files(Path(store.root) / "_staging") == []


def test_process_failing_on_disk_full_keeps_the_archive_and_finishes_on_rerun(
        data: DataDir, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    before = snapshot(data)
    later = [story(n, day=1 + n % 20, month=1 + n % 3) for n in range(10, 16)]
    RunBuilder("B").crawl(*later, fetched=at(26, month=4)).write(data)
    real_write, calls = pq.write_table, []

    def fills_up(table: pa.Table, where: str, **kwargs: object) -> None:
        calls.append(where)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(table, where, **kwargs)

    monkeypatch.setattr(store_module.pq, "write_table", fills_up)
    with pytest.raises(OSError):
        process(data)
    after_failure = snapshot(data)
    assert {r["article_id"] for r in after_failure["articles"]} >= {
        r["article_id"] for r in before["articles"]}
    assert len(after_failure["articles"]) == len({r["article_id"]
                                                   for r in after_failure["articles"]})
    assert not (data.state / "processed" / "B.json").exists()
    monkeypatch.setattr(store_module.pq, "write_table", real_write)
    process(data)
    reference = DataDir.at(tmp_path / "reference")
    for run in ("A", "B"):
        RunBuilder(run).add(*_raw(data, run)).write(reference)
    process(reference)
    assert snapshot(data) == snapshot(reference)


def _raw(data: DataDir, run: str) -> list[dict]:
    from crawler.rawzone import read_items

    return [r for site in data.raw_sites(run) for r in read_items(site)]


def test_a_reader_during_partition_swaps_always_sees_complete_partitions(
        data: DataDir) -> None:
    store = Archive.open(data).articles
    partitions = store.partitions()
    old = {p: store.read(p) for p in partitions}
    new = {p: t.slice(0, max(1, t.num_rows // 2)).set_column(
        t.schema.get_field_index("title"), store.schema.field("title"),
        pa.array(["v2"] * max(1, t.num_rows // 2), pa.large_string())) for p, t in old.items()}
    expected = {p: {(old[p].num_rows, False), (new[p].num_rows, True)} for p in partitions}
    stop, seen, errors = threading.Event(), [], []

    def read() -> None:
        # Each scan discovers the files afresh, as DuckDB, Polars or pandas do per query (a
        # dataset object kept across a swap holds the old file's footer: see store.py).
        while not stop.is_set():
            try:
                for table in (
                        ds.dataset(store.root, format="parquet", partitioning="hive").to_table(
                            columns=["site", "month", "title"]).to_pylist(),
                        pq.read_table(store.root, columns=["site", "month", "title"]
                                      ).to_pylist()):
                    by_partition: dict[tuple[str, str], list[bool]] = {}
                    for row in table:
                        by_partition.setdefault((row["site"], row["month"]), []).append(
                            row["title"] == "v2")
                    seen.append({p: (len(v), all(v)) for p, v in by_partition.items()
                                 if len(set(v)) == 1} | {
                        p: (len(v), None) for p, v in by_partition.items() if len(set(v)) > 1})
            except Exception as error:  # any reader error fails the test
                errors.append(error)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for round_ in range(30):
            for partition in partitions:
                store.write(partition, (new if round_ % 2 == 0 else old)[partition])
    finally:
        stop.set()
        reader.join()
    assert errors == []
    assert len(seen) > 5
    for view in seen:
        assert set(view) == set(partitions)
        assert all(state in expected[p] for p, state in view.items())


def test_files_carry_exactly_the_declared_schema(data: DataDir) -> None:
    archive = Archive.open(data)
    for store, schema in ((archive.articles, ARTICLE_SCHEMA),
                          (archive.comments, COMMENT_SCHEMA)):
        assert store.dataset().schema.equals(schema, check_metadata=True)
        for partition in store.partitions():
            written = pq.read_schema(store.path(partition))
            assert written.equals(store.file_schema)
            assert written.metadata[b"pressarchive.version"] == b"1"
            assert written.field("published_at").type == pa.timestamp("us", tz="UTC")
            assert written.field("text").metadata[b"description"]


def test_timestamps_are_utc_and_exact(data: DataDir) -> None:
    table = hive_table(data, "articles")
    assert table.schema.field("first_seen_at").type == pa.timestamp("us", tz="UTC")
    row = next(r for r in table.to_pylist() if r["title"] == STORIES[0].title)
    assert row["published_at"] == STORIES[0].published
    assert row["published_at"].utcoffset().total_seconds() == 0
    assert row["fetched_at"].astimezone(UTC) == at(25, month=4)


def test_the_archive_reads_as_a_plain_hive_dataset(data: DataDir) -> None:
    for entity in ("articles", "comments"):
        table = hive_table(data, entity)
        assert {"site", "month"} <= set(table.schema.names)
        assert set(table.column("month").to_pylist()) == {"2024-01", "2024-02", "2024-03"}
    assert hive_table(data, "articles").num_rows == len(STORIES)
    assert hive_table(data, "comments").num_rows == 3 * len(STORIES)
    layout = {p.relative_to(data.parquet).as_posix() for p in _files(data.parquet)}
    assert "articles/site=news.example/month=2024-01/part-0.parquet" in layout


def test_a_null_in_a_required_column_is_refused_before_anything_is_written(
        data: DataDir) -> None:
    store = Archive.open(data).articles
    partition = store.partitions()[0]
    before = Path(store.path(partition)).read_bytes()
    table = store.read(partition)
    broken = table.set_column(table.schema.get_field_index("url"), store.schema.field("url"),
                              pa.nulls(table.num_rows, pa.string()))
    with pytest.raises(ValueError, match="url"):
        store.write(partition, broken)
    assert Path(store.path(partition)).read_bytes() == before


def test_row_groups_are_sized_by_bytes() -> None:
    wide = pa.table({"text": ["x" * 4000] * 10})
    narrow = pa.table({"n": list(range(10))})
    assert row_group_rows(wide) < row_group_rows(narrow)
    assert 1024 <= row_group_rows(wide) <= 64 * 1024


def test_partition_values_with_reserved_characters_round_trip(tmp_path: Path) -> None:
    from schemas.records import ARTICLE

    store = PartitionStore(str(tmp_path / "articles"), ARTICLE)
    assert store.directory(("127.0.0.1:8080", "2024-03")).endswith(
        "site=127.0.0.1%3A8080/month=2024-03")
    assert store.read(("127.0.0.1:8080", "2024-03")).num_rows == 0


def test_a_lookup_finds_the_rows_of_every_partition_holding_a_wanted_id(data: DataDir) -> None:
    articles = Archive.open(data).articles
    everything = hive_table(data, "articles")
    wanted = sorted(everything.column("article_id").to_pylist())[::3]
    found = articles.lookup("article_id", [*wanted, "no-such-article"], ["url"])
    assert sorted(found.column("article_id").to_pylist()) == wanted
    assert found.column_names == ["article_id", "url", "site", "month"]
    expected = {(r["article_id"], r["url"], r["site"], r["month"])
                for r in everything.to_pylist() if r["article_id"] in wanted}
    assert {tuple(r.values()) for r in found.to_pylist()} == expected


def test_a_lookup_of_nothing_or_of_unknown_ids_is_an_empty_table(data: DataDir) -> None:
    articles = Archive.open(data).articles
    for values in ([], ["no-such-article"]):
        found = articles.lookup("article_id", values, ["url"])
        assert found.num_rows == 0
        assert found.column_names == ["article_id", "url", "site", "month"]


def test_a_partition_written_before_the_looked_up_column_existed_holds_no_match(
        data: DataDir) -> None:
    articles = Archive.open(data).articles
    partition = articles.partitions()[0]
    older = pq.read_table(articles.path(partition)).drop_columns(["duplicate_of"])
    pq.write_table(older, articles.path(partition))
    someone = hive_table(data, "articles").column("article_id")[0].as_py()
    assert articles.lookup("duplicate_of", [someone], ["article_id"]).num_rows == 0
    assert articles.lookup("article_id", [someone], []).num_rows == 1
