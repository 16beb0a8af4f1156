"""Shared set-up of the Python binding tests.

Makes python/ importable, points the kernel build cache at a temporary directory unless
$TTM_CACHE_DIR names one (so tests never touch $HOME), and imports ttm. When libttm cannot be found, ``ttm`` is None
and every TTMTestCase is skipped with the reason.
"""

import atexit
import contextlib
import importlib.util
import os
import shutil
import sys
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "python"))

if not os.environ.get("TTM_CACHE_DIR"):
    os.environ["TTM_CACHE_DIR"] = tempfile.mkdtemp(prefix="ttm-test-cache-")
    atexit.register(shutil.rmtree, os.environ["TTM_CACHE_DIR"], ignore_errors=True)

try:
    import ttm
except ImportError as e:
    if e.name != "libttm":
        raise
    ttm = None
    MISSING = str(e)
else:
    MISSING = None


@unittest.skipIf(ttm is None, MISSING)
class TTMTestCase(unittest.TestCase):
    """A test that needs libttm. ``self.dev`` is an emulated P100A shared by the class,
    opened on first use."""

    _dev = None

    @property
    def dev(self):
        cls = type(self)
        if cls._dev is None:
            cls._dev = ttm.Device(backend="emu", board="p100a")
        return cls._dev

    @classmethod
    def tearDownClass(cls):
        if cls._dev is not None:
            cls._dev.close()
            cls._dev = None

    @contextlib.contextmanager
    def raisesTTM(self, err, *fragments):
        """Expect the block to raise TTMError with errno ``err`` and a message holding
        every fragment."""
        with self.assertRaises(ttm.TTMError) as cm:
            yield cm
        self.assertEqual(cm.exception.errno, err, cm.exception)
        for fragment in fragments:
            self.assertIn(fragment, cm.exception.strerror)


def load_example(name):
    """The module python/examples/<name>.py."""
    path = os.path.join(ROOT, "python", "examples", name + ".py")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
