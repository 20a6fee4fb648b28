#!/usr/bin/env bash
# The flow.jar the action runs: the one the input flow-jar names, else one built with Maven from the action's own
# checkout and kept under a key of its sources (restored by actions/cache on hosted runners, kept on disk on
# self-hosted ones).
#   build-flow.sh locate   outputs jar (when already there), cache-dir, cache-key
#   build-flow.sh build    outputs jar, building it when it is not there yet
# Exit 2 (flow's bad input) for a flow-jar that does not exist or a missing Java 17+.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
output() { printf '%s=%s\n' "$1" "$2" >>"${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"; }
fail() { echo "flow-action: $*" >&2; echo "::error title=flow action::$*"; exit 2; }

java_major() {
    local java=java version
    [[ -n ${JAVA_HOME:-} ]] && java=$JAVA_HOME/bin/java
    version=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p') ||
        true
    [[ $version =~ ^[0-9]+$ ]] || fail "no Java found (java on PATH or JAVA_HOME): flow needs Java 17 or newer"
    ((version >= 17)) || fail "Java $version found, flow needs 17 or newer (actions/setup-java with java-version 17)"
    echo "$version"
}

if [[ -n ${INPUT_FLOW_JAR:-} ]]; then
    jar=$INPUT_FLOW_JAR
    [[ $jar == /* ]] || jar=${GITHUB_WORKSPACE:-$PWD}/$jar
    [[ -f $jar && -r $jar ]] || fail "flow-jar $INPUT_FLOW_JAR is not a readable file"
    java_major >/dev/null
    output jar "$jar"
    exit 0
fi

# The key covers everything that goes into the jar, and the Java it is built with.
key=flow-jar-$(uname -s)-java$(java_major)-$(
    cd "$root" && find pom.xml core/pom.xml cli/pom.xml core/src/main cli/src/main -type f -print0 |
        LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-32
)
dir=${XDG_CACHE_HOME:-$HOME/.cache}/flow-upgrade-action/$key

case ${1:-} in
locate)
    output cache-key "$key"
    output cache-dir "$dir"
    if [[ -f $dir/flow.jar ]]; then
        output jar "$dir/flow.jar"
    fi
    ;;
build)
    if [[ -f $dir/flow.jar ]]; then
        echo "flow-action: flow.jar from the cache ($key)"
    else
        command -v mvn >/dev/null || fail "Maven (mvn) is needed to build flow.jar, or give the input flow-jar"
        echo "flow-action: building flow.jar from $root ($key)"
        # Its own target directory, so a build here never mixes with a developer's target/.
        (cd "$root" && mvn -B -ntp -q -DskipTests -Dflow.targetName=target-action -pl cli -am package)
        mkdir -p "$dir"
        cp "$root/cli/target-action/flow.jar" "$dir/flow.jar.part"
        mv "$dir/flow.jar.part" "$dir/flow.jar"
    fi
    output jar "$dir/flow.jar"
    ;;
*)
    echo "usage: build-flow.sh locate|build" >&2
    exit 2
    ;;
esac
