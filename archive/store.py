"""The Parquet archive: one hive-partitioned dataset per entity, one file per partition.

`DIR/parquet/<entity>/site=<host>/month=<YYYY-MM>/part-0.parquet`. A partition is replaced
whole: the new file is written under `_staging/` (ignored by dataset discovery, as every
name starting with `_` or `.` is), closed, read back, then moved over the old one. On a
local disk the move is an atomic rename; on object storage the single object appears
complete when its upload completes. Either way a reader sees the old partition or the new
one, never a mix or a partial file.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import quote, unquote

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from schemas.arrow import arrow_schema
from schemas.fields import Entity

PARTITION_FILE = "part-0.parquet"
ROW_GROUP_SIZE = 64 * 1024
Partition = tuple[str, str]


def resolve(uri: str) -> tuple[pafs.FileSystem, str]:
    """A filesystem and a path for a local path or an object-storage URI (s3://…)."""
    if "://" in uri:
        return pafs.FileSystem.from_uri(uri)
    return pafs.LocalFileSystem(), os.path.abspath(uri)


class PartitionStore:
    def __init__(self, root: str, entity: Entity,
                 filesystem: pafs.FileSystem | None = None) -> None:
        if filesystem is None:
            filesystem, root = resolve(root)
        self.fs = filesystem
        self.root = root.rstrip("/")
        self.entity = entity
        self.schema = arrow_schema(entity)
        self.keys = list(entity.partition_by)
        self.file_schema = pa.schema([f for f in self.schema if f.name not in self.keys],
                                     metadata=self.schema.metadata)

    # --- paths -----------------------------------------------------------------------

    def directory(self, partition: Partition) -> str:
        parts = "/".join(f"{k}={quote(v, safe='')}" for k, v in zip(self.keys, partition,
                                                                     strict=True))
        return f"{self.root}/{parts}"

    def partitions(self) -> list[Partition]:
        """Partitions present, sorted."""
        try:
            infos = self.fs.get_file_info(pafs.FileSelector(self.root, recursive=True))
        except FileNotFoundError:
            return []
        found = set()
        for info in infos:
            if info.is_file and info.base_name == PARTITION_FILE:
                relative = info.path[len(self.root) + 1:].split("/")[:-1]
                if relative and not relative[0].startswith(("_", ".")):
                    found.add(tuple(unquote(p.split("=", 1)[1]) for p in relative))
        return sorted(found)

    # --- reading ---------------------------------------------------------------------

    def dataset(self) -> ds.Dataset:
        """The whole dataset with its partition columns, as downstream readers see it."""
        self.fs.create_dir(self.root, recursive=True)
        partitioning = ds.partitioning(
            pa.schema([self.schema.field(k) for k in self.keys]), flavor="hive")
        return ds.dataset(self.root, schema=self.schema, format="parquet",
                          filesystem=self.fs, partitioning=partitioning)

    def read(self, partition: Partition) -> pa.Table:
        """One partition with its partition columns (empty when it does not exist)."""
        path = f"{self.directory(partition)}/{PARTITION_FILE}"
        if self.fs.get_file_info(path).type != pafs.FileType.File:
            return self.schema.empty_table()
        table = pq.read_table(path, filesystem=self.fs, schema=self.file_schema)
        for key, value in zip(self.keys, partition, strict=True):
            table = table.append_column(self.schema.field(key),
                                        pa.array([value] * table.num_rows, pa.string()))
        return table.select(self.schema.names)

    def locate(self, ids: list[str]) -> dict[str, set[Partition]]:
        """Every partition holding each primary key, reading only the key columns (more than
        one partition only after an interrupted move)."""
        found: dict[str, set[Partition]] = {}
        if not ids:
            return found
        key = self.entity.primary_key
        wanted = pc.field(key).isin(pa.array(ids, pa.string()))
        for batch in self.batches(columns=[key, *self.keys], filter=wanted):
            columns = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
            for row_id, *partition in zip(*columns, strict=True):
                found.setdefault(row_id, set()).add(tuple(partition))
        return found

    def fingerprint(self, partition: Partition) -> str | None:
        """Size and modification time of a partition's file: changes whenever it is replaced."""
        info = self.fs.get_file_info(f"{self.directory(partition)}/{PARTITION_FILE}")
        if info.type != pafs.FileType.File:
            return None
        return f"{info.size}:{info.mtime_ns}"

    def batches(self, columns: list[str] | None = None,
                filter: pc.Expression | None = None) -> Iterator[pa.RecordBatch]:
        yield from self.dataset().to_batches(columns=columns, filter=filter)

    # --- writing ---------------------------------------------------------------------

    def write(self, partition: Partition, table: pa.Table) -> None:
        """Replace one partition atomically; an empty table removes the partition."""
        directory = self.directory(partition)
        target = f"{directory}/{PARTITION_FILE}"
        if table.num_rows == 0:
            if self.fs.get_file_info(target).type == pafs.FileType.File:
                self.fs.delete_file(target)
            return
        staging = f"{self.root}/_staging/{uuid.uuid4().hex}.parquet"
        self.fs.create_dir(f"{self.root}/_staging", recursive=True)
        rows = table.select(self.file_schema.names).cast(self.file_schema)
        try:
            pq.write_table(rows, staging, filesystem=self.fs, compression="zstd",
                           row_group_size=ROW_GROUP_SIZE)
            if pq.read_metadata(staging, filesystem=self.fs).num_rows != rows.num_rows:
                raise OSError(f"staged file {staging} does not read back complete")
            self.fs.create_dir(directory, recursive=True)
            self.fs.move(staging, target)
        finally:
            if self.fs.get_file_info(staging).type == pafs.FileType.File:
                self.fs.delete_file(staging)

    def clear_staging(self) -> None:
        """Remove what a killed writer left under `_staging/` (never visible to readers)."""
        path = f"{self.root}/_staging"
        if self.fs.get_file_info(path).type == pafs.FileType.Directory:
            self.fs.delete_dir(path)
