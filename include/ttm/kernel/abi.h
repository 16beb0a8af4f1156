/* The contract between the host runtime, our firmware and kernels running on a Tensix
 * worker: L1 layout, mailbox, launch message, kernel-config image, the kernel context in
 * each core's local data RAM, and the fast-dispatch command queue. This header is
 * compiled by the host (gcc/clang, x86) and by the firmware and kernels (clang, rv32);
 * every size and offset is pinned by a static assertion so the two sides cannot drift
 * apart.
 *
 * Only what the hardware fixes comes from the chip (../blackhole.h: BRISC starts at L1 0,
 * local data RAM, overlay stream registers); everything else is ours.
 */
#ifndef TTM_KERNEL_ABI_H
#define TTM_KERNEL_ABI_H

#include <stddef.h>
#include <stdint.h>

#include "../blackhole.h"

#define TTM_FW_ABI_VERSION 7u

/* ---- Worker L1 map ---- */
#define TTM_L1_BOOT 0x00000u            /* BRISC's reset PC: one JAL to the firmware */
#define TTM_L1_NOC_SCRATCH 0x00010u     /* 16 B: NoC atomic return values */
#define TTM_L1_MAILBOX 0x00040u         /* struct ttm_mailbox */
#define TTM_L1_BANK_TABLE 0x00800u      /* struct ttm_bank_table */
#define TTM_L1_FW_BRISC 0x01000u        /* BRISC firmware image (text, rodata, data) */
#define TTM_L1_FW_NCRISC 0x04000u       /* NCRISC firmware image */
#define TTM_L1_FW_SIZE 0x03000u         /* room for each of those two images */
#define TTM_L1_FW_TRISC0 0x07000u       /* TRISC0-2 firmware images: they only hand over */
#define TTM_L1_FW_TRISC1 0x08000u       /* to kernels, so 4 KiB each. Set as reset PCs: */
#define TTM_L1_FW_TRISC2 0x09000u       /* the default 0x6000 lies in NCRISC's image */
#define TTM_L1_FW_TRISC_SIZE 0x01000u
#define TTM_L1_TRACE 0x0A000u           /* struct ttm_trace_ring per processor */
#define TTM_L1_KERNEL_CONFIG 0x10000u   /* kernel-config images of launches in flight */
#define TTM_L1_KERNEL_CONFIG_SIZE 0x30000u
#define TTM_L1_UNRESERVED 0x40000u      /* first byte for buffers and circular buffers */
#define TTM_L1_END BH_L1_SIZE

/* ---- GO message: one word; the signal is the top byte ---- */
#define TTM_RUN_MSG_INIT 0x40u   /* host wrote it before release; firmware answers DONE */
#define TTM_RUN_MSG_GO 0x80u     /* run launch[launch_rd_ptr] */
#define TTM_RUN_MSG_DONE 0x00u   /* idle: the last launch (or boot) finished */
#define TTM_GO_SIGNAL(go) ((go) >> 24)
#define TTM_GO_WORD(signal) ((uint32_t)(signal) << 24)

/* NCRISC handshake word values (mailbox ncrisc_sync). */
#define TTM_SYNC_IDLE 0u
#define TTM_SYNC_GO 1u
#define TTM_SYNC_DONE 2u

#define TTM_DISPATCH_MODE_DEV 0u  /* fast dispatch: report DONE to the dispatcher */
#define TTM_DISPATCH_MODE_HOST 1u /* slow dispatch: the host polls GO for DONE */

/* In fast dispatch the GO word also says where to report DONE: the dispatcher's NoC
 * coordinates and which of its overlay streams counts (seed 002 "Go Message"). */
#define TTM_GO_WORD_DEV(x, y, stream)                                                   \
    (TTM_GO_WORD(TTM_RUN_MSG_GO) | (uint32_t)(y) << 16 | (uint32_t)(x) << 8 | (uint32_t)(stream))
#define TTM_GO_MASTER_X(go) (((go) >> 8) & 0xFFu)
#define TTM_GO_MASTER_Y(go) (((go) >> 16) & 0xFFu)
#define TTM_GO_STREAM(go) ((go) & 0xFFu)

