#!/usr/bin/python3
"""mastodon-web test double (flow-web on a Flow host): HTTP on 127.0.0.1:3000.

GET /health  -> "OK"
GET /version -> `git -C APP_DIR describe --tags`, read per request, where APP_DIR is
                the unit's WorkingDirectory (/home/mastodon/live, /home/flow/live)

SIGUSR1 (systemctl reload) is a phased restart that drops no request: between
two requests the process re-executes itself and hands its listening socket to
the new image, so the kernel keeps queueing connections meanwhile and the PID
stays the same. Two traps, both handled here: a SIGUSR1 arriving while the new
image starts would kill it (the default action), so the signal stays blocked
across execve (the mask survives it) until the handler is installed; and
systemd must not send a reload before the first READY=1 (Type=notify).
Every response carries X-Generation, the number of re-executions so far.
"""
import os
import select
import signal
import socket
import subprocess
import sys

APP_DIR = os.getcwd()  # the unit's WorkingDirectory, kept across re-executions
LISTEN = ("127.0.0.1", 3000)
FD_ENV = "FAKEMASTODON_LISTEN_FD"
GENERATION_ENV = "FAKEMASTODON_GENERATION"

reexec_requested = False


def on_reload(_signum, _frame):
    global reexec_requested
    reexec_requested = True


def notify(message):
    """sd_notify(3) without libsystemd."""
    address = os.environ.get("NOTIFY_SOCKET")
    if not address:
        return
    if address.startswith("@"):
        address = "\0" + address[1:]
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.connect(address)
        sock.sendall(message.encode())


def listening_socket():
    inherited = os.environ.get(FD_ENV)
    if inherited:
        return socket.socket(fileno=int(inherited))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(LISTEN)
    sock.listen(512)
    return sock


def reexec(sock, generation):
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    os.set_inheritable(sock.fileno(), True)
    env = dict(os.environ)
    env[FD_ENV] = str(sock.fileno())
    env[GENERATION_ENV] = str(generation + 1)
    os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)], env)


def describe():
    result = subprocess.run(
        ["git", "-C", APP_DIR, "describe", "--tags"], capture_output=True, text=True, timeout=10
    )
    if result.returncode != 0:
        return 500, "git describe failed: " + result.stderr.strip() + "\n"
    return 200, result.stdout


def respond(conn, generation):
    conn.settimeout(5)
    request = b""
    while b"\r\n\r\n" not in request and b"\n\n" not in request and len(request) < 65536:
        chunk = conn.recv(4096)
        if not chunk:
            return
        request += chunk
    parts = request.split(b"\r\n", 1)[0].split()
    path = parts[1].decode("latin-1").split("?", 1)[0] if len(parts) >= 2 else ""
    if path == "/health":
        status, body = 200, "OK"
    elif path == "/version":
        status, body = describe()
    else:
        status, body = 404, "not found\n"
    payload = body.encode()
    reason = {200: "OK", 404: "Not Found", 500: "Internal Server Error"}[status]
    head = (
        f"HTTP/1.1 {status} {reason}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        f"Content-Length: {len(payload)}\r\n"
        f"X-Generation: {generation}\r\n"
        "Connection: close\r\n\r\n"
    )
    conn.sendall(head.encode() + payload)


def main():
    generation = int(os.environ.get(GENERATION_ENV, "0"))
    sock = listening_socket()
    # A signal wakes select() through this pipe, so a reload is not delayed by a poll interval.
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGUSR1, on_reload)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGUSR1})
    notify("READY=1\nSTATUS=serving, generation %d" % generation)
    while True:
        if reexec_requested:
            reexec(sock, generation)
        readable, _, _ = select.select([sock, wake_read], [], [])
        if wake_read in readable:
            os.read(wake_read, 512)
        if sock in readable:
            conn, _ = sock.accept()
            with conn:
                try:
                    respond(conn, generation)
                except OSError:
                    pass  # the client went away; serve the next one


if __name__ == "__main__":
    main()
