#!/usr/bin/env python3
"""multicast_counter: one multicast to a rectangle, then NoC atomics into one counter,
from Python.

Core (0,0) multicasts a block to every core of a 4 x 3 rectangle, then each core of it
counts itself into one counter on (0,0) with a NoC atomic increment. The host checks every
core's copy and the count. The kernels are examples/multicast_counter_kernels.h's, as in
the C example.

    python3 python/examples/multicast_counter.py    (TTM_BACKEND picks the device)
"""

import array
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, ".."), HERE]
import ttm  # noqa: E402  (after the path set-up above)
import c_kernels  # noqa: E402

WORDS = 64  # MULTICAST_WORDS: the block the sender's kernel writes
PAGE = 512  # an L1 buffer of one page a core, laid over each core's copy


def block():
    """What the sender multicasts."""
    return [0xC0DE0000 + i for i in range(WORDS)]


def multicast_counter(dev, cols=4, rows=3):
    """Multicast from (0,0) to the rectangle ((0,0), (cols-1, rows-1)) of ``dev`` and count
    its cores with NoC atomics; return (every core's copy of the block, the count)."""
    src = c_kernels.load("multicast_counter_kernels.h", "multicast", ("sender", "receiver"))
    gx, gy = dev.grid
    if not (1 < cols <= gx and 0 < rows <= gy):
        raise ValueError(f"a {cols} x {rows} rectangle does not fit the {gx} x {gy} grid")
    rect = ((0, 0), (cols - 1, rows - 1))
    others = [((1, 0), (cols - 1, 0))] + ([((0, 1), (cols - 1, rows - 1))] if rows > 1 else [])
    with dev.program() as prog:
        flag = prog.semaphore([rect], initial_value=0)      # id 0: "the block is here"
        counter = prog.semaphore([rect], initial_value=0)   # id 1: the count, on (0,0)
        assert (flag, counter) == (0, 1)
        sender = prog.dataflow_kernel(src["sender"], cores=(0, 0), processor="riscv0")
        receiver = prog.dataflow_kernel(src["receiver"], cores=others, processor="riscv0")
        # One multicast between the NoC corners reaches exactly the rectangle's cores only
        # while its logical columns and rows are adjacent on the NoC (the Tensix columns
        # break around the chip's middle, device-facts 1.1).
        xs = [dev.core_noc_xy((x, 0))[0] for x in range(cols)]
        ys = [dev.core_noc_xy((0, y))[1] for y in range(rows)]
        if xs != list(range(xs[0], xs[0] + cols)) or ys != list(range(ys[0], ys[0] + rows)):
            raise ValueError(f"the {cols} x {rows} rectangle from (0,0) is not one rectangle "
                             f"on the NoC (columns at x {xs}, rows at y {ys})")
        x0, y0 = dev.core_noc_xy((0, 0))
        x1, y1 = dev.core_noc_xy((cols - 1, rows - 1))
        at = dev.info.l1_unreserved
        prog.set_runtime_args(sender, (0, 0), [x0, y0, x1, y1, cols * rows - 1, at])
        prog.set_common_runtime_args(receiver, [x0, y0])
        prog.launch()
    # Page i of an L1 buffer sits on core i (logical row-major order), at l1_unreserved.
    with dev.buffer(dev.info.num_workers * PAGE, PAGE, "l1") as l1:
        if l1.address != at:
            raise RuntimeError(f"the L1 buffer starts at {l1.address:#x}, not {at:#x}")
        words = array.array("I", l1.read())
    per = PAGE // 4
    copies = {(x, y): words[(y * gx + x) * per:(y * gx + x) * per + WORDS].tolist()
              for y in range(rows) for x in range(cols)}
    return copies, words[WORDS]


def main(argv):
    if len(argv) > 1:
        sys.exit("usage: multicast_counter.py")
    with ttm.Device() as dev:
        copies, count = multicast_counter(dev)
        bad = sum(c != block() for c in copies.values())
        print(f"multicast_counter: a block multicast to {len(copies)} cores "
              f"({dev.info.backend}), {f'{bad} copies WRONG' if bad else 'every copy correct'}; "
              f"{count} cores counted: {'correct' if count == len(copies) else 'WRONG'}")
    return 0 if not bad and count == len(copies) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
