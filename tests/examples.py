#!/usr/bin/env python3
"""Every C example under examples/ runs and finds its result correct, in both dispatch
modes on the emulator, and in fast dispatch on ttsim when TTSIM_LIB names it (the Python
examples run in tests/e2e/python/).

    TTM_BUILD=build tests/examples.py

Prints "PASS name" / "FAIL name" lines (tests/run.sh counts them)."""

import os
import subprocess

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
BUILD = os.environ.get("TTM_BUILD", os.path.join(ROOT, "build"))
EXAMPLES = sorted(f[:-2] for f in os.listdir(os.path.join(ROOT, "examples")) if f.endswith(".c"))


def run(name, slow, backend="emu"):
    env = dict(os.environ, TTM_BACKEND=backend)
    env.pop("TTM_SLOW_DISPATCH", None)
    if slow:
        env["TTM_SLOW_DISPATCH"] = "1"
    test = "%s_%s%s" % (name, "slow" if slow else "fast", "" if backend == "emu" else "_" + backend)
    if backend == "ttsim" and not os.environ.get("TTSIM_LIB"):
        print("SKIP %s\n  skipped: TTSIM_LIB is not set (path to a Blackhole libttsim.so)" % test)
        return
    try:
        r = subprocess.run([os.path.join(BUILD, "examples", name)], capture_output=True,
                           text=True, env=env, timeout=240)
    except subprocess.TimeoutExpired:
        print("FAIL %s\n  failed: timed out" % test)
        return
    # Each example checks its own result and exits non-zero when it is wrong.
    ok = r.returncode == 0 and r.stdout.strip() != "" and "MISMATCH" not in r.stdout
    print(("PASS " if ok else "FAIL ") + test)
    if not ok:
        for line in (r.stdout + r.stderr).strip().splitlines()[-10:]:
            print("  failed: " + line)


for name in EXAMPLES:
    for slow in (False, True):
        if name == "queue" and slow:
            continue  # the command queue is fast dispatch's
        run(name, slow)
    # What ttsim refuses, the emulator must refuse too: each example once on ttsim.
    run(name, False, "ttsim")
