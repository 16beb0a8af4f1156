#!/usr/bin/env python3
"""Finds call cycles between the source files of a directory, from their object files.

    tools/callgraph.py OBJDIR [--allow A:B ...]

File A calls file B when A's object uses a function or object B's defines (nm); calls
through function pointers are not seen. Every strongly connected group of more than one
file is a cycle; it is printed, and the exit status is 1, unless the whole group is one
--allow group (files joined by ":", for a cycle the design accepts, such as the
emulator's tensix.c:niu.c). Exit status 0: no cycle, or only allowed ones."""
import os
import subprocess
import sys


def symbols(obj):
    out = subprocess.run(["nm", obj], capture_output=True, text=True, check=True).stdout
    defined, used = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "TDBR":
            defined.add(parts[2])
        elif len(parts) == 2 and parts[0] == "U":
            used.add(parts[1])
    return defined, used


def main():
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        sys.exit(__doc__)
    root, allowed, rest = args[0], [], args[1:]
    while rest:
        if rest[0] != "--allow" or len(rest) < 2:
            sys.exit(__doc__)
        allowed.append(set(rest[1].split(":")))
        rest = rest[2:]
    objs = sorted(os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if f.endswith(".o"))
    defs, uses = {}, {}
    for o in objs:
        name = os.path.relpath(o, root)[:-2] + ".c"
        defs[name], uses[name] = symbols(o)
    owner = {s: f for f, ds in defs.items() for s in ds}
    graph = {f: sorted({owner[s] for s in uses[f] if s in owner and owner[s] != f}) for f in defs}

    # Tarjan's strongly connected components.
    index, low, stack, on, groups, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            g = []
            while True:
                w = stack.pop()
                on.discard(w)
                g.append(w)
                if w == v:
                    break
            if len(g) > 1:
                groups.append(sorted(g))

    sys.setrecursionlimit(10000)
    for v in graph:
        if v not in index:
            visit(v)
    bad = 0
    for g in groups:
        ok = any(set(g) <= a for a in allowed)
        print(("allowed cycle: " if ok else "cycle: ") + " <-> ".join(g))
        for f in g:
            print("    %s calls %s" % (f, ", ".join(w for w in graph[f] if w in g)))
        bad += not ok
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
