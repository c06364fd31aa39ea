"""Install, start, fill and switch the test WordPress sites (see `tests.wordpress.content`).

`WordPress.up()` does everything a test session needs, each step only when it is not done
yet, so a second run (or a second process) reuses what is installed, running and filled:

1. the Debian packages (`infra/wordpress/install.sh`, as root);
2. MariaDB on its socket (`start-stop-daemon`, no systemd);
3. per site and theme: a database and a user, `/etc/wordpress/config-<host>.php`, one
   `php -S <host>:PORT` with `php/router.php`, and the content, filled through WordPress's
   PHP API; a site whose content changed is dropped and filled again.

Each content is served once per shipped theme, each copy on its own host: the `news`
content in Twenty Twenty-One on 127.0.0.21, in Twenty Twenty-Two on 127.0.1.21, in Twenty
Twenty-Three on 127.0.2.21 (`SiteServer.host`), so that crawls of different themes can run
side by side. Theme and REST mode remain site-wide settings that any copy can switch:
`SiteServer.mode(theme, rest)` holds the copy's lock (a file lock, so crawls from several
processes take turns) while they apply.

    python -m tests.wordpress.site up      # install, start and fill every site
    python -m tests.wordpress.site status  # what is running
    python -m tests.wordpress.site down    # stop the PHP servers (MariaDB keeps running)
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.wordpress.content import PORT, REST_MODES, THEMES, SiteContent, sites

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
INSTALL = ROOT / "infra" / "wordpress" / "install.sh"
CLI = HERE / "php" / "cli.php"
STATE = Path(os.environ.get("PRESSARCHIVE_WORDPRESS_STATE", "/var/lib/pressarchive-wordpress"))
WORDPRESS = Path("/usr/share/wordpress")
CONFIG_DIR = Path("/etc/wordpress")
SOCKET = Path("/run/mysqld/mysqld.sock")
DB_USER = "pressarchive"
WORKERS = 2
LOCK_WAIT = 900.0


class WordPressUnavailable(RuntimeError):
    """The real WordPress cannot run here (not root, packages not installable, ...)."""


def _run(args: list[str | Path], *, input: str | None = None, timeout: float = 120,
         what: str = "") -> str:
    done = subprocess.run([str(a) for a in args], input=input, capture_output=True, text=True,
                          timeout=timeout, check=False)
    if done.returncode != 0:
        raise WordPressUnavailable(f"{what or args[0]} failed ({done.returncode}): "
                                   f"{(done.stderr or done.stdout).strip()[-2000:]}")
    return done.stdout


@contextlib.contextmanager
def locked(name: str, timeout: float = LOCK_WAIT) -> Iterator[None]:
    """An exclusive lock shared by every process on the machine (flock on STATE/name.lock),
    waited for at most `timeout` seconds."""
    STATE.mkdir(parents=True, exist_ok=True)
    with open(STATE / f"{name}.lock", "w") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise WordPressUnavailable(
                        f"waited {timeout:.0f} s for {name}: another process holds "
                        f"{STATE / name}.lock (a crawl of that site?)") from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def install() -> None:
    """The Debian packages; a clear reason when they cannot be installed."""
    if os.geteuid() != 0:
        raise WordPressUnavailable("the real WordPress needs root to install and start "
                                   "Debian's packages (wordpress, mariadb-server, php)")
    if not shutil.which("apt-get"):
        raise WordPressUnavailable("no apt-get: Debian's WordPress packages cannot be installed")
    _run(["sh", INSTALL], timeout=900, what="infra/wordpress/install.sh")


def _mariadb_alive() -> bool:
    return subprocess.run(["mariadb-admin", "--silent", "ping"], capture_output=True,
                          check=False).returncode == 0


def start_mariadb() -> None:
    """MariaDB on its socket only, started once and then reused."""
    if _mariadb_alive():
        return
    run_dir = SOCKET.parent
    run_dir.mkdir(parents=True, exist_ok=True)
    shutil.chown(run_dir, "mysql", "mysql")
    if not Path("/var/lib/mysql/mysql").is_dir():
        _run(["mariadb-install-db", "--user=mysql"], what="mariadb-install-db")
    _run(["start-stop-daemon", "--start", "--oknodo", "--background", "--exec",
          "/usr/sbin/mariadbd", "--", "--user=mysql", "--skip-networking"],
         what="starting mariadbd")
    deadline = time.monotonic() + 60
    while not _mariadb_alive():
        if time.monotonic() > deadline:
            raise WordPressUnavailable("MariaDB did not answer on its socket within 60 s")
        time.sleep(0.2)


def sql(statements: str) -> str:
    return _run(["mariadb", "--batch", "--skip-column-names", "-e", statements], what="mariadb")


def _db_password() -> str:
    path = STATE / "db-password"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(18))
        path.chmod(0o600)
    return path.read_text().strip()


@dataclass(frozen=True)
class SiteServer:
    """One site in one theme: its database, its Debian config file, its `php -S` process."""

    content: SiteContent
    theme: str

    @property
    def key(self) -> str:
        return f"{self.content.key}-{self.theme}"

    @property
    def host(self) -> str:
        """The content's host with the theme's number as third byte (127.0.T.N)."""
        first, second, _, last = self.content.host.split(".")
        return f"{first}.{second}.{THEMES.index(self.theme)}.{last}"

    @property
    def origin(self) -> str:
        return f"{self.host}:{PORT}"

    @property
    def base_url(self) -> str:
        return f"http://{self.origin}"

    @property
    def database(self) -> str:
        return f"pressarchive_{self.content.key}_{THEMES.index(self.theme)}"

    @property
    def config_file(self) -> Path:
        return CONFIG_DIR / f"config-{self.host}.php"

    @property
    def pid_file(self) -> Path:
        return STATE / f"{self.key}.pid"

    @property
    def version(self) -> str:
        """What the filled site depends on: its content and the script that fills it."""
        digest = hashlib.sha256(json.dumps(self.fill_input(), sort_keys=True).encode())
        digest.update(CLI.read_bytes())
        return digest.hexdigest()[:16]

    def fill_input(self) -> dict[str, Any]:
        return {**self.content.to_json(self.base_url), "theme": self.theme}

    def php(self, *args: str, input: str | None = None, timeout: float = 300) -> dict[str, Any]:
        """`php cli.php HOST:PORT ARGS` (WordPress's PHP API on this site), its JSON answer."""
        out = _run(["php", CLI, self.origin, *args], input=input, timeout=timeout,
                   what=f"cli.php {args[0]} on {self.key}")
        return json.loads(out)

    # --- configuration ---------------------------------------------------------------------

    def configure(self) -> None:
        password = _db_password()
        sql(f"CREATE DATABASE IF NOT EXISTS {self.database} CHARACTER SET utf8mb4 "
            f"COLLATE utf8mb4_unicode_ci; CREATE USER IF NOT EXISTS '{DB_USER}'@'localhost' "
            f"IDENTIFIED BY '{password}'; ALTER USER '{DB_USER}'@'localhost' IDENTIFIED BY "
            f"'{password}'; GRANT ALL ON {self.database}.* TO '{DB_USER}'@'localhost';")
        config = f"""<?php
/* Written by pressarchive's tests/wordpress/site.py: the test site {self.key}. */
define('DB_NAME', '{self.database}');
define('DB_USER', '{DB_USER}');
define('DB_PASSWORD', '{password}');
define('DB_HOST', 'localhost');
define('DB_CHARSET', 'utf8mb4');
define('WP_CONTENT_DIR', '/var/lib/wordpress/wp-content');
define('WPMU_PLUGIN_DIR', '{STATE / "mu-plugins"}');
define('DISABLE_WP_CRON', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_DEBUG', false);
$table_prefix = 'wp_';
"""
        CONFIG_DIR.mkdir(parents=True, exist_ok=True)
        if not self.config_file.exists() or self.config_file.read_text() != config:
            self.config_file.write_text(config)
            self.config_file.chmod(0o640)

    # --- content ---------------------------------------------------------------------------

    def filled(self) -> bool:
        """The site holds this version of its content."""
        state = self.php("state")
        return bool(state["installed"]) and state["version"] == self.version

    def fill(self) -> bool:
        """Fill the site unless it holds this version of its content; True when it filled.
        A site that holds another version is dropped first."""
        state = self.php("state")
        if state["installed"] and state["version"] == self.version:
            return False
        if state["installed"]:
            sql(f"DROP DATABASE {self.database}; CREATE DATABASE {self.database} "
                "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;")
        self.php("fill", self.version, input=json.dumps(self.fill_input()))
        (STATE / f"{self.key}.gold.json").unlink(missing_ok=True)
        return True

    def gold(self) -> dict[str, Any]:
        """The site's own truth (see `php/cli.php gold`), exported once per content version."""
        path = STATE / f"{self.key}.gold.json"
        if path.exists():
            cached = json.loads(path.read_text())
            if cached.get("version") == self.version:
                return cached
        data = {"version": self.version, **self.php("gold")}
        path.write_text(json.dumps(data, ensure_ascii=False))
        return data

    # --- server ----------------------------------------------------------------------------

    def _server_pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text())
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except (OSError, ValueError):
            return None
        return pid if self.origin.encode() in cmdline else None

    def start(self) -> None:
        """One `php -S` for the site, with WORKERS processes; reused when it is running."""
        if self._server_pid() and self._answers():
            return
        self.stop()
        if self._answers():
            raise WordPressUnavailable(f"{self.origin} is served by a process this harness "
                                       f"did not start (no live {self.pid_file})")
        log = open(STATE / f"{self.key}.log", "w")  # noqa: SIM115 (the child keeps it)
        env = {**os.environ, "PHP_CLI_SERVER_WORKERS": str(WORKERS)}
        process = subprocess.Popen(
            ["php", "-S", self.origin, "-t", str(WORDPRESS), str(STATE / "router.php")],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
            cwd=WORDPRESS, start_new_session=True)
        self.pid_file.write_text(str(process.pid))
        deadline = time.monotonic() + 30
        while not self._answers():
            if process.poll() is not None or time.monotonic() > deadline:
                raise WordPressUnavailable(
                    f"php -S {self.origin} did not start: "
                    f"{(STATE / f'{self.key}.log').read_text()[-1000:]}")
            time.sleep(0.1)

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.base_url}/robots.txt", timeout=10) as response:
                return response.status == 200
        except (OSError, urllib.error.URLError):
            return False

    def stop(self) -> None:
        pid = self._server_pid()
        if pid:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGTERM)
        self.pid_file.unlink(missing_ok=True)

    # --- modes -----------------------------------------------------------------------------

    @contextlib.contextmanager
    def mode(self, theme: str, rest: str) -> Iterator[None]:
        """Hold the site in this theme and REST mode (other processes wait for the lock)."""
        if theme not in THEMES or rest not in REST_MODES:
            raise ValueError(f"unknown theme {theme!r} or REST mode {rest!r}")
        with locked(self.key):
            state = self.php("mode", theme, rest)
            if (state["theme"], state["rest"]) != (theme, rest):
                raise WordPressUnavailable(f"{self.key} did not switch to {theme}/{rest}: "
                                           f"{state}")
            yield

    def fetch(self, path: str) -> tuple[int, dict[str, str], str]:
        """GET a path of the site: status, headers, body (for checks of the site itself)."""
        request = urllib.request.Request(self.base_url + path)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()


