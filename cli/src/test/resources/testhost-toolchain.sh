#!/bin/bash
# Installs stand-ins for Mastodon's toolchain on the test host (ruby, node, psql,
# redis-server, bundle, yarn, corepack, rbenv), so `flow upgrade` can check the release's
# minimum versions, pass its pre-flight checks and run its tasks there. `bundle exec rails db:migrate` really
# migrates the test host's PostgreSQL database; psql is the real client except for
# its version line. Each stand-in prints what a real one
# would print and appends one line to /var/tmp/flow-toolchain.log:
#   <user> <cwd> RAILS_ENV=<...> SKIP_POST_DEPLOYMENT_MIGRATIONS=<...> <tool> <args...>
# On the hosts of a test instance (testhost up --share-db / --db-of), the same line,
# prefixed with the host's name, also goes to /srv/flow-shared/tasks.log, the one
# log every host of the instance writes to: it shows where each task ran, and how
# many times the migrations ran against the instance's one database.
# A tool whose name is a line of /var/tmp/flow-toolchain.fail exits 1 (failure tests);
# /var/tmp/flow-toolchain-<tool>.version replaces its version line (requirement tests).
# rbenv is the guide's: the app user's ~/.rbenv with the Rubies the test upstream names
# (3.2.3, 3.3.6) installed and ruby-build a git checkout (of /srv/upstream/ruby-build.git),
# so `git pull` updates it; `rbenv install V` adds ~/.rbenv/versions/V. yarn is corepack's
# shim (a link into /usr/local/lib/node_modules/corepack/dist), as `corepack enable` makes it.
# Runs as root inside the container: testhost enter -- bash -s < testhost-toolchain.sh
set -euo pipefail
install -d /usr/local/bin
touch /var/tmp/flow-toolchain.log
chmod 666 /var/tmp/flow-toolchain.log
stub() { # stub NAME VERSION_LINE [PATH]
    local path=${3:-/usr/local/bin/$1}
    cat >"$path" <<STUB
#!/bin/sh
line="\$(id -un) \$(pwd) RAILS_ENV=\${RAILS_ENV:-} SKIP_POST_DEPLOYMENT_MIGRATIONS=\${SKIP_POST_DEPLOYMENT_MIGRATIONS:-} $1 \$*"
echo "\$line" >>/var/tmp/flow-toolchain.log
if [ -d /srv/flow-shared ]; then (umask 000; echo "\$(cat /etc/hostname) \$line" >>/srv/flow-shared/tasks.log); fi
if [ -f /var/tmp/flow-toolchain.fail ] && grep -qx '$1' /var/tmp/flow-toolchain.fail; then
    echo "$1: failing on purpose (/var/tmp/flow-toolchain.fail)" >&2
    exit 1
fi
case "\$1" in
    -v|--version|-V)
        if [ -f /var/tmp/flow-toolchain-$1.version ]; then cat /var/tmp/flow-toolchain-$1.version; else echo "$2"; fi ;;
    *)
        # The real PostgreSQL client answers everything but the version (the backup's size query);
        # migrations really change the schema (/opt/fake<app>/bin/db-migrate).
        if [ "$1" = psql ] && [ -x /usr/bin/psql ]; then exec /usr/bin/psql "\$@"; fi
        if [ "$1 \$*" = "bundle exec rails db:migrate" ]; then
            for m in /opt/fake*/bin/db-migrate; do [ ! -x "\$m" ] || exec "\$m"; done
        fi
        echo "$1 \$*: ok (test host stand-in)" ;;
esac
STUB
    chmod 755 "$path"
}
stub ruby "ruby 3.3.6 (2024-11-05 revision 75015d4c1f) [x86_64-linux]"
stub node "v20.18.1"
stub psql "psql (PostgreSQL) 15.10 (Debian 15.10-0+deb12u1)"
stub redis-server "Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=0"
stub bundle "Bundler version 2.5.22"
corepack=/usr/local/lib/node_modules/corepack/dist
install -d "$corepack"
rm -f /usr/local/bin/yarn
stub yarn "4.5.1" "$corepack/yarn.js"
ln -s "$corepack/yarn.js" /usr/local/bin/yarn
stub corepack "0.29.4"
cat >/usr/local/bin/rbenv <<'STUB'
#!/bin/sh
echo "$(id -un) $(pwd) RAILS_ENV=${RAILS_ENV:-} SKIP_POST_DEPLOYMENT_MIGRATIONS=${SKIP_POST_DEPLOYMENT_MIGRATIONS:-} rbenv $*" >>/var/tmp/flow-toolchain.log
if [ -f /var/tmp/flow-toolchain.fail ] && grep -qx rbenv /var/tmp/flow-toolchain.fail; then
    echo "rbenv: failing on purpose (/var/tmp/flow-toolchain.fail)" >&2
    exit 1
fi
case "$1" in
    root) echo "$HOME/.rbenv" ;;
    versions) ls -1 "$HOME/.rbenv/versions" 2>/dev/null ;;
    install)
        shift
        [ "$1" != --skip-existing ] || shift
        echo "ruby-build: installing $1 (test host stand-in)"
        mkdir -p "$HOME/.rbenv/versions/$1" ;;
    *) echo "rbenv $*: ok (test host stand-in)" ;;
esac
STUB
chmod 755 /usr/local/bin/rbenv
if [ ! -d /srv/upstream/ruby-build.git ]; then
    work=$(mktemp -d)
    git -C "$work" init -q
    echo "ruby-build (test host stand-in)" >"$work/README"
    git -C "$work" add README
    git -C "$work" -c user.name=stand-in -c user.email=stand-in@test commit -q -m ruby-build
    git clone -q --bare "$work" /srv/upstream/ruby-build.git
    rm -rf "$work"
fi
# Owned by root and read by the app user, as the app's own upstream is (/etc/gitconfig).
git config --system --get-all safe.directory | grep -qx /srv/upstream/ruby-build.git \
    || git config --system --add safe.directory /srv/upstream/ruby-build.git
for user in mastodon flow; do
    id "$user" >/dev/null 2>&1 || continue
    home=$(getent passwd "$user" | cut -d: -f6)
    rm -rf "$home/.rbenv"
    runuser -u "$user" -- mkdir -p "$home/.rbenv/versions/3.2.3" "$home/.rbenv/versions/3.3.6" "$home/.rbenv/plugins"
    runuser -u "$user" -- git clone -q /srv/upstream/ruby-build.git "$home/.rbenv/plugins/ruby-build"
done
echo "toolchain stand-ins installed in /usr/local/bin"
