"""Loading libttm and declaring its C ABI (include/ttm.h) for ctypes.

Everything here mirrors the header one to one; the idiomatic layer is in ``__init__``.
The library is looked for in this order: ``$TTM_LIB``; ``build/libttm.so`` of the
repository this package lives in; ``ctypes.util.find_library("ttm")``. When none exists,
importing ttm raises ImportError with ``name == "libttm"``; a library that exists but
cannot be loaded raises OSError.
"""

import ctypes
import ctypes.util
import errno
import os
from ctypes import POINTER, c_char, c_char_p, c_int, c_size_t, c_uint32, c_uint64

# ---- Errors ----


class TTMError(OSError):
    """A libttm call failed: ``errno`` is the positive errno value, ``strerror`` the
    library's explanation (ttm_last_error())."""

    __module__ = "ttm"

    def __str__(self):
        return f"[{errno.errorcode.get(self.errno, self.errno)}] {self.strerror}"


class TTMTimeout(TTMError, TimeoutError):
    """A wait timed out (-ETIMEDOUT); the message names the cores that did not finish."""

    __module__ = "ttm"


def error(err, message):
    """The exception for errno value ``err`` (either sign) and ``message``."""
    err = abs(err)
    cls = TTMTimeout if err == errno.ETIMEDOUT else TTMError
    return cls(err, message)


# ---- The library ----


def _candidates():
    """Where the library may be, in search order, with how each was found."""
    env = os.environ.get("TTM_LIB")
    if env:
        return [(env, "$TTM_LIB")]
    here = os.path.dirname(os.path.abspath(__file__))
    found = [(os.path.join(here, "..", "..", "build", "libttm.so"), "the repository build")]
    system = ctypes.util.find_library("ttm")
    if system:
        found.append((system, "the system library path"))
    return found


def _load():
    tried = []
    for path, how in _candidates():
        # A bare name from find_library is resolved by the dynamic loader, not the file system.
        if os.sep in path and not os.path.exists(path):
            tried.append(f"{path} ({how})")
            continue
        try:
            return ctypes.CDLL(path)
        except OSError as e:
            raise OSError(f"ttm: cannot load libttm from {path} ({how}): {e}") from e
    raise ImportError(
        "ttm: libttm not found (looked at: " + ", ".join(tried) + "); build it "
        "with `make build/libttm.so` or point $TTM_LIB at it",
        name="libttm",
    )


lib = _load()

# ---- Handles and structs ----


def _handle(name):
    """A pointer type to the opaque C struct ``name``: handles of different kinds do not mix."""
    return POINTER(type(name, (ctypes.Structure,), {}))


DeviceP = _handle("ttm_device")
ProgramP = _handle("ttm_program")
BufferP = _handle("ttm_buffer")
KernelP = _handle("ttm_kernel")
CBP = _handle("ttm_cb")


class DeviceOpts(ctypes.Structure):
    """struct ttm_device_opts."""

    _fields_ = [
        ("argsz", c_uint32),
        ("flags", c_uint32),
        ("backend", c_char_p),
        ("device_id", c_uint32),
        ("emu_board", c_uint32),
        ("emu_tensix_cols_off", c_uint32),
        ("emu_dram_banks_off", c_uint32),
        ("dispatch", c_uint32),
        ("emu_threads", c_uint32),
    ]


class DeviceInfo(ctypes.Structure):
    """struct ttm_device_info."""

    _fields_ = [
        ("argsz", c_uint32),
        ("board", c_uint32),
        ("grid_x", c_uint32),
        ("grid_y", c_uint32),
        ("num_workers", c_uint32),
        ("num_dram_banks", c_uint32),
        ("dram_bank_size", c_uint64),
        ("l1_size", c_uint32),
        ("l1_unreserved", c_uint32),
        ("dispatch", c_uint32),
        ("backend", c_char * 16),
        ("align", c_uint32),
    ]


class CoreRange(ctypes.Structure):
    """struct ttm_core_range: an inclusive rectangle of logical cores."""

    _fields_ = [("x0", c_uint32), ("y0", c_uint32), ("x1", c_uint32), ("y1", c_uint32)]


class KernelOpts(ctypes.Structure):
    """struct ttm_kernel_opts."""

    _fields_ = [
        ("argsz", c_uint32),
        ("flags", c_uint32),
        ("processor", c_uint32),
        ("noc", c_uint32),
        ("compile_args", POINTER(c_uint32)),
        ("n_compile_args", c_uint32),
        ("reserved", c_uint32),
        ("defines", c_char_p),
        ("math_fidelity", c_uint32),
        ("fp32_dest_acc", c_uint32),
    ]


# Sizes the header's layout gives, per pointer size: a mismatch means this binding no
# longer matches include/ttm.h.
_PTR = ctypes.sizeof(ctypes.c_void_p)
_EXPECTED_SIZES = {
    DeviceOpts: 32 + _PTR,
    DeviceInfo: 64,
    CoreRange: 16,
    KernelOpts: 32 + 2 * _PTR,
}
for _struct, _size in _EXPECTED_SIZES.items():
    if ctypes.sizeof(_struct) != _size:
        raise ImportError(
            f"ttm: ctypes struct {_struct.__name__} is {ctypes.sizeof(_struct)} bytes, the "
            f"header's is {_size}: the Python binding is out of date with include/ttm.h"
        )

