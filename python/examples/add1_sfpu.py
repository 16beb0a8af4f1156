#!/usr/bin/env python3
"""add1_sfpu: the seeds' central example, from Python.

On every worker core a reader kernel moves bfloat16 tiles from DRAM into circular buffer
0, the compute kernel (the three TRISCs) unpacks each tile into the Tensix coprocessor's
Dst registers, adds 1.0 to every element on the SFPU and packs it into circular buffer
16, and a writer kernel moves it back to DRAM. The kernels are examples/add1_sfpu_kernels.h's.

add1_sfpu() takes and returns bfloat16 bit patterns: a numpy uint16 array when numpy is
installed (or any buffer of uint16), else an array("H").

    python3 python/examples/add1_sfpu.py [tiles_per_core]    (default 1)
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
CB_TILES = 2
ONE = 0x3F800000  # the scalar, as fp32 bits


def add1_sfpu(dev, data, cores):
    """Add 1.0 to every bfloat16 in ``data`` (bit patterns, a whole number of 1024-element
    tiles) on the rectangle ``cores`` = ((x0, y0), (x1, y1)); return the results like
    ``data`` (numpy in, numpy out)."""
    raw = memoryview(data).cast("B")
    nbytes = len(raw)
    tiles = nbytes // TILE
    src_k = c_kernels.load("add1_sfpu_kernels.h", "add1_sfpu", ("reader", "compute", "writer"))
    out = bytearray(nbytes)
    with dev.buffer(nbytes, TILE) as src, dev.buffer(nbytes, TILE) as dst, \
            dev.program() as prog:
        src.write(raw)
        for cb in (0, 16):
            prog.cb(cores, index=cb, total_size=CB_TILES * TILE, page_size=TILE,
                    format="bfloat16")
        reader = prog.dataflow_kernel(src_k["reader"], cores=cores, processor="riscv1", noc=1)
        compute = prog.compute_kernel(src_k["compute"], cores=cores, math_fidelity="hifi4")
        writer = prog.dataflow_kernel(src_k["writer"], cores=cores, processor="riscv0", noc=0)
        prog.set_common_runtime_args(reader, [TILE])
        prog.set_common_runtime_args(writer, [TILE])
        for core, first, n in ttm.split_work(cores, tiles):
            prog.set_runtime_args(reader, core, [src.address, first, n])
            prog.set_runtime_args(compute, core, [n])
            prog.set_runtime_args(writer, core, [dst.address, first, n])
        prog.launch()
        dst.read_into(out)
    if type(data).__module__ == "numpy":
        import numpy
        return numpy.frombuffer(bytes(out), dtype=numpy.uint16).reshape(data.shape)
    return array.array("H", bytes(out))


def reference(x):
    """What the hardware makes of bfloat16 x + 1.0 (compute-facts 5): denormals in are
    zero, the sum rounds to nearest even in fp32, NaN becomes +infinity, the result is
    truncated to bfloat16, and anything with a zero exponent comes out +0."""
    if not x & 0x7F80:
        x = 0
    if (x & 0x7FFF) > 0x7F80:
        return 0x7F80
    r = struct.unpack("<I", struct.pack("<f", struct.unpack("<f", struct.pack("<I", x << 16))[0]
                                        + 1.0))[0] >> 16
    return 0 if (r & 0x7FFF) < 0x80 else r


def main(argv):
    per_core = int(argv[1]) if len(argv) > 1 else 1
    if not 1 <= per_core <= 64:
        sys.exit("usage: add1_sfpu.py [tiles_per_core (1..64)]")
    with ttm.Device() as dev:
        gx, gy = dev.grid
        n = gx * gy * per_core * TILE // 2
        data = array.array("H", (i & 0xFFFF for i in range(n)))
        start = time.perf_counter()
        out = add1_sfpu(dev, data, ((0, 0), (gx - 1, gy - 1)))
        ms = (time.perf_counter() - start) * 1e3
        bad = sum(o != reference(x) for x, o in zip(data, out))
        print(f"add1_sfpu: {n} bfloat16 on {gx * gy} cores ({dev.info.backend}, "
              f"{dev.info.board}) in {ms:.1f} ms end to end: "
              f"{f'{bad} MISMATCHED' if bad else 'all correct'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
