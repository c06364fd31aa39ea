"""`python -m tests.quality`: the real-page quality table; `--pin` stores the floors.

Floors never go down unless `--allow-lower` is given; they are stored with the corpus hash,
so a changed corpus asks for a deliberate re-pin.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tests.quality import floors
from tests.quality.corpus import DRAGNET, corpus_hash, gold_pages, missing_reason
from tests.quality.run import extract_all
from tests.quality.table import render, row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.quality", description=__doc__)
    parser.add_argument("--corpus", type=Path, default=DRAGNET)
    parser.add_argument("--pin", action="store_true", help="store the scores as floors")
    parser.add_argument("--allow-lower", action="store_true", help="let --pin lower a floor")
    parser.add_argument("--dump", type=Path, help="write each page's extractions here (JSONL)")
    args = parser.parse_args(argv)
    reason = missing_reason(args.corpus)
    if reason:
        print(reason, file=sys.stderr)
        return 2
    results = extract_all(gold_pages(args.corpus))
    rows = {"trafilatura": row(results, "trafilatura"), "pressarchive": row(results, "ours")}
    print(f"{len(results)} pages of {args.corpus.name} (corpus {corpus_hash(args.corpus)})\n")
    print(render(rows))
    print(json.dumps({name: r.to_dict() for name, r in rows.items()}, indent=2))
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as out:
            for r in results:
                out.write(json.dumps({"id": r.page.id, "ours": r.ours.__dict__,
                                      "trafilatura": r.trafilatura.__dict__}) + "\n")
    if not args.pin:
        return 0
    lowered = floors.pin(rows["pressarchive"], corpus_hash(args.corpus),
                         allow_lower=args.allow_lower)
    if lowered:
        print(f"refusing to lower {', '.join(lowered)}: pass --allow-lower", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
