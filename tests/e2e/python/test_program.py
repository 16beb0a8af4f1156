"""Programs end to end: add1 on a sub-grid, kernels from files with compile args and
defines, compile errors, bad core sets, runtime-arg checks, timeouts and lifetimes."""

import array
import errno
import os
import tempfile
import unittest

from support import TTMTestCase, load_example, ttm

# Stores what the kernel knows into the L1 buffer at arg 0 (page 0 of an L1 buffer lives
# in worker (0, 0)'s L1, so only that core runs it).
PROBE = r"""
#include <ttm/kernel/dataflow.h>
void kernel_main(void) {
    volatile uint32_t *out = (volatile uint32_t *)get_arg_val(0);
    out[0] = TTM_CT_ARG(0) + OFFSET;
    out[1] = TTM_CT_ARGS_N;
    out[2] = get_common_arg_val(0);
    out[3] = my_logical_x() << 8 | my_logical_y();
}
"""

SPIN = "#include <ttm/kernel/dataflow.h>\nvoid kernel_main(void) { for (;;) {} }\n"


# Stores semaphore 1's value, its address and the core's NoC coordinates at arg 0.
WHERE = r"""
#include <ttm/kernel/dataflow.h>
void kernel_main(void) {
    volatile uint32_t *out = (volatile uint32_t *)get_arg_val(0);
    out[0] = *(volatile uint32_t *)get_semaphore(1);
    out[1] = my_x();
    out[2] = my_y();
}
"""


