"""Python bindings for libttm, the host runtime for Tenstorrent Blackhole (ctypes only).

A thin, idiomatic layer over the C ABI of include/ttm.h::

    import ttm

    with ttm.Device() as dev:                       # the emulator when no card is present
        buf = dev.buffer(4096, page_size=1024)      # interleaved over the DRAM banks
        buf.write(bytes(range(256)) * 16)
        with dev.program() as prog:
            prog.cb((0, 0), index=0, total_size=2048, page_size=1024)
            k = prog.dataflow_kernel(source, cores=(0, 0), processor="riscv1", noc=1)
            prog.set_runtime_args(k, (0, 0), [buf.address, 4])
            prog.launch()
        data = buf.read()

Every failure of the library raises TTMError (an OSError: ``errno`` and the library's
message as ``strerror``); timeouts raise its subclass TTMTimeout. Arguments that are
malformed before they reach the library (wrong types, negative or too large integers,
unknown names) raise TypeError or ValueError.

Cores are named by logical (x, y). A core set is a core ``(x, y)``, a tuple of two cores
``((x0, y0), (x1, y1))`` naming the inclusive rectangle between them, or a list of cores
and rectangles (so ``[(0, 0), (1, 1)]`` is two cores, ``((0, 0), (1, 1))`` four).

Buffers and programs keep their device alive; kernels keep their program alive. Closing or
destroying an object explicitly is idempotent, and using it afterwards raises TTMError.
"""

from __future__ import annotations

import array
import ctypes
import errno
import operator
import os
import threading
import weakref
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from dataclasses import dataclass

from . import _lib
from ._lib import TTMError, TTMTimeout

__all__ = [
    "BOARDS",
    "BUFFER_TYPES",
    "Buffer",
    "Device",
    "DISPATCH_MODES",
    "DeviceInfo",
    "FORMATS",
    "Kernel",
    "MATH_FIDELITIES",
    "PROCESSORS",
    "Program",
    "TTMError",
    "TTMTimeout",
    "bf16_to_float32",
    "float32_to_bf16",
    "set_root_dir",
    "split_work",
    "tilize",
    "untilize",
    "version",
]

_c = _lib.lib

BOARDS = {"p100a": 0, "p150a": 1}
BUFFER_TYPES = {"dram": 0, "l1": 1}
DISPATCH_MODES = {"fast": 1, "slow": 2}
FORMATS = {"raw": 0, "float32": 1, "bfloat16": 2, "uint32": 3, "uint16": 4, "uint8": 5}
PROCESSORS = {"riscv0": 0, "riscv1": 1, "brisc": 0, "ncrisc": 1}
MATH_FIDELITIES = {"lofi": 0, "hifi2": 2, "hifi3": 3, "hifi4": 4}


def version() -> str:
    """The library's version, "major.minor.patch"."""
    return _c.ttm_version().decode()


def set_root_dir(path: str | os.PathLike) -> None:
    """Resolve relative kernel source paths against directory ``path``; "" restores the
    default, the current directory."""
    _c.ttm_set_root_dir(os.fsencode(path))


# ---- Argument conversion ----


def _retile(data, rows, cols, elem_size, tilize):
    """ttm_tilize / ttm_untilize of a rows x cols matrix of 2- or 4-byte elements: the
    result has data's type (numpy in, numpy out, of the same shape; else an array of the
    element size)."""
    view = memoryview(data)
    size = elem_size or view.itemsize
    if size not in (2, 4):
        raise ValueError(f"elements of {size} bytes: give elem_size=2 or 4 for a byte buffer")
    rows, cols = _uint(rows, 32, "rows"), _uint(cols, 32, "cols")
    if view.nbytes != rows * cols * size:
        raise ValueError(f"{view.nbytes} bytes are not a {rows} x {cols} matrix of "
                         f"{size}-byte elements")
    src, nbytes = _source_bytes(data)
    out = bytearray(nbytes)
    fn = _c.ttm_tilize if tilize else _c.ttm_untilize
    fn(src, _address_of(memoryview(out)), rows, cols, size)
    if type(data).__module__ == "numpy":
        import numpy
        return numpy.frombuffer(bytes(out), dtype=data.dtype).reshape(data.shape)
    return array.array({2: "H", 4: "I"}[size], bytes(out))


