#!/usr/bin/python3
"""tsa_server.py - a time-stamping authority for the tests, on the loopback
address only: RFC 3161 over HTTP, with `openssl ts -reply` doing the
signing.

    tsa_server.py CONFIG PORTFILE SECONDS

listens on 127.0.0.1 (a free port, written to PORTFILE) and stops by itself
after SECONDS.  A POST's path chooses how it answers:

    /SECTION                  openssl ts -reply with that section of CONFIG
    /SECTION/shift:N          ... with the TSA's clock moved N seconds (faketime)
    /SECTION/other            a stamp for another imprint than the one asked
    /SECTION/replay           the stamp this path gave last time (another nonce)
    /refuse                   a granted-less answer (PKIStatus rejection)
    /garbage                  bytes that are no TimeStampResp
    /html                     200, but text/html
"""
import http.server
import os
import subprocess
import sys
import tempfile
import threading

CONFIG, PORTFILE, SECONDS = sys.argv[1], sys.argv[2], float(sys.argv[3])
LAST = {}


def reply(section, query, shift=None):
    with tempfile.TemporaryDirectory() as d:
        q, r = os.path.join(d, "q.tsq"), os.path.join(d, "r.tsr")
        with open(q, "wb") as f:
            f.write(query)
        cmd = ["openssl", "ts", "-reply", "-config", CONFIG, "-section", section,
               "-queryfile", q, "-out", r]
        if shift is not None:
            cmd = ["faketime", "-f", "%+ds" % shift] + cmd
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=30)
        with open(r, "rb") as f:
            return f.read()


def other_query():
    with tempfile.TemporaryDirectory() as d:
        data = os.path.join(d, "other")
        with open(data, "wb") as f:
            f.write(b"another document altogether")
        return subprocess.run(["openssl", "ts", "-query", "-data", data, "-sha256", "-cert"],
                              check=True, capture_output=True, timeout=30).stdout


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, body, ctype="application/timestamp-reply"):
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        query = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        parts = [p for p in self.path.split("/") if p]
        if parts == ["refuse"]:
            return self.answer(bytes.fromhex("30053003020102"))
        if parts == ["garbage"]:
            return self.answer(b"\x30\x82\xff\xffnot a time-stamp")
        if parts == ["html"]:
            return self.answer(b"<html>hello</html>", "text/html")
        section, mode = parts[0], parts[1] if len(parts) > 1 else ""
        try:
            if mode == "other":
                body = reply(section, other_query())
            elif mode == "replay" and self.path in LAST:
                body = LAST[self.path]
            elif mode.startswith("shift:"):
                body = reply(section, query, int(mode[6:]))
            else:
                body = reply(section, query)
        except Exception:
            self.send_response(500)
            self.end_headers()
            return
        LAST.setdefault(self.path, body)
        self.answer(body)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(PORTFILE + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(PORTFILE + ".tmp", PORTFILE)
threading.Timer(SECONDS, server.shutdown).start()
server.serve_forever()
