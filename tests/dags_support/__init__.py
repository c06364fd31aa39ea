"""Helpers of the DAG tests: the dag.test() runner script and a crawl-killing site server."""
