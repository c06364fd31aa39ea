"""A real WordPress (Debian's packages) for the test suite, and a scorer against its truth.

- `content`: the project's own deterministic content of each site (authors, posts, pages,
  comments, settings), made in Python and handed to WordPress as JSON.
- `site`: installs the packages (`infra/wordpress/install.sh`), starts MariaDB and one
  `php -S` per site, fills each site through WordPress's own PHP API (`php/cli.php`),
  switches theme and REST API, and exports the site's own truth ("gold").
- `score`: crawls a site with `pressarchive crawl` + `process` and scores the Parquet
  output against the gold; `python -m tests.wordpress.score` prints the table.
"""
