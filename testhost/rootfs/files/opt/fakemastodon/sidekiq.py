#!/usr/bin/python3
"""mastodon-sidekiq test double: a long-running worker writing a heartbeat.

Every second it rewrites /run/mastodon-sidekiq/heartbeat ("PID SECONDS"), and
every ten seconds it logs a line to the journal. A restart shows as a new
MainPID and a new PID in the heartbeat file.
"""
import os
import time

HEARTBEAT = os.path.join(os.environ.get("RUNTIME_DIRECTORY", "/tmp"), "heartbeat")

if __name__ == "__main__":
    started = time.monotonic()
    beat = 0
    while True:
        tmp = HEARTBEAT + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d %d\n" % (os.getpid(), int(time.monotonic() - started)))
        os.replace(tmp, HEARTBEAT)
        if beat % 10 == 0:
            print("sidekiq heartbeat %d" % beat, flush=True)
        beat += 1
        time.sleep(1)
