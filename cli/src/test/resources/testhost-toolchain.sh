#!/bin/bash
# Installs stand-ins for Mastodon's toolchain on the test host (ruby, node, psql,
# redis-server, bundle, yarn, corepack), so `flow upgrade` can check the release's
# minimum versions and run its tasks there. `bundle exec rails db:migrate` really
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
# Runs as root inside the container: testhost enter -- bash -s < testhost-toolchain.sh
set -euo pipefail
install -d /usr/local/bin
touch /var/tmp/flow-toolchain.log
chmod 666 /var/tmp/flow-toolchain.log
stub() { # stub NAME VERSION_LINE
    cat >"/usr/local/bin/$1" <<STUB
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
    chmod 755 "/usr/local/bin/$1"
}
stub ruby "ruby 3.3.6 (2024-11-05 revision 75015d4c1f) [x86_64-linux]"
stub node "v20.18.1"
stub psql "psql (PostgreSQL) 15.10 (Debian 15.10-0+deb12u1)"
stub redis-server "Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=0"
stub bundle "Bundler version 2.5.22"
stub yarn "4.5.1"
stub corepack "0.29.4"
echo "toolchain stand-ins installed in /usr/local/bin"
