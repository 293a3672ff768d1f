#!/usr/bin/env python3
"""bench/run.py - times a command and reports its wall time and peak memory.

usage: run.py LABEL COMMAND [ARGS...]
Prints one line: LABEL seconds=S peak_rss_mib=M, and exits with the command's
status.  Peak memory is the child's maximum resident set (getrusage).
"""
import resource
import subprocess
import sys
import time

label, cmd = sys.argv[1], sys.argv[2:]
start = time.monotonic()
rc = subprocess.call(cmd, stdout=subprocess.DEVNULL)
seconds = time.monotonic() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
print(f"{label} seconds={seconds:.3f} peak_rss_mib={peak:.1f}", flush=True)
sys.exit(rc)
