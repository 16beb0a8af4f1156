"""Tracing from Python: the JSON follows the trace-event format Perfetto and Chrome load,
the SVG is well-formed, and TTM_TRACE traces any program."""

import errno
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

from support import ROOT, TTMTestCase, ttm

COUNT = r"""
#include <ttm/kernel/dataflow.h>
void kernel_main(void) {
    volatile uint32_t *w = (volatile uint32_t *)get_arg_val(0);
    *w += 1;
}
"""

PHASES = {"M", "X", "i", "s", "f"}


def check_trace_json(test, path):
    """The trace-event format's rules that viewers rely on; returns the thread names."""
    with open(path) as f:
        doc = json.load(f)
    test.assertIsInstance(doc, dict)
    events = doc["traceEvents"]
    test.assertIsInstance(events, list)
    names, used, flows = {}, set(), {}
    for e in events:
        test.assertIn(e["ph"], PHASES, e)
        test.assertIsInstance(e["pid"], int)
        test.assertIsInstance(e["tid"], int)
        test.assertIsInstance(e["name"], str)
        if e["ph"] == "M":
            if e["name"] == "thread_name":
                names[(e["pid"], e["tid"])] = e["args"]["name"]
            continue
        test.assertIsInstance(e["ts"], (int, float))
        used.add((e["pid"], e["tid"]))
        if e["ph"] == "X":
            test.assertGreaterEqual(e["dur"], 0, e)
        if e["ph"] in "sf":
            flows.setdefault(e["id"], []).append(e)
    test.assertTrue(used)
    for key in used:
        test.assertIn(key, names, "a track without a name")
    for pair in flows.values():
        test.assertEqual(sorted(e["ph"] for e in pair), ["f", "s"])
        s, f = sorted(pair, key=lambda e: e["ph"] != "s")
        test.assertLessEqual(s["ts"], f["ts"])
    return names, events


def check_svg(test, path):
    """Well-formed SVG; returns how many bars it draws."""
    root = ET.parse(path).getroot()
    test.assertEqual(root.tag, "{http://www.w3.org/2000/svg}svg")
    return len(root.findall(".//{http://www.w3.org/2000/svg}rect/{http://www.w3.org/2000/svg}title"))


class TraceTest(TTMTestCase):
    def test_json_and_svg_of_a_program(self):
        dev = self.dev
        with tempfile.TemporaryDirectory() as tmp, dev.buffer(16, 16, "l1") as buf, \
                dev.program() as prog:
            k = prog.dataflow_kernel(COUNT, cores=[(0, 0), (1, 0)])
            prog.set_runtime_args(k, (0, 0), [buf.address])
            prog.set_runtime_args(k, (1, 0), [buf.address])
            prog.launch()
            dev.trace_begin()
            with self.raisesTTM(errno.EBUSY, "already tracing"):
                dev.trace_begin()
            for _ in range(3):
                prog.launch()
            json_path, svg_path = os.path.join(tmp, "t.json"), os.path.join(tmp, "t.svg")
            dev.trace_end(json_path, svg_path)
            names, events = check_trace_json(self, json_path)
            self.assertGreaterEqual(check_svg(self, svg_path), 2 * 3 * 2)  # launches, kernels
            brisc = [t for t, n in names.items() if n == "(1,0) BRISC"]
            self.assertEqual(len(brisc), 1)
            launches = [e for e in events if e["ph"] == "X" and e["name"] == "launch"
                        and (e["pid"], e["tid"]) == brisc[0]]
            self.assertEqual(len(launches), 3)
            calls = [e["name"] for e in events if e["ph"] == "X" and e["pid"] == 1]
            self.assertEqual(calls.count("ttm_program_launch"), 3)
            with self.raisesTTM(errno.EINVAL, "not tracing"):
                dev.trace_end()

    def test_ttm_trace_traces_any_program(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "run.json")
            env = dict(os.environ, TTM_TRACE=path,
                       PYTHONPATH=os.path.join(ROOT, "python"))
            code = ("import ttm\n"
                    "with ttm.Device(backend='emu') as a, ttm.Device(backend='emu') as b:\n"
                    "    pass\n")
            subprocess.run([sys.executable, "-c", code], env=env, check=True)
            for name in ("run.json", "run.svg", "run-2.json", "run-2.svg"):
                self.assertTrue(os.path.exists(os.path.join(tmp, name)), name)
            check_trace_json(self, path)
            check_svg(self, os.path.join(tmp, "run-2.svg"))