def _numpy(what):
    """numpy, or an ImportError saying what needs it."""
    try:
        import numpy
    except ImportError:
        raise ImportError(f"{what} needs numpy, which is not installed") from None
    return numpy


def bf16_to_float32(bits: Any) -> Any:
    """bfloat16 bit patterns (a numpy uint16 array, as Buffer.read(dtype="bfloat16")
    gives them) as float32 values: exact, as bfloat16 is float32's upper half."""
    np = _numpy("bf16_to_float32")
    return (np.asarray(bits, dtype=np.uint16).astype(np.uint32) << 16).view(np.float32)


def float32_to_bf16(values: Any) -> Any:
    """float32 values (any numpy array of floats) as bfloat16 bit patterns, numpy uint16,
    rounded to nearest even; NaN stays NaN."""
    np = _numpy("float32_to_bf16")
    u = np.asarray(values, dtype=np.float32).view(np.uint32)
    s16, one = np.uint32(16), np.uint32(1)
    # No overflow: the largest non-NaN pattern, 0xFF800000, has room for the carry.
    rounded = (u + np.uint32(0x7FFF) + ((u >> s16) & one)) >> s16
    nan = (u & np.uint32(0x7FFFFFFF)) > np.uint32(0x7F800000)
    return np.where(nan, (u >> s16) | np.uint32(0x40), rounded).astype(np.uint16)


def tilize(data: Any, rows: int, cols: int, elem_size: int | None = None) -> Any:
    """A row-major rows x cols matrix (bfloat16 as uint16, or float32 / uint32 elements:
    any buffer of 2- or 4-byte items, or of bytes with elem_size) as 32x32 tiles in the
    layout kernels see, tiles in row-major order."""
    return _retile(data, rows, cols, elem_size, True)


def untilize(data: Any, rows: int, cols: int, elem_size: int | None = None) -> Any:
    """The inverse of tilize."""
    return _retile(data, rows, cols, elem_size, False)


def split_work(cores: Any, units: int) -> list[tuple[tuple[int, int], int, int]]:
    """Spread ``units`` pieces of work (pages, tiles, ...) over the cores of ``cores`` (a
    core set: see the module docstring; each rectangle taken row by row) as evenly as
    whole pieces allow: a list of (core, first, count), one per core in that order, the
    first ``units % len(cores)`` of them with one piece more. Cores left without work
    have count 0 (kernels placed on them still run, with nothing to do)."""
    units = _uint(units, 64, "units")
    ranges, n = _core_ranges(cores)
    order = [(x, y) for r in ranges[:n] for y in range(r.y0, r.y1 + 1)
             for x in range(r.x0, r.x1 + 1)]
    if not order:
        raise ValueError("split_work needs at least one core")
    if len(set(order)) != len(order):
        # A core's runtime args are one set: a second share would replace the first.
        twice = sorted({c for c in order if order.count(c) > 1})
        raise ValueError(f"split_work: cores {twice} appear more than once in the core set")
    out, first = [], 0
    for i, core in enumerate(order):
        count = units // len(order) + (i < units % len(order))
        out.append((core, first, count))
        first += count
    return out


def _uint(value, bits, what):
    """``value`` as an int that fits an unsigned C integer of ``bits`` bits."""
    value = operator.index(value)
    if not 0 <= value < 1 << bits:
        raise ValueError(f"{what} {value} does not fit in an unsigned {bits}-bit integer")
    return value


def _choice(value, names, what):
    """An enum value given by (case-insensitive) name or by number."""
    if isinstance(value, str):
        try:
            return names[value.lower()]
        except KeyError:
            raise ValueError(f"unknown {what} {value!r} (use one of {', '.join(names)})") from None
    value = operator.index(value)
    if value not in names.values():
        raise ValueError(f"unknown {what} {value}")
    return value


