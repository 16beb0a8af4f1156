#!/usr/bin/env python3
"""eltwise_binary: c = a + b and d = a * b on bfloat16 matrices, from Python.

The host tilizes the row-major inputs into the tiles the Tensix unpacker takes
(ttm.tilize), the kernels of examples/eltwise_kernels.h add or multiply them tile by tile
on the FPU of every worker they are spread over, and the host untilizes the result and
checks it against float arithmetic. bfloat16 values travel as their uint16 bit patterns
(array("H") here; numpy arrays work too).

    python3 python/examples/eltwise_binary.py [rows cols]    (default 64 256: multiples of
                                                              32; TTM_BACKEND picks the device)
"""

import array
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, ".."), HERE]
import ttm  # noqa: E402  (after the path set-up above)
import c_kernels  # noqa: E402

TILE = 2048  # 32x32 bfloat16
OPS = {"add": "add_tiles", "sub": "sub_tiles", "mul": "mul_tiles"}


def to_float(bits):
    """A bfloat16 bit pattern's value (exact: bfloat16 is float32's upper half)."""
    return struct.unpack("<f", struct.pack("<I", bits << 16))[0]


def eltwise(dev, op, a, b, rows, cols):
    """``op`` ("add", "sub" or "mul") of the rows x cols bfloat16 matrices ``a`` and ``b``
    (row-major bit patterns) on ``dev``; the result as row-major bit patterns."""
    if op not in OPS:
        raise ValueError(f"op is one of {', '.join(OPS)}, not {op!r}")
    if rows % 32 or cols % 32 or not rows or not cols:
        raise ValueError(f"{rows} x {cols} is not a whole number of 32x32 tiles")
    src = c_kernels.load("eltwise_kernels.h", "binary", ("reader", "compute"))
    writer = c_kernels.load("add1_sfpu_kernels.h", "add1_sfpu", ("writer",))["writer"]
    tiles = rows * cols // 1024
    gx, _ = dev.grid
    used = min(tiles, dev.info.num_workers)
    rect = ((0, 0), (gx - 1, (used - 1) // gx))  # whole rows of cores; the last may idle
    nbytes = tiles * TILE
    with dev.buffer(nbytes, TILE) as ba, dev.buffer(nbytes, TILE) as bb, \
            dev.buffer(nbytes, TILE) as bo, dev.program() as prog:
        ba.write(ttm.tilize(a, rows, cols, 2))
        bb.write(ttm.tilize(b, rows, cols, 2))
        for cb in (0, 1, 16):
            prog.cb(rect, index=cb, total_size=2 * TILE, page_size=TILE, format="bfloat16")
        rk = prog.dataflow_kernel(src["reader"], cores=rect, processor="riscv1", noc=1)
        ck = prog.compute_kernel(src["compute"], cores=rect, math_fidelity="hifi4",
                                 defines={"OP": OPS[op], "OP_INIT": OPS[op] + "_init"})
        wk = prog.dataflow_kernel(writer, cores=rect, processor="riscv0", noc=0)
        prog.set_common_runtime_args(rk, [TILE])
        prog.set_common_runtime_args(wk, [TILE])
        for core, first, n in ttm.split_work(rect, tiles):
            prog.set_runtime_args(rk, core, [ba.address, bb.address, first, n])
            prog.set_runtime_args(ck, core, [n])
            prog.set_runtime_args(wk, core, [bo.address, first, n])
        prog.launch()
        return ttm.untilize(array.array("H", bo.read()), rows, cols, 2)


def outside_bfloat16(a, b, out, op):
    """How many results differ from float arithmetic by more than bfloat16's precision
    (one unit in the last place of the result's 8-bit significand)."""
    fn = {"add": lambda x, y: x + y, "sub": lambda x, y: x - y, "mul": lambda x, y: x * y}[op]
    bad = 0
    for x, y, o in zip(a, b, out):
        want = fn(to_float(x), to_float(y))
        bad += abs(to_float(o) - want) > abs(want) / 128 + 1e-30
    return bad


def main(argv):
    if len(argv) not in (1, 3):
        sys.exit("usage: eltwise_binary.py [rows cols]")
    rows, cols = (int(argv[1]), int(argv[2])) if len(argv) == 3 else (64, 256)
    n = rows * cols
    # Values bfloat16 holds exactly: i % 97 / 8 and i % 31 - 15.
    a = array.array("H", (struct.unpack("<I", struct.pack("<f", i % 97 / 8))[0] >> 16
                          for i in range(n)))
    b = array.array("H", (struct.unpack("<I", struct.pack("<f", i % 31 - 15))[0] >> 16
                          for i in range(n)))
    bad = 0
    with ttm.Device() as dev:
        for op in ("add", "mul"):
            out = eltwise(dev, op, a, b, rows, cols)
            wrong = outside_bfloat16(a, b, out, op)
            print(f"eltwise_binary: {OPS[op]} over {rows}x{cols} bfloat16 "
                  f"({dev.info.backend}): "
                  f"{f'{wrong} MISMATCHED' if wrong else 'all within bfloat16 precision'}")
            bad += wrong
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
