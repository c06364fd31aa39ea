"""Extraction quality measured on real pages with human gold (`../shared/corpora/`).

`python -m tests.quality` scores `extract_page` beside trafilatura on the same pages in the
same run and prints the table; `tests/test_quality_gate.py` fails when the project falls
below a pinned floor or below trafilatura.
"""
