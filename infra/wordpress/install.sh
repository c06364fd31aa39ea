#!/bin/sh
# Installs a real WordPress from Debian's packages: WordPress 6.1 with its three shipped
# themes and translations, MariaDB and PHP (no web server runs: `php -S` serves it, see
# tests/wordpress/site.py). Two packages go first, each only to satisfy a dependency of the
# `wordpress` package so that apt does not pull in apache2: nginx (its web server) and
# php-fpm, which makes `php` installable without `libapache2-mod-php` (its PHP).
# Idempotent: with every package present it changes nothing and runs no apt command.
set -eu

FIRST="nginx php-fpm"
PACKAGES="php php-cli php-fpm php-mysql php-xml php-mbstring mariadb-server
wordpress wordpress-theme-twentytwentyone wordpress-theme-twentytwentytwo
wordpress-theme-twentytwentythree wordpress-l10n"

missing() {
    for package in "$@"; do
        status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
        [ "$status" = "install ok installed" ] || echo "$package"
    done
}

# shellcheck disable=SC2086
todo=$(missing $FIRST $PACKAGES)
[ -z "$todo" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "not root: cannot install $(echo $todo | tr '\n' ' ')" >&2
    exit 3
fi

export DEBIAN_FRONTEND=noninteractive
# No init system here: keep package scripts from starting services (site.py starts them).
policy=/usr/sbin/policy-rc.d
own_policy=no
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 755 "$policy" && own_policy=yes
fi
trap '[ "$own_policy" = yes ] && rm -f "$policy"' EXIT

apt-get update -q
# shellcheck disable=SC2086
[ -n "$(missing $FIRST)" ] && apt-get install -y -q --no-install-recommends $FIRST
# shellcheck disable=SC2086
apt-get install -y -q $PACKAGES