def _u32_array(values, what):
    """(ctypes uint32 array or None, count) from an iterable of ints. Bytes-like objects
    and strings are refused: their items are bytes or characters, not 32-bit words."""
    if isinstance(values, (bytes, bytearray, memoryview, str)):
        raise TypeError(f"a {what} list is a sequence of ints, not {type(values).__name__} "
                        f"(pack 32-bit words yourself, e.g. with struct.unpack)")
    words = [_uint(v, 32, what) for v in values]
    return ((ctypes.c_uint32 * len(words))(*words) if words else None), len(words)


def _is_core(item):
    return (
        isinstance(item, Sequence)
        and not isinstance(item, (str, bytes))
        and len(item) == 2
        and all(hasattr(v, "__index__") for v in item)
    )


def _is_rect(item):
    return isinstance(item, Sequence) and len(item) == 2 and all(_is_core(c) for c in item)


def _core(item):
    """A logical core (x, y) as two validated ints."""
    if not _is_core(item):
        raise TypeError(f"a core is (x, y), not {item!r}")
    return tuple(_uint(v, 32, "core coordinate") for v in item)


def _core_ranges(cores):
    """(array of struct ttm_core_range, count) for a core set (see the module docstring)."""
    if _is_core(cores) or (isinstance(cores, tuple) and _is_rect(cores)):
        cores = [cores]
    elif not isinstance(cores, Iterable) or isinstance(cores, (str, bytes)):
        raise TypeError(f"not a core set: {cores!r}")
    ranges = []
    for item in cores:
        if _is_core(item):
            x, y = _core(item)
            ranges.append(_lib.CoreRange(x, y, x, y))
        elif _is_rect(item):
            (x0, y0), (x1, y1) = _core(item[0]), _core(item[1])
            ranges.append(_lib.CoreRange(x0, y0, x1, y1))
        else:
            raise TypeError(f"not a core (x, y) or a rectangle ((x0, y0), (x1, y1)): {item!r}")
    return (_lib.CoreRange * len(ranges))(*ranges), len(ranges)


def _defines(defines):
    """The C form of kernel defines: None, a "NAME=VALUE ..." string, or a mapping."""
    if defines is None or isinstance(defines, str):
        return None if defines is None else defines.encode()
    if not isinstance(defines, Mapping):
        raise TypeError("defines must be None, a string or a mapping")
    pairs = [f"{name}={value}" for name, value in defines.items()]
    if any(not p.isprintable() or " " in p for p in pairs):
        raise ValueError(f"defines must not contain spaces or control characters: {pairs}")
    return " ".join(pairs).encode()


def _address_of(view):
    """A ctypes array over the memory of a writable C-contiguous memoryview, without a copy."""
    return (ctypes.c_char * view.nbytes).from_buffer(view)


def _source_bytes(data):
    """(pointer argument, size) for the bytes of any object exporting the buffer protocol:
    bytes as they are, writable C-contiguous memory in place, anything else copied in C
    order."""
    if isinstance(data, bytes):
        return data, len(data)
    view = memoryview(data)
    if view.readonly or not view.c_contiguous:
        data = view.tobytes()
        return data, len(data)
    return _address_of(view), view.nbytes


# Errors after which the library has reset the device and dropped queued work (ttm.h).
_RESET_ERRNOS = {errno.ETIMEDOUT, errno.EFAULT, errno.EPROTO, errno.EIO}


def _gone(what):
    return TTMError(errno.EBADF, f"the {what} was destroyed")


# ---- Devices ----


@dataclass(frozen=True)
class DeviceInfo:
    """struct ttm_device_info. ``board`` is "p100a" or "p150a" (the number if unknown)."""

    board: str
    grid_x: int
    grid_y: int
    num_workers: int
    num_dram_banks: int
    dram_bank_size: int
    l1_size: int
    l1_unreserved: int
    align: int
    dispatch: str
    backend: str


