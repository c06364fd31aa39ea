"""Print a connection URL whose password is a Compose secret, for Airflow's `*_CMD` options.

    python secret_url.py SCHEME USER SECRET HOST[:PORT][/PATH]

e.g. `postgresql+psycopg2 airflow postgres_password postgres:5432/airflow`. The password
is read from /run/secrets/SECRET and URL-quoted; the URL goes to stdout only, where
Airflow reads it (`AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_CMD`), never to the environment.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import quote


def secret_url(scheme: str, user: str, secret: str, rest: str,
               secrets: Path = Path("/run/secrets")) -> str:
    password = (secrets / secret).read_text().strip()
    if not password:
        raise SystemExit(f"secret_url: secret {secret} is empty")
    return f"{scheme}://{quote(user, safe='')}:{quote(password, safe='')}@{rest}"


if __name__ == "__main__":
    if len(sys.argv) != 5:
        raise SystemExit(__doc__)
    sys.stdout.write(secret_url(*sys.argv[1:5]))
