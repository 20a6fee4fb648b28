#!/usr/bin/python3
"""mastodon-streaming test double: HTTP on 127.0.0.1:4000.

GET /api/v1/streaming/health -> "OK"
GET /api/v1/streaming        -> a heartbeat line every 200 ms, forever

Long-lived connections end when the process stops, as the real streaming
server's do, so a restart of this unit is visible to connected clients.
"""
import http.server
import os
import time

LISTEN = ("127.0.0.1", 4000)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # the stream's body ends when the connection closes

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/api/v1/streaming/health":
            body = b"OK"
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif path == "/api/v1/streaming":
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            beat = 0
            try:
                while True:
                    self.wfile.write(b":heartbeat %d pid %d\n" % (beat, os.getpid()))
                    self.wfile.flush()
                    beat += 1
                    time.sleep(0.2)
            except OSError:
                pass  # client gone
        else:
            self.send_error(404)

    def log_message(self, fmt, *args):
        pass  # keep the journal quiet


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True  # a stop must not wait for open streams


if __name__ == "__main__":
    Server(LISTEN, Handler).serve_forever()