def _install_support_files() -> None:
    """The router and the must-use plugin, copied where the servers read them (so that a
    worktree that goes away does not take the running sites with it)."""
    (STATE / "mu-plugins").mkdir(parents=True, exist_ok=True)
    for source, target in ((HERE / "php" / "router.php", STATE / "router.php"),
                           (HERE / "php" / "mu-plugin.php",
                            STATE / "mu-plugins" / "pressarchive-switches.php")):
        if not target.exists() or target.read_bytes() != source.read_bytes():
            shutil.copyfile(source, target)


class WordPress:
    """Every test site in every theme (or those asked), installed, running and filled."""

    def __init__(self, keys: list[str] | None = None, themes: list[str] | None = None) -> None:
        every = sites()
        self.sites = {(k, t): SiteServer(every[k], t) for k in (keys or list(every))
                      for t in (themes or THEMES)}

    def up(self) -> WordPress:
        with locked("setup"):
            install()
            start_mariadb()
            _install_support_files()
            for site in self.sites.values():
                site.configure()
        for site in self.sites.values():
            if not site.filled():  # a filled site is not locked: its crawls go on
                with locked(site.key):
                    site.fill()
            with locked(f"{site.key}.server"):
                site.start()
        return self

    def down(self) -> None:
        for site in self.sites.values():
            site.stop()

    def __getitem__(self, key: tuple[str, str]) -> SiteServer:
        """The site with this content key in this theme."""
        return self.sites[key]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.wordpress.site",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["up", "down", "status"])
    parser.add_argument("--site", action="append", help="only this site (repeatable)")
    parser.add_argument("--theme", action="append", choices=THEMES, help="only this theme")
    args = parser.parse_args(argv)
    wordpress = WordPress(args.site, args.theme)
    try:
        if args.command == "up":
            started = time.monotonic()
            wordpress.up()
            print(f"up in {time.monotonic() - started:.1f} s")
        elif args.command == "down":
            wordpress.down()
    except WordPressUnavailable as exc:
        print(f"unavailable: {exc}", file=sys.stderr)
        return 1
    for site in wordpress.sites.values():
        running = "running" if site._server_pid() and site._answers() else "stopped"
        print(f"{site.key:26} {site.base_url:28} {running}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
