#!/usr/bin/env python3
"""The shape of the code, checked on the build: no call cycle among the files of src/,
only the explained one in emu/ (emu/emu.h), and libttm.so exporting exactly the functions
of include/ttm.h, as src/api/libttm.map lists them.

    TTM_BUILD=build tests/structure.py

Prints "PASS name" / "FAIL name" lines (tests/run.sh counts them)."""

import os
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
BUILD = os.environ.get("TTM_BUILD", os.path.join(ROOT, "build"))
CALLGRAPH = os.path.join(ROOT, "tools", "callgraph.py")


def run(name, ok, detail=""):
    print(("PASS " if ok else "FAIL ") + name)
    if not ok:
        for line in detail.strip().splitlines():
            print("  failed: " + line)
    return ok


def callgraph(objdir, *allow):
    args = [sys.executable, CALLGRAPH, os.path.join(BUILD, objdir)]
    for a in allow:
        args += ["--allow", a]
    p = subprocess.run(args, capture_output=True, text=True)
    return p.returncode == 0, p.stdout + p.stderr


def exports():
    header = open(os.path.join(ROOT, "include", "ttm.h")).read()
    declared = set(re.findall(r"\b(ttm_[a-z0-9_]+)\(", header))
    mapped = set(re.findall(r"^\s+(ttm_[a-z0-9_]+);", open(os.path.join(ROOT, "src", "api", "libttm.map")).read(), re.M))
    out = subprocess.run(["nm", "-D", "--defined-only", os.path.join(BUILD, "libttm.so")],
                         capture_output=True, text=True, check=True).stdout
    exported = {line.split()[2].split("@")[0] for line in out.splitlines()
                if len(line.split()) == 3 and line.split()[1] == "T"}
    detail = []
    for what, got in (("libttm.map", mapped), ("libttm.so", exported)):
        if got != declared:
            detail.append("%s differs from ttm.h: missing %s, extra %s"
                          % (what, sorted(declared - got), sorted(got - declared)))
    return not detail, "\n".join(detail)


def main():
    results = [
        run("no_call_cycle_among_the_files_of_src", *callgraph("src")),
        run("only_the_explained_cycle_in_emu", *callgraph("emu", "niu.c:tensix.c")),
        run("library_exports_exactly_the_header", *exports()),
    ]
    print("%d passed, %d failed" % (sum(results), len(results) - sum(results)))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
