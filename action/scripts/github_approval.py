"""Proof that a protected GitHub environment was approved in this workflow run, read from the GitHub API.

GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals lists the run's deployment reviews: the environments
each one covers, its state (approved, rejected) and the reviewer. A job that targets an environment with required
reviewers starts only once one of them approved it, so an approval of that environment in this run is what the
streaming restart needs; a rejection, no review at all, or reviews of other environments only are refusals.

Standard library only (the action runs on any runner with Python 3.8+).
"""

import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request

EXIT_BAD_INPUT = 2
EXIT_REFUSED = 3
EXIT_NETWORK = 5

MAX_PAGES = 50
MAX_PAGE_BYTES = 8 * 1024 * 1024
MAX_WAIT_SECONDS = 60
TRIES = 3

_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")
_REPOSITORY = re.compile(r"^[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}$")
_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


class ActionError(Exception):
    """A failure with the flow exit code it stands for (2 bad input, 3 refused, 5 GitHub unreachable)."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class Approval:
    """Who approved the environment in the run, and the words the action records as the approver."""

    def __init__(self, environment, logins, run_id, run_attempt):
        self.environment = environment
        self.logins = logins
        self.run_id = run_id
        self.run_attempt = run_attempt

    def approved_by(self):
        """The name given to flow's --approved-by: the reviewers' logins and where the approval was read."""
        names = ", ".join(self.logins)
        if len(names) > 120:
            names = self.logins[0] + " and " + str(len(self.logins) - 1) + " other(s)"
        where = "GitHub environment " + self.environment + ", run " + self.run_id
        if self.run_attempt:
            where += " attempt " + self.run_attempt
        text = names + " (" + where + ")"
        # flow takes at most 200 characters; a long environment name gives way to the run.
        return text if len(text) <= 200 else names + " (GitHub run " + self.run_id + ")"


def check_environment_name(name):
    if not name or len(name) > 255 or any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise ActionError(EXIT_BAD_INPUT, "approval-environment needs the name of a GitHub environment"
                          " (printable, at most 255 characters)")
    return name.strip()


def require_approval(api_url, repository, run_id, run_attempt, token, environment, sleep=time.sleep):
    """The approval of ``environment`` in run ``run_id``, or ActionError: refused (3), bad input (2), network (5)."""
    environment = check_environment_name(environment)
    if not _REPOSITORY.match(repository or ""):
        raise ActionError(EXIT_BAD_INPUT, "the repository must be OWNER/NAME, not " + _printable(repository))
    if not (run_id or "").isdigit():
        raise ActionError(EXIT_BAD_INPUT, "the workflow run id must be a number, not " + _printable(run_id))
    if not token:
        raise ActionError(EXIT_BAD_INPUT, "reading the run's approvals needs a token (input github-token,"
                          " default the job's GITHUB_TOKEN with permission actions: read)")
    base = _api_base(api_url)
    url = base + "/repos/" + repository + "/actions/runs/" + run_id + "/approvals?per_page=100"
    reviews = list(_pages(url, base, token, sleep))
    return decide(reviews, environment, run_id, run_attempt)


def decide(reviews, environment, run_id, run_attempt=""):
    """The approval of ``environment`` among the run's reviews; refused when it was rejected or never approved."""
    wanted = environment.casefold()  # GitHub's environment names ignore case
    approved, rejected, others = [], [], []
    for review in reviews:
        if not isinstance(review, dict):
            raise ActionError(EXIT_NETWORK, "the approvals of run " + run_id + " are not the JSON GitHub sends")
        names = [e.get("name") for e in review.get("environments") or [] if isinstance(e, dict)]
        state = review.get("state")
        if not any(isinstance(n, str) and n.casefold() == wanted for n in names):
            if state == "approved":
                others.extend(n for n in names if isinstance(n, str))
            continue
        if state == "approved":
            approved.append(_login(review, run_id))
        elif state == "rejected":
            rejected.append(_login(review, run_id))
    if rejected:
        raise ActionError(EXIT_REFUSED, "the GitHub environment " + environment + " was rejected in run " + run_id
                          + " by " + ", ".join(rejected) + "; nothing was restarted. A rejection stands for the"
                          " whole run: start a new run to ask the reviewers again.")
    if not approved:
        detail = ("only other environments were approved in it: " + ", ".join(sorted(set(others)))
                  if others else "it has no approval yet")
        raise ActionError(EXIT_REFUSED, "the GitHub environment " + environment + " was not approved in run "
                          + run_id + " (" + detail + "); nothing was restarted. The job must target `environment: "
                          + environment + "`, and that environment must have required reviewers.")
    logins = list(dict.fromkeys(approved))
    return Approval(environment, logins, run_id, run_attempt)


def _login(review, run_id):
    user = review.get("user")
    login = user.get("login") if isinstance(user, dict) else None
    if not isinstance(login, str) or not _LOGIN.match(login):
        raise ActionError(EXIT_NETWORK, "a review in the approvals of run " + run_id
                          + " names no valid GitHub login")
    return login


def _api_base(api_url):
    base = (api_url or "https://api.github.com").rstrip("/")
    parts = urllib.parse.urlsplit(base)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ActionError(EXIT_BAD_INPUT, "the GitHub API URL must be http(s), not " + _printable(base))
    if parts.username or parts.password or parts.query or parts.fragment:
        raise ActionError(EXIT_BAD_INPUT, "the GitHub API URL must carry no credentials, query or fragment")
    if parts.scheme == "http" and parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise ActionError(EXIT_BAD_INPUT, "refusing to send the token over plain http to " + parts.hostname
                          + ": use https (plain http only for this machine)")
    return base


