"""`python -m tests.embed_survey`: the comment systems loaded by script on the real pages of
`../shared/corpora/dragnet-train`, beside what the gold says about their comments.

Per system: the pages that embed it, how many of them the gold gives comments, on how many
the extractor finds comments in the HTML, and the pages where the gold has comments but
the extractor finds none (the comments are then in the saved markup, rendered or as the
system's fallback list: the IDs are printed to look at).
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections import Counter, defaultdict
from pathlib import Path

from crawler.extraction import extract_page

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "dragnet-train"


def survey(corpus: Path) -> tuple[dict[str, Counter[str]], dict[str, list[str]]]:
    gold = {}
    with (corpus / "gold.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            gold[record["id"]] = bool(record.get("comments"))
    rows: dict[str, Counter[str]] = defaultdict(Counter)
    missed: dict[str, list[str]] = defaultdict(list)
    for path in sorted((corpus / "pages").glob("*.html.gz")):
        page_id = path.name.removesuffix(".html.gz")
        page = extract_page(gzip.decompress(path.read_bytes()),
                            f"http://dragnet.example/{page_id}/")
        for system in [e.system for e in page.embeds] or ["(none)"]:
            row = rows[system]
            row["pages"] += 1
            row["gold has comments"] += gold.get(page_id, False)
            row["comments found in the HTML"] += bool(page.comments)
            if gold.get(page_id) and not page.comments:
                row["gold has comments, none found"] += 1
                missed[system].append(page_id)
    return dict(rows), dict(missed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    rows, missed = survey(args.corpus)
    for system, row in sorted(rows.items(), key=lambda item: -item[1]["pages"]):
        print(f"{system}: " + ", ".join(f"{k} {v}" for k, v in row.items()))
        if system in missed and system != "(none)":
            print(f"  gold has comments, none found: {' '.join(missed[system])}")


if __name__ == "__main__":
    main()
