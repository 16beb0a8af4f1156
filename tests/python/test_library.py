"""The library as a whole: loading, versions, errors and the mirrored structs."""

import ctypes
import errno
import os
import unittest

from support import TTMTestCase, ttm


class LibraryTest(TTMTestCase):
    def test_version(self):
        v = ttm.version()
        self.assertRegex(v, r"^\d+\.\d+\.\d+$")
        major, minor, patch = map(int, v.split("."))
        self.assertEqual(ttm._lib.lib.ttm_version_number(), major << 16 | minor << 8 | patch)

    def test_struct_sizes_match_the_header(self):
        for struct, size in ttm._lib._EXPECTED_SIZES.items():
            self.assertEqual(ctypes.sizeof(struct), size, struct.__name__)

    def test_error_carries_errno_and_message(self):
        with self.raisesTTM(errno.EINVAL, 'unknown backend "nope"') as cm:
            ttm.Device(backend="nope")
        e = cm.exception
        self.assertIsInstance(e, OSError)
        self.assertNotIsInstance(e, ttm.TTMTimeout)
        self.assertEqual(str(e), f"[EINVAL] {e.strerror}")
        self.assertIn("emu", e.strerror)  # the message lists the backends there are

    def test_timeout_error_class(self):
        e = ttm._lib.error(-errno.ETIMEDOUT, "cores (0,0) did not finish")
        self.assertIsInstance(e, ttm.TTMTimeout)
        self.assertIsInstance(e, ttm.TTMError)
        self.assertIsInstance(e, TimeoutError)
        self.assertEqual(e.errno, errno.ETIMEDOUT)
        self.assertEqual(str(e), "[ETIMEDOUT] cores (0,0) did not finish")

    def test_strerror(self):
        text = ttm._lib.lib.ttm_strerror(-errno.ENOENT).decode()
        self.assertEqual(text, os.strerror(errno.ENOENT))


if __name__ == "__main__":
    unittest.main()
