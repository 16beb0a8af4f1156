#!/usr/bin/env python3
"""Runs the Python binding tests (tests/e2e/python/test_*.py) with the standard library only.

Prints one line per test, "PASS name", "FAIL name" (then indented detail lines) or
"SKIP name" (then "  skipped: why"), the format tests/run.sh counts, and a closing
"N passed, N failed, N skipped". Exits 1 when anything failed. With arguments, runs only
the tests whose name contains one of them.

    TTM_LIB=build/libttm.so tests/e2e/python/run_tests.py [name ...]
"""

import os
import sys
import traceback
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


class LineResult(unittest.TestResult):
    """Collects each test's outcome (sub-tests included) and prints it as one line."""

    def __init__(self):
        super().__init__()
        self.counts = {"PASS": 0, "FAIL": 0, "SKIP": 0}
        self._details = []
        self._skip = None

    def startTest(self, test):
        super().startTest(test)
        self._details, self._skip = [], None

    def stopTest(self, test):
        super().stopTest(test)
        if self._details:
            self._emit("FAIL", test, self._details)
        elif self._skip is not None:
            self._emit("SKIP", test, [f"  skipped: {self._skip}"])
        else:
            self._emit("PASS", test, [])

    def _emit(self, status, test, details):
        self.counts[status] += 1
        print(f"{status} {test.id()}")
        for line in details:
            print(line)
        sys.stdout.flush()

    def _fail(self, test, err, subtest=None):
        """Record a failure: a summary line run.sh shows, then the traceback."""
        summary = traceback.format_exception_only(*err[:2])[-1].split("\n")[0]
        if subtest is not None:
            summary = f"{subtest._subDescription()} {summary}"
        lines = [f"  failed: {summary}"]
        lines += ["    " + line for line in self._exc_info_to_string(err, test).rstrip().split("\n")]
        if isinstance(test, unittest.TestCase):
            self._details += lines
        else:  # a class or module fixture failed: no startTest/stopTest around it
            self._emit("FAIL", test, lines)

    def addError(self, test, err):
        super().addError(test, err)
        self._fail(test, err)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._fail(test, err)

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            self._fail(test, err, subtest)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        if isinstance(test, unittest.TestCase):
            self._skip = reason
        else:
            self._emit("SKIP", test, [f"  skipped: {reason}"])

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._details.append("  failed: passed, but was expected to fail")


def selected(suite, names):
    """The tests of ``suite``, flattened, whose id contains one of ``names`` (all if none)."""
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            yield from selected(item, names)
        elif not names or any(n in item.id() for n in names):
            yield item


def main(argv):
    suite = unittest.TestLoader().discover(HERE, pattern="test_*.py", top_level_dir=HERE)
    tests = unittest.TestSuite(selected(suite, argv[1:]))
    result = LineResult()
    tests.run(result)
    c = result.counts
    print(f"{c['PASS']} passed, {c['FAIL']} failed, {c['SKIP']} skipped")
    return 1 if c["FAIL"] or not sum(c.values()) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
