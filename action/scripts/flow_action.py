#!/usr/bin/env python3
"""The composite action's main step: its inputs (INPUT_* variables) become one flow command line, its JSON the outputs.

Commands: plan (flow upgrade --plan-only), upgrade (flow upgrade), restart-streaming (flow restart of streaming
alone). With approval-environment, flow itself proves the protected environment's approval in this run
(--approval-environment: it reads the run's approvals from GitHub's API and records the reviewers), so the action
decides nothing about approvals. Secrets arrive in environment variables and reach flow the same way
(--identity-passphrase-env, --token-env) or, for the private key, as a 0600 file in a private temporary directory
that is removed when the step ends. Exit codes are flow's.
"""

import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import urllib.parse

sys.dont_write_bytecode = True  # nothing written into the action's checkout
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from flow_outputs import Outputs, write_outputs  # noqa: E402

EXIT_BAD_INPUT = 2
COMMANDS = ("plan", "upgrade", "restart-streaming")
INSTANCE_FIELDS = {"hosts", "app", "login", "as", "port", "dir", "appUser", "hostKeys", "knownHosts"}
# What the action itself sets: given again in extra-args it would bypass the secrets' path or the approval gate.
RESERVED = {"--identity", "--identity-passphrase-env", "--token-env", "--json", "--approved-by", "--no-prompt",
            "--approval-environment",
            "--insecure-accept-any-host-key", "--host", "--known-hosts", "--host-key", "--audit-log",
            "--plan-only", "--dry-run", "--tag", "--from", "--streaming", "--confirm-manual", "--services"}
PASSPHRASE_ENV = "FLOW_ACTION_SSH_PASSPHRASE"
TOKEN_ENV = "FLOW_ACTION_GITHUB_TOKEN"
DEFAULT_API = "https://api.github.com"
# Where flow reads the run it proves an approval in: the github context's values, as the runner sets them.
RUN_VARIABLES = (("GH_API_URL", "GITHUB_API_URL"), ("GH_REPOSITORY", "GITHUB_REPOSITORY"),
                 ("GH_RUN_ID", "GITHUB_RUN_ID"), ("GH_RUN_ATTEMPT", "GITHUB_RUN_ATTEMPT"))