#define TTM_LAUNCH_RING 8u
#define TTM_MAX_CBS 32u
#define TTM_MAX_SEMS 16u
/* Each launch's kernel-config region starts with its semaphores, 16 bytes apart, at the
 * same address on every core of the launch (TT-Metal's CreateSemaphore promise, which
 * core-to-core increments need); the kernel groups' images follow. */
#define TTM_SEM_BLOCK (16u * TTM_MAX_SEMS)
#define TTM_MAX_DRAM_BANKS 8u
#define TTM_MAX_L1_BANKS 140u

/* Everything a core needs to run one launch. Written by the host (or a dispatcher) into
 * the mailbox ring; the firmware reads it after GO. */
struct ttm_launch_msg {
    uint32_t kernel_config_base;          /* L1 address of this launch's config image */
    uint16_t rta_offset[BH_CORES_PER_TILE];       /* unique runtime args, from the image base */
    uint16_t crta_offset[BH_CORES_PER_TILE];      /* common runtime args */
    uint16_t local_cb_offset;             /* struct ttm_cb_config[] */
    uint16_t cb_format_offset;            /* uint8_t[TTM_MAX_CBS]: TTM_TT_FORMAT_* */
    uint32_t sem_addr;                    /* L1 address of semaphore 0 (TTM_SEM_BLOCK) */
    uint32_t kernel_text_offset[BH_CORES_PER_TILE];
    uint32_t local_cb_mask;               /* bit i: CB i configured */
    uint8_t enables;                      /* bit p: processor p runs a kernel */
    uint8_t mode;                         /* TTM_DISPATCH_MODE_* */
    uint8_t noc[2];                       /* NoC of the BRISC / NCRISC kernel (by bh_core) */
    uint32_t host_id;                     /* program id, for fault reports */
};

struct ttm_mailbox {
    uint32_t go;                          /* GO message */
    uint32_t launch_rd_ptr;               /* next ring slot the firmware runs */
    uint32_t ncrisc_sync;                 /* BRISC -> NCRISC GO, NCRISC -> BRISC DONE */
    uint32_t fw_version;                  /* TTM_FW_ABI_VERSION once firmware booted */
    uint8_t logical_x, logical_y;         /* this worker, written by the host at boot */
    uint8_t noc_x, noc_y;                 /* translated NoC coordinates */
    uint32_t postcode[BH_CORES_PER_TILE]; /* last progress marker of each processor */
    uint32_t launches;                    /* launches completed since boot */
    uint32_t t_go;                        /* wall clock (low word) when the last GO was seen */
    uint32_t t_prev_done;                 /* wall clock when the launch before it finished */
    uint32_t t_done;                      /* wall clock when the last launch finished */
    uint8_t trisc_sync[3];                /* BRISC -> TRISCi GO, TRISCi -> BRISC DONE */
    uint8_t pad0;
    uint32_t pad;
    struct ttm_launch_msg launch[TTM_LAUNCH_RING];
};

/* ---- Device timestamps ----
 * Every processor of every tile running our firmware (workers and dispatch cores) records
 * the events of its work, each with the tile's wall clock, in a ring of its own at
 * TTM_L1_TRACE + proc * sizeof(struct ttm_trace_ring). Only that processor writes its
 * ring; `written` counts events ever recorded (since boot), so the host, which reads the
 * rings, knows which are new and how many it missed. Recording is always on: a handful of
 * loads and stores an event. */
