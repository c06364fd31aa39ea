"""`crawler.middlewares.budget`: the site sees no more page requests than the budget."""

from __future__ import annotations

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.test import get_crawler

from crawler.middlewares.budget import PageBudgetMiddleware


def test_requests_past_the_budget_are_refused_and_counted() -> None:
    budget = PageBudgetMiddleware.from_crawler(get_crawler(Spider, {"PRESSARCHIVE_MAX_PAGES": 2}))
    budget.process_request(Request("http://s/1"))
    budget.process_request(Request("http://s/2"))
    for page in (3, 4):
        with pytest.raises(IgnoreRequest):
            budget.process_request(Request(f"http://s/{page}"))
    assert budget.stats.get_value("budget/refused") == 2


def test_robots_txt_is_not_a_page() -> None:
    budget = PageBudgetMiddleware.from_crawler(get_crawler(Spider, {"PRESSARCHIVE_MAX_PAGES": 1}))
    for _ in range(3):
        budget.process_request(Request("http://s/robots.txt", meta={"dont_obey_robotstxt": True}))
    budget.process_request(Request("http://s/"))


def test_no_budget_means_no_middleware() -> None:
    with pytest.raises(NotConfigured):
        PageBudgetMiddleware.from_crawler(get_crawler(Spider, {"PRESSARCHIVE_MAX_PAGES": 0}))
