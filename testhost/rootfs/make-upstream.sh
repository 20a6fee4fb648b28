#!/bin/bash
# Builds the upstream repository of a small Mastodon-shaped app, with the release
# tags the tests upgrade between. Runs inside the rootfs (as root): at build time
# for mastodon, at boot for flow (testhost up --app flow).
#
#   v4.2.0       annotated   first release (.ruby-version 3.2.3, .nvmrc 20, .env.production.sample)
#   v4.2.1       lightweight app code only (app/, lib/)
#   v4.3.0-rc.1  annotated   streaming/, db/migrate/, Gemfile.lock, package.json (yarn 4), .ruby-version
#                            3.3.6, .env.production.sample (with the encryption secrets)
#   v4.3.0       annotated   streaming/, db/migrate/, Gemfile.lock, package.json, yarn.lock
#   v4.3.1       lightweight db/post_migrate/ (and the version constant)
#   v4.4.0       annotated   flow only: app code and Gemfile.lock, a third minor series
#
# APP flow is the same history under Flow's names, on the default branch master
# (mastodon's is main), with v4.4.0 on top, so that an upgrade from v4.2.0 crosses
# a whole minor series (4.3) that Flow's single hop skips.
#
# Author, committer and dates are fixed, so the commit and tag ids are the same
# on every build (with the same git version).
set -euo pipefail

bare=${1:?usage: make-upstream.sh BARE_REPO_DIR [mastodon|flow]}
app=${2:-mastodon}
case $app in
    mastodon) product=Mastodon branch=main ;;
    flow) product=Flow branch=master ;;
    *) echo "make-upstream.sh: unknown app '$app' (mastodon or flow)" >&2; exit 2 ;;
esac
work=$(mktemp -d /var/tmp/upstream-work.XXXXXX)

export GIT_AUTHOR_NAME="$product Release Bot" GIT_AUTHOR_EMAIL="release@$app.example"
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
export GIT_CONFIG_NOSYSTEM=1 HOME="$work"

day=0
commit() { # commit MESSAGE: commit everything, one fixed day later than the last
    day=$((day + 1))
    GIT_AUTHOR_DATE="2023-09-$(printf %02d "$day")T12:00:00Z"
    export GIT_AUTHOR_DATE GIT_COMMITTER_DATE="$GIT_AUTHOR_DATE"
    git -C "$work" add -A
    git -C "$work" commit -q -m "$1"
}
annotated_tag() { git -C "$work" tag -a "$1" -m "Release $1"; }
lightweight_tag() { git -C "$work" tag "$1"; }
write() { # write PATH: file content from stdin
    mkdir -p "$work/$(dirname "$1")"
    cat >"$work/$1"
}
version() { # version MAJOR MINOR PATCH [PRE]
    write "lib/$app/version.rb" <<EOF
# frozen_string_literal: true

module $product
  module Version
    module_function

    def major = $1
    def minor = $2
    def patch = $3
    def prerelease = '${4:-}'
  end
end
EOF
}

git init -q -b "$branch" "$work"

# ---- v4.2.0 ---------------------------------------------------------------
version 4 2 0
write README.md <<EOF
# $product (test double)

A small repository shaped like Mastodon's, for upgrade tests. The services that
run on the test host live in /opt/fake$app, not here.
EOF
write app/models/status.rb <<'EOF'
# frozen_string_literal: true

class Status < ApplicationRecord
  validates :text, length: { maximum: 500 }
end
EOF
write Gemfile <<'EOF'
source 'https://rubygems.org'
ruby '>= 3.0.0'
gem 'rails', '~> 7.0'
gem 'sidekiq', '~> 6.5'
EOF
write Gemfile.lock <<'EOF'
GEM
  remote: https://rubygems.org/
  specs:
    rails (7.0.8)
    sidekiq (6.5.12)

BUNDLED WITH
   2.4.13
EOF
write package.json <<EOF
{
  "name": "@$app/$app",
  "license": "AGPL-3.0-or-later",
  "engines": { "node": ">=16" },
  "dependencies": { "ws": "^8.12.0" }
}
EOF
write yarn.lock <<'EOF'
ws@^8.12.0:
  version "8.12.0"
EOF
write streaming/index.js <<'EOF'
// Streaming API server (test double).
const PROTOCOL_VERSION = 1;
module.exports = { PROTOCOL_VERSION };
EOF
write db/migrate/20230901000000_create_statuses.rb <<'EOF'
class CreateStatuses < ActiveRecord::Migration[7.0]
  def change
    create_table :statuses do |t|
      t.text :text
    end
  end
end
EOF
write db/post_migrate/20230901000001_drop_legacy_columns.rb <<'EOF'
class DropLegacyColumns < ActiveRecord::Migration[7.0]
  def change; end
end
EOF
write CHANGELOG.md <<'EOF'
# Changelog

