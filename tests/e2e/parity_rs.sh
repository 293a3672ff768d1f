#!/bin/bash
# parity_rs.sh - parity.sh with custos' Reed-Solomon parity (--parity-format
# rs, docs/parity-rs.md): the same damage, the same repair, the same
# hostile files, and tests/tools/rsp_check.py as the format's witness.
PARITY_FORMAT=rs exec bash "$(dirname "$0")/parity.sh"
