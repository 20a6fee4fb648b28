package io.github.flowupgrade.commands;

import java.util.List;

/**
 * The read-only probes of the pre-flight checks, as the application user: the files a release tag carries that say
 * which toolchain and settings it needs (read from the tags after the fetch, before any checkout), the host's memory
 * and free disk, its Rubies, Node.js and yarn, and the names (never the values) of the settings in {@code
 * .env.production}. None of them changes anything. Each is one command with few processes: on the host, starting a
 * process under its time limit costs more than what most of these probes do.
 *
 * @param appDir the application's working tree
 */
public record PreflightCommands(String appDir) {
    /** The files of a release the checks read. */
    public static final List<String> FILES =
            List.of(".ruby-version", ".nvmrc", ".node-version", "package.json", ".env.production.sample");

    public PreflightCommands {
        Inputs.dir(appDir);
    }

    /** A release tag, or {@code HEAD} (the release running now): nothing else becomes a revision here. */
    public static String revision(ReleaseTag tag) {
        return tag == null ? "HEAD" : tag.commitRevision();
    }

    /**
     * Every one of {@link #FILES} each revision has, in one command whatever the number of revisions: {@code git
     * ls-tree} of each revision (a revision it cannot read prints {@code MARKER unreadable INDEX}), then one {@code git
     * cat-file --batch} prints each blob after a line {@code MARKER SIZE INDEX PATH} (its size in bytes, the revision's
     * index in {@code revisions}), followed by a newline. The marker is the caller's random word, which no file's content
     * can guess, so the output splits back into files.
     *
     * @param revisions release tags, null for {@code HEAD} (the release running now)
     */
    public Command files(List<ReleaseTag> revisions, String marker) {
        checkMarker(marker);
        if (revisions.isEmpty()) {
            throw new IllegalArgumentException("no revision to read");
        }
        String git = "git -C " + Shell.quote(appDir);
        StringBuilder line = new StringBuilder("set -f; in=; i=0; for r in");
        for (ReleaseTag tag : revisions) {
            line.append(' ').append(Shell.quote(revision(tag)));
        }
        // Word splitting, not a subprocess, turns ls-tree's "MODE TYPE OID<TAB>PATH" lines into cat-file's input.
        line.append("; do if t=$(")
                .append(git)
                .append(" ls-tree \"$r\" -- ")
                .append(String.join(" ", FILES))
                .append("); then set -- $t; while [ $# -ge 4 ]; do [ \"$2\" != blob ] || in=\"$in $3 $i $4\";")
                .append(" shift 4; done; else printf '%s unreadable %s\\n' ")
                .append(marker)
                .append(" \"$i\"; fi; i=$((i + 1)); done; set -- $in; [ $# -eq 0 ] || while [ $# -ge 3 ]; do")
                .append(" printf '%s %s %s\\n' \"$1\" \"$2\" \"$3\"; shift 3; done | ")
                .append(git)
                .append(" cat-file --batch='")
                .append(marker)
                .append(" %(objectsize) %(rest)'");
        return new Command(line.toString(), line.toString());
    }

    /** The sections of {@link #probes}, in the order it prints them. */
    public static final List<String> PROBES = List.of("memory", "disk", "settings", "yarn", "rubies", "ruby", "node");

    /**
     * Every probe of the host in one command, each section after a line {@code MARKER NAME} and closed by a line
     * {@code MARKER /NAME STATUS} (its exit status), in the order of {@link #PROBES}:
     *
     * <ul>
     *   <li>{@code memory}: the memory and swap lines of {@code /proc/meminfo} (kB);
     *   <li>{@code disk}: {@code df -P -k} of the application directory (its filesystem's free KiB and mount point);
     *   <li>{@code settings}: the names of the settings {@code .env.production} gives a non-empty value, one per line;
     *       values never leave the host (status 2 when the file cannot be read);
     *   <li>{@code yarn}: {@code corepack PATH|none}, {@code yarn RESOLVED-PATH|none}, and, unless yarn is corepack's
     *       shim (which may download a yarn to answer), {@code version V};
     *   <li>{@code rubies}: the application user's rbenv, {@code rbenv ROOT} then each installed version, or {@code
     *       no-rbenv};
     *   <li>{@code ruby}, {@code node}: {@code ruby -v} and {@code node -v} in the application directory.
     * </ul>
     *
     * The toolchain's directories go first on the search path once, for the last four. A section that never ran (the
     * application directory is gone) has no closing line.
     */
    public Command probes(String marker) {
        checkMarker(marker);
        String dir = Shell.quote(appDir);
        String file = Shell.quote(appDir + "/.env.production");
        String line =
                "m=" + marker + "; s() { printf '%s %s\\n' \"$m\" \"$1\"; }; e() { printf '\\n%s /%s %s\\n' \"$m\""
                        + " \"$1\" \"$2\"; }; "
                        + "s memory; grep -E '^(MemTotal|MemAvailable|SwapTotal|SwapFree):' /proc/meminfo; e memory $?; "
                        + "s disk; df -P -k " + dir + "; e disk $?; "
                        + "s settings; f=" + file + "; if [ ! -r \"$f\" ]; then echo \"cannot read $f\" >&2; c=2; else "
                        + "awk '{ sub(/^[ \\t]*(export[ \\t]+)?/, \"\") } /^[A-Za-z_][A-Za-z0-9_]*=/ {"
                        + " k = substr($0, 1, index($0, \"=\") - 1); v = substr($0, index($0, \"=\") + 1);"
                        + " gsub(/^[ \\t\"'\\'']+|[ \\t\"'\\'']+$/, \"\", v); if (v != \"\") print k }' \"$f\"; c=$?; fi;"
                        + " e settings $c; "
                        + "PATH=" + AppToolchain.SEARCH_PATH + "; export PATH; "
                        + "s yarn; c=$(command -v corepack 2>/dev/null); echo \"corepack ${c:-none}\"; y=$(command -v yarn"
                        + " 2>/dev/null); if [ -z \"$y\" ]; then echo \"yarn none\"; else r=$(readlink -f \"$y\"); echo \"yarn"
                        + " $r\"; case \"$r\" in */corepack/*) ;; *) echo \"version $(cd / && yarn --version 2>/dev/null)\" ;;"
                        + " esac; fi; e yarn 0; "
                        + "cd " + dir + " || exit 1; "
                        + "s rubies; if command -v rbenv >/dev/null 2>&1; then echo \"rbenv $(rbenv root)\"; rbenv versions"
                        + " --bare; else echo no-rbenv; fi; e rubies $?; "
                        + "s ruby; ruby -v; e ruby $?; "
                        + "s node; node -v; e node $?";
        return new Command(line, line);
    }

    private static void checkMarker(String marker) {
        if (marker == null || !marker.matches("[0-9A-Za-z-]{16,64}")) {
            throw new IllegalArgumentException("not a marker: " + marker);
        }
    }
}