#define TTM_TRACE_EVENTS 256u
enum ttm_trace_what {
    TTM_TR_GO = 1,          /* worker BRISC: GO seen, launch message read (arg: program id) */
    TTM_TR_KERNEL_BEGIN,    /* a worker processor enters its kernel (arg: program id) */
    TTM_TR_KERNEL_END,      /* ... and returns from it */
    TTM_TR_DONE,            /* worker BRISC: DONE reported */
    TTM_TR_FETCH_BEGIN,     /* prefetcher: reads a record from host memory (arg: bytes) */
    TTM_TR_FETCH_END,       /* ... it has arrived */
    TTM_TR_DELIVERED,       /* prefetcher: the record is in the dispatcher's ring */
    TTM_TR_RECORD_BEGIN,    /* dispatcher: runs a record (arg: its sequence number) */
    TTM_TR_RECORD_END,      /* ... all its writes have landed */
    TTM_TR_GO_QUEUED,       /* dispatcher: hands a launch's GO to the subordinate (arg: the
                             * DONE count it waits for) */
    TTM_TR_WAIT_BEGIN,      /* dispatcher or subordinate: waits for the workers' DONE count
                             * (arg: the count) */
    TTM_TR_WAIT_END,        /* ... reached */
    TTM_TR_GO_SENT,         /* subordinate: the GO went to every worker (arg: the GO word) */
    TTM_TR_WHAT_END
};
struct ttm_trace_event {
    uint32_t t_lo, t_hi;    /* the tile's wall clock (BH_WALL_CLOCK_0, _1_AT) */
    uint16_t what;          /* enum ttm_trace_what */
    uint16_t seq;           /* worker: launches completed before this one (low bits) */
    uint32_t arg;
};
struct ttm_trace_ring {
    uint32_t written;       /* events recorded since boot; the next goes to written % N */
    uint32_t pad[3];
    struct ttm_trace_event ev[TTM_TRACE_EVENTS];
};
#define TTM_TRACE_RING_ADDR(proc) (TTM_L1_TRACE + (uint32_t)(proc) * sizeof(struct ttm_trace_ring))

/* ---- Kernel print ----
 * A kernel built with printing on (TTM_KERNEL_PRINT, ttm/kernel/print.h) writes text into
 * a ring of its processor at TTM_PRINT_RING_ADDR(proc); the host takes whole lines from
 * it while it waits and moves `read` on. A kernel whose ring is full waits for the host.
 * The firmware empties both counts at boot. */
#define TTM_PRINT_RING 512u   /* a power of two: the byte counts wrap cleanly */
struct ttm_print_ring {
    uint32_t written;       /* bytes written; the next goes to buf[written % TTM_PRINT_RING] */
    uint32_t read;          /* bytes the host has taken */
    uint32_t pad[2];
    char buf[TTM_PRINT_RING];
};
#define TTM_L1_PRINT TTM_TRACE_RING_ADDR(BH_CORES_PER_TILE)
#define TTM_PRINT_RING_ADDR(proc) (TTM_L1_PRINT + (uint32_t)(proc) * sizeof(struct ttm_print_ring))

/* Progress markers firmware leaves in mailbox postcode[] (for hang reports). */
enum ttm_postcode {
    TTM_PC_BOOT = 0x100,
    TTM_PC_IDLE = 0x200,       /* waiting for GO */
    TTM_PC_SETUP = 0x300,      /* reading the launch message, setting up CBs */
    TTM_PC_KERNEL = 0x400,     /* inside the kernel */
    TTM_PC_WAIT_NCRISC = 0x500,/* BRISC waiting for NCRISC's DONE */
    TTM_PC_WAIT_TRISC = 0x600, /* BRISC waiting for the TRISCs' DONE */
};

/* The configuration word of TT-Metal's TensorAccessorArgs, its ArgConfig bits (tt-metal
 * hostdevcommon/tensor_accessor/arg_config.hpp), as ttm_buffer_accessor_args gives it and
 * tt_metal/dataflow_api.h reads it; only interleaved buffers, so Sharded is never set. */
#define TTM_ACCESSOR_SHARDED (1u << 0)
#define TTM_ACCESSOR_IS_DRAM (1u << 1)

/* Where interleaved buffers live: bank i's NoC coordinates (translated, (y << 6) | x). */
struct ttm_bank_table {
    uint32_t num_dram_banks;
    uint32_t num_l1_banks;
    uint16_t dram_xy[TTM_MAX_DRAM_BANKS];
    uint16_t l1_xy[TTM_MAX_L1_BANKS];
};

/* One local circular buffer in the kernel-config image (seed 003 layout). */
struct ttm_cb_config {
    uint32_t fifo_addr;   /* L1 address of the first page */
    uint32_t fifo_size;   /* bytes */
    uint32_t num_pages;
    uint32_t page_size;   /* bytes */
};

/* A core's view of one CB while a kernel runs (in its local data RAM). Page counts move
 * through two overlay stream registers per CB so producer and consumer on different
 * cores see each other: TTM_CB_STREAM(i) register 10 counts pages pushed, register 8
 * pages popped; both are compared as 16-bit wrapping values. */
