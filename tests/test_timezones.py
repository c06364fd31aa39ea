"""`crawler.extraction.timezones`: a site's zone from WordPress's own setting, or inferred
from its pages' offsets without inventing DST rules the evidence does not show."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from crawler.extraction.timezones import (
    SiteTimezone,
    fixed_offset_name,
    from_wordpress,
    infer_site_timezone,
    page_evidence,
    tzinfo_of,
)


def seen(*stamps: str) -> list[datetime]:
    return [datetime.fromisoformat(s) for s in stamps]


def test_offsets_on_both_sides_of_dst_name_the_zone() -> None:
    found = infer_site_timezone(seen("2019-02-11T00:01:00-05:00", "2019-07-11T00:01:00-04:00"))
    assert found == SiteTimezone("America/New_York", "page_evidence")


def test_a_winter_page_of_a_british_site_is_london_not_utc() -> None:
    found = infer_site_timezone(seen("2019-01-14T09:30:00+00:00"), ["en-GB"])
    assert found == SiteTimezone("Europe/London", "page_evidence")


def test_a_summer_page_of_a_los_angeles_site_is_not_phoenix() -> None:
    found = infer_site_timezone(seen("2019-07-11T10:00:00-07:00"), ["en-US"])
    assert found == SiteTimezone("Etc/GMT+7", "page_evidence", offset_only=True)
    both = infer_site_timezone(seen("2019-07-11T10:00:00-07:00", "2019-12-02T10:00:00-08:00"),
                               ["en-US"])
    assert both == SiteTimezone("America/Los_Angeles", "page_evidence")


def test_a_single_offset_shared_by_zones_with_different_rules_stays_an_offset() -> None:
    found = infer_site_timezone(seen("2019-07-11T10:00:00+02:00"))
    assert found == SiteTimezone("Etc/GMT-2", "page_evidence", offset_only=True)


def test_zones_that_agree_on_every_offset_are_named() -> None:
    assert infer_site_timezone(seen("2019-07-11T10:00:00+05:30")) == SiteTimezone(
        "Asia/Kolkata", "page_evidence")
    assert infer_site_timezone(seen("2019-07-11T10:00:00+02:00"), ["de-DE"]) == SiteTimezone(
        "Europe/Berlin", "page_evidence")


def test_a_locale_whose_zones_do_not_fit_does_not_hide_the_evidence() -> None:
    found = infer_site_timezone(seen("2019-02-11T00:01:00-05:00", "2019-07-11T00:01:00-04:00"),
                                ["en-GB"])
    assert found is not None and found.name == "America/New_York"


def test_utc_copies_beside_local_offsets_are_not_evidence() -> None:
    found = infer_site_timezone(seen("2019-02-11T18:26:00+00:00", "2019-02-11T13:26:00-05:00",
                                     "2019-07-11T00:01:00-04:00"))
    assert found is not None and found.name == "America/New_York"


def test_a_british_site_with_the_default_us_locale_is_london() -> None:
    found = infer_site_timezone(seen("2019-02-11T13:26:00+00:00", "2019-07-11T08:00:00+01:00"),
                                ["en-US"])
    assert found == SiteTimezone("Europe/London", "page_evidence")


def test_no_offsets_no_inference() -> None:
    assert infer_site_timezone([]) is None
    assert infer_site_timezone([datetime(2019, 2, 11, 13, 26)]) is None


@pytest.mark.parametrize(("index", "expected"), [
    ({"timezone_string": "Europe/London", "gmt_offset": 0}, "Europe/London"),
    ({"timezone_string": "", "gmt_offset": -7}, "Etc/GMT+7"),
    ({"timezone_string": "", "gmt_offset": "5.5"}, "UTC+05:30"),
    ({"timezone_string": "", "gmt_offset": 0}, "UTC"),
])
def test_wordpress_settings_name_the_zone(index: dict, expected: str) -> None:
    assert from_wordpress(index) == SiteTimezone(expected, "wordpress_settings")


@pytest.mark.parametrize("index", [None, [], {}, {"timezone_string": "Mars/Base"},
                                   {"timezone_string": "", "gmt_offset": "lots"}])
def test_an_index_without_a_usable_setting_names_nothing(index: object) -> None:
    assert from_wordpress(index) is None


def test_fixed_offsets_have_names_that_read_back_as_the_offset() -> None:
    for minutes in (-720, -420, -210, 0, 330, 345, 840):
        name = fixed_offset_name(timedelta(minutes=minutes))
        assert tzinfo_of(name).utcoffset(datetime(2019, 7, 1)) == timedelta(minutes=minutes)


def test_page_evidence_reads_offsets_and_locale_hints() -> None:
    html = ('<html lang="en-GB"><head><meta property="og:locale" content="en_GB">'
            '<script type="application/ld+json">{"datePublished":"2019-02-11T13:26:00+00:00"}'
            '</script></head><body><time datetime="2019-07-11T08:00:00+01:00">11 July</time>'
            '<p>Updated 2019-07-12</p></body></html>')
    observations, hints = page_evidence(html)
    assert observations == seen("2019-02-11T13:26:00+00:00", "2019-07-11T08:00:00+01:00")
    assert hints == ["en-GB", "en_GB"]
    assert infer_site_timezone(observations, hints) == SiteTimezone("Europe/London",
                                                                    "page_evidence")