class Device:
    """An open device: a card, ttsim or the emulator.

    ``backend`` is "emu", "ttsim" or "kmd"; None lets $TTM_BACKEND decide, else "kmd" when
    /dev/tenstorrent/0 exists and "emu" otherwise. ``device_id`` picks the card for kmd.
    The emulator's ``board`` is "p100a" (default) or "p150a"; ``tensix_cols_off`` and
    ``dram_banks_off`` are its harvesting masks (bit x: NOC0 Tensix column x, bit b: DRAM
    bank b), each 0 for the board's default, and ``threads`` the host threads its clock may
    use (0: $TTM_EMU_THREADS, else one per processor up to 8; results and cycle counts do
    not depend on it). ``dispatch`` is "fast" (the default, unless
    $TTM_SLOW_DISPATCH=1) or "slow"; fast dispatch keeps the last worker column for its
    own firmware and adds the command queue: enqueue_program(), Buffer.enqueue_write(),
    Buffer.enqueue_read(), record_event(), event_wait(), event_query(), finish().
    """

    def __init__(self, backend: str | None = None, device_id: int = 0, board: str | None = None,
                 tensix_cols_off: int = 0, dram_banks_off: int = 0, dispatch: str | None = None,
                 threads: int = 0) -> None:
        # Destinations of non-blocking reads, kept alive until filled: [covering event or
        # 0, object]. The library writes into them later, from whichever call drains.
        self._reads = []
        self._reads_lock = threading.Lock()
        opts = _lib.DeviceOpts(
            argsz=ctypes.sizeof(_lib.DeviceOpts),
            backend=None if backend is None else backend.encode(),
            device_id=_uint(device_id, 32, "device id"),
            emu_board=0 if board is None else _choice(board, BOARDS, "board"),
            emu_tensix_cols_off=_uint(tensix_cols_off, 32, "tensix_cols_off"),
            emu_dram_banks_off=_uint(dram_banks_off, 32, "dram_banks_off"),
            dispatch=0 if dispatch is None else _choice(dispatch, DISPATCH_MODES, "dispatch"),
            emu_threads=_uint(threads, 32, "threads"),
        )
        handle = _lib.DeviceP()
        _c.ttm_device_create_opts(ctypes.byref(opts), ctypes.byref(handle))
        self._handle = handle
        self._close = weakref.finalize(self, _c.ttm_device_close, handle)
        raw = _lib.DeviceInfo(argsz=ctypes.sizeof(_lib.DeviceInfo))
        _c.ttm_device_info(handle, ctypes.byref(raw))
        boards = {v: k for k, v in BOARDS.items()}
        self.info = DeviceInfo(
            board=boards.get(raw.board, raw.board),
            grid_x=raw.grid_x,
            grid_y=raw.grid_y,
            num_workers=raw.num_workers,
            num_dram_banks=raw.num_dram_banks,
            dram_bank_size=raw.dram_bank_size,
            l1_size=raw.l1_size,
            l1_unreserved=raw.l1_unreserved,
            align=raw.align,
            dispatch={v: k for k, v in DISPATCH_MODES.items()}.get(raw.dispatch, raw.dispatch),
            backend=raw.backend.decode(),
        )

    @property
    def grid(self) -> tuple[int, int]:
        """The logical worker grid as (x, y)."""
        return self.info.grid_x, self.info.grid_y

    @property
    def closed(self) -> bool:
        """Whether close() has run (or the device was collected)."""
        return not self._close.alive

    @property
    def _h(self):
        if not self._close.alive:
            raise TTMError(errno.ENODEV, "the device was closed")
        return self._handle

    def core_noc_xy(self, core: tuple[int, int], noc: int = 0) -> tuple[int, int]:
        """The NoC coordinates (x, y) a kernel uses to reach logical ``core`` over NoC
        ``noc``: the chip's translated coordinates, the same on both NoCs."""
        x, y = _core(core)
        nx, ny = ctypes.c_uint32(), ctypes.c_uint32()
        _c.ttm_core_noc_xy(self._h, x, y, _uint(noc, 32, "NoC"), ctypes.byref(nx), ctypes.byref(ny))
        return nx.value, ny.value

    def buffer(self, size: int, page_size: int, type: str = "dram") -> Buffer:
        """A new interleaved Buffer of ``size`` bytes in pages of ``page_size`` ("dram":
        a multiple of 64, "l1": of 16; size a multiple of the page size)."""
        return Buffer(self, size, page_size, type)

    def program(self) -> Program:
        """A new, empty Program for this device."""
        return Program(self)

    def _keep_until_read(self, dest):
        with self._reads_lock:
            self._reads.append([0, dest])

    def _reads_landed(self, entries, event=None):
        """Let go of those of ``entries`` (read destinations that were kept before a call)
        that are filled now: the ones an event up to ``event`` covers, or all of them
        (None). Entries added meanwhile by other threads are kept: that is always safe."""
        gone = {id(e) for e in entries if event is None or (e[0] and e[0] <= event)}
        with self._reads_lock:
            self._reads = [r for r in self._reads if id(r) not in gone]

    def _pending(self):
        with self._reads_lock:
            return list(self._reads)

    def _call(self, fn, *args, landed=False, event=None):
        """fn(*args), letting go of the read destinations kept before the call that are
        filled after it: all of them when the call waited for everything queued before it
        (``landed``) or failed in a way that reset the device (the reset drops the reads),
        those ``event`` covers when it is given."""
        before = self._pending()
        try:
            result = fn(*args)
        except TTMError as e:
            if e.errno in _RESET_ERRNOS:
                self._reads_landed(before)
            raise
        if landed:
            self._reads_landed(before)
        elif event is not None:
            self._reads_landed(before, event)
        return result

    def enqueue_program(self, program: Program) -> None:
        """Queue a run of ``program`` and return at once (fast dispatch)."""
        self._call(_c.ttm_enqueue_program, self._h, program._h)

    def record_event(self) -> int:
        """Queue an event that completes when everything queued before it has; returns
        its id."""
        event = ctypes.c_uint64()
        before = self._pending()  # reads another thread adds meanwhile may come after it
        self._call(_c.ttm_enqueue_record_event, self._h, ctypes.byref(event))
        with self._reads_lock:
            for r in before:
                r[0] = r[0] or event.value
        return event.value

    def event_wait(self, event: int, timeout_ms: int = 0) -> None:
        """Wait for ``event`` (0: the library's default timeout)."""
        event = _uint(event, 64, "event")
        self._call(_c.ttm_event_wait, self._h, event, _uint(timeout_ms, 32, "timeout"),
                   event=event)

    def event_query(self, event: int) -> bool:
        """Whether ``event`` has completed."""
        event = _uint(event, 64, "event")
        before = self._pending()
        done = bool(self._call(_c.ttm_event_query, self._h, event))
        if done:
            self._reads_landed(before, event)
        return done

    def finish(self, timeout_ms: int = 0) -> None:
        """Wait until everything queued has finished."""
        self._call(_c.ttm_finish, self._h, _uint(timeout_ms, 32, "timeout"), landed=True)

    def trace_begin(self) -> None:
        """Start collecting a timeline of the device's work (see ttm.h, Tracing)."""
        self._call(_c.ttm_trace_begin, self._h)

    def trace_end(self, json_path: str | os.PathLike | None = None,
                  svg_path: str | os.PathLike | None = None) -> None:
        """Stop collecting; write Chrome/Perfetto trace-event JSON to ``json_path`` and
        an SVG timeline to ``svg_path`` (either may be None)."""
        def path(p):
            return None if p is None else os.fsencode(p)
        self._call(_c.ttm_trace_end, self._h, path(json_path), path(svg_path))

    def close(self) -> None:
        """Close the device (idempotent). Its buffers and programs can then only be
        destroyed; anything else on them raises TTMError."""
        self._close()
        self._reads_landed(self._pending())

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        state = " closed" if self.closed else ""
        i = self.info
        return f"<ttm.Device {i.backend} {i.board} {i.grid_x}x{i.grid_y}{state}>"


