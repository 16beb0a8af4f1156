"""The Python examples that follow the C ones (python/examples/), with the same kernels:
each result checked, in both dispatch modes where the example allows."""

import array
import struct

from support import TTMTestCase, load_example, ttm


def bf16(value):
    """The bfloat16 pattern of a value bfloat16 holds exactly."""
    bits = struct.unpack("<I", struct.pack("<f", value))[0]
    assert not bits & 0xFFFF, value
    return bits >> 16


class ExamplesTest(TTMTestCase):
    def devices(self):
        """The shared device (fast dispatch), then a slow-dispatch one."""
        yield self.dev
        with ttm.Device(backend="emu", board="p100a", dispatch="slow") as slow:
            yield slow

    def test_pipeline_hands_every_block_over(self):
        ex = load_example("pipeline")
        for dev in self.devices():
            with self.subTest(dispatch=dev.info.dispatch):
                self.assertEqual(ex.pipeline(dev), ex.expected_sums())
        # Cores that are not neighbours, the other way round.
        self.assertEqual(ex.pipeline(self.dev, producer=(5, 3), consumer=(0, 1)),
                         ex.expected_sums())

    def test_multicast_reaches_every_core_of_the_rectangle_and_counts_them(self):
        ex = load_example("multicast_counter")
        for dev in self.devices():
            for cols, rows in ((4, 3), (5, 1), (2, 6)):
                with self.subTest(dispatch=dev.info.dispatch, rect=(cols, rows)):
                    copies, count = ex.multicast_counter(dev, cols, rows)
                    self.assertEqual(len(copies), cols * rows)
                    self.assertTrue(all(c == ex.block() for c in copies.values()))
                    self.assertEqual(count, cols * rows)
        with self.assertRaises(ValueError):
            ex.multicast_counter(self.dev, 1, 1)
        with self.assertRaises(ValueError):  # across the non-Tensix columns mid-chip
            ex.multicast_counter(self.dev, 8, 1)

    def test_queued_launches_all_land_before_the_read(self):
        ex = load_example("queue")
        data = array.array("I", (i * 2654435761 & 0xFFFFFFFF for i in range(ex.WORDS)))
        lines = []
        out = ex.queued_launches(self.dev, data, 12, report=lines.append)
        self.assertEqual(out.tolist(), [(x + 78) & 0xFFFFFFFF for x in data])
        self.assertEqual(len(lines), 2)
        self.assertIn("12 launches queued", lines[0])

    def test_eltwise_binary_add_is_exact_and_mul_within_bfloat16(self):
        ex = load_example("eltwise_binary")
        rows, cols = 64, 96  # 6 tiles
        a = array.array("H", (bf16(i % 97 / 8) for i in range(rows * cols)))
        b = array.array("H", (bf16(i % 31 - 15) for i in range(rows * cols)))
        out = ex.eltwise(self.dev, "add", a, b, rows, cols)
        # Every sum needs at most 8 significant bits, so bfloat16 holds it exactly.
        self.assertEqual(out.tolist(),
                         [bf16(ex.to_float(x) + ex.to_float(y)) for x, y in zip(a, b)])
        for op in ("sub", "mul"):
            with self.subTest(op=op):
                out = ex.eltwise(self.dev, op, a, b, rows, cols)
                self.assertEqual(ex.outside_bfloat16(a, b, out, op), 0)
                self.assertNotEqual(out.tolist(), a.tolist())
        with self.assertRaises(ValueError):
            ex.eltwise(self.dev, "div", a, b, rows, cols)
        with self.assertRaises(ValueError):
            ex.eltwise(self.dev, "add", a, b, 48, 64)
