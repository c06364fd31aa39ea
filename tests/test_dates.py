"""Dates resolved to UTC: time zones, DST, relative times, and dates not to be trusted."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import dateparser
import pytest

from crawler.extraction.dates import DateResolver, split_zone

FETCHED = datetime(2025, 11, 3, 15, 0, tzinfo=UTC)


def resolve(raw: str, timezone: str | None = "America/New_York", **kwargs: object):
    return DateResolver(timezone, FETCHED, **kwargs).resolve(raw)


def test_iso_with_offset_is_exact() -> None:
    assert resolve("2019-02-11T00:01:00-05:00").value == datetime(2019, 2, 11, 5, 1, tzinfo=UTC)


def test_local_text_time_uses_the_site_timezone() -> None:
    date = resolve("February 11, 2019 @ 1:26 pm")
    assert date.value == datetime(2019, 2, 11, 18, 26, tzinfo=UTC)
    assert date.raw == "February 11, 2019 @ 1:26 pm" and date.flags == ()


def test_summer_local_time_uses_daylight_saving_offset() -> None:
    assert resolve("July 4, 2019 at 9:00 am").value == datetime(2019, 7, 4, 13, 0, tzinfo=UTC)


def test_time_in_a_dst_gap_moves_forward_by_the_gap_and_is_flagged_nonexistent() -> None:
    date = resolve("2025-03-30 02:30", "Europe/Berlin")
    assert date.value == datetime(2025, 3, 30, 1, 30, tzinfo=UTC)  # 03:30 CEST, as PHP
    assert date.flags == ("nonexistent_local_time",)


def test_repeated_hour_is_read_in_standard_time_and_flagged_ambiguous() -> None:
    date = resolve("2025-10-26 02:30", "Europe/Berlin")
    assert date.value == datetime(2025, 10, 26, 1, 30, tzinfo=UTC)  # 02:30 CET, as PHP
    assert date.flags == ("ambiguous_local_time",)


PHP_CASES = [("Europe/Berlin", "2025-03-30 02:30"), ("Europe/Berlin", "2025-10-26 02:30"),
             ("America/New_York", "2025-03-09 02:15"), ("America/New_York", "2025-11-02 01:45"),
             ("Australia/Sydney", "2025-04-06 02:30"), ("Australia/Sydney", "2025-10-05 02:30"),
             ("Europe/London", "2025-06-01 12:00")]


@pytest.mark.skipif(shutil.which("php") is None, reason="php is not installed")
def test_local_times_in_gaps_and_folds_resolve_to_the_instant_php_gives_wordpress() -> None:
    """WordPress stores `*_date_gmt` as PHP's `date_create(local, wp_timezone())` gives it."""
    script = ("foreach (json_decode($argv[1]) as [$z, $t]) echo date_create($t, new "
              "DateTimeZone($z))->setTimezone(new DateTimeZone('UTC'))->format('c'), ' ';")
    php = subprocess.run(["php", "-r", script, json.dumps(PHP_CASES)], capture_output=True,
                         text=True, check=True).stdout.split()
    ours = [resolve(local, zone).value.isoformat() for zone, local in PHP_CASES]
    assert ours == php


def test_relative_time_counts_back_from_the_fetch() -> None:
    date = resolve("2 hours ago")
    assert date.value == datetime(2025, 11, 3, 13, 0, tzinfo=UTC)
    assert "relative_date" in date.flags


def test_relative_time_resolved_again_later_gives_the_same_instant() -> None:
    first = DateResolver("Europe/Paris", FETCHED).resolve("yesterday at 10:15")
    again = DateResolver("Europe/Paris", FETCHED).resolve("yesterday at 10:15")
    assert first.value == again.value == datetime(2025, 11, 2, 9, 15, tzinfo=UTC)


def test_future_date_becomes_null_with_raw_kept() -> None:
    date = resolve("March 1, 2031 10:00")
    assert date.value is None and date.raw == "March 1, 2031 10:00"
    assert "future_date" in date.flags


def test_date_before_the_floor_becomes_null() -> None:
    assert "too_old" in resolve("1887-05-01").flags


def test_unparsable_date_becomes_null_with_raw_kept() -> None:
    date = resolve("the other day, more or less")
    assert (date.value, date.raw, date.flags) == (None, "the other day, more or less",
                                                  ("unparsed_date",))