struct ttm_cb_state {
    uint32_t fifo_base, fifo_limit, fifo_size, page_size, num_pages;
    uint32_t rd_ptr, wr_ptr;
    uint16_t pushed, popped;  /* this core's running counts */
};

/* The data format of each CB's pages as the Tensix unpacker and packer name them
 * (compute-facts 4.2), for compute kernels; NONE for formats they do not take. */
#define TTM_TT_FORMAT_FLOAT32 0u
#define TTM_TT_FORMAT_BFLOAT16 5u
#define TTM_TT_FORMAT_INT32 8u
#define TTM_TT_FORMAT_UINT16 9u
#define TTM_TT_FORMAT_NONE 0xFFu

#define TTM_CB_STREAM(i) (8u + (i))
#define TTM_CB_PUSHED_REG BH_STREAM_REMOTE_DEST_BUF_SIZE
#define TTM_CB_POPPED_REG BH_STREAM_REMOTE_DEST_BUF_START

/* Kernel context: at the bottom of every core's local data RAM, filled by the firmware
 * before it calls the kernel. Kernels read it through TTM_KCTX (include/ttm/kernel). */
#define TTM_KCTX_ADDR BH_LDM_BASE
struct ttm_kctx {
    uint32_t rta;                 /* L1 address of this core's runtime args */
    uint32_t crta;                /* L1 address of the common runtime args */
    uint32_t config_base;         /* L1 address of the launch's config image */
    uint32_t sem_base;            /* L1 address of semaphore 0 */
    uint8_t noc;                  /* NIU the kernel uses */
    uint8_t cmd_wr, cmd_rd;       /* its command buffers (BRISC 0/1, NCRISC 2/3) */
    uint8_t proc;                 /* enum bh_core */
    uint8_t noc_x, noc_y;         /* this worker's translated coordinates */
    uint8_t logical_x, logical_y;
    uint32_t reads_issued;        /* NoC counter shadows, seeded at kernel start */
    uint32_t nonposted_issued;
    uint32_t acks_expected;
    uint32_t atomics_expected;
    uint32_t cb_formats;          /* L1 address of the launch's uint8_t[TTM_MAX_CBS] */
    uint32_t pad[5];
    struct ttm_cb_state cb[TTM_MAX_CBS];
};
#define TTM_KCTX ((volatile struct ttm_kctx *)TTM_KCTX_ADDR)

/* NoC command buffers per processor, so BRISC and NCRISC never share one. */
#define TTM_CMD_BUF_WR(proc) ((proc) == BH_BRISC ? 0u : 2u)
#define TTM_CMD_BUF_RD(proc) ((proc) == BH_BRISC ? 1u : 3u)

#define TTM_L1_ALIGN 16u
#define TTM_DRAM_ALIGN 64u

/* ==== Fast dispatch ====================================================================
 *
 * The host writes records into an issue ring in host memory the device can reach and
 * announces each in the prefetcher's queue: 32-bit entries, 0 = free, else the record's
 * size in bytes; the host waits for a slot to read 0 before writing it, the prefetcher
 * clears it once it has fetched the record (seed 001 sections 1-2). Entries are whole
 * words (as in newer TT-Metal, host-facts 4.1) because a backend that writes a narrower
 * value by read-modify-write of its word could rewrite a neighbour the prefetcher has
 * just cleared, announcing a consumed record a second time. The
 * prefetcher (a worker's BRISC) copies records into the dispatcher's ring; the dispatcher
 * (another worker's BRISC) executes their commands; its NCRISC, the subordinate, sends GO
 * signals once the workers' DONE count reaches what each launch needs. Events and read
 * data come back through a completion ring in host memory.
 *
 * Every ring position is a free-running 32-bit byte count; the place in a ring of size
 * 2^k is count mod 2^k. The one wrap rule, applied alike by host and device: in the issue
 * ring a record starts at the ring's beginning when fewer than TTM_CQ_MAX_RECORD bytes are
 * left before its end (so the host can build a record in place before knowing its size);
 * in the dispatcher's ring and the completion ring an item that does not fit before the
 * end starts at the beginning. Skipped bytes count as used. */

