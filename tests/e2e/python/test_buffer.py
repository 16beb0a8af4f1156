"""Interleaved buffers: creation checks and host <-> device copies of every buffer kind."""

import array
import errno
import os
import unittest

from support import TTMTestCase, ttm

try:
    import numpy
except ImportError:
    numpy = None


class BufferTest(TTMTestCase):
    def test_accessor_args(self):
        with self.dev.buffer(4096, 1024) as dram, self.dev.buffer(4096, 1024, "l1") as l1:
            self.assertEqual(dram.accessor_args, [2])  # TT-Metal's ArgConfig::IsDram
            self.assertEqual(l1.accessor_args, [0])
        with self.assertRaises(ttm.TTMError):
            dram.accessor_args

    def test_attributes(self):
        with self.dev.buffer(8 * 1024, 1024) as buf:
            self.assertEqual((buf.size, buf.page_size, buf.type), (8192, 1024, "dram"))
            self.assertEqual(buf.address % 64, 0)
            self.assertIs(buf.device, self.dev)
            self.assertIn("dram 8192 B", repr(buf))
        with self.dev.buffer(4 * 1024, 512, type="L1") as buf:
            self.assertEqual(buf.type, "l1")
            self.assertGreaterEqual(buf.address, self.dev.info.l1_unreserved)

    def test_round_trips(self):
        payload = os.urandom(7 * 1024 + 64)
        for kind, page in (("dram", 64), ("dram", 1024), ("l1", 16), ("l1", 1024)):
            size = -(-len(payload) // page) * page
            with self.subTest(kind=kind, page=page), self.dev.buffer(size, page, kind) as buf:
                for data in (payload, bytearray(payload), memoryview(payload),
                             memoryview(bytearray(payload))):
                    buf.write(b"\0" * size)
                    buf.write(data)
                    self.assertEqual(buf.read(len(payload)), payload)

    def test_offsets_cross_pages_and_banks(self):
        with self.dev.buffer(64 * 256, 256) as buf:
            whole = os.urandom(buf.size)
            buf.write(whole)
            chunk = os.urandom(1000)
            buf.write(chunk, offset=300)  # starts mid-page, spans five pages
            expect = whole[:300] + chunk + whole[1300:]
            self.assertEqual(buf.read(), expect)
            self.assertEqual(buf.read(100, offset=1250), expect[1250:1350])
            self.assertEqual(buf.read(offset=buf.size - 10), expect[-10:])
            self.assertEqual(buf.read(0), b"")

    def test_buffer_protocol_objects(self):
        with self.dev.buffer(4096, 1024) as buf:
            words = array.array("I", range(1024))
            buf.write(words)
            back = array.array("I", bytes(4096))
            self.assertEqual(buf.read_into(back), 4096)
            self.assertEqual(back, words)
            # A 2-D view is taken whole, a strided one in C order.
            grid = memoryview(bytearray(range(256)) * 4).cast("B", (32, 32))
            buf.write(grid)
            self.assertEqual(buf.read(1024), grid.tobytes())
            buf.write(memoryview(bytes(range(256)))[::2], offset=64)
            self.assertEqual(buf.read(128, offset=64), bytes(range(0, 256, 2)))

    def test_read_into_checks_its_target(self):
        with self.dev.buffer(1024, 1024) as buf:
            with self.assertRaises(TypeError):
                buf.read_into(b"\0" * 16)
            with self.assertRaises(ValueError):
                buf.read_into(memoryview(bytearray(32))[::2])
            part = bytearray(16)
            buf.write(b"0123456789abcdef", offset=1008)
            buf.read_into(memoryview(part), offset=1008)
            self.assertEqual(part, b"0123456789abcdef")

    def test_out_of_range(self):
        with self.dev.buffer(2048, 1024) as buf:
            with self.raisesTTM(errno.EINVAL, "outside the 2048-byte buffer"):
                buf.write(b"x" * 16, offset=2040)
            with self.raisesTTM(errno.EINVAL, "outside"):
                buf.read(2049)
            with self.raisesTTM(errno.EINVAL, "outside"):
                buf.read(offset=4096)
            with self.raisesTTM(errno.EINVAL, "outside"):
                buf.read_into(bytearray(8), offset=2044)
            with self.assertRaises(ValueError):
                buf.read(16, offset=-1)

    def test_bad_geometry(self):
        with self.raisesTTM(errno.EINVAL, "page size 100", "multiple of 64", "DRAM"):
            self.dev.buffer(1000, 100)
        with self.raisesTTM(errno.EINVAL, "page size 8", "multiple of 16", "L1"):
            self.dev.buffer(64, 8, "l1")
        with self.raisesTTM(errno.EINVAL, "buffer size 1000", "multiple of the page size 64"):
            self.dev.buffer(1000, 64)
        with self.raisesTTM(errno.EINVAL, "page size 0"):
            self.dev.buffer(1024, 0)
        with self.raisesTTM(errno.ENOMEM):
            self.dev.buffer(1 << 40, 1 << 20)
        with self.assertRaisesRegex(ValueError, "unknown buffer type 'sram'"):
            self.dev.buffer(1024, 1024, "sram")
        with self.assertRaises(ValueError):
            self.dev.buffer(1024, 1 << 32)

    def test_destroy_is_idempotent_and_final(self):
        buf = self.dev.buffer(1024, 1024)
        buf.destroy()
        buf.destroy()
        self.assertIn("destroyed", repr(buf))
        with self.raisesTTM(errno.EBADF, "the buffer was destroyed"):
            buf.write(b"x")
        with self.raisesTTM(errno.EBADF, "the buffer was destroyed"):
            buf.read()

    def test_freed_memory_is_reused(self):
        first = self.dev.buffer(1 << 20, 1 << 10)
        address = first.address
        first.destroy()
        with self.dev.buffer(1 << 20, 1 << 10) as again:
            self.assertEqual(again.address, address)

    @unittest.skipIf(numpy is None, "numpy is not installed")
    def test_numpy(self):
        with self.dev.buffer(4096, 1024) as buf:
            a = numpy.arange(1024, dtype=numpy.uint32).reshape(32, 32)
            buf.write(a)
            buf.write(a.T, offset=0)  # not C-contiguous: copied in C order
            back = numpy.empty((32, 32), dtype=numpy.uint32)
            buf.read_into(back)
            self.assertTrue((back == a.T).all())
            self.assertEqual(buf.read(16), a.T.tobytes()[:16])
            frozen = numpy.frombuffer(bytes(range(64)), dtype=numpy.uint8)  # read-only
            buf.write(frozen, offset=64)
            self.assertEqual(buf.read(64, offset=64), bytes(range(64)))


class TypedReadTest(TTMTestCase):
    """Buffer.read(dtype=, shape=) and the bfloat16 helpers (numpy)."""

    def setUp(self):
        try:
            import numpy  # noqa: F401
        except ImportError:
            self.skipTest("numpy is not installed")

    def test_typed_reads_and_bfloat16(self):
        import numpy as np
        values = np.array([1.0, -2.5, 3.140625, 65504.0, 1e-3, np.inf, -0.0, 7.0],
                          dtype=np.float32)
        bits = ttm.float32_to_bf16(values)
        self.assertEqual(bits.dtype, np.uint16)
        with self.dev.buffer(64, 64) as buf:
            buf.write(np.concatenate([bits, np.zeros(24, np.uint16)]))
            got = buf.read(dtype="bfloat16", shape=(2, 4))
            self.assertEqual(got.shape, (2, 4))
            self.assertTrue(np.array_equal(got.reshape(-1), bits))
            back = ttm.bf16_to_float32(got.reshape(-1))
            # Exact where bfloat16 holds the value; within its precision elsewhere.
            self.assertTrue(np.allclose(back[np.isfinite(values)], values[np.isfinite(values)],
                                        rtol=1 / 128))
            self.assertTrue(np.isinf(back[5]))
            words = buf.read(dtype=np.uint32)
            self.assertEqual(words.shape, (16,))
            self.assertEqual(buf.read(8, dtype=np.uint32).tolist(), words[:2].tolist())
            with self.assertRaises(ValueError):  # a size that disagrees with the shape
                buf.read(16, dtype=np.uint32, shape=(2, 4))
            with self.assertRaises(ValueError):  # part of an item
                buf.read(6, dtype=np.uint32)
            with self.assertRaises(ValueError):
                buf.read(offset=2, dtype=np.uint32)
        # Rounding to nearest even: 1 + 2^-8 is halfway, rounds down to 1.0.
        self.assertEqual(int(ttm.float32_to_bf16(np.float32(1 + 2 ** -8))), 0x3F80)
        self.assertEqual(int(ttm.float32_to_bf16(np.float32(1 + 3 * 2 ** -8))), 0x3F82)


if __name__ == "__main__":
    unittest.main()