def test_missing_date_is_null_without_flags() -> None:
    assert resolve("").value is None and resolve("").flags == ()


def test_day_month_order_follows_the_site() -> None:
    assert resolve("03/04/2025 10:00", "Europe/London", date_order="DMY").value == datetime(
        2025, 4, 3, 9, 0, tzinfo=UTC)
    assert resolve("03/04/2025 10:00", "America/New_York", date_order="MDY").value == datetime(
        2025, 3, 4, 15, 0, tzinfo=UTC)


def test_no_timezone_reads_local_times_as_utc_and_says_so() -> None:
    date = resolve("February 11, 2019 @ 1:26 pm", None)
    assert date.value == datetime(2019, 2, 11, 13, 26, tzinfo=UTC)
    assert "guessed_timezone" in date.flags


def test_a_format_seen_once_is_parsed_without_dateparser(monkeypatch: pytest.MonkeyPatch) -> None:
    resolver = DateResolver("America/New_York", FETCHED)
    resolver.resolve("February 11, 2019 @ 1:26 pm")
    assert resolver.formats

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("dateparser called for a known format")

    monkeypatch.setattr(dateparser, "parse", fail)
    assert resolver.resolve("March 2, 2019 @ 11:05 am").value == datetime(
        2019, 3, 2, 16, 5, tzinfo=UTC)


def test_day_month_order_is_learnt_once_and_never_flips() -> None:
    formats: list[str] = []
    first = DateResolver("Europe/London", FETCHED, formats=formats).resolve("03/04/2025")
    later = DateResolver("Europe/London", FETCHED, formats=formats)
    conflicting = later.resolve("25/04/2025")
    again = later.resolve("03/04/2025")
    assert first.value == again.value == datetime(2025, 3, 4, tzinfo=UTC)
    assert (conflicting.value, conflicting.flags) == (None, ("date_order_conflict",))


def test_the_site_files_day_month_order_wins_over_what_a_date_suggests() -> None:
    resolver = DateResolver("Europe/London", FETCHED, date_order="DMY")
    assert resolver.resolve("25/04/2025").value == datetime(2025, 4, 25, tzinfo=UTC) - (
        timedelta(hours=1))
    assert resolver.resolve("03/04/2025").value == datetime(2025, 4, 2, 23, tzinfo=UTC)
    assert "date_order_conflict" in resolver.resolve("04/25/2025").flags


def test_an_offset_only_zone_flags_the_local_times_placed_in_it() -> None:
    date = resolve("July 4, 2019 at 9:00 am", "Etc/GMT+7",
                   zone_flag="offset_only_timezone")
    assert date.value == datetime(2019, 7, 4, 16, 0, tzinfo=UTC)
    assert date.flags == ("offset_only_timezone",)
    assert resolve("2019-07-04T09:00:00-07:00", "Etc/GMT+7",
                   zone_flag="offset_only_timezone").flags == ()


def test_host_timezone_does_not_change_results() -> None:
    script = ("from datetime import UTC, datetime;"
              "from crawler.extraction.dates import DateResolver as R;"
              "r = R('America/New_York', datetime(2025, 11, 3, 15, tzinfo=UTC));"
              "print([str(r.resolve(s).value) for s in "
              "('February 11, 2019 @ 1:26 pm', '2 hours ago', '2019-02-11')])")
    outputs = {
        zone: subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                             env={**os.environ, "TZ": zone}, check=True).stdout
        for zone in ("UTC", "Pacific/Apia", "Asia/Kathmandu")
    }
    assert len(set(outputs.values())) == 1, json.dumps(outputs)


def test_a_time_written_with_its_zone_is_exact_whatever_the_site_zone() -> None:
    resolver = DateResolver("Europe/Berlin", datetime(2013, 1, 1, tzinfo=UTC))

    assert resolver.resolve("Aug 9 2012 1:13 PM EDT").value == datetime(2012, 8, 9, 17, 13,
                                                                        tzinfo=UTC)


def test_an_ambiguous_zone_abbreviation_is_not_taken_for_one_offset() -> None:
    local, offset = split_zone("Aug 9 2012 1:13 PM IST")

    assert (local, offset) == ("Aug 9 2012 1:13 PM IST", None)