/* Host memory of one command queue (offsets from its base). */
#define TTM_CQ_HOST_COMPLETION_WR 0x80u  /* dispatcher: completion bytes produced */
#define TTM_CQ_HOST_ISSUE 0x1000u        /* issue ring */
#define TTM_CQ_ISSUE_SIZE (4u << 20)
#define TTM_CQ_HOST_COMPLETION (TTM_CQ_HOST_ISSUE + TTM_CQ_ISSUE_SIZE)
#define TTM_CQ_COMPLETION_SIZE (1u << 20)
#define TTM_CQ_HOST_SIZE (TTM_CQ_HOST_COMPLETION + TTM_CQ_COMPLETION_SIZE)

#define TTM_CQ_RECORD_ALIGN 64u           /* PCIe read alignment (host-facts 2.5) */
#define TTM_CQ_MAX_RECORD (32u << 10)     /* so that every queued record fits the ring */
#define TTM_PREFETCH_Q_ENTRIES 64u
#define TTM_LAUNCH_SLOTS TTM_LAUNCH_RING  /* programs in flight */

/* Dispatch cores' L1 (above the firmware; these cores run no kernels). */
#define TTM_L1_CQ_CTRL 0x10000u           /* struct ttm_cq_ctrl, on both cores */
#define TTM_L1_PREFETCH_Q 0x11000u        /* prefetcher: uint32_t[TTM_PREFETCH_Q_ENTRIES] */
#define TTM_L1_SUB_QUEUE 0x12000u         /* dispatcher: struct ttm_sub_cmd ring */
#define TTM_L1_CQ_SCRATCH 0x14000u        /* small staging words */
#define TTM_L1_PREFETCH_BUF 0x20000u      /* prefetcher: one record fetched from the host */
#define TTM_L1_DISPATCH_RING 0x40000u     /* dispatcher: records from the prefetcher */
#define TTM_DISPATCH_RING_SIZE (256u << 10)
#define TTM_L1_DISPATCH_DATA 0x80000u     /* dispatcher: staging for paged reads */
#define TTM_DISPATCH_DATA_SIZE (64u << 10)
#define TTM_SUB_QUEUE_ENTRIES 16u

/* Overlay streams the dispatcher uses as counters: SPACE_AVAILABLE counts, a write of
 * TTM_STREAM_INC to SPACE_AVAILABLE_UPDATE adds one (device-facts 6, host-facts 4.10). */
#define TTM_STREAM_DONE 48u               /* workers' DONE count */
#define TTM_STREAM_RECORDS 49u            /* records the prefetcher has delivered */
#define TTM_STREAM_INC (1u << BH_STREAM_SPACE_AVAILABLE_UPDATE_SHIFT)

/* Configuration and state shared by the host and the dispatch firmware. The host fills
 * the configuration before releasing the cores; counters then move as commented. */
struct ttm_cq_ctrl {
    /* configuration */
    uint32_t host_lo, host_hi;            /* NoC address of the host CQ memory (bit 60 set) */
    uint8_t pcie_x, pcie_y;               /* PCIe tile */
    uint8_t prefetch_x, prefetch_y;       /* prefetcher core */
    uint8_t dispatch_x, dispatch_y;       /* dispatcher core */
    uint8_t n_go_rects, pad0;
    uint8_t go_rect[4][4];                /* all workers: x0, y0, x1, y1 (translated) */
    /* dispatcher-ring bytes consumed (dispatcher, by NoC atomic): the first word of a
     * 16-byte line, the only word Tenstorrent's simulator increments atomically */
    uint32_t pf_ring_freed;
    uint32_t n_workers;
    uint32_t pad1[2];
    /* prefetcher state */
    uint32_t pf_records;                  /* records fetched (prefetcher) */
    uint32_t pf_issue_rd;                 /* issue-ring bytes consumed (prefetcher) */
    uint32_t pf_ring_wr;                  /* dispatcher-ring bytes produced (prefetcher) */
    uint32_t pad3;
    /* dispatcher state */
    uint32_t dp_records;                  /* records executed (dispatcher) */
    uint32_t dp_completion_wr;            /* completion bytes produced (dispatcher) */
    uint32_t dp_completion_rd;            /* completion bytes consumed (host, through a window) */
    uint32_t dp_error;                    /* nonzero once a record was refused */
    uint32_t sub_wr, sub_rd;              /* subordinate queue: dispatcher / NCRISC */
    uint32_t sub_gos;                     /* GO signals sent (NCRISC) */
    uint32_t postcode[3];                 /* prefetcher, dispatcher, subordinate */
    uint32_t pad2[2];
};

