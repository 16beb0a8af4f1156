"""Opening devices: backends, boards, harvesting, info, closing and lifetimes."""

import errno
import gc
import os
import unittest
import weakref

from support import TTMTestCase, ttm


class DeviceTest(TTMTestCase):
    def test_info_p100a(self):
        info = self.dev.info
        self.assertEqual(info.backend, "emu")
        self.assertEqual(info.board, "p100a")
        self.assertEqual(self.dev.grid, (info.grid_x, info.grid_y))
        self.assertEqual(info.num_workers, info.grid_x * info.grid_y)
        # Fast dispatch, the default, keeps one column of 10 for its firmware.
        self.assertEqual(info.dispatch, "fast")
        self.assertEqual(info.num_workers, 110)
        self.assertEqual(info.num_dram_banks, 7)
        self.assertGreater(info.dram_bank_size, 0)
        self.assertLess(info.l1_unreserved, info.l1_size)

    def test_p150a(self):
        with ttm.Device(backend="emu", board="P150A", dispatch="slow") as dev:
            self.assertEqual(dev.info.board, "p150a")
            self.assertEqual(dev.info.dispatch, "slow")
            self.assertEqual(dev.info.num_workers, 140)
            self.assertEqual(dev.info.num_dram_banks, 8)

    def test_mixing_dispatch_modes_is_refused(self):
        with ttm.Device(backend="emu", dispatch="slow") as dev:
            with self.raisesTTM(errno.EPERM, "Mixing fast and slow dispatch is prohibited!"):
                dev.finish()
            with dev.buffer(4096, 1024) as buf:
                with self.raisesTTM(errno.EPERM, "Mixing fast and slow dispatch"):
                    buf.enqueue_write(bytes(16))

    def test_harvesting_masks(self):
        with ttm.Device(backend="emu", board="p100a", tensix_cols_off=1 << 2 | 1 << 3,
                        dram_banks_off=1 << 0, dispatch="slow") as dev:
            self.assertEqual(dev.info.num_workers, 120)
            self.assertEqual(dev.info.num_dram_banks, 7)
        with self.raisesTTM(errno.EINVAL, "invalid harvesting"):
            ttm.Device(backend="emu", board="p100a", tensix_cols_off=1 << 2, dram_banks_off=1)

    def test_threads(self):
        with ttm.Device(backend="emu", dispatch="slow", threads=3) as dev:
            self.assertEqual(dev.info.num_workers, 120)
        with self.raisesTTM(errno.EINVAL, "at most 64"):
            ttm.Device(backend="emu", threads=65)

    def test_unknown_backend(self):
        with self.raisesTTM(errno.EINVAL, 'unknown backend "nope"'):
            ttm.Device(backend="nope")

    # Backends that cannot start say why (no library, no card, or not built yet), whatever
    # stage their implementation has reached.
    @unittest.skipIf(os.environ.get("TTSIM_LIB"), "TTSIM_LIB is set: ttsim may start")
    def test_ttsim_unavailable(self):
        with self.assertRaises(ttm.TTMError) as cm:
            ttm.Device(backend="ttsim")
        self.assertIn("backend ttsim", cm.exception.strerror)
        self.assertRegex(cm.exception.strerror, "TTSIM_LIB|not built yet")

    @unittest.skipIf(os.path.exists("/dev/tenstorrent/0"), "a card is present")
    def test_kmd_unavailable(self):
        with self.assertRaises(ttm.TTMError) as cm:
            ttm.Device(backend="kmd")
        self.assertIn("backend kmd", cm.exception.strerror)
        self.assertRegex(cm.exception.strerror, "/dev/tenstorrent|not built yet")

    def test_bad_arguments(self):
        with self.assertRaisesRegex(ValueError, "unknown board 'p200'"):
            ttm.Device(backend="emu", board="p200")
        with self.assertRaises(ValueError):
            ttm.Device(backend="emu", device_id=-1)

    def test_close_is_idempotent_and_final(self):
        dev = ttm.Device(backend="emu")
        with dev:
            self.assertFalse(dev.closed)
            self.assertIn("emu p100a", repr(dev))
        self.assertTrue(dev.closed)
        dev.close()
        self.assertIn("closed", repr(dev))
        with self.raisesTTM(errno.ENODEV, "closed"):
            dev.buffer(1024, 1024)
        with self.raisesTTM(errno.ENODEV, "closed"):
            dev.program()

    def test_children_after_close(self):
        dev = ttm.Device(backend="emu")
        buf = dev.buffer(1024, 1024)
        prog = dev.program()
        dev.close()
        with self.raisesTTM(errno.ENODEV, "the device was closed"):
            buf.write(b"x" * 16)
        with self.raisesTTM(errno.ENODEV, "the device was closed"):
            buf.read(16)
        with self.raisesTTM(errno.ENODEV, "the device was closed"):
            prog.cb((0, 0), 0, 1024, 1024)
        with self.raisesTTM(errno.ENODEV, "the device was closed"):
            prog.launch()
        buf.destroy()
        prog.destroy()

    def test_children_keep_the_device_open(self):
        dev = ttm.Device(backend="emu")
        alive = weakref.ref(dev)
        buf = dev.buffer(2048, 1024)
        del dev
        gc.collect()
        self.assertIsNotNone(alive())
        self.assertFalse(buf.device.closed)
        buf.write(b"abcd" * 16)
        self.assertEqual(buf.read(64), b"abcd" * 16)
        del buf
        gc.collect()
        self.assertIsNone(alive())


if __name__ == "__main__":
    unittest.main()