# ---- Prototypes ----


def _check(result, func, args):
    """errcheck for status-returning calls: raise on a negative errno value."""
    if result < 0:
        message = lib.ttm_last_error().decode(errors="replace")
        raise error(result, message or lib.ttm_strerror(result).decode(errors="replace"))
    return result


_RANGES = [POINTER(CoreRange), c_size_t]
_KOPTS = [POINTER(KernelOpts), POINTER(KernelP)]

# name: (restype, argtypes); restype c_int means "0 or a negative errno", checked.
_PROTOTYPES = {
    "ttm_version": (c_char_p, []),
    "ttm_version_number": (c_uint32, []),
    "ttm_strerror": (c_char_p, [c_int]),
    "ttm_last_error": (c_char_p, []),
    "ttm_set_root_dir": (c_int, [c_char_p]),
    "ttm_device_create": (c_int, [c_uint32, POINTER(DeviceP)]),
    "ttm_device_create_opts": (c_int, [POINTER(DeviceOpts), POINTER(DeviceP)]),
    "ttm_device_close": (c_int, [DeviceP]),
    "ttm_device_info": (c_int, [DeviceP, POINTER(DeviceInfo)]),
    "ttm_buffer_create_interleaved": (c_int, [DeviceP, c_uint64, c_uint32, c_uint32, POINTER(BufferP)]),
    "ttm_buffer_destroy": (c_int, [BufferP]),
    "ttm_buffer_address": (c_uint64, [BufferP]),
    "ttm_buffer_size": (c_uint64, [BufferP]),
    "ttm_buffer_page_size": (c_uint32, [BufferP]),
    "ttm_buffer_accessor_args": (c_int, [BufferP, POINTER(c_uint32), c_uint32]),
    "ttm_buffer_write": (c_int, [BufferP, c_uint64, ctypes.c_void_p, c_uint64]),
    "ttm_buffer_read": (c_int, [BufferP, c_uint64, ctypes.c_void_p, c_uint64]),
    "ttm_program_create": (c_int, [DeviceP, POINTER(ProgramP)]),
    "ttm_program_destroy": (c_int, [ProgramP]),
    "ttm_core_noc_xy": (c_int, [DeviceP, c_uint32, c_uint32, c_uint32, POINTER(c_uint32), POINTER(c_uint32)]),
    "ttm_cb_create": (c_int, [ProgramP, *_RANGES, c_uint32, c_uint32, c_uint32, c_uint32, POINTER(CBP)]),
    "ttm_semaphore_create": (c_int, [ProgramP, *_RANGES, c_uint32, POINTER(c_uint32)]),
    "ttm_kernel_create_dataflow": (c_int, [ProgramP, c_char_p, *_RANGES, *_KOPTS]),
    "ttm_kernel_create_dataflow_from_string": (c_int, [ProgramP, c_char_p, *_RANGES, *_KOPTS]),
    "ttm_kernel_create_compute": (c_int, [ProgramP, c_char_p, *_RANGES, *_KOPTS]),
    "ttm_kernel_create_compute_from_string": (c_int, [ProgramP, c_char_p, *_RANGES, *_KOPTS]),
    "ttm_set_runtime_args": (c_int, [ProgramP, KernelP, c_uint32, c_uint32, POINTER(c_uint32), c_size_t]),
    "ttm_set_common_runtime_args": (c_int, [ProgramP, KernelP, POINTER(c_uint32), c_size_t]),
    "ttm_program_launch": (c_int, [DeviceP, ProgramP, c_uint32]),
    "ttm_enqueue_program": (c_int, [DeviceP, ProgramP]),
    "ttm_enqueue_write_buffer": (c_int, [BufferP, c_uint64, ctypes.c_void_p, c_uint64, c_int]),
    "ttm_enqueue_read_buffer": (c_int, [BufferP, c_uint64, ctypes.c_void_p, c_uint64, c_int]),
    "ttm_enqueue_record_event": (c_int, [DeviceP, POINTER(c_uint64)]),
    "ttm_event_wait": (c_int, [DeviceP, c_uint64, c_uint32]),
    "ttm_event_query": (c_int, [DeviceP, c_uint64]),
    "ttm_finish": (c_int, [DeviceP, c_uint32]),
    "ttm_trace_begin": (c_int, [DeviceP]),
    "ttm_trace_end": (c_int, [DeviceP, c_char_p, c_char_p]),
    "ttm_tilize": (c_int, [ctypes.c_void_p, ctypes.c_void_p, c_uint32, c_uint32, c_uint32]),
    "ttm_untilize": (c_int, [ctypes.c_void_p, ctypes.c_void_p, c_uint32, c_uint32, c_uint32]),
}

for _name, (_restype, _argtypes) in _PROTOTYPES.items():
    try:
        _fn = getattr(lib, _name)
    except AttributeError:
        raise ImportError(
            f"ttm: {lib._name} has no {_name}: the library and the Python binding disagree"
        ) from None
    _fn.restype = _restype
    _fn.argtypes = _argtypes
    if _restype is c_int:
        _fn.errcheck = _check
