"""Fast dispatch from Python: the command queue, events, non-blocking transfers, and the
same results in both dispatch modes."""

import array
import errno
import gc
import weakref

from support import TTMTestCase, load_example, ttm

COUNT = r"""
#include <ttm/kernel/dataflow.h>
void kernel_main(void) {
    volatile uint32_t *w = (volatile uint32_t *)get_arg_val(0);
    *w += 1;
}
"""


class QueueTest(TTMTestCase):
    def test_enqueue_events_and_finish(self):
        dev = self.dev
        self.assertEqual(dev.info.dispatch, "fast")
        with dev.buffer(16, 16, "l1") as buf, dev.program() as prog:
            buf.write(bytes(16))
            k = prog.dataflow_kernel(COUNT, cores=(0, 0))
            prog.set_runtime_args(k, (0, 0), [buf.address])
            events = []
            for _ in range(50):
                dev.enqueue_program(prog)
                events.append(dev.record_event())
            self.assertEqual(events, list(range(events[0], events[0] + 50)))
            dev.event_wait(events[-1])
            self.assertTrue(all(dev.event_query(e) for e in events))
            self.assertEqual(array.array("I", buf.read(4))[0], 50)

    def test_non_blocking_transfers(self):
        dev = self.dev
        data = bytes((i * 7) & 0xFF for i in range(40000))
        with dev.buffer(10 * 4096, 4096) as buf:
            buf.enqueue_write(data, offset=100)
            out = bytearray(len(data))
            buf.enqueue_read(out, offset=100)
            dev.finish()
            self.assertEqual(bytes(out), data)

    def test_non_blocking_read_keeps_its_destination_alive(self):
        # The library fills the destination later; dropping the caller's last reference
        # must not free it first. A bytearray subclass, because bytearray takes no weakref.
        class Dest(bytearray):
            pass

        dev = self.dev
        data = bytes(range(256)) * 16
        with dev.buffer(4096, 1024) as buf:
            buf.write(data)
            for settle in ("finish", "event_wait", "event_query", "blocking read"):
                out = Dest(len(data))
                buf.enqueue_read(out)
                ev = dev.record_event()
                gone = weakref.ref(out)
                del out
                gc.collect()
                self.assertIsNotNone(gone(), settle)
                if settle == "finish":
                    dev.finish()
                elif settle == "event_wait":
                    dev.event_wait(ev)
                elif settle == "event_query":
                    while not dev.event_query(ev):
                        pass
                else:
                    buf.read(16)
                gc.collect()
                self.assertIsNone(gone(), settle)
            # Reads behind a later event stay alive until it completes.
            out = Dest(len(data))
            ev = dev.record_event()
            buf.enqueue_read(out)
            gone = weakref.ref(out)
            del out
            dev.event_wait(ev)
            gc.collect()
            self.assertIsNotNone(gone())
            dev.finish()
            gc.collect()
            self.assertIsNone(gone())

    def test_a_read_queued_while_an_event_is_recorded_is_not_covered_by_it(self):
        # Another thread's read can be added to the device's list while record_event's C
        # call runs (ctypes drops the GIL); it may be queued after the event, so waiting
        # on the event must not let go of it.
        class Dest(bytearray):
            pass

        dev = self.dev
        late = Dest(16)
        gone = weakref.ref(late)
        real = ttm._c.ttm_enqueue_record_event

        def racing(*args):
            dev._keep_until_read(late)
            return real(*args)

        ttm._c.ttm_enqueue_record_event = racing
        try:
            ev = dev.record_event()
        finally:
            ttm._c.ttm_enqueue_record_event = real
        del late
        dev.event_wait(ev)
        gc.collect()
        self.assertIsNotNone(gone())
        dev.finish()
        gc.collect()
        self.assertIsNone(gone())

    def test_add1_gives_the_same_result_in_both_modes(self):
        add1 = load_example("add1")
        page = 1024
        data = array.array("I", (i * 2654435761 & 0xFFFFFFFF for i in range(12 * page // 4)))
        results = []
        for mode in ("slow", "fast"):
            with ttm.Device(backend="emu", dispatch=mode) as dev:
                results.append(add1.add1(dev, data, ((0, 0), (2, 1)), page_size=page))
        self.assertEqual(results[0], results[1])
        self.assertEqual(results[0], array.array("I", ((v + 1) & 0xFFFFFFFF for v in data)))

    def test_queue_calls_on_a_slow_device(self):
        with ttm.Device(backend="emu", dispatch="slow") as dev:
            with self.raisesTTM(errno.EPERM, "Mixing fast and slow dispatch is prohibited!"):
                dev.record_event()