class ActionError(Exception):
    """A failure of the action itself, before flow runs, with the flow exit code it stands for (2: bad input)."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def main():
    env = os.environ
    secret_values = [env.get("INPUT_SSH_KEY", ""), env.get("INPUT_SSH_KEY_PASSPHRASE", ""),
                     env.get("INPUT_GITHUB_TOKEN", "")]
    key, bad_key = "", None
    try:
        key = normalized_key(env.get("INPUT_SSH_KEY", ""))
    except ActionError as error:
        bad_key = error  # reported once the masks are in place
    # Masked before anything else is printed: the secrets as given, and what the action derives from them.
    for value in secret_values + [key]:
        mask(value)
    resume = "flow-action-" + secrets.token_hex(16)
    # Nothing printed from here on (host output, release notes, a reviewer's comment) runs as a workflow command.
    print("::stop-commands::" + resume, flush=True)
    code, errors, outputs = 1, [], None
    try:
        if bad_key:
            raise bad_key
        outputs = run(env, key)
        code = outputs.code
        # One annotation per failed host: the first line of its error (the log has the rest); else flow's own error.
        errors = [(str(h.get("host")), str(h.get("error")).splitlines()[0]) for h in outputs.hosts if h.get("error")]
        if code and not errors and outputs.error:
            errors = [("", outputs.error.splitlines()[0])]
        if code and not errors:
            errors = [("", "flow exited with " + str(code) + "; its last lines above say why")]
    except ActionError as failure:
        code, errors = failure.code, [("", str(failure))]
        print("flow-action: " + str(failure), flush=True)
        write_outputs(env.get("GITHUB_OUTPUT"), {"exit-code": str(code)})
    finally:
        print("::" + resume + "::", flush=True)
    title = "flow " + (outputs.command if outputs else "action")
    for host, error in errors:
        print("::error title=" + escape_property(title + (" on " + host if host else "")) + "::"
              + escape_command(error), flush=True)
    return code


def run(env, key):
    """Validates the inputs, runs flow (which proves the approval if one is asked for) and writes the outputs."""
    request = Request(Inputs(env), env.get("GITHUB_WORKSPACE") or os.getcwd())
    jar = env.get("FLOW_JAR", "")
    if not os.path.isfile(jar):
        raise ActionError(EXIT_BAD_INPUT, "flow.jar not found at " + printable(jar))
    java = os.path.join(env["JAVA_HOME"], "bin", "java") if env.get("JAVA_HOME") else "java"
    argv = [java, "-jar", jar] + request.flow_arguments(env)
    child_env, secret_arguments = secret_environment(env, request)
    argv += secret_arguments
    temp_root = env.get("RUNNER_TEMP") or tempfile.gettempdir()
    print("flow-action: " + " ".join(quote(a) for a in argv[2:]), flush=True)
    with tempfile.TemporaryDirectory(prefix="flow-action-", dir=temp_root) as private:
        os.chmod(private, 0o700)
        if key:
            argv += ["--identity", write_private(os.path.join(private, "id"), key)]
        if request.known_hosts:
            argv += ["--known-hosts", write_private(os.path.join(private, "known_hosts"), request.known_hosts + "\n")]
        result_file = os.path.join(temp_root, "flow-result-" + secrets.token_hex(6) + ".json")
        code = run_flow(argv, child_env, result_file)
    outputs = Outputs(request.command, result_file, request.audit_log, request.approval_environment, code)
    outputs.write(env)
    return outputs


class Request:
    """The inputs (and the instance file under them), checked: what flow is asked to do, where, and how."""

    def __init__(self, inputs, workspace):
        self.inputs = inputs
        self.workspace = workspace
        self.command = inputs.choice("command", COMMANDS, "upgrade")
        self.instance = inputs.instance(workspace)
        self.hosts = split_words(inputs.get("hosts")) or instance_list(self.instance, "hosts")
        if not self.hosts:
            raise ActionError(EXIT_BAD_INPUT, "no host: give the input hosts or an instance-file with \"hosts\"")
        self.dry_run = inputs.flag("dry-run")
        self.tag = inputs.get("tag")
        if self.command != "restart-streaming" and not self.tag:
            raise ActionError(EXIT_BAD_INPUT, "the input tag (the release to upgrade to, vX.Y.Z) is required for "
                              + self.command)
        # The host keys given as inputs replace the instance file's, whichever form either uses.
        self.host_keys, self.known_hosts = split_words(inputs.get("host-keys")), inputs.get("known-hosts")
        if not self.host_keys and not self.known_hosts:
            self.host_keys = instance_list(self.instance, "hostKeys")
            self.known_hosts = instance_text(self.instance, "knownHosts")
        if self.host_keys and self.known_hosts:
            raise ActionError(EXIT_BAD_INPUT, "give either host-keys or known-hosts, not both")
        if not self.dry_run and not self.host_keys and not self.known_hosts:
            raise ActionError(EXIT_BAD_INPUT, "give the hosts' keys: host-keys (SHA256:... fingerprints, as"
                              " ssh-keygen -lf prints them) or known-hosts (known_hosts lines); the runner knows none")
        self.extra = extra_args(inputs.get("extra-args"))
        self.approval_environment = inputs.get("approval-environment")
        if self.command == "restart-streaming" and not self.approval_environment:
            raise ActionError(EXIT_BAD_INPUT, "restart-streaming needs approval-environment: the protected"
                              " environment whose approval in this run allows the restart")
        if self.command == "plan" and self.approval_environment:
            raise ActionError(EXIT_BAD_INPUT, "plan changes nothing, so it takes no approval-environment")
        if (self.command == "upgrade" and self.approval_environment
                and not same_origin(release_api(self.extra), job_api(inputs.env))):
            # flow reads the approvals and the releases with the one token --token-env names.
            raise ActionError(EXIT_BAD_INPUT, "approval-environment with upgrade needs the release lookup on the job's"
                              " own GitHub API (extra-args --api-url " + printable(release_api(self.extra))
                              + " is another): the job's token would go there too. Run the streaming restart as its"
                              " own job (command: restart-streaming).")
        self.streaming = inputs.choice("streaming", ("never", "if-needed", "always"), "if-needed")
        self.confirm_manual = inputs.flag("confirm-manual")
        self.audit_log = ""  # a dry run keeps no trail

    def flow_arguments(self, env):
        """flow's command line, secrets apart."""
        if self.command == "restart-streaming":
            argv = ["restart", "--services", "none", "--streaming", "always"]
        else:
            argv = ["upgrade", "--tag", self.tag]
            if self.inputs.get("from"):
                argv += ["--from", self.inputs.get("from")]
            if self.command == "plan":
                argv.append("--plan-only")
            else:
                argv += ["--streaming", self.streaming] + (["--confirm-manual"] if self.confirm_manual else [])
        for host in self.hosts:
            argv += ["--host", host]
        for field, option in (("app", "--app"), ("login", "--login"), ("run-as", "--as"), ("port", "--port")):
            value = self.inputs.get(field) or instance_text(self.instance, "as" if field == "run-as" else field)
            if field == "app" and value.endswith(".json") and not self.inputs.get("app"):
                value = os.path.join(self.instance["_dir"], value)  # a profile the instance file names sits beside it
            if value:
                argv += [option, value]
        for field, option in (("dir", "--dir"), ("appUser", "--app-user")):
            if instance_text(self.instance, field):
                argv += [option, instance_text(self.instance, field)]
        for fingerprint in self.host_keys:
            argv += ["--host-key", fingerprint]
        if self.approval_environment:
            # flow reads this run's approvals itself and refuses (exit 3) before any host without that one.
            argv += ["--approval-environment", self.approval_environment]
        argv += ["--json", "--no-prompt", "--actor", actor(env)]
        if env.get("GH_SERVER_URL") and env.get("GH_REPOSITORY") and env.get("GH_RUN_ID"):
            argv += ["--build-url", env["GH_SERVER_URL"].rstrip("/") + "/" + env["GH_REPOSITORY"] + "/actions/runs/"
                     + env["GH_RUN_ID"] + "/attempts/" + (env.get("GH_RUN_ATTEMPT") or "1")]
        if self.dry_run:
            argv.append("--dry-run")
        if not self.dry_run:
            default = os.path.join("flow-audit", self.command + "-" + (env.get("GH_RUN_ID") or "local") + "-"
                                   + (env.get("GH_RUN_ATTEMPT") or "1") + ".jsonl")
            self.audit_log = os.path.join(self.workspace, self.inputs.get("audit-log") or default)
            os.makedirs(os.path.dirname(self.audit_log), exist_ok=True)
            argv += ["--audit-log", self.audit_log]
        return argv + self.extra


