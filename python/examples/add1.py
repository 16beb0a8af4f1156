#!/usr/bin/env python3
"""add1: the seeds' first program with integer data, from Python.

On every worker core a reader kernel (NCRISC, NoC 1) moves pages from a DRAM buffer into
circular buffer 0, and a writer kernel (BRISC, NoC 0) takes them out, adds 1 to every
32-bit word and writes them to a second DRAM buffer. Each core handles its own slice of
the pages, given by its runtime args. The host checks every word. The kernels are
examples/add1_kernels.h's, as in the C example.

    python3 python/examples/add1.py [pages_per_core]    (default 4; TTM_BACKEND picks
                                                        the device, the emulated P100A
                                                        when no card is present)
"""

import array
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, ".."), HERE]
import ttm  # noqa: E402  (after the path set-up above)
import c_kernels  # noqa: E402

PAGE = 4096  # 1024 words: one 32x32 tile of uint32
CB_PAGES = 2  # double buffering between reader and writer


def add1(dev, data, cores, page_size=PAGE):
    """Run add1 over ``data`` (an array("I") of uint32 words, a whole number of pages) on
    the rectangle of worker cores ``cores`` = ((x0, y0), (x1, y1)) of ``dev``; return the
    result as an array("I")."""
    nbytes = len(data) * 4
    pages = nbytes // page_size
    src_k = c_kernels.load("add1_kernels.h", "add1", ("reader", "writer"))
    out = array.array("I", bytes(nbytes))
    with dev.buffer(nbytes, page_size) as src, dev.buffer(nbytes, page_size) as dst, \
            dev.program() as prog:
        src.write(data)
        prog.cb(cores, index=0, total_size=CB_PAGES * page_size, page_size=page_size,
                format="uint32")
        reader = prog.dataflow_kernel(src_k["reader"], cores=cores, processor="riscv1", noc=1)
        writer = prog.dataflow_kernel(src_k["writer"], cores=cores, processor="riscv0", noc=0)
        prog.set_common_runtime_args(reader, [page_size])
        prog.set_common_runtime_args(writer, [page_size])
        for core, first, n in ttm.split_work(cores, pages):
            prog.set_runtime_args(reader, core, [src.address, first, n])
            prog.set_runtime_args(writer, core, [dst.address, first, n])
        prog.launch()
        dst.read_into(out)
    return out


def main(argv):
    per_core = int(argv[1]) if len(argv) > 1 else 4
    if not 1 <= per_core <= 64:
        sys.exit("usage: add1.py [pages_per_core (1..64)]")
    with ttm.Device(board="p100a") as dev:
        gx, gy = dev.grid
        words = gx * gy * per_core * PAGE // 4
        data = array.array("I", (i * 2654435761 & 0xFFFFFFFF for i in range(words)))
        start = time.perf_counter()
        out = add1(dev, data, ((0, 0), (gx - 1, gy - 1)))
        ms = (time.perf_counter() - start) * 1e3
        bad = sum(o != (i + 1) & 0xFFFFFFFF for i, o in zip(data, out))
        print(f"add1: {words} words on {gx * gy} cores ({dev.info.backend}, {dev.info.board}) "
              f"in {ms:.1f} ms end to end: {f'{bad} MISMATCHED' if bad else 'all correct'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