/* Record: a header and commands back to back, each 16-byte aligned. */
#define TTM_CQ_RECORD_MAGIC 0x7E5Cu
struct ttm_cq_record {
    uint16_t magic;                       /* TTM_CQ_RECORD_MAGIC; anything else is refused */
    uint16_t n_cmds;
    uint32_t size;                        /* bytes, including this header */
    uint32_t seq;                         /* record number, for error reports */
    uint32_t pad;
};

enum ttm_cq_cmd_id {
    TTM_CQ_WRITE_LINEAR = 1,              /* payload -> one tile (L1, DRAM) or a worker rectangle */
    TTM_CQ_WRITE_PACKED = 2,              /* one payload per core, same address */
    TTM_CQ_WAIT = 3,                      /* until the DONE count or a local word reaches a value */
    TTM_CQ_GO = 4,                        /* hand a GO to the subordinate */
    TTM_CQ_EVENT = 5,                     /* completion entry once everything before is done */
    TTM_CQ_TIMESTAMP = 6,                 /* completion entry with the wall clock */
    TTM_CQ_READ_LINEAR = 7,               /* bytes of one tile -> completion ring */
    TTM_CQ_CMD_LAST = TTM_CQ_READ_LINEAR,
};

/* Every command starts with these 32 bytes; len covers header and payload (16-aligned). */
/* A tile's translated NoC coordinates packed as a NIU takes them (device-facts 4.3). */
#define TTM_NOC_XY(x, y) ((uint32_t)(x) | (uint32_t)(y) << 6)

struct ttm_cq_cmd {
    uint8_t id;
    uint8_t flags;
    uint16_t count;                       /* WRITE_PACKED: cores */
    uint32_t len;
    uint32_t arg[6];                      /* per command, below */
};
/* WRITE_LINEAR: arg0 = x0 | y0 << 8 | x1 << 16 | y1 << 24 (one tile: x0 == x1, y0 == y1;
 *   a rectangle holds worker tiles only, each of which acknowledges), arg1/arg2 = address low/high, arg3 =
 *   bytes; the payload follows the header.
 * WRITE_PACKED: arg1 = L1 address, arg3 = bytes per core (at most 16 KiB); then count
 *   NoC xy words (x | y << 6, as the NIU takes them), padded to 16 bytes, then count payloads of arg3 bytes rounded up to 16.
 * WAIT: flags TTM_CQ_WAIT_MEM: until the word at L1 arg1 of the dispatcher is >= arg0;
 *   else until the DONE count reaches arg0 (17-bit, wrapping).
 * GO: arg0 = DONE count to reach first, arg1 = GO word (TTM_GO_WORD_DEV).
 * EVENT: arg0 = DONE count to reach first, arg1 = event id.
 * TIMESTAMP: arg1 = id.
 * READ_LINEAR: arg0 = x | y << 8, arg1/arg2 = address, arg3 = bytes (at most
 *   TTM_CQ_MAX_READ), arg4 = id; answered by a READ entry whose data starts at the first
 *   byte asked for. */
#define TTM_CQ_WAIT_MEM 1u
#define TTM_CQ_MAX_READ (16u << 10)

/* Completion ring entries, 64-byte aligned. */
enum ttm_cq_completion_kind {
    TTM_CQ_DONE_EVENT = 1,
    TTM_CQ_DONE_TIMESTAMP = 2,
    TTM_CQ_DONE_READ = 3,                 /* data follows the header */
    TTM_CQ_DONE_ERROR = 4,                /* the dispatcher refused a record and stopped */
    TTM_CQ_DONE_WRAP = 5,                 /* continue at the ring start */
};
struct ttm_cq_completion {
    uint32_t kind;
    uint32_t len;                         /* bytes including this header, 64-aligned */
    uint32_t id;                          /* event / read id, or the refused record's seq */
    uint32_t value;                       /* timestamp low word, or error code */
    uint32_t value_hi;
    uint32_t data_len;                    /* READ: bytes of data after the 64-byte header */
    uint32_t offset;                      /* ERROR: byte offset of the refused command */
    uint32_t pad[9];
};

