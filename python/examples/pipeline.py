#!/usr/bin/env python3
"""pipeline: two cores hand blocks of data along with semaphores, from Python.

Core (0,0) produces 32 blocks; for each it waits until core (1,0) has room (its "free"
semaphore), writes the block into (1,0)'s L1 over the NoC, and raises (1,0)'s "full"
semaphore. Core (1,0) waits for "full", sums the block, hands the slot back by raising
(0,0)'s "free", and at the end writes the sums to a DRAM buffer the host checks. The
kernels are examples/pipeline_kernels.h's, as in the C example.

    python3 python/examples/pipeline.py    (TTM_BACKEND picks the device)
"""

import array
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, ".."), HERE]
import ttm  # noqa: E402  (after the path set-up above)
import c_kernels  # noqa: E402

BLOCKS = 32  # PIPELINE_BLOCKS: the kernels' loops are written with these counts
WORDS = 256  # PIPELINE_WORDS


def expected_sums():
    """Block b holds b * 1000 + i for i < WORDS."""
    return [b * 1000 * WORDS + WORDS * (WORDS - 1) // 2 for b in range(BLOCKS)]


def pipeline(dev, producer=(0, 0), consumer=(1, 0)):
    """Run the pipeline between two logical cores of ``dev``; return the consumer's sums
    of the blocks, as a list."""
    src = c_kernels.load("pipeline_kernels.h", "pipeline", ("producer", "consumer"))
    with dev.buffer(BLOCKS * 4, BLOCKS * 4) as sums, dev.program() as prog:
        both = [producer, consumer]
        # Ids 0 and 1, as the kernels expect: "free" starts at one slot, "full" at none.
        free = prog.semaphore(both, initial_value=1)
        full = prog.semaphore(both, initial_value=0)
        assert (free, full) == (0, 1)
        pk = prog.dataflow_kernel(src["producer"], cores=producer, processor="riscv0")
        ck = prog.dataflow_kernel(src["consumer"], cores=consumer, processor="riscv0")
        scratch = dev.info.l1_unreserved  # the same L1 address on both cores
        cx, cy = dev.core_noc_xy(consumer)
        px, py = dev.core_noc_xy(producer)
        prog.set_runtime_args(pk, producer, [cx, cy, scratch])
        prog.set_runtime_args(ck, consumer, [px, py, scratch, sums.address])
        prog.launch()
        return array.array("I", sums.read()).tolist()


def main(argv):
    if len(argv) > 1:
        sys.exit("usage: pipeline.py")
    with ttm.Device() as dev:
        got = pipeline(dev)
        ok = got == expected_sums()
        print(f"pipeline: {BLOCKS} blocks of {WORDS * 4} bytes from core (0,0) to (1,0) "
              f"({dev.info.backend}, {dev.info.dispatch} dispatch): "
              f"{'all correct' if ok else 'MISMATCH'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
