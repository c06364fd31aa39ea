"""Step 1 of `process`, read: raw zone JSON lines as Arrow tables of the raw contract.

A file is read in chunks of whole lines (`CHUNK_BYTES`), each parsed by Arrow's JSON reader
against `schemas.arrow.RAW_SCHEMA` (fields the contract does not know are ignored) with the
line itself beside it (`_line`, for the quarantine, which keeps records exactly as the
crawler wrote them). A chunk Arrow refuses (a truncated line, a field of the wrong type) is
read line by line instead: a line that is not JSON is skipped and counted (a killed crawl
leaves at most one, at the end of its file), a record whose fields do not fit the contract
is rejected as `malformed_record`.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.json as pj

from schemas.arrow import RAW_SCHEMA

logger = logging.getLogger(__name__)
CHUNK_BYTES = 8 * 1024 * 1024
LINE = "_line"
READ_SCHEMA = RAW_SCHEMA.append(pa.field(LINE, pa.large_string()))
_PARSE = pj.ParseOptions(explicit_schema=RAW_SCHEMA, unexpected_field_behavior="ignore")


@dataclass
class Chunk:
    """Whole lines of one raw file."""

    path: str
    data: bytes


@dataclass
class Parsed:
    """A chunk as a table of the raw contract, and what could not be read."""

    table: pa.Table
    broken_lines: int = 0
    malformed: list[str] | None = None  # lines whose fields do not fit the contract


def chunks(path: Path, size: int = CHUNK_BYTES) -> Iterator[Chunk]:
    """The file in chunks that end at a line end (the last one at the end of the file)."""
    with path.open("rb") as handle:
        rest = b""
        while True:
            block = handle.read(size)
            if not block:
                break
            block = rest + block
            cut = block.rfind(b"\n") + 1
            if cut == 0:
                rest = block
                continue
            rest = block[cut:]
            yield Chunk(str(path), block[:cut])
        if rest.strip():
            yield Chunk(str(path), rest)


def parse(chunk: Chunk) -> Parsed:
    """One chunk as a table (READ_SCHEMA)."""
    lines = _lines(chunk.data)
    try:
        table = pj.read_json(io.BytesIO(chunk.data), parse_options=_PARSE,
                             read_options=pj.ReadOptions(use_threads=False,
                                                         block_size=max(1 << 20, len(chunk.data))))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return _parse_lines(chunk)
    if table.num_rows != len(lines):  # blank lines: Arrow skips them
        return _parse_lines(chunk)
    return Parsed(table.append_column(LINE, lines))


def _lines(data: bytes) -> pa.Array:
    """The lines of `data` as strings (each with its line end), without copying."""
    ends = np.flatnonzero(np.frombuffer(data, np.uint8) == 10) + 1
    if not data.endswith(b"\n"):
        ends = np.append(ends, len(data))
    offsets = np.concatenate([[0], ends]).astype(np.int64)
    return pa.LargeStringArray.from_buffers(len(ends), pa.py_buffer(offsets.tobytes()),
                                            pa.py_buffer(data))


def _parse_lines(chunk: Chunk) -> Parsed:
    rows: list[dict] = []
    texts: list[str] = []
    broken = 0
    malformed: list[str] = []
    for number, line in enumerate(chunk.data.decode("utf-8", "replace").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            broken += 1
            logger.warning("%s: skipping a truncated or broken record (line %d of a chunk)",
                           chunk.path, number)
            continue
        if not isinstance(record, dict) or not _fits(record):
            malformed.append(line)
            continue
        rows.append(record)
        texts.append(line)
    table = pa.Table.from_pylist(rows, RAW_SCHEMA) if rows else RAW_SCHEMA.empty_table()
    return Parsed(table.append_column(LINE, pa.array(texts, pa.large_string())), broken,
                  malformed)


def _fits(record: dict) -> bool:
    try:
        pa.Table.from_pylist([record], RAW_SCHEMA)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
        return False
    return True
