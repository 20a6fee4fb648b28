"""The action's outputs and job summary, read from flow's JSON (flow upgrade --json, or flow restart --json)."""

import json
import os
import secrets

PENDING = ("pending approval", "timed out")


class Outputs:
    """The step's outputs, read from flow's JSON: {"hosts": [...], "exitCode": ..., "error": ...}."""

    def __init__(self, command, result_file, audit_log, environment, code):
        self.command = command
        self.result_file = result_file
        self.audit_log = audit_log if audit_log and os.path.exists(audit_log) else ""
        self.environment = environment
        self.code = code
        try:
            with open(result_file, encoding="utf-8") as file:
                self.text = file.read()
            parsed = json.loads(self.text) if self.text.strip() else None
        except (OSError, ValueError):
            self.text, parsed = "", None
        if isinstance(parsed, dict):
            self.hosts = [h for h in parsed.get("hosts") or [] if isinstance(h, dict)]
            self.error = parsed.get("error") if isinstance(parsed.get("error"), str) else ""
        else:
            self.hosts, self.error = [], ""
        # Who approved the streaming restart, as flow read it from the run's approvals.
        self.approvers = list(dict.fromkeys(
            str(self.streaming(h).get("approvedBy")) for h in self.hosts if self.streaming(h).get("approvedBy")))

    def streaming(self, host):
        return host.get("streaming") if isinstance(host.get("streaming"), dict) else {}

    def write(self, env):
        needed = any(self.streaming(h).get("needed") is True
                     or (not self.streaming(h) and ((h.get("plan") or {}).get("streamingRestart") is True))
                     for h in self.hosts)
        pending = [h.get("host") for h in self.hosts if self.streaming(h).get("status") in PENDING]
        statuses = sorted({str(h.get("status")) for h in self.hosts if h.get("status")})
        values = {
            "result": self.text.strip(),
            "result-file": self.result_file,
            "status": ", ".join(statuses),
            "streaming-needed": "true" if needed else "false",
            "streaming-pending": "true" if pending else "false",
            "streaming-pending-hosts": "\n".join(str(h) for h in pending),
            "audit-log": self.audit_log,
            "approved-by": ", ".join(self.approvers),
            "exit-code": str(self.code),
        }
        write_outputs(env.get("GITHUB_OUTPUT"), values)
        write_summary(env.get("GITHUB_STEP_SUMMARY"), self, values)


def write_outputs(path, values):
    if not path:
        return
    with open(path, "a", encoding="utf-8") as file:
        for name, value in values.items():
            delimiter = "flow_action_" + secrets.token_hex(8)
            file.write(name + "<<" + delimiter + "\n" + value + "\n" + delimiter + "\n")


def write_summary(path, outputs, values):
    """A short Markdown report for the run's summary page: what each host did, and what waits for approval."""
    if not path:
        return
    lines = ["### flow " + outputs.command + (" (exit " + values["exit-code"] + ")" if outputs.code else ""), ""]
    if outputs.hosts:
        lines += ["| host | from | to | status | streaming |", "|---|---|---|---|---|"]
        for h in outputs.hosts:
            streaming = outputs.streaming(h)
            lines.append("| " + " | ".join(cell(v) for v in (
                h.get("host"), h.get("from"), h.get("target"), h.get("status"),
                streaming.get("status") or ("needed" if (h.get("plan") or {}).get("streamingRestart") else ""))) + " |")
        manual = []
        for h in outputs.hosts:
            for item in (h.get("plan") or {}).get("manual") or []:
                text = item.get("text") if isinstance(item, dict) else item
                if text and text not in manual:
                    manual.append(text)
        if manual:
            lines += ["", "Manual steps the release notes ask for (confirm-manual once done):", ""]
            lines += ["- " + cell(text) for text in manual]
    if outputs.approvers:
        lines += ["", "Streaming restart approved by " + cell(values["approved-by"])
                  + (" (environment " + cell(outputs.environment) + ")." if outputs.environment else ".")]
    if outputs.code and outputs.error and not any(h.get("error") for h in outputs.hosts):
        lines += ["", "flow stopped: " + cell(outputs.error.splitlines()[0])]
    if values["streaming-pending"] == "true":
        lines += ["", "Streaming restart pending approval on: " + cell(", ".join(
            values["streaming-pending-hosts"].splitlines()))]
    with open(path, "a", encoding="utf-8") as file:
        file.write("\n".join(lines) + "\n")


def cell(value):
    """Text from a host or release notes as inert Markdown: no HTML, no table breaks, no links."""
    text = printable("" if value is None else " ".join(str(value).split()))
    for raw, safe in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("|", "\\|"), ("[", "\\["), ("`", "\\`")):
        text = text.replace(raw, safe)
    return text


def printable(text):
    return "".join(c if c.isprintable() else "?" for c in str(text or ""))[:300]
