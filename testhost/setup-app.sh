#!/bin/bash
# Turns the cached Mastodon-shaped tree into the host of another app, at boot:
# `testhost up --app flow` runs it in a non-booted, network-less nspawn over the
# boot's overlay (the cached tree stays as it is, shared by every host). Flow's
# guide is Mastodon's with its names changed, so the host is too: the user flow
# with /home/flow/live, the units flow-web, flow-sidekiq and flow-streaming, the
# deploy user's sudo rules on them, and an upstream of its own (/srv/upstream/
# flow.git, default branch master, one more minor series than Mastodon's). Nothing
# named mastodon is left: a run that used a Mastodon default would fail here.
set -euo pipefail
export LC_ALL=C

app=${1:?usage: setup-app.sh APP}
[[ $app == flow ]] || { echo "setup-app.sh: no setup for app '$app'" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
units=(web sidekiq streaming)

# The Mastodon app: its units, user (with its home and clone), upstream and scripts.
for unit in "${units[@]}"; do
    systemctl disable -q "mastodon-$unit.service"
done
userdel --remove mastodon
rm -rf /srv/upstream/mastodon.git
mv /opt/fakemastodon "/opt/fake$app"

# The same units, sudo rules and safe.directory under the app's names.
for unit in "${units[@]}"; do
    sed "s/mastodon/$app/g" "/etc/systemd/system/mastodon-$unit.service" >"/etc/systemd/system/$app-$unit.service"
    rm "/etc/systemd/system/mastodon-$unit.service"
done
sed -i "s/mastodon/$app/g" /etc/sudoers.d/flow-deploy /etc/gitconfig
visudo -cq -f /etc/sudoers.d/flow-deploy

useradd --create-home --shell /bin/bash "$app"
usermod -p '*' "$app" # key-only login, not locked for sshd
install -d -m 700 -o "$app" -g "$app" "/home/$app/.ssh"

bash "$here/rootfs/make-upstream.sh" "/srv/upstream/$app.git" "$app"
runuser -u "$app" -- git clone -q "/srv/upstream/$app.git" "/home/$app/live"
runuser -u "$app" -- git -C "/home/$app/live" -c advice.detachedHead=false checkout -q v4.2.0

for unit in "${units[@]}"; do
    systemctl enable -q "$app-$unit.service"
done