def secret_environment(env, request):
    """flow's environment (without the action's INPUT_* variables) and the options naming the secrets in it."""
    child_env = {k: v for k, v in env.items() if not k.startswith("INPUT_")}
    for context, variable in RUN_VARIABLES:
        if env.get(context):
            child_env[variable] = env[context]
    arguments = []
    if env.get("INPUT_SSH_KEY_PASSPHRASE"):
        child_env[PASSPHRASE_ENV] = env["INPUT_SSH_KEY_PASSPHRASE"]
        arguments += ["--identity-passphrase-env", PASSPHRASE_ENV]
    # The token is the job's, for its own GitHub: flow gets it to read this run's approvals, and for the release
    # lookup only when that asks the same API (Request refuses an approval-environment with a lookup elsewhere).
    if env.get("INPUT_GITHUB_TOKEN") and (
            request.approval_environment or same_origin(release_api(request.extra), job_api(env))):
        child_env[TOKEN_ENV] = env["INPUT_GITHUB_TOKEN"]
        arguments += ["--token-env", TOKEN_ENV]
    return child_env, arguments


class Inputs:
    def __init__(self, env):
        self.env = env

    def get(self, name):
        return self.env.get("INPUT_" + name.upper().replace("-", "_"), "").strip()

    def flag(self, name):
        value = self.get(name).lower()
        if value not in ("", "true", "false"):
            raise ActionError(EXIT_BAD_INPUT, "the input " + name + " is true or false, not " + printable(value))
        return value == "true"

    def choice(self, name, allowed, default):
        value = self.get(name) or default
        if value not in allowed:
            raise ActionError(EXIT_BAD_INPUT, "the input " + name + " is one of " + ", ".join(allowed) + ", not "
                              + printable(value))
        return value

    def instance(self, workspace):
        path = self.get("instance-file")
        if not path:
            return {"_dir": workspace}
        path = os.path.join(workspace, path)
        try:
            with open(path, encoding="utf-8") as file:
                instance = json.load(file)
        except (OSError, ValueError) as error:
            raise ActionError(EXIT_BAD_INPUT, "cannot read the instance file " + printable(path) + ": "
                              + printable(str(error)))
        if not isinstance(instance, dict):
            raise ActionError(EXIT_BAD_INPUT, "the instance file " + printable(path) + " must hold a JSON object")
        unknown = sorted(set(instance) - INSTANCE_FIELDS)
        if unknown:
            raise ActionError(EXIT_BAD_INPUT, "unknown field(s) in the instance file: " + ", ".join(unknown)
                              + " (known: " + ", ".join(sorted(INSTANCE_FIELDS)) + ")")
        instance["_dir"] = os.path.dirname(path)
        return instance


