package io.github.flowupgrade.commands;

import java.util.List;

/**
 * The read-only probes of the pre-flight checks, as the application user: the files a release tag carries that say
 * which toolchain and settings it needs (read with {@code git show TAG:FILE} after the fetch, before any checkout),
 * the host's memory and free disk, its Rubies, Node.js and yarn, and the names (never the values) of the settings in
 * {@code .env.production}. None of them changes anything.
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
     * Every one of {@link #FILES} the revision has, each after a line {@code MARKER PATH}, in one command: {@code git
     * show REV:FILE} for each file {@code git cat-file -e} finds there. The marker is the caller's random word, which no
     * file's content can guess, so the output splits back into files.
     */
    public Command files(ReleaseTag tag, String marker) {
        if (marker == null || !marker.matches("[0-9A-Za-z-]{16,64}")) {
            throw new IllegalArgumentException("not a marker: " + marker);
        }
        String rev = revision(tag);
        String git = "git -C " + Shell.quote(appDir);
        String line = "for f in " + String.join(" ", FILES) + "; do " + git + " cat-file -e " + Shell.quote(rev)
                + ":\"$f\" 2>/dev/null || continue; printf '%s %s\\n' " + marker + " \"$f\"; " + git + " show "
                + Shell.quote(rev) + ":\"$f\" || exit 1; done";
        return new Command(line, line);
    }

    /** The memory and swap lines of {@code /proc/meminfo} (kB). */
    public static Command memory() {
        return Command.of("grep", "-E", "^(MemTotal|MemAvailable|SwapTotal|SwapFree):", "/proc/meminfo");
    }

    /** {@code df -P -k} of the application directory: its filesystem's free KiB and mount point. */
    public Command freeSpace() {
        return Command.of("df", "-P", "-k", appDir);
    }

    /**
     * The application user's rbenv, if any: {@code rbenv ROOT} then each installed version, one per line; or
     * {@code no-rbenv}.
     */
    public Command rubies() {
        return AppToolchain.onPath(Command.of(
                        "sh",
                        "-c",
                        "if command -v rbenv >/dev/null 2>&1; then echo \"rbenv $(rbenv root)\"; rbenv versions"
                                + " --bare; else echo no-rbenv; fi"))
                .in(appDir);
    }

    /** {@code ruby -v} in the application directory (rbenv's choice there, or the Ruby on the path). */
    public Command ruby() {
        return AppToolchain.onPath(HealthCommands.rubyVersion()).in(appDir);
    }

    /** {@code node -v} in the application directory. */
    public Command node() {
        return AppToolchain.onPath(HealthCommands.nodeVersion()).in(appDir);
    }

    /**
     * Where {@code yarn} and {@code corepack} are: {@code corepack PATH|none}, {@code yarn RESOLVED-PATH|none}, and,
     * unless yarn is corepack's shim (which may download a yarn to answer), {@code version V}.
     */
    public static Command yarn() {
        return AppToolchain.onPath(Command.of(
                "sh",
                "-c",
                "c=$(command -v corepack 2>/dev/null); echo \"corepack ${c:-none}\"; y=$(command -v yarn 2>/dev/null);"
                        + " if [ -z \"$y\" ]; then echo \"yarn none\"; exit 0; fi; r=$(readlink -f \"$y\");"
                        + " echo \"yarn $r\"; case \"$r\" in */corepack/*) ;; *) echo \"version $(cd / && yarn"
                        + " --version 2>/dev/null)\" ;; esac"));
    }

    /**
     * The names of the settings {@code .env.production} gives a non-empty value, one per line; values never leave the
     * host. Fails (exit 2) when the file cannot be read.
     */
    public Command settingNames() {
        String file = Shell.quote(appDir + "/.env.production");
        String line = "f=" + file + "; if [ ! -r \"$f\" ]; then echo \"cannot read $f\" >&2; exit 2; fi; "
                + "awk '{ sub(/^[ \\t]*(export[ \\t]+)?/, \"\") } /^[A-Za-z_][A-Za-z0-9_]*=/ {"
                + " k = substr($0, 1, index($0, \"=\") - 1); v = substr($0, index($0, \"=\") + 1);"
                + " gsub(/^[ \\t\"'\\'']+|[ \\t\"'\\'']+$/, \"\", v); if (v != \"\") print k }' \"$f\"";
        return new Command(line, line);
    }
}
