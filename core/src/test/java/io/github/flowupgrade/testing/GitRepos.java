package io.github.flowupgrade.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real git repositories built with the git CLI: an upstream bare repository holding a small Mastodon-shaped
 * application with release tags, and a clone of it that plays the host's working tree, checked out at
 * {@value #FIRST} as the admin guide leaves it (detached).
 *
 * <p>What each release changes (so tests can check what a checkout reports):
 *
 * <ul>
 *   <li>{@code v4.2.0} (annotated): the first release.
 *   <li>{@code v4.2.1} (lightweight): a Ruby fix in {@code app/models/} only.
 *   <li>{@code v4.3.0-rc.1} (annotated): a migration, a post-deployment migration, {@code Gemfile.lock}, {@code
 *       package.json}, {@code streaming/}, {@code app/javascript/}.
 *   <li>{@code v4.3.0} (annotated): {@code streaming/index.js} and {@code yarn.lock}.
 *   <li>{@code v4.3.1} (lightweight): a post-deployment migration and {@code Gemfile.lock}.
 * </ul>
 *
 * git runs with its own global configuration ({@code safe.directory=*}), so the test can work on repositories that
 * the application user owns without git's "dubious ownership" refusal.
 */
public final class GitRepos {
    public static final String FIRST = "v4.2.0";

    private final Path upstream;
    private final Path workTree;
    private final Map<String, String> env;

    private GitRepos(Path upstream, Path workTree, Map<String, String> env) {
        this.upstream = upstream;
        this.workTree = workTree;
        this.env = env;
    }

    /** Builds the upstream in {@code base/upstream.git} and clones it to {@code workTree}. */
    public static GitRepos create(Path base, Path workTree) {
        try {
            Files.createDirectories(base);
            Path config = base.resolve("gitconfig");
            Files.writeString(
                    config,
                    "[safe]\n\tdirectory = *\n[user]\n\tname = Release Bot\n\temail = releases@example.invalid\n"
                            + "[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n");
            Map<String, String> env = new LinkedHashMap<>();
            env.put("GIT_CONFIG_GLOBAL", config.toString());
            env.put("GIT_CONFIG_NOSYSTEM", "1");
            Path upstream = base.resolve("upstream.git");
            Path authoring = base.resolve("authoring");
            GitRepos repos = new GitRepos(upstream, workTree, env);
            repos.git(base, "init", "-q", "--bare", upstream.toString());
            repos.git(base, "init", "-q", authoring.toString());
            repos.author(authoring);
            repos.git(authoring, "remote", "add", "origin", upstream.toString());
            repos.git(authoring, "push", "-q", "origin", "main", "--tags");
            repos.git(base, "clone", "-q", upstream.toString(), workTree.toString());
            repos.git(workTree, "checkout", "-q", "--detach", FIRST);
            return repos;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void author(Path repo) throws IOException {
        write(repo, "README.md", "# Mastodon-shaped test app\n");
        write(repo, "Gemfile", "source 'https://rubygems.org'\ngem 'rails', '~> 7.0'\n");
        write(repo, "Gemfile.lock", "GEM\n  specs:\n    rails (7.0.8)\n");
        write(repo, "package.json", "{\"name\": \"mastodon\", \"version\": \"4.2.0\"}\n");
        write(repo, "yarn.lock", "# yarn lockfile v1\nreact@18.2.0\n");
        write(repo, "streaming/index.js", "// streaming server 4.2\n");
        write(repo, "streaming/package.json", "{\"name\": \"@mastodon/streaming\"}\n");
        write(repo, "app/javascript/app.js", "// web app 4.2\n");
        write(repo, "app/models/status.rb", "class Status; end\n");
        write(repo, "db/migrate/20230101000000_create_statuses.rb", "# create statuses\n");
        write(repo, "config/application.rb", "# config\n");
        commit(repo, "Release 4.2.0");
        git(repo, "tag", "-a", "v4.2.0", "-m", "v4.2.0");

        write(repo, "app/models/status.rb", "class Status; def fixed? = true; end\n");
        commit(repo, "Release 4.2.1");
        git(repo, "tag", "v4.2.1");

        write(repo, "db/migrate/20240301000000_add_quotes.rb", "# add quotes\n");
        write(repo, "db/post_migrate/20240301000001_drop_old.rb", "# drop old column\n");
        write(repo, "Gemfile.lock", "GEM\n  specs:\n    rails (7.1.3)\n");
        write(repo, "package.json", "{\"name\": \"mastodon\", \"version\": \"4.3.0-rc.1\"}\n");
        write(repo, "streaming/index.js", "// streaming server 4.3 rc\n");
        write(repo, "app/javascript/app.js", "// web app 4.3\n");
        commit(repo, "Release 4.3.0-rc.1");
        git(repo, "tag", "-a", "v4.3.0-rc.1", "-m", "v4.3.0-rc.1");

        write(repo, "streaming/index.js", "// streaming server 4.3\n");
        write(repo, "yarn.lock", "# yarn lockfile v1\nreact@18.3.1\n");
        commit(repo, "Release 4.3.0");
        git(repo, "tag", "-a", "v4.3.0", "-m", "v4.3.0");

        write(repo, "db/post_migrate/20241001000000_fix_index.rb", "# fix index\n");
        write(repo, "Gemfile.lock", "GEM\n  specs:\n    rails (7.1.4)\n");
        commit(repo, "Release 4.3.1");
        git(repo, "tag", "v4.3.1");
    }

    private static void write(Path repo, String path, String content) throws IOException {
        Path file = repo.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private void commit(Path repo, String message) {
        git(repo, "add", "-A");
        git(repo, "commit", "-q", "-m", message);
    }

    /** Runs git in {@code dir} with this fixture's configuration and returns its output. */
    public String git(Path dir, String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = "git";
        System.arraycopy(args, 0, argv, 1, args.length);
        return LocalProcess.run(dir, env, argv).strip();
    }

    public Path upstream() {
        return upstream;
    }

    public Path workTree() {
        return workTree;
    }

    /** The commit a tag names upstream. */
    public String commitOf(String tag) {
        return git(upstream, "rev-parse", "refs/tags/" + tag + "^{commit}");
    }

    /** The commit the working tree has checked out. */
    public String head() {
        return git(workTree, "rev-parse", "HEAD");
    }

    /** Moves a release tag upstream to another commit, as a compromised or careless upstream would. */
    public void moveTagUpstream(String tag, String toTag) {
        git(upstream, "tag", "-f", tag, commitOf(toTag));
    }

    /** Publishes a new release upstream (a lightweight tag on a new commit) changing {@code path}. */
    public String publish(String tag, String path, String content) {
        Path authoring = upstream.resolveSibling("authoring");
        try {
            write(authoring, path, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        commit(authoring, "Release " + tag);
        git(authoring, "tag", tag);
        git(authoring, "push", "-q", "origin", "main", "--tags");
        return commitOf(tag);
    }

    /**
     * Publishes a new release upstream (a lightweight tag on a new commit) that removes the {@code removed} paths
     * (files or directories) and then writes {@code files} (path to content).
     */
    public String publish(String tag, Map<String, String> files, List<String> removed) {
        Path authoring = upstream.resolveSibling("authoring");
        try {
            for (String path : removed) {
                git(authoring, "rm", "-q", "-r", "--", path);
            }
            for (Map.Entry<String, String> file : files.entrySet()) {
                write(authoring, file.getKey(), file.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        commit(authoring, "Release " + tag);
        git(authoring, "tag", tag);
        git(authoring, "push", "-q", "origin", "main", "--tags");
        return commitOf(tag);
    }

    /** Modifies a tracked file in the working tree (a local patch on the host) and returns its new content. */
    public byte[] dirtyTrackedFile(String path) {
        try {
            Path file = workTree.resolve(path);
            Files.writeString(file, Files.readString(file) + "# local patch on the host\n");
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds an untracked file (such as .env.production) to the working tree. */
    public Path addUntrackedFile(String path, String content) {
        try {
            Path file = workTree.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Gives the upstream and the working tree to {@code user} (they are owned by the JVM's user until then). */
    public void chownTo(String user) {
        LocalProcess.run("chown", "-R", user + ":", upstream.toString(), workTree.toString());
    }
}