def instance_list(instance, field):
    value = instance.get(field)
    if value is None:
        return []
    if isinstance(value, str):
        return split_words(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise ActionError(EXIT_BAD_INPUT, "the instance file's " + field + " must be a list of strings")


def instance_text(instance, field):
    value = instance.get(field)
    if value is None:
        return ""
    if field == "knownHosts" and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "\n".join(value)
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ActionError(EXIT_BAD_INPUT, "the instance file's " + field + " must be a string")
    return str(value)


def split_words(text):
    return [w for w in re.split(r"[\s,]+", text or "") if w]


def release_api(extra):
    """Where flow looks releases up: the --api-url of extra-args, else GitHub's."""
    for i, arg in enumerate(extra):
        if arg == "--api-url" and i + 1 < len(extra):
            return extra[i + 1]
        if arg.startswith("--api-url="):
            return arg.split("=", 1)[1]
    return DEFAULT_API


def job_api(env):
    """The job's own GitHub API: github.api_url."""
    return env.get("GH_API_URL") or DEFAULT_API


def same_origin(a, b):
    def origin(url):
        try:
            parts = urllib.parse.urlsplit(url.strip().rstrip("/"))
            return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port
        except ValueError:
            return url  # not a URL flow would take; compared as text
    return origin(a) == origin(b)


def extra_args(text):
    """One argument a line, taken as written (no shell): options the action sets itself are refused."""
    args = [line.strip() for line in (text or "").splitlines() if line.strip()]
    for arg in args:
        if arg.split("=", 1)[0] in RESERVED:
            raise ActionError(EXIT_BAD_INPUT, "extra-args cannot set " + arg.split("=", 1)[0]
                              + ": the action sets it from its own inputs")
    return args


def normalized_key(text):
    """The private key as OpenSSH reads it: CRLF made LF, a final newline; base64 of a key decoded first."""
    text = (text or "").strip().replace("\r\n", "\n")
    if text and "-----BEGIN" not in text:
        import base64
        import binascii
        try:
            text = base64.b64decode("".join(text.split()), validate=True).decode("utf-8").strip()
        except (binascii.Error, UnicodeDecodeError):
            raise ActionError(EXIT_BAD_INPUT, "ssh-key is neither a private key (-----BEGIN ...) nor its base64")
    return text + "\n" if text else ""


def mask(value):
    """::add-mask:: for each line of a secret (the runner masks line by line)."""
    for line in (value or "").splitlines():
        line = line.strip()
        if len(line) >= 4 and not line.startswith("-----"):
            print("::add-mask::" + line, flush=True)


def write_private(path, content):
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(content)
    return path


def actor(env):
    who = env.get("GH_TRIGGERING_ACTOR") or env.get("GH_ACTOR") or env.get("USER") or "unknown"
    return who + " (GitHub Actions)" if env.get("GH_RUN_ID") else who


def run_flow(argv, child_env, result_file):
    """Runs flow with its JSON going to result_file and its progress to this step's log; signals reach it."""
    sys.stdout.flush()
    with open(result_file, "wb") as out:
        # Its progress joins this script's standard output: one stream keeps the order the runner reads it in.
        process = subprocess.Popen(argv, env=child_env, stdout=out, stderr=sys.stdout.fileno(),
                                   stdin=subprocess.DEVNULL)

    def forward(signum, frame):
        # A cancelled job: flow stops its remote command, releases the lock and closes the trail, then exits.
        process.send_signal(signum)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, forward)
    return process.wait()


def escape_command(text):
    return printable_lines(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text):
    return escape_command(text).replace(":", "%3A").replace(",", "%2C")


def printable_lines(text):
    return "".join(c if c.isprintable() or c == "\n" else "?" for c in str(text))[:2000]


def quote(word):
    return word if re.match(r"^[A-Za-z0-9_@%+=:,./-]+$", word) else "'" + word.replace("'", "'\\''") + "'"


def printable(text):
    return "".join(c if c.isprintable() else "?" for c in str(text or ""))[:300]


if __name__ == "__main__":
    sys.exit(main())
