"""The archive on object storage: `process` to `s3://` on a local S3 server (moto)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pytest

from archive.layout import DataDir
from archive.process import process
from schemas.arrow import ARTICLE_SCHEMA
from tests.process_support import RunBuilder, at, rows, snapshot, story

moto_server = pytest.importorskip("moto.server")
BUCKET = "archive-bucket"


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    """A moto S3 server on 127.0.0.1 (random port) with one bucket; yields host:port."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        filesystem = pafs.S3FileSystem(access_key="test", secret_key="test", scheme="http",
                                       endpoint_override=f"{host}:{port}",
                                       region="us-east-1", allow_bucket_creation=True)
        filesystem.create_dir(BUCKET)
        yield f"{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                        "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)


def _uri(endpoint: str, prefix: str) -> str:
    return (f"s3://{BUCKET}/{prefix}?endpoint_override={endpoint}&scheme=http"
            "&region=us-east-1")


def _runs(data: DataDir) -> list:
    stories = [story(n, day=n, month=1 + n % 2) for n in range(1, 5)]
    RunBuilder("A").crawl(*stories, fetched=at(20, month=3)).write(data)
    redated = replace(stories[0], published=at(2, 9, month=1), title="Redated")
    RunBuilder("B").crawl(redated, story(9, day=9), fetched=at(21, month=3)).write(data)
    return stories


def test_process_writes_a_hive_dataset_to_s3_that_pyarrow_reads_back(
        tmp_path: Path, endpoint: str, credentials: None) -> None:
    data = DataDir.at(tmp_path)
    stories = _runs(data)
    uri = _uri(endpoint, "first")
    process(data, parquet=uri)
    filesystem, root = pafs.FileSystem.from_uri(uri)
    table = ds.dataset(f"{root}/articles", filesystem=filesystem, format="parquet",
                       partitioning="hive").to_table()
    assert sorted(table.column("article_id").to_pylist()) == sorted(
        {s.article_id for s in stories} | {story(9, day=9).article_id})
    assert table.schema.field("published_at").type == pa.timestamp("us", tz="UTC")
    redated = next(r for r in table.to_pylist() if r["title"] == "Redated")
    assert redated["month"] == "2024-01"
    comments = ds.dataset(f"{root}/comments", filesystem=filesystem, format="parquet",
                          partitioning="hive").to_table()
    assert comments.num_rows == len(set(comments.column("comment_id").to_pylist())) == 15
    assert not [i for i in filesystem.get_file_info(pafs.FileSelector(root, recursive=True))
                if "_staging/" in i.path and i.is_file]


def test_the_s3_archive_holds_the_same_rows_as_a_local_one(
        tmp_path: Path, endpoint: str, credentials: None) -> None:
    remote, local = DataDir.at(tmp_path / "remote"), DataDir.at(tmp_path / "local")
    for data in (remote, local):
        _runs(data)
    uri = _uri(endpoint, "second")
    process(remote, parquet=uri)
    process(local)
    assert snapshot(remote, parquet=uri) == snapshot(local)
    process(remote, parquet=uri, force=True)  # idempotent there too
    assert snapshot(remote, parquet=uri) == snapshot(local)


def test_the_endpoint_can_come_from_the_environment(
        tmp_path: Path, endpoint: str, credentials: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://{endpoint}")
    data = DataDir.at(tmp_path)
    _runs(data)
    process(data, parquet=f"s3://{BUCKET}/third")
    articles = rows(data, "articles", parquet=f"s3://{BUCKET}/third")
    assert len(articles) == 5
    filesystem, root = pafs.FileSystem.from_uri(f"s3://{BUCKET}/third")
    written = ds.dataset(f"{root}/articles", filesystem=filesystem, format="parquet",
                         partitioning="hive")
    assert {f.name: f.type for f in written.schema} == {
        f.name: f.type for f in ARTICLE_SCHEMA}
