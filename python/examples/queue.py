#!/usr/bin/env python3
"""queue: the command queue of fast dispatch, from Python.

Writes, launches and reads are queued without waiting; events say when each part is done,
while the host goes on preparing the next. A kernel adds its launch number to every word of
a DRAM buffer; the host queues the launches between a non-blocking write and a
non-blocking read, records an event after each launch, and checks the result once the
read's event has passed. The kernel is examples/queue_kernels.h's, as in the C example.

    python3 python/examples/queue.py [launches]    (default 10; TTM_BACKEND picks the
                                                    device, always in fast dispatch)
"""

import array
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, ".."), HERE]
import ttm  # noqa: E402  (after the path set-up above)
import c_kernels  # noqa: E402

WORDS = 1024  # QUEUE_WORDS: the 4 KiB buffer the kernel is written for


def queued_launches(dev, data, launches, report=print):
    """Queue a write of ``data`` (WORDS uint32), ``launches`` launches (launch n adds n to
    every word) and a read, on ``dev`` (fast dispatch); return what was read."""
    src = c_kernels.load("queue_kernels.h", "queue", ("bump",))["bump"]
    out = array.array("I", bytes(4 * WORDS))
    with dev.buffer(4 * WORDS, 4 * WORDS) as buf:
        # One program a launch number, all prepared before anything runs.
        progs = []
        for n in range(1, launches + 1):
            prog = dev.program()
            k = prog.dataflow_kernel(src, cores=(0, 0), processor="riscv0")
            prog.set_common_runtime_args(k, [buf.address, n])
            prog.set_runtime_args(k, (0, 0), [dev.info.l1_unreserved])
            progs.append(prog)
        try:
            # Queued: nothing here waits for the device. The write copies `data` into the
            # queue; `out` is filled once an event recorded after the read has passed.
            buf.enqueue_write(data)
            written = dev.record_event()
            launched = []
            for prog in progs:
                dev.enqueue_program(prog)
                launched.append(dev.record_event())
            buf.enqueue_read(out)
            read = dev.record_event()
            report(f"queue: {launches} launches queued; write event "
                   f"{'passed' if dev.event_query(written) else 'pending'}")
            half = launches // 2
            dev.event_wait(launched[half])
            report(f"queue: launch {half + 1} done, the last "
                   f"{'too' if dev.event_query(launched[-1]) else 'still queued'}")
            dev.event_wait(read)
            dev.finish()
        finally:
            for prog in progs:
                prog.destroy()
    return out


def main(argv):
    launches = int(argv[1]) if len(argv) > 1 else 10
    if not 1 <= launches <= 1000:
        sys.exit("usage: queue.py [launches (1..1000)]")
    with ttm.Device(dispatch="fast") as dev:
        data = array.array("I", range(WORDS))
        out = queued_launches(dev, data, launches)
        add = launches * (launches + 1) // 2
        bad = sum(o != (i + add) & 0xFFFFFFFF for i, o in zip(data, out))
        print(f"queue: {WORDS} words after {launches} launches ({dev.info.backend}): "
              f"{f'{bad} MISMATCHED' if bad else 'all correct'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