def _origin(url):
    parts = urllib.parse.urlsplit(url)
    return parts.scheme, parts.hostname, parts.port


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are followed by _pages itself, so the token goes to the API's origin only."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def _pages(url, base, token, sleep):
    """Every review of every page, following Link: rel="next" (and redirects) within the API's origin."""
    seen = set()
    pages = 0
    while url:
        if url in seen or pages >= MAX_PAGES:
            raise ActionError(EXIT_NETWORK, "the GitHub API kept paging past " + str(pages)
                              + " pages of approvals; giving up")
        if _origin(url) != _origin(base):
            raise ActionError(EXIT_NETWORK, "the GitHub API sent the approvals to another origin ("
                              + _printable(urllib.parse.urlsplit(url).netloc) + "); the token was not sent there")
        seen.add(url)
        status, headers, body = _get(url, token, sleep)
        if status in (301, 302, 307, 308):
            url = urllib.parse.urljoin(url, headers.get("Location") or "")
            continue
        pages += 1
        try:
            page = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            page = None
        if not isinstance(page, list):
            raise ActionError(EXIT_NETWORK, "the GitHub API answered " + _path(url) + " with something that is not"
                              " the expected JSON list; a proxy may be in the way")
        for review in page:
            yield review
        match = _NEXT.search(headers.get("Link") or "")
        url = urllib.parse.urljoin(url, match.group(1)) if match else None


def _get(url, token, sleep):
    """One answer: retried on 5xx and network errors, waiting out a short rate limit; other failures raise."""
    request = urllib.request.Request(url, headers={
        "Accept": "application/vnd.github+json",
        "X-GitHub-Api-Version": "2022-11-28",
        "User-Agent": "flow-upgrade-action",
        "Authorization": "Bearer " + token,
    })
    problem = ""
    for attempt in range(1, TRIES + 1):
        try:
            with _OPENER.open(request, timeout=20) as response:
                return response.status, response.headers, _read(response, url)
        except urllib.error.HTTPError as error:
            status, headers = error.code, error.headers
            body = _read(error, url)
            if status in (301, 302, 307, 308):
                return status, headers, body
            wait = _rate_limit_wait(status, headers)
            if wait is not None:
                if wait > MAX_WAIT_SECONDS or attempt == TRIES:
                    raise ActionError(EXIT_NETWORK, "GitHub API rate limit exceeded (" + str(status) + ") for "
                                      + _path(url) + ": " + _reset_words(headers, wait) + ". Run the job again then.")
                sleep(wait)
                continue
            if status == 401:
                raise ActionError(EXIT_BAD_INPUT, "GitHub rejected the token (401) reading the approvals of the"
                                  " run: give a valid github-token")
            if status in (403, 404):
                raise ActionError(EXIT_BAD_INPUT, "GitHub refused the approvals of the run (" + str(status) + ": "
                                  + _message(body) + "): the token needs read access to the repository's Actions"
                                  " (permissions: actions: read)")
            if status < 500:
                raise ActionError(EXIT_NETWORK, "unexpected answer " + str(status) + " from the GitHub API for "
                                  + _path(url) + ": " + _message(body))
            problem = "GitHub API failed with " + str(status)
        except (urllib.error.URLError, OSError) as error:
            problem = "cannot reach the GitHub API (" + _printable(str(getattr(error, "reason", error))) + ")"
        if attempt < TRIES:
            sleep(attempt)
    raise ActionError(EXIT_NETWORK, problem + " for " + _path(url) + " (" + str(TRIES) + " tries); try again later")


def _read(response, url):
    body = response.read(MAX_PAGE_BYTES + 1)
    if len(body) > MAX_PAGE_BYTES:
        raise ActionError(EXIT_NETWORK, "the GitHub API answer for " + _path(url) + " is larger than "
                          + str(MAX_PAGE_BYTES) + " bytes; giving up")
    return body


def _rate_limit_wait(status, headers):
    """Seconds to wait for a rate limit (GitHub: 403 or 429 with Retry-After or no requests remaining), else None."""
    if status not in (403, 429):
        return None
    retry_after = _number(headers.get("Retry-After"))
    if retry_after is not None:
        return max(0, retry_after)
    if headers.get("X-RateLimit-Remaining") == "0":
        reset = _number(headers.get("X-RateLimit-Reset"))
        return max(0, reset - int(time.time()) + 1) if reset is not None else MAX_WAIT_SECONDS + 1
    return 60 if status == 429 else None


def _reset_words(headers, wait):
    reset = _number(headers.get("X-RateLimit-Reset"))
    at = reset if reset is not None else int(time.time()) + wait
    return "it resets at " + time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(at)) + " (in " + str(wait) + " s)"


def _number(value):
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _message(body):
    try:
        text = json.loads(body.decode("utf-8")).get("message", "")
    except (UnicodeDecodeError, ValueError, AttributeError):
        text = body.decode("utf-8", "replace")
    return _printable(str(text))[:200]


def _path(url):
    parts = urllib.parse.urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def _printable(text):
    return "".join(c if c.isprintable() else "?" for c in str(text or ""))[:200]