# ---- Buffers ----


class Buffer:
    """An interleaved buffer: page p lives in bank p % banks at the same offset in each.

    Made by Device.buffer(). ``address`` is the bank-local base address kernels need.
    """

    def __init__(self, device, size, page_size, type="dram"):
        kind = _choice(type, BUFFER_TYPES, "buffer type")
        handle = _lib.BufferP()
        _c.ttm_buffer_create_interleaved(
            device._h, _uint(size, 64, "buffer size"), _uint(page_size, 32, "page size"), kind,
            ctypes.byref(handle),
        )
        self.device = device
        self._handle = handle
        self._destroy = weakref.finalize(self, _c.ttm_buffer_destroy, handle)
        self.type = {v: k for k, v in BUFFER_TYPES.items()}[kind]
        self.address = _c.ttm_buffer_address(handle)
        self.size = _c.ttm_buffer_size(handle)
        self.page_size = _c.ttm_buffer_page_size(handle)

    @property
    def _h(self):
        if not self._destroy.alive:
            raise _gone("buffer")
        return self._handle

    @property
    def accessor_args(self) -> list[int]:
        """The compile-time args TT-Metal's TensorAccessorArgs<N> reads for this buffer,
        to be put at position N of a kernel's compile_args (TT-Metal's host
        TensorAccessorArgs(buffer)): one word for an interleaved buffer."""
        args = (ctypes.c_uint32 * 4)()
        n = _c.ttm_buffer_accessor_args(self._h, args, len(args))
        return list(args[:n])

    def write(self, data: Any, offset: int = 0) -> None:
        """Copy ``data`` (bytes, bytearray, memoryview, array.array, a numpy array: any
        object exporting the buffer protocol, taken in C order) to ``offset``."""
        src, size = _source_bytes(data)
        self.device._call(_c.ttm_buffer_write, self._h, _uint(offset, 64, "offset"), src, size,
                          landed=True)

    def read(self, size: int | None = None, offset: int = 0, *, dtype: Any = None,
             shape: int | Sequence[int] | None = None) -> Any:
        """``size`` bytes from ``offset`` (default: up to the end) as bytes; with ``dtype``
        (numpy needed) as a numpy array of that type, of ``shape`` (default: one
        dimension). ``dtype="bfloat16"`` gives the raw 16-bit patterns as uint16 (numpy
        has no bfloat16): ``bf16_to_float32`` turns them into floats."""
        offset = _uint(offset, 64, "offset")
        if dtype is None and shape is None:
            out = bytearray(max(self.size - offset, 0) if size is None
                            else _uint(size, 64, "size"))
            self.read_into(out, offset)
            return bytes(out)
        np = _numpy("Buffer.read(dtype=...)")
        dt = np.dtype(np.uint16 if str(dtype) == "bfloat16" else (dtype or np.uint8))
        if shape is not None:
            shape = (shape,) if isinstance(shape, int) else tuple(shape)
            count = 1
            for n in shape:
                count *= _uint(n, 64, "shape")
            if size is not None and _uint(size, 64, "size") != count * dt.itemsize:
                raise ValueError(f"size {size} is not the {count * dt.itemsize} bytes of "
                                 f"shape {shape} of {dt}")
        else:
            avail = (max(self.size - offset, 0) if size is None else _uint(size, 64, "size"))
            if avail % dt.itemsize:
                raise ValueError(f"{avail} bytes are not a whole number of {dt} items")
            shape = (avail // dt.itemsize,)
        out = np.empty(shape, dtype=dt)
        self.read_into(out, offset)
        return out

    def read_into(self, buf: Any, offset: int = 0) -> int:
        """Fill the writable, C-contiguous buffer ``buf`` (a bytearray, a numpy array, ...)
        from ``offset``; return the number of bytes read."""
        view = memoryview(buf)
        if view.readonly:
            raise TypeError("read_into needs a writable buffer")
        if not view.c_contiguous:
            raise ValueError("read_into needs a C-contiguous buffer")
        self.device._call(_c.ttm_buffer_read, self._h, _uint(offset, 64, "offset"),
                          _address_of(view), view.nbytes, landed=True)
        return view.nbytes

    def enqueue_write(self, data: Any, offset: int = 0, blocking: bool = False) -> None:
        """Queue a write of ``data`` to ``offset`` (fast dispatch). The bytes are copied
        into the queue at once, so ``data`` may change afterwards."""
        src, size = _source_bytes(data)
        self.device._call(_c.ttm_enqueue_write_buffer, self._h, _uint(offset, 64, "offset"), src,
                          size, int(blocking), landed=bool(blocking))

    def enqueue_read(self, buf: Any, offset: int = 0, blocking: bool = False) -> None:
        """Queue a read into the writable, C-contiguous ``buf`` from ``offset`` (fast
        dispatch). Without blocking, ``buf`` is filled by a later Device.finish() or
        wait on an event recorded after it; the device keeps ``buf`` alive until then."""
        view = memoryview(buf)
        if view.readonly or not view.c_contiguous:
            raise TypeError("enqueue_read needs a writable, C-contiguous buffer")
        dest = _address_of(view)
        try:
            self.device._call(_c.ttm_enqueue_read_buffer, self._h, _uint(offset, 64, "offset"),
                              dest, view.nbytes, int(blocking), landed=bool(blocking))
        finally:
            # Kept after the call (an event recorded meanwhile must not cover it), and
            # also when it failed: pieces queued before a failure may still land.
            if not blocking:
                self.device._keep_until_read((dest, view))
        return view.nbytes

    def destroy(self) -> None:
        """Free the buffer's device memory (idempotent)."""
        self._destroy()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.destroy()

    def __repr__(self):
        state = " destroyed" if not self._destroy.alive else ""
        return (f"<ttm.Buffer {self.type} {self.size} B in pages of {self.page_size} B at "
                f"{self.address:#x}{state}>")


# ---- Programs ----


class Kernel:
    """A kernel of a Program, made by Program.dataflow_kernel(); valid while the program is."""

    def __init__(self, program, handle):
        self.program = program
        self._handle = handle


class Program:
    """Circular buffers, kernels and their runtime args, launched together on a device.

    Made by Device.program().
    """

    def __init__(self, device):
        handle = _lib.ProgramP()
        _c.ttm_program_create(device._h, ctypes.byref(handle))
        self.device = device
        self._handle = handle
        self._destroy = weakref.finalize(self, _c.ttm_program_destroy, handle)

    @property
    def _h(self):
        if not self._destroy.alive:
            raise _gone("program")
        return self._handle

    def cb(self, cores: Any, index: int, total_size: int, page_size: int,
           format: str | int = "raw") -> None:
        """Circular buffer ``index`` (0..31) on every core of ``cores``: ``total_size``
        bytes in pages of ``page_size`` (a multiple of 16). ``format`` is one of
        FORMATS' names."""
        ranges, n = _core_ranges(cores)
        _c.ttm_cb_create(
            self._h, ranges, n, _uint(index, 32, "CB index"), _uint(total_size, 32, "CB size"),
            _uint(page_size, 32, "CB page size"), _choice(format, FORMATS, "data format"), None,
        )

    def semaphore(self, cores: Any, initial_value: int = 0) -> int:
        """A semaphore on every core of ``cores``, set to ``initial_value`` at each launch;
        returns its id, for get_semaphore(id) in kernels (the same L1 address on every
        core of a launch)."""
        ranges, n = _core_ranges(cores)
        sem = ctypes.c_uint32()
        _c.ttm_semaphore_create(self._h, ranges, n, _uint(initial_value, 32, "semaphore value"),
                                ctypes.byref(sem))
        return sem.value

    def dataflow_kernel(self, source: str | None = None, path: str | os.PathLike | None = None, *,
                        cores: Any, processor: int | str = 0, noc: int = 0,
                        compile_args: Sequence[int] = (),
                        defines: str | Mapping[str, Any] | None = None) -> Kernel:
        """A data-movement kernel from C ``source`` text or a file ``path`` (C++ when it
        ends in .cpp/.cc), run on ``processor`` 0/"riscv0" (BRISC) or 1/"riscv1" (NCRISC)
        of every core of ``cores``, using NoC ``noc``. ``compile_args`` are visible as
        TTM_CT_ARG(i); ``defines`` is "NAME=VALUE ..." or a mapping. A compile error
        raises TTMError carrying the compiler's message."""
        return self._kernel(False, source, path, cores, processor, noc, compile_args, defines)

    def compute_kernel(self, source: str | None = None, path: str | os.PathLike | None = None, *,
                       cores: Any, compile_args: Sequence[int] = (),
                       defines: str | Mapping[str, Any] | None = None,
                       math_fidelity: str | int = "hifi4", fp32_dest_acc: bool = False) -> Kernel:
        """A compute kernel for the three TRISCs, including <ttm/kernel/compute.h>
        (arguments as for dataflow_kernel). ``math_fidelity`` is "lofi", "hifi2",
        "hifi3" or "hifi4" (or 0, 2, 3, 4); ``fp32_dest_acc`` keeps Dst in fp32."""
        return self._kernel(True, source, path, cores, 0, 0, compile_args, defines,
                            _choice(math_fidelity, MATH_FIDELITIES, "math fidelity"),
                            bool(fp32_dest_acc))

    def _kernel(self, compute, source, path, cores, processor, noc, compile_args, defines,
                math_fidelity=0, fp32_dest_acc=False):
        if (source is None) == (path is None):
            raise TypeError("give exactly one of source and path")
        args, n_args = _u32_array(compile_args, "compile arg")
        opts = _lib.KernelOpts(
            argsz=ctypes.sizeof(_lib.KernelOpts),
            processor=_choice(processor, PROCESSORS, "processor"),
            noc=_uint(noc, 32, "noc"),
            compile_args=args,
            n_compile_args=n_args,
            defines=_defines(defines),
            math_fidelity=math_fidelity,
            fp32_dest_acc=int(fp32_dest_acc),
        )
        ranges, n = _core_ranges(cores)
        create = {
            (False, False): _c.ttm_kernel_create_dataflow_from_string,
            (False, True): _c.ttm_kernel_create_dataflow,
            (True, False): _c.ttm_kernel_create_compute_from_string,
            (True, True): _c.ttm_kernel_create_compute,
        }[compute, path is not None]
        text = source.encode() if path is None else os.fsencode(path)
        handle = _lib.KernelP()
        create(self._h, text, ranges, n, ctypes.byref(opts), ctypes.byref(handle))
        return Kernel(self, handle)

    def _kernel_handle(self, kernel):
        if not isinstance(kernel, Kernel):
            raise TypeError(f"expected a ttm.Kernel, not {type(kernel).__name__}")
        if kernel.program is not self:
            raise TTMError(errno.EINVAL, "the kernel belongs to another program")
        return kernel._handle

    def set_runtime_args(self, kernel: Kernel, core: tuple[int, int], args: Sequence[int]) -> None:
        """The 32-bit runtime args ``kernel`` sees on ``core`` (x, y), as get_arg_val(i)."""
        handle = self._kernel_handle(kernel)
        x, y = _core(core)
        words, n = _u32_array(args, "runtime arg")
        _c.ttm_set_runtime_args(self._h, handle, x, y, words, n)

    def set_common_runtime_args(self, kernel: Kernel, args: Sequence[int]) -> None:
        """Runtime args shared by every core of ``kernel``, as get_common_arg_val(i)."""
        handle = self._kernel_handle(kernel)
        words, n = _u32_array(args, "runtime arg")
        _c.ttm_set_common_runtime_args(self._h, handle, words, n)

    def launch(self, timeout_ms: int = 0) -> None:
        """Run the program and wait until every core is done; after ``timeout_ms`` (0: the
        library's default of 10 s) raise TTMTimeout naming the cores still running."""
        self.device._call(_c.ttm_program_launch, self.device._h, self._h,
                          _uint(timeout_ms, 32, "timeout"), landed=True)

    def destroy(self) -> None:
        """Free the program, its kernels and circular buffers (idempotent)."""
        self._destroy()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.destroy()