class ProgramTest(TTMTestCase):
    def test_semaphores_and_noc_coordinates(self):
        dev = self.dev
        self.assertEqual(dev.info.align, 64)
        with dev.buffer(16, 16, "l1") as out, dev.program() as prog:
            self.assertEqual(prog.semaphore((0, 0), 3), 0)
            self.assertEqual(prog.semaphore([(0, 0), (1, 0)], 41), 1)
            k = prog.dataflow_kernel(WHERE, cores=(0, 0))
            prog.set_runtime_args(k, (0, 0), [out.address])
            prog.launch()
            got = array.array("I", out.read(12))
            self.assertEqual(got[0], 41)
            self.assertEqual((got[1], got[2]), dev.core_noc_xy((0, 0)))
            self.assertEqual(dev.core_noc_xy((0, 0), noc=1), dev.core_noc_xy((0, 0)))
            with self.raisesTTM(errno.EINVAL, "outside"):
                dev.core_noc_xy((99, 0))
            with self.raisesTTM(errno.EINVAL, "outside"):
                prog.semaphore((99, 0))

    def test_add1_on_a_sub_grid(self):
        add1 = load_example("add1")
        page = 1024
        data = array.array("I", (i * 2654435761 & 0xFFFFFFFF for i in range(10 * page // 4)))
        out = add1.add1(self.dev, data, ((1, 1), (2, 2)), page_size=page)  # 10 pages on 4 cores
        self.assertEqual(out, array.array("I", ((v + 1) & 0xFFFFFFFF for v in data)))

    def _probe(self, prog, buf, kernel, common):
        prog.set_runtime_args(kernel, (0, 0), [buf.address])
        prog.set_common_runtime_args(kernel, [common])
        prog.launch(timeout_ms=5000)
        return array.array("I", buf.read(16)).tolist()

    def test_kernel_from_file_with_compile_args_and_defines(self):
        with tempfile.TemporaryDirectory() as root, self.dev.buffer(1024, 1024, "l1") as buf, \
                self.dev.program() as prog:
            with open(os.path.join(root, "probe.c"), "w") as f:
                f.write(PROBE)
            ttm.set_root_dir(root)
            try:
                k = prog.dataflow_kernel(path="probe.c", cores=[(0, 0)], processor="ncrisc",
                                         noc=1, compile_args=[40], defines={"OFFSET": 2})
            finally:
                ttm.set_root_dir("")
            self.assertEqual(self._probe(prog, buf, k, 7), [42, 1, 7, 0])

    def test_kernel_from_string(self):
        with self.dev.buffer(1024, 1024, "l1") as buf, self.dev.program() as prog:
            k = prog.dataflow_kernel(PROBE, cores=(0, 0), processor=0, compile_args=(5, 6),
                                     defines="OFFSET=10")
            self.assertIs(k.program, prog)
            self.assertEqual(self._probe(prog, buf, k, 0xFFFFFFFF), [15, 2, 0xFFFFFFFF, 0])

    def test_compile_error_shows_the_compiler_message(self):
        with self.dev.program() as prog:
            with self.raisesTTM(errno.EINVAL, "error", "undefined_thing") as cm:
                prog.dataflow_kernel("void kernel_main(void) { undefined_thing = 1; }",
                                     cores=(0, 0))
            self.assertIn("<string>", cm.exception.strerror)

    def test_missing_kernel_file(self):
        with self.dev.program() as prog:
            with self.raisesTTM(errno.ENOENT, "no/such/kernel.c"):
                prog.dataflow_kernel(path="no/such/kernel.c", cores=(0, 0))

    def test_add1_sfpu_over_every_bfloat16(self):
        ex = load_example("add1_sfpu")
        data = array.array("H", range(65536))  # 64 tiles on 4 cores
        out = ex.add1_sfpu(self.dev, data, ((1, 1), (2, 2)))
        self.assertEqual(out, array.array("H", (ex.reference(x) for x in data)))

    def test_add1_sfpu_takes_and_returns_numpy_arrays(self):
        try:
            import numpy
        except ImportError:
            self.skipTest("numpy is not installed")
        ex = load_example("add1_sfpu")
        data = numpy.arange(4 * 1024, dtype=numpy.uint16).reshape(4, 32, 32) * 16
        out = ex.add1_sfpu(self.dev, data, ((0, 0), (1, 0)))
        self.assertIsInstance(out, numpy.ndarray)
        self.assertEqual((out.dtype, out.shape), (numpy.uint16, data.shape))
        self.assertEqual(out.ravel().tolist(), [ex.reference(int(x)) for x in data.ravel()])

    def test_matmul_within_the_fpu_bound(self):
        ex = load_example("matmul")
        m, k, n = 64, 96, 32
        a = array.array("H", ((0x3E80 + i * 37 % 512) ^ (i & 1) << 15 for i in range(m * k)))
        b = array.array("H", ((0x3E80 + i * 91 % 512) for i in range(k * n)))
        for fidelity, fp32 in (("hifi4", False), ("lofi", True)):
            c = ex.matmul_bf16(self.dev, a, b, m, k, n, cores=((0, 0), (1, 1)),
                               fidelity=fidelity, fp32_dest_acc=fp32)
            self.assertEqual(ex.outside_bound(a, b, c, m, k, n, fidelity, fp32), 0)

    def test_matmul_takes_and_returns_numpy_arrays(self):
        try:
            import numpy
        except ImportError:
            self.skipTest("numpy is not installed")
        ex = load_example("matmul")
        rng = numpy.random.default_rng(3)
        a = rng.standard_normal((32, 64)).astype(numpy.float32)
        b = rng.standard_normal((64, 32)).astype(numpy.float32)
        c = ex.matmul(self.dev, a, b, cores=((0, 0), (0, 0)))
        self.assertEqual((c.dtype, c.shape), (numpy.float32, (32, 32)))
        # C holds bfloat16 values, so float32_to_bf16 gives its bits back exactly.
        bits = [ttm.float32_to_bf16(x).ravel().tolist() for x in (a, b, c)]
        self.assertEqual(ex.outside_bound(*bits, 32, 64, 32), 0)

    def test_compute_kernel_in_cpp(self):
        # kernel_main gets C linkage from the header, as in a dataflow kernel.
        src = ("#include <ttm/kernel/compute.h>\n"
               "void kernel_main() { init_sfpu(0, 16); MATH(mul_unary_tile(0, 0x40000000u)); }\n")
        with tempfile.TemporaryDirectory() as root, self.dev.program() as prog:
            path = os.path.join(root, "twice.cpp")
            with open(path, "w") as f:
                f.write(src)
            prog.compute_kernel(path=path, cores=(0, 0), math_fidelity="lofi",
                                fp32_dest_acc=True)

    def test_compute_kernel_options_are_checked(self):
        with self.dev.program() as prog:
            for bad in (1, "medium"):
                with self.assertRaises(ValueError):
                    prog.compute_kernel("void kernel_main(void) {}", cores=(0, 0),
                                        math_fidelity=bad)
            with self.raisesTTM(errno.EINVAL, "is for compute kernels"):
                prog.dataflow_kernel("#include <ttm/kernel/compute.h>\n"
                                     "void kernel_main(void) {}", cores=(0, 0))

    def test_bad_core_sets(self):
        gx, gy = self.dev.grid
        with self.dev.program() as prog:
            with self.raisesTTM(errno.EINVAL, f"({gx},0)", f"{gx}x{gy} worker grid"):
                prog.cb((gx, 0), 0, 2048, 1024)
            with self.raisesTTM(errno.EINVAL, "inverted"):
                prog.cb(((2, 2), (1, 1)), 0, 2048, 1024)
            with self.raisesTTM(errno.EINVAL, "no core range"):
                prog.cb([], 0, 2048, 1024)
            with self.raisesTTM(errno.EINVAL, "outside"):
                prog.dataflow_kernel(SPIN, cores=[(0, 0), ((0, 0), (0, gy))])
            for bad in (5, "ab", [(0, 0, 0)], [((0, 0), 1)]):
                with self.subTest(cores=bad), self.assertRaises(TypeError):
                    prog.cb(bad, 0, 2048, 1024)
            with self.assertRaises(ValueError):
                prog.cb((-1, 0), 0, 2048, 1024)

    def test_core_set_forms(self):
        with self.dev.program() as prog:
            prog.cb((0, 0), 0, 1024, 1024)
            prog.cb(((1, 0), (2, 1)), 0, 1024, 1024, format="uint32")
            prog.cb([(3, 0), ((4, 0), (4, 1)), (5, 5)], 0, 1024, 1024, format=2)
            with self.raisesTTM(errno.EEXIST, "CB 0 already exists"):
                prog.cb([(6, 6), (2, 1)], 0, 1024, 1024)

    def test_cb_checks(self):
        with self.dev.program() as prog:
            with self.raisesTTM(errno.EINVAL, "CB 1", "multiple of 16"):
                prog.cb((0, 0), 1, 1000, 100)
            with self.raisesTTM(errno.EINVAL, "CB index 32"):
                prog.cb((0, 0), 32, 1024, 1024)
            with self.assertRaises(ValueError):
                prog.cb((0, 0), 0, 1024, 1024, format="float64")

    def test_kernel_argument_checks(self):
        with self.dev.program() as prog:
            with self.assertRaises(TypeError):
                prog.dataflow_kernel(cores=(0, 0))
            with self.assertRaises(TypeError):
                prog.dataflow_kernel(SPIN, path="x.c", cores=(0, 0))
            with self.assertRaises(ValueError):
                prog.dataflow_kernel(SPIN, cores=(0, 0), processor="trisc0")
            with self.assertRaises(ValueError):
                prog.dataflow_kernel(SPIN, cores=(0, 0), defines={"A": "1 2"})
            with self.raisesTTM(errno.EINVAL, "NoC 2"):
                prog.dataflow_kernel(SPIN, cores=(0, 0), noc=2)

    def test_runtime_arg_checks(self):
        with self.dev.program() as prog, self.dev.program() as other:
            k = prog.dataflow_kernel(SPIN, cores=((0, 0), (1, 0)), processor="riscv1")
            prog.set_runtime_args(k, (1, 0), range(256))
            with self.raisesTTM(errno.EINVAL, "does not run on core (0,1)"):
                prog.set_runtime_args(k, (0, 1), [1])
            with self.raisesTTM(errno.EINVAL, "257 runtime args"):
                prog.set_runtime_args(k, (0, 0), range(257))
            with self.raisesTTM(errno.EINVAL, "another program"):
                other.set_runtime_args(k, (0, 0), [1])
            with self.raisesTTM(errno.EEXIST, "RISCV_1"):
                prog.dataflow_kernel(SPIN, cores=(1, 0), processor="riscv1")
            with self.assertRaises(ValueError):
                prog.set_runtime_args(k, (0, 0), [1 << 32])
            with self.assertRaises(TypeError):
                prog.set_runtime_args("kernel", (0, 0), [1])
            # Bytes iterate as small ints: refused rather than taken as one word per byte.
            for wrong in (b"\x01\x00\x00\x00", bytearray(4), memoryview(b"abcd"), "1"):
                with self.assertRaises(TypeError):
                    prog.set_runtime_args(k, (1, 0), wrong)
                with self.assertRaises(TypeError):
                    prog.set_common_runtime_args(k, wrong)

    def test_timeout(self):
        with self.dev.program() as prog:
            prog.dataflow_kernel(SPIN, cores=(3, 2))
            with self.assertRaises(ttm.TTMTimeout) as cm:
                prog.launch(timeout_ms=200)
            self.assertEqual(cm.exception.errno, errno.ETIMEDOUT)
            self.assertIn("(3,2)", cm.exception.strerror)
        # The device stays usable.
        with self.dev.buffer(1024, 1024, "l1") as buf, self.dev.program() as prog:
            k = prog.dataflow_kernel(PROBE, cores=(0, 0), compile_args=[1], defines="OFFSET=1")
            self.assertEqual(self._probe(prog, buf, k, 3), [2, 1, 3, 0])

    def test_destroy_is_idempotent_and_final(self):
        prog = self.dev.program()
        k = prog.dataflow_kernel(SPIN, cores=(0, 0))
        prog.destroy()
        prog.destroy()
        with self.raisesTTM(errno.EBADF, "the program was destroyed"):
            prog.set_runtime_args(k, (0, 0), [1])
        with self.raisesTTM(errno.EBADF, "the program was destroyed"):
            prog.launch()


if __name__ == "__main__":
    unittest.main()