## [4.2.0]
- First release of the test double.
EOF
# What the pre-flight checks read from a release: its Ruby, its Node line, its settings.
echo 3.2.3 | write .ruby-version
echo 20 | write .nvmrc
sample() { # sample [encryption]: .env.production.sample as Mastodon writes it
    write .env.production.sample <<EOF
# This is a sample configuration file (test double).

# Federation
# ----------
LOCAL_DOMAIN=example.com

# Redis
# -----
REDIS_HOST=localhost

# PostgreSQL
# ----------
DB_HOST=/var/run/postgresql
DB_USER=$app
DB_NAME=${app}_production
DB_PASS=
DB_PORT=5432

# Elasticsearch (optional)
# ------------------------
ES_ENABLED=true
ES_HOST=localhost

# Secrets
# -------
SECRET_KEY_BASE=
OTP_SECRET=
EOF
    if [[ ${1:-} == encryption ]]; then
        cat >>"$work/.env.production.sample" <<'EOF'

# Encryption secrets
# ------------------
# Generate with `bin/rails db:encryption:init`
ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY=
ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT=
ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY=
EOF
    fi
}
sample
commit "Release v4.2.0"
annotated_tag v4.2.0

# ---- v4.2.1: app code only --------------------------------------------------
version 4 2 1
write app/models/status.rb <<'EOF'
# frozen_string_literal: true

class Status < ApplicationRecord
  validates :text, length: { maximum: 500 }, presence: true
end
EOF
commit "Release v4.2.1"
lightweight_tag v4.2.1

# ---- v4.3.0-rc.1: streaming, migrations, dependencies -----------------------
version 4 3 0 rc.1
write streaming/index.js <<'EOF'
// Streaming API server (test double).
const PROTOCOL_VERSION = 2;
module.exports = { PROTOCOL_VERSION };
EOF
write db/migrate/20231001000000_add_language_to_statuses.rb <<'EOF'
class AddLanguageToStatuses < ActiveRecord::Migration[7.1]
  def change
    add_column :statuses, :language, :string
  end
end
EOF
write Gemfile.lock <<'EOF'
GEM
  remote: https://rubygems.org/
  specs:
    rails (7.1.1)
    sidekiq (6.5.12)

BUNDLED WITH
   2.4.20
EOF
write package.json <<EOF
{
  "name": "@$app/$app",
  "license": "AGPL-3.0-or-later",
  "engines": { "node": ">=18" },
  "packageManager": "yarn@4.5.1",
  "dependencies": { "ws": "^8.14.0" }
}
EOF
echo 3.3.6 | write .ruby-version
sample encryption
commit "Release v4.3.0-rc.1"
annotated_tag v4.3.0-rc.1

# ---- v4.3.0: streaming, migrations, both lockfiles --------------------------
version 4 3 0
write streaming/index.js <<'EOF'
// Streaming API server (test double).
const PROTOCOL_VERSION = 3;
module.exports = { PROTOCOL_VERSION };
EOF
write db/migrate/20231015000000_add_index_on_statuses_language.rb <<'EOF'
class AddIndexOnStatusesLanguage < ActiveRecord::Migration[7.1]
  def change
    add_index :statuses, :language
  end
end
EOF
write Gemfile.lock <<'EOF'
GEM
  remote: https://rubygems.org/
  specs:
    rails (7.1.2)
    sidekiq (7.2.0)

BUNDLED WITH
   2.4.22
EOF
write package.json <<EOF
{
  "name": "@$app/$app",
  "license": "AGPL-3.0-or-later",
  "engines": { "node": ">=18" },
  "packageManager": "yarn@4.5.1",
  "dependencies": { "ws": "^8.15.0" }
}
EOF
write yarn.lock <<'EOF'
ws@^8.15.0:
  version "8.15.0"
EOF
commit "Release v4.3.0"
annotated_tag v4.3.0

# ---- v4.3.1: post-deployment migration --------------------------------------
version 4 3 1
write db/post_migrate/20231101000000_remove_legacy_language_column.rb <<'EOF'
class RemoveLegacyLanguageColumn < ActiveRecord::Migration[7.1]
  def change; end
end
EOF
commit "Release v4.3.1"
lightweight_tag v4.3.1

# ---- v4.4.0 (flow only): app code and a dependency ---------------------------
if [[ $app == flow ]]; then
    version 4 4 0
    write app/models/status.rb <<'EOF'
# frozen_string_literal: true

class Status < ApplicationRecord
  validates :text, length: { maximum: 1000 }, presence: true
end
EOF
    write Gemfile.lock <<'EOF'
GEM
  remote: https://rubygems.org/
  specs:
    rails (7.1.5)
    sidekiq (7.3.0)

BUNDLED WITH
   2.5.22
EOF
    commit "Release v4.4.0"
    annotated_tag v4.4.0
fi

rm -rf "$bare"
git clone -q --bare "$work" "$bare"
git -C "$bare" gc -q
rm -rf "$work"
