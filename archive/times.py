"""Every time the pipeline sees, as UTC: one rule for scalars and for Arrow columns.

An ISO 8601 time with an offset (`Z`, `+02:00`, `-0500`) is converted to UTC; one without
an offset is taken as UTC (the crawler always writes offsets; a naive time comes from an
older tool and is never guessed to be local). Anything else is an error (`ValueError`),
never `now()`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

UTC_TYPE = pa.timestamp("us", tz="UTC")


def to_utc(value: Any) -> datetime | None:
    """A datetime or ISO 8601 string as an aware UTC datetime; None for None or ""."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        parsed = value
    else:
        parsed = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def iso_utc(value: datetime) -> str:
    """`2024-03-10T12:00:00Z`: the form the archive writes times in text."""
    return to_utc(value).isoformat().replace("+00:00", "Z")  # type: ignore[union-attr]


def utc_column(values: pa.Array | pa.ChunkedArray) -> tuple[pa.Array, pa.Array]:
    """(UTC timestamps, invalid mask) of a column of ISO strings (or timestamps).

    Arrow parses the usual forms in one pass; a column it refuses (a time without an
    offset, seven fraction digits, ...) is read value by value with `to_utc`, so both
    paths follow one rule. Null and empty strings give null and are not invalid."""
    array = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    if pa.types.is_timestamp(array.type):
        return _as_utc(array), _none_invalid(len(array))
    if pa.types.is_null(array.type):
        return pa.nulls(len(array), UTC_TYPE), _none_invalid(len(array))
    array = pc.if_else(pc.equal(array, ""), pa.scalar(None, array.type), array)
    try:
        return pc.cast(array, UTC_TYPE), _none_invalid(len(array))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    times: list[datetime | None] = []
    invalid: list[bool] = []
    for text in array.to_pylist():
        try:
            times.append(to_utc(text))
            invalid.append(False)
        except ValueError:
            times.append(None)
            invalid.append(True)
    return pa.array(times, UTC_TYPE), pa.array(invalid, pa.bool_())


def _as_utc(array: pa.Array) -> pa.Array:
    if array.type.tz is None:
        return pc.assume_timezone(array.cast(pa.timestamp("us")), "UTC")
    return array.cast(UTC_TYPE)


def _none_invalid(length: int) -> pa.Array:
    return pa.array(np.zeros(length, bool))
