#!/usr/bin/env python3
"""matmul: C = A x B on the Tensix FPU, from Python.

A and B are bfloat16 matrices in row-major order. The host tilizes them (ttm.tilize), the
output tiles are spread over the cores, each core's reader fetches its A and B tiles from
DRAM, its compute kernel accumulates the K products of each output tile in Dst and packs
it, its writer stores it; the host untilizes C. The kernels are examples/matmul_kernels.h's.

matmul() takes numpy float32 (or float64) matrices when numpy is installed and returns
float32; matmul_bf16() takes and returns bfloat16 bit patterns (any buffer of uint16, an
array("H") without numpy).

    python3 python/examples/matmul.py [M K N [single]]    (default 512 512 512)
"""

import array
import os
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, ".."), HERE]
import ttm  # noqa: E402  (after the path set-up above)
import c_kernels  # noqa: E402

TILE = 2048  # 32x32 bfloat16
FIDELITY_ERROR = {"lofi": 2**-3, "hifi2": 2**-5, "hifi3": 2**-7, "hifi4": 2**-9}


def matmul_bf16(dev, a, b, m, k, n, cores=None, fidelity="hifi4", fp32_dest_acc=False):
    """C = A x B for bfloat16 bit patterns: A m x k, B k x n, row-major, multiples of 32;
    on the rectangle `cores` ((x0, y0), (x1, y1); default every worker). Returns C as
    bfloat16 bit patterns like a (numpy in, numpy out)."""
    if m % 32 or k % 32 or n % 32:
        raise ValueError("M, K and N must be multiples of 32")
    gx, gy = dev.grid
    rect = cores or ((0, 0), (gx - 1, gy - 1))
    src = c_kernels.load("matmul_kernels.h", "matmul", ("reader", "compute", "writer"))
    ta, tb = ttm.tilize(a, m, k), ttm.tilize(b, k, n)
    mt, kt, nt = m // 32, k // 32, n // 32
    out = bytearray(m * n * 2)
    with dev.buffer(m * k * 2, TILE) as ba, dev.buffer(k * n * 2, TILE) as bb, \
            dev.buffer(m * n * 2, TILE) as bc, dev.program() as prog:
        ba.write(ta)
        bb.write(tb)
        for cb in (0, 1, 16):
            prog.cb(rect, index=cb, total_size=2 * TILE, page_size=TILE, format="bfloat16")
        reader = prog.dataflow_kernel(src["reader"], cores=rect, processor="riscv1", noc=1)
        compute = prog.compute_kernel(src["compute"], cores=rect, math_fidelity=fidelity,
                                      fp32_dest_acc=fp32_dest_acc)
        writer = prog.dataflow_kernel(src["writer"], cores=rect, processor="riscv0", noc=0)
        prog.set_common_runtime_args(reader, [kt, nt, TILE])
        prog.set_common_runtime_args(compute, [kt])
        prog.set_common_runtime_args(writer, [TILE])
        for core, first, count in ttm.split_work(rect, mt * nt):
            prog.set_runtime_args(reader, core, [ba.address, bb.address, first, count])
            prog.set_runtime_args(compute, core, [count])
            prog.set_runtime_args(writer, core, [bc.address, first, count])
        prog.launch()
        bc.read_into(out)
    c = ttm.untilize(array.array("H", bytes(out)), m, n)
    if type(a).__module__ == "numpy":
        import numpy
        return numpy.frombuffer(c.tobytes(), dtype=numpy.uint16).reshape(m, n)
    return c


def matmul(dev, a, b, **kw):
    """C = A x B for numpy float matrices (rounded to bfloat16, nearest even); C as
    float32."""
    import numpy
    (m, k), (k2, n) = a.shape, b.shape
    if k != k2:
        raise ValueError(f"inner dimensions differ: {a.shape} x {b.shape}")
    c = matmul_bf16(dev, ttm.float32_to_bf16(a), ttm.float32_to_bf16(b), m, k, n, **kw)
    return ttm.bf16_to_float32(c)


def bf16_value(v):
    return struct.unpack("<f", struct.pack("<I", v << 16))[0]


def outside_bound(a, b, c, m, k, n, fidelity="hifi4", fp32_dest_acc=False):
    """How many elements of C (bfloat16 bits) are further from the exact product than the
    FPU's arithmetic allows (examples/matmul_kernels.h explains the bound)."""
    rel = FIDELITY_ERROR[fidelity] + (1 if fp32_dest_acc else 2 * k / 16 + 1) * 2**-8
    av = [bf16_value(v) for v in a]
    bv = [bf16_value(v) for v in b]
    bad = 0
    for i in range(m):
        for j in range(n):
            products = [av[i * k + x] * bv[x * n + j] for x in range(k)]
            err = abs(bf16_value(c[i * n + j]) - sum(products))
            bad += not err <= rel * sum(abs(p) for p in products) + 2**-120
    return bad


def main(argv):
    m, k, n = (int(v) for v in argv[1:4]) if len(argv) >= 4 else (512, 512, 512)
    single = len(argv) >= 5 and argv[4] == "single"
    with ttm.Device() as dev:
        a = array.array("H", ((0x3E80 + (i * 7919) % 512) ^ (i & 1) << 15 for i in range(m * k)))
        b = array.array("H", ((0x3E80 + (i * 104729) % 512) for i in range(k * n)))
        start = time.perf_counter()
        c = matmul_bf16(dev, a, b, m, k, n, cores=((0, 0), (0, 0)) if single else None)
        ms = (time.perf_counter() - start) * 1e3
        # The check is a pure-Python triple loop: left out for large sizes.
        bad = outside_bound(a, b, c, m, k, n) if m * n * k <= 2**21 else None
        verdict = "not checked (large)" if bad is None else \
            f"{bad} OUTSIDE THE BOUND" if bad else "within the bound"
        print(f"matmul: {m} x {k} by {k} x {n} on {'1 core' if single else 'every worker'} "
              f"({dev.info.backend}) in {ms:.1f} ms: {verdict}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
