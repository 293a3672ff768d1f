#!/usr/bin/env python3
# custody_forgery.py - what a forger does to a custody log, and the
# independent check of its signatures.
#
#   custody_forgery.py check LOG                 every signed event's signature,
#                                                checked by openssl over the
#                                                event's C14N form (xmllint)
#   custody_forgery.py rewrite LOG SEQ ATTR VAL  sets an attribute of event
#                                                SEQ and re-hashes the chain
#   custody_forgery.py cut LOG                   drops the newest event and
#                                                copies its prev into head
#   custody_forgery.py head LOG                  prints N:HASH of the last event
#   custody_forgery.py chain LOG                 exit 1 unless every prev and the
#                                                head are what this tool computes
#
# and, as someone who holds every file but not the TSA's key would, for the
# time-stamp tests (each re-hashes the chain after the event it edits):
#
#   custody_forgery.py token LOG SEQ OUT         event SEQ's token (TimeStampResp) to OUT
#   custody_forgery.py put LOG SEQ TOKEN         TOKEN in place of event SEQ's token
#   custody_forgery.py stamp LOG SEQ URL [NONCE] a new token for event SEQ from the TSA
#                                                at URL, asked with NONCE (hex) or
#                                                with the nonce the event records
#   custody_forgery.py note LOG SEQ TEXT         event SEQ's note rewritten
#
# The canonical form is the one custos uses: the event alone in a document,
# its namespace declared on it, without the whitespace the log is indented
# with, put through C14N 1.0 by xmllint; a signature covers that form
# without the <signature> and <timestamp> elements, a time-stamp that form
# without the <token> of its <timestamp>.  stamp asks with python3-rfc3161ng
# (Debian's python3: /usr/bin/python3).
import base64
import copy
import hashlib
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

NS = "urn:custos:custody:1"
ET.register_namespace("", NS)
Q = lambda name: "{%s}%s" % (NS, name)


def strip_indentation(ev):
    for e in ev.iter():
        if e.text is not None and not e.text.strip() and len(e):
            e.text = None
        if e.tail is not None and not e.tail.strip():
            e.tail = None


def canonical(ev, with_signature=True, stamped=False):
    ev = copy.deepcopy(ev)
    strip_indentation(ev)
    for name in ("signature", "timestamp"):
        drop = ev.find(Q(name))
        if drop is not None and not with_signature:
            ev.remove(drop)
    ts = ev.find(Q("timestamp"))
    if stamped and ts is not None and ts.find(Q("token")) is not None:
        ts.remove(ts.find(Q("token")))
    ev.tail = None
    with tempfile.NamedTemporaryFile(suffix=".xml", delete=False) as f:
        f.write(ET.tostring(ev))
    try:
        return subprocess.run(["xmllint", "--c14n", f.name], capture_output=True,
                              check=True).stdout
    finally:
        os.unlink(f.name)


def event_hash(ev):
    return hashlib.sha256(canonical(ev)).hexdigest()


def write(tree, path):
    tree.write(path, xml_declaration=True, encoding="UTF-8")


def rehash(root):
    events = root.findall(Q("event"))
    for prev, ev in zip(events, events[1:]):
        ev.set("prev", event_hash(prev))
    root.set("head", event_hash(events[-1]))


def openssl_verify(ev, work):
    sig = ev.find(Q("signature"))
    alg = sig.get("algorithm")
    files = {k: os.path.join(work, k) for k in ("data", "sig", "der", "pub")}
    open(files["data"], "wb").write(canonical(ev, with_signature=False))
    open(files["sig"], "wb").write(base64.b64decode(sig.find(Q("value")).text))
    open(files["der"], "wb").write(base64.b64decode(sig.find(Q("certificate")).text))
    subprocess.run(["openssl", "x509", "-inform", "DER", "-in", files["der"], "-pubkey",
                    "-noout", "-out", files["pub"]], check=True)
    if alg == "ed25519":
        cmd = ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", files["pub"], "-rawin",
               "-in", files["data"], "-sigfile", files["sig"]]
    else:
        cmd = ["openssl", "dgst", "-" + alg.split("-")[1], "-verify", files["pub"],
               "-signature", files["sig"], files["data"]]
    return subprocess.run(cmd, capture_output=True).returncode == 0


def ask_tsa(url, ev, nonce):
    import urllib.request

    import rfc3161ng
    from pyasn1.codec.der import encoder

    digest = hashlib.sha256(canonical(ev, stamped=True)).digest()
    req = rfc3161ng.make_timestamp_request(digest=digest, hashname="sha256",
                                           include_tsa_certificate=True, nonce=int(nonce, 16))
    http = urllib.request.Request(url, data=encoder.encode(req),
                                  headers={"Content-Type": "application/timestamp-query"})
    with urllib.request.urlopen(http, timeout=30) as answer:
        return answer.read()


def stamping(cmd, root, events):
    ev = events[int(sys.argv[3]) - 1]
    ts = ev.find(Q("timestamp"))
    token = ts.find(Q("token")) if ts is not None else None
    if cmd == "token":
        open(sys.argv[4], "wb").write(base64.b64decode(token.text))
        return False
    if cmd == "put":
        token.text = base64.b64encode(open(sys.argv[4], "rb").read()).decode()
    elif cmd == "stamp":
        nonce = sys.argv[5] if len(sys.argv) > 5 else ts.get("nonce")
        token.text = base64.b64encode(ask_tsa(sys.argv[4], ev, nonce)).decode()
    elif cmd == "note":
        ev.find(Q("note")).text = sys.argv[4]
    rehash(root)
    return True


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    tree = ET.parse(path)
    root = tree.getroot()
    events = root.findall(Q("event"))
    if cmd == "check":
        with tempfile.TemporaryDirectory() as work:
            signed = [ev for ev in events if ev.find(Q("signature")) is not None]
            bad = [ev.get("seq") for ev in signed if not openssl_verify(ev, work)]
            print("%d signed, %d verified by openssl" % (len(signed), len(signed) - len(bad)))
            sys.exit(1 if bad or not signed else 0)
    elif cmd == "rewrite":
        seq, attr, value = sys.argv[3:6]
        [ev for ev in events if ev.get("seq") == seq][0].set(attr, value)
        rehash(root)
        write(tree, path)
    elif cmd == "cut":
        last = events[-1]
        root.remove(last)
        root.set("head", last.get("prev"))
        write(tree, path)
    elif cmd == "head":
        print("%d:%s" % (len(events), event_hash(events[-1])))
    elif cmd == "chain":
        links = [ev.get("prev") == event_hash(prev) for prev, ev in zip(events, events[1:])]
        sys.exit(0 if all(links) and root.get("head") == event_hash(events[-1]) else 1)
    elif cmd in ("token", "put", "stamp", "note"):
        if stamping(cmd, root, events):
            write(tree, path)


main()
