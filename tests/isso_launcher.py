"""`python -m tests.isso_launcher CONFIG REQUEST_LOG`: the real Isso server, started by its own
`main` (`isso -c CONFIG run`), with the HTTP requests it serves written to REQUEST_LOG (Isso
logs them at a level it does not show), so tests can tell what a crawl asked it."""

from __future__ import annotations

import logging
import sys


def main(config: str, request_log: str) -> None:
    from isso import main as isso_main  # importing Isso quiets werkzeug's request log

    requests = logging.getLogger("werkzeug")
    requests.setLevel(logging.INFO)
    requests.addHandler(logging.FileHandler(request_log))
    requests.propagate = False
    sys.argv = ["isso", "-c", config, "run"]
    isso_main()


if __name__ == "__main__":
    main(*sys.argv[1:3])
