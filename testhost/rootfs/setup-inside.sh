#!/bin/bash
# Turns a fresh debootstrap tree into the Mastodon-shaped host. Runs inside the
# tree (non-booted systemd-nspawn, no network) once per recipe; the files under
# rootfs/files/ are already copied in. Per-boot details (host keys, client keys,
# hostname) are written by `testhost up`, not here.
set -euo pipefail
export LC_ALL=C

# Users: the app user, and a deploy user that reaches root only through the
# narrow sudo rules in /etc/sudoers.d/flow-deploy.
id mastodon >/dev/null 2>&1 || useradd --create-home --shell /bin/bash mastodon
id deploy >/dev/null 2>&1 || useradd --create-home --shell /bin/bash deploy
# Key-only logins: lock the password but keep the account usable for sshd
# ("*" rather than "!" so sshd does not treat it as locked).
usermod -p '*' mastodon
usermod -p '*' deploy
usermod -p '*' root
for home in /root /home/mastodon /home/deploy; do
    install -d -m 700 "$home/.ssh"
done
chown mastodon: /home/mastodon/.ssh
chown deploy: /home/deploy/.ssh
chmod 440 /etc/sudoers.d/flow-deploy
visudo -cq -f /etc/sudoers.d/flow-deploy

# sshd: host keys are generated per boot; drop the ones the package made.
rm -f /etc/ssh/ssh_host_*

# The upstream repository, owned by root and read by mastodon: the system-wide
# safe.directory entry (in /etc/gitconfig, from files/) avoids "dubious ownership".
install -d -m 755 /srv/upstream
bash /setup/make-upstream.sh /srv/upstream/mastodon.git

# The checkout lives where Mastodon's does, cloned and owned by mastodon.
rm -rf /home/mastodon/live
runuser -u mastodon -- git clone -q /srv/upstream/mastodon.git /home/mastodon/live
runuser -u mastodon -- git -C /home/mastodon/live -c advice.detachedHead=false checkout -q v4.2.0

# PostgreSQL, as Mastodon's guide sets it up: the app's role and database, and
# the DB_* settings in ~/live/.env.production (password login over TCP, so a
# backup must read them). The cluster is started by hand here (no systemd).
chmod 755 /opt/fakemastodon/bin/*
pg_version=$(ls /etc/postgresql)
pg_ctlcluster "$pg_version" main start
/opt/fakemastodon/bin/reset-db
pg_ctlcluster "$pg_version" main stop

# The services.
chmod 755 /opt/fakemastodon/*.py
systemctl enable mastodon-web.service mastodon-sidekiq.service mastodon-streaming.service ssh.service \
    postgresql.service
# Nothing here needs these, and they slow down or clutter boot in a container.
systemctl mask systemd-networkd-wait-online.service apt-daily.timer apt-daily-upgrade.timer \
    e2scrub_all.timer fstrim.timer man-db.timer systemd-timesyncd.service >/dev/null 2>&1 || true

apt-get clean
rm -rf /var/lib/apt/lists/* /var/log/*.log /var/cache/debconf/*-old
