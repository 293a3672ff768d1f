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
#
# The canonical form is the one custos uses: the event alone in a document,
# its namespace declared on it, without the whitespace the log is indented
# with, put through C14N 1.0 by xmllint; a signature covers that form
# without the <signature> element.
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


def canonical(ev, with_signature=True):
    ev = copy.deepcopy(ev)
    strip_indentation(ev)
    sig = ev.find(Q("signature"))
    if sig is not None and not with_signature:
        ev.remove(sig)
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


main()
