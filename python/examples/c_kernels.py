"""Kernel sources from the C examples' headers (examples/*_kernels.h), so the Python
examples run the same kernels as the C ones: each is a C string literal named
<prefix>_<name>_src."""

import ast
import os
import re

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def load(header, prefix, names):
    """{name: source} for the kernels `names` of examples/<header>."""
    with open(os.path.join(ROOT, "examples", header)) as f:
        text = f.read()
    out = {}
    for name in names:
        body = re.search(r"%s_%s_src\[\] =\n(.*?);\n" % (prefix, name), text, re.S).group(1)
        out[name] = "".join(ast.literal_eval(s) for s in re.findall(r'"(?:[^"\\]|\\.)*"', body))
    return out
