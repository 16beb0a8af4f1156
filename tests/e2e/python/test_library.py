"""The library as a whole: loading, versions, errors and the mirrored structs."""

import ctypes
import errno
import os
import shutil
import subprocess
import tempfile
import unittest

from support import ROOT, TTMTestCase, ttm


class LibraryTest(TTMTestCase):
    def test_version(self):
        v = ttm.version()
        self.assertRegex(v, r"^\d+\.\d+\.\d+$")
        major, minor, patch = map(int, v.split("."))
        self.assertEqual(ttm._lib.lib.ttm_version_number(), major << 16 | minor << 8 | patch)

    def test_struct_sizes_match_the_header(self):
        for struct, size in ttm._lib._EXPECTED_SIZES.items():
            self.assertEqual(ctypes.sizeof(struct), size, struct.__name__)

    def test_structs_match_the_c_layout_field_by_field(self):
        """Every field of every mirrored struct, by name, at the offset and of the size the
        C compiler gives it from include/ttm.h."""
        cc = os.environ.get("CC", "cc")
        if not shutil.which(cc):
            self.skipTest(f"no C compiler ({cc}) to ask for the layout")
        structs = {
            "ttm_device_opts": ttm._lib.DeviceOpts,
            "ttm_device_info": ttm._lib.DeviceInfo,
            "ttm_core_range": ttm._lib.CoreRange,
            "ttm_kernel_opts": ttm._lib.KernelOpts,
        }
        lines = ["#include <stdio.h>", "#include <stddef.h>", '#include "ttm.h"', "int main(void) {"]
        expected = []
        for cname, py in structs.items():
            lines.append(f'printf("%zu\\n", sizeof(struct {cname}));')
            expected.append((f"sizeof {cname}", ctypes.sizeof(py)))
            for field, *_ in py._fields_:
                lines.append(f'printf("%zu %zu\\n", offsetof(struct {cname}, {field}), '
                             f"sizeof(((struct {cname} *)0)->{field}));")
                desc = getattr(py, field)
                expected.append((f"{cname}.{field}", (desc.offset, desc.size)))
        lines.append("return 0; }")
        with tempfile.TemporaryDirectory() as tmp:
            exe = os.path.join(tmp, "layout")
            subprocess.run([cc, "-I", os.path.join(ROOT, "include"), "-x", "c", "-", "-o", exe],
                           input="\n".join(lines), text=True, check=True)
            out = subprocess.run([exe], capture_output=True, text=True, check=True).stdout.split("\n")
        for (what, want), line in zip(expected, out):
            got = tuple(map(int, line.split()))
            self.assertEqual(got if len(got) > 1 else got[0], want, what)

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

    def test_tilize_and_untilize(self):
        import array
        m = array.array("H", range(64 * 96))
        t = ttm.tilize(m, 64, 96)
        # Tile 0's face 0 row 1 starts with matrix row 1; face 1 with column 16; tile 1
        # starts at column 32.
        self.assertEqual((t[16], t[256], t[1024]), (96, 16, 32))
        self.assertEqual(ttm.untilize(t, 64, 96), m)
        f = array.array("I", range(32 * 32))
        self.assertEqual(ttm.untilize(ttm.tilize(f, 32, 32), 32, 32), f)
        with self.raisesTTM(errno.EINVAL, "32 x 32"):
            ttm.tilize(array.array("H", range(64 * 100)), 64, 100)
        with self.assertRaises(ValueError):  # fewer bytes than the shape says
            ttm.tilize(array.array("H", range(1024)), 64, 32)
        with self.assertRaises(ValueError):  # bytes need an element size
            ttm.tilize(bytes(2048), 32, 32)
        # Bytes with an element size: tile element 16 is matrix element 32, bytes 64-65.
        self.assertEqual(ttm.tilize(bytes(range(256)) * 8, 32, 32, elem_size=2)[16], 0x4140)

    def test_split_work(self):
        # 10 pieces over a 2 x 2 rectangle, row by row: the first two cores take one more.
        self.assertEqual(ttm.split_work(((0, 0), (1, 1)), 10),
                         [((0, 0), 0, 3), ((1, 0), 3, 3), ((0, 1), 6, 2), ((1, 1), 8, 2)])
        # A list of cores and rectangles keeps its order; cores past the work get none.
        self.assertEqual(ttm.split_work([(5, 5), ((0, 0), (1, 0))], 2),
                         [((5, 5), 0, 1), ((0, 0), 1, 1), ((1, 0), 2, 0)])
        self.assertEqual(ttm.split_work((3, 4), 7), [((3, 4), 0, 7)])
        with self.assertRaises(ValueError):
            ttm.split_work([], 4)
        with self.assertRaises(ValueError):  # (1, 0) twice: its second share would win
            ttm.split_work([((0, 0), (1, 0)), (1, 0)], 4)
        with self.assertRaises(ValueError):
            ttm.split_work((0, 0), -1)
        with self.assertRaises(TypeError):
            ttm.split_work("cores", 4)


if __name__ == "__main__":
    unittest.main()