/* Error codes in an ERROR entry. */
enum ttm_cq_error {
    TTM_CQ_ERR_RECORD = 1,                /* bad record header (magic, size) */
    TTM_CQ_ERR_COMMAND = 2,               /* unknown command id */
    TTM_CQ_ERR_LENGTH = 3,                /* command length or count out of range */
    TTM_CQ_ERR_TARGET = 4,                /* address or coordinates out of range */
};

/* Dispatcher -> subordinate: one GO to send once the DONE count reaches target. */
struct ttm_sub_cmd {
    uint32_t target;
    uint32_t go_word;
};

#define TTM_ABI_ASSERT(what) _Static_assert(what, #what)
TTM_ABI_ASSERT(sizeof(struct ttm_launch_msg) == 64);
TTM_ABI_ASSERT(offsetof(struct ttm_launch_msg, rta_offset) == 4);
TTM_ABI_ASSERT(offsetof(struct ttm_launch_msg, crta_offset) == 14);
TTM_ABI_ASSERT(offsetof(struct ttm_launch_msg, local_cb_offset) == 24);
TTM_ABI_ASSERT(offsetof(struct ttm_launch_msg, sem_addr) == 28);
TTM_ABI_ASSERT(offsetof(struct ttm_launch_msg, kernel_text_offset) == 32);
TTM_ABI_ASSERT(offsetof(struct ttm_launch_msg, local_cb_mask) == 52);
TTM_ABI_ASSERT(offsetof(struct ttm_launch_msg, enables) == 56);
TTM_ABI_ASSERT(offsetof(struct ttm_launch_msg, noc) == 58);
TTM_ABI_ASSERT(offsetof(struct ttm_launch_msg, host_id) == 60);
TTM_ABI_ASSERT(offsetof(struct ttm_mailbox, go) == 0);
TTM_ABI_ASSERT(offsetof(struct ttm_mailbox, ncrisc_sync) == 8);
TTM_ABI_ASSERT(offsetof(struct ttm_mailbox, logical_x) == 16);
TTM_ABI_ASSERT(offsetof(struct ttm_mailbox, postcode) == 20);
TTM_ABI_ASSERT(offsetof(struct ttm_mailbox, launch) == 64);
TTM_ABI_ASSERT(sizeof(struct ttm_mailbox) == 64 + 64 * TTM_LAUNCH_RING);
TTM_ABI_ASSERT(TTM_L1_MAILBOX + sizeof(struct ttm_mailbox) <= TTM_L1_BANK_TABLE);
TTM_ABI_ASSERT(sizeof(struct ttm_bank_table) == 8 + 2 * (TTM_MAX_DRAM_BANKS + TTM_MAX_L1_BANKS));
TTM_ABI_ASSERT(TTM_L1_BANK_TABLE + sizeof(struct ttm_bank_table) <= TTM_L1_FW_BRISC);
TTM_ABI_ASSERT(TTM_L1_FW_BRISC + TTM_L1_FW_SIZE <= TTM_L1_FW_NCRISC);
TTM_ABI_ASSERT(TTM_L1_FW_NCRISC + TTM_L1_FW_SIZE <= TTM_L1_FW_TRISC0);
TTM_ABI_ASSERT(TTM_L1_FW_TRISC0 + TTM_L1_FW_TRISC_SIZE <= TTM_L1_FW_TRISC1);
TTM_ABI_ASSERT(TTM_L1_FW_TRISC1 + TTM_L1_FW_TRISC_SIZE <= TTM_L1_FW_TRISC2);
TTM_ABI_ASSERT(TTM_L1_FW_TRISC2 + TTM_L1_FW_TRISC_SIZE <= TTM_L1_TRACE);
TTM_ABI_ASSERT(sizeof(struct ttm_trace_event) == 16);
TTM_ABI_ASSERT(sizeof(struct ttm_trace_ring) == 16 + 16 * TTM_TRACE_EVENTS);
TTM_ABI_ASSERT(sizeof(struct ttm_print_ring) == 16 + TTM_PRINT_RING);
TTM_ABI_ASSERT(TTM_PRINT_RING_ADDR(BH_CORES_PER_TILE) <= TTM_L1_KERNEL_CONFIG);
TTM_ABI_ASSERT(offsetof(struct ttm_mailbox, trisc_sync) == 56);
TTM_ABI_ASSERT(TTM_L1_KERNEL_CONFIG + TTM_L1_KERNEL_CONFIG_SIZE == TTM_L1_UNRESERVED);
TTM_ABI_ASSERT(sizeof(struct ttm_cb_config) == 16);
TTM_ABI_ASSERT(sizeof(struct ttm_cb_state) == 32);
TTM_ABI_ASSERT(offsetof(struct ttm_kctx, reads_issued) == 24);
TTM_ABI_ASSERT(offsetof(struct ttm_kctx, cb) == 64);
TTM_ABI_ASSERT(sizeof(struct ttm_kctx) == 64 + 32 * TTM_MAX_CBS);
/* Firmware data starts after the kernel context (firmware/link.ld). */
#define TTM_KCTX_DATA_END (TTM_KCTX_ADDR + 0x480u)
TTM_ABI_ASSERT(TTM_KCTX_ADDR + sizeof(struct ttm_kctx) <= TTM_KCTX_DATA_END);
TTM_ABI_ASSERT(offsetof(struct ttm_mailbox, t_go) == 44);
TTM_ABI_ASSERT(sizeof(struct ttm_cq_ctrl) == 112);
TTM_ABI_ASSERT(offsetof(struct ttm_cq_ctrl, pf_records) == 48);
TTM_ABI_ASSERT(offsetof(struct ttm_cq_ctrl, pf_ring_freed) % 16 == 0); /* NoC atomic target */
TTM_ABI_ASSERT(offsetof(struct ttm_cq_ctrl, dp_records) == 64);
TTM_ABI_ASSERT(offsetof(struct ttm_cq_ctrl, postcode) == 92);
TTM_ABI_ASSERT(sizeof(struct ttm_cq_record) == 16);
TTM_ABI_ASSERT(sizeof(struct ttm_cq_cmd) == 32);
TTM_ABI_ASSERT(sizeof(struct ttm_cq_completion) == 64);
TTM_ABI_ASSERT(sizeof(struct ttm_sub_cmd) == 8);
TTM_ABI_ASSERT((TTM_CQ_ISSUE_SIZE & (TTM_CQ_ISSUE_SIZE - 1)) == 0);
TTM_ABI_ASSERT((TTM_CQ_COMPLETION_SIZE & (TTM_CQ_COMPLETION_SIZE - 1)) == 0);
TTM_ABI_ASSERT((TTM_DISPATCH_RING_SIZE & (TTM_DISPATCH_RING_SIZE - 1)) == 0);
/* Every record the prefetch queue can hold fits the issue ring at once. */
TTM_ABI_ASSERT((TTM_PREFETCH_Q_ENTRIES + 1) * TTM_CQ_MAX_RECORD <= TTM_CQ_ISSUE_SIZE);
TTM_ABI_ASSERT(TTM_CQ_MAX_RECORD / 16 <= 0xFFFF);
TTM_ABI_ASSERT(TTM_CQ_MAX_RECORD <= TTM_L1_DISPATCH_RING - TTM_L1_PREFETCH_BUF);
TTM_ABI_ASSERT(TTM_L1_CQ_CTRL + sizeof(struct ttm_cq_ctrl) <= TTM_L1_PREFETCH_Q);
TTM_ABI_ASSERT(TTM_L1_PREFETCH_Q + 4 * TTM_PREFETCH_Q_ENTRIES <= TTM_L1_SUB_QUEUE);
TTM_ABI_ASSERT(TTM_L1_SUB_QUEUE + 8 * TTM_SUB_QUEUE_ENTRIES <= TTM_L1_CQ_SCRATCH);
TTM_ABI_ASSERT(TTM_L1_DISPATCH_RING + TTM_DISPATCH_RING_SIZE <= TTM_L1_DISPATCH_DATA);
TTM_ABI_ASSERT(TTM_L1_DISPATCH_DATA + TTM_DISPATCH_DATA_SIZE <= TTM_L1_END);

#endif
