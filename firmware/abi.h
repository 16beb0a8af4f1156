/* The contract between the host runtime, our firmware and kernels running on a Tensix
 * worker: L1 layout, mailbox, launch message, kernel-config image and the kernel context
 * in each core's local data RAM. This header is compiled by the host (gcc/clang, x86) and
 * by the firmware and kernels (clang, rv32); every size and offset is pinned by a static
 * assertion so the two sides cannot drift apart.
 *
 * Only the addresses the hardware fixes come from the chip (BRISC starts at L1 0; local
 * data RAM at 0xFFB00000, 8 KiB on BRISC/NCRISC; overlay stream registers); everything
 * else is ours.
 */
#ifndef TTM_FIRMWARE_ABI_H
#define TTM_FIRMWARE_ABI_H

#include <stddef.h>
#include <stdint.h>

#define TTM_FW_ABI_VERSION 1u

/* ---- Worker L1 map ---- */
#define TTM_L1_BOOT 0x00000u            /* BRISC's reset PC: one JAL to the firmware */
#define TTM_L1_NOC_SCRATCH 0x00010u     /* 16 B: NoC atomic return values */
#define TTM_L1_MAILBOX 0x00040u         /* struct ttm_mailbox */
#define TTM_L1_BANK_TABLE 0x00800u      /* struct ttm_bank_table */
#define TTM_L1_FW_BRISC 0x01000u        /* BRISC firmware image (text, rodata, data) */
#define TTM_L1_FW_NCRISC 0x04000u       /* NCRISC firmware image */
#define TTM_L1_FW_SIZE 0x03000u         /* room for each image */
#define TTM_L1_KERNEL_CONFIG 0x10000u   /* kernel-config images of launches in flight */
#define TTM_L1_KERNEL_CONFIG_SIZE 0x30000u
#define TTM_L1_UNRESERVED 0x40000u      /* first byte for buffers and circular buffers */
#define TTM_L1_END 0x180000u

/* ---- Processors of a worker ---- */
enum ttm_proc { TTM_PROC_BRISC, TTM_PROC_NCRISC, TTM_PROC_TRISC0, TTM_PROC_TRISC1,
                TTM_PROC_TRISC2, TTM_PROCS };

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

#define TTM_DISPATCH_MODE_HOST 1u /* slow dispatch: the host polls GO for DONE */

#define TTM_LAUNCH_RING 8u
#define TTM_MAX_CBS 32u
#define TTM_MAX_SEMS 16u
#define TTM_MAX_DRAM_BANKS 8u
#define TTM_MAX_L1_BANKS 140u

/* Everything a core needs to run one launch. Written by the host (or a dispatcher) into
 * the mailbox ring; the firmware reads it after GO. */
struct ttm_launch_msg {
    uint32_t kernel_config_base;          /* L1 address of this launch's config image */
    uint16_t rta_offset[TTM_PROCS];       /* unique runtime args, from the image base */
    uint16_t crta_offset[TTM_PROCS];      /* common runtime args */
    uint16_t local_cb_offset;             /* struct ttm_cb_config[] */
    uint16_t remote_cb_offset;            /* reserved: no remote CBs yet */
    uint16_t sem_offset;                  /* semaphores, 16 B apart */
    uint16_t pad0;
    uint32_t kernel_text_offset[TTM_PROCS];
    uint32_t local_cb_mask;               /* bit i: CB i configured */
    uint8_t enables;                      /* bit p: processor p runs a kernel */
    uint8_t mode;                         /* TTM_DISPATCH_MODE_* */
    uint8_t noc[2];                       /* NoC index of the BRISC / NCRISC kernel */
    uint32_t host_id;                     /* program id, for fault reports */
};

struct ttm_mailbox {
    uint32_t go;                          /* GO message */
    uint32_t launch_rd_ptr;               /* next ring slot the firmware runs */
    uint32_t ncrisc_sync;                 /* BRISC -> NCRISC GO, NCRISC -> BRISC DONE */
    uint32_t fw_version;                  /* TTM_FW_ABI_VERSION once firmware booted */
    uint8_t logical_x, logical_y;         /* this worker, written by the host at boot */
    uint8_t noc_x, noc_y;                 /* translated NoC coordinates */
    uint32_t postcode[2];                 /* last progress marker of BRISC, NCRISC */
    uint32_t launches;                    /* launches completed since boot */
    uint32_t pad[8];
    struct ttm_launch_msg launch[TTM_LAUNCH_RING];
};

/* Progress markers firmware leaves in mailbox postcode[] (for hang reports). */
enum ttm_postcode {
    TTM_PC_BOOT = 0x100,
    TTM_PC_IDLE = 0x200,       /* waiting for GO */
    TTM_PC_SETUP = 0x300,      /* reading the launch message, setting up CBs */
    TTM_PC_KERNEL = 0x400,     /* inside the kernel */
    TTM_PC_WAIT_NCRISC = 0x500,/* BRISC waiting for NCRISC's DONE */
};

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

#define TTM_CB_STREAM(i) (8u + (i))
#define TTM_STREAM_REG_ADDR(stream, reg) (0xFFB40000u + 0x1000u * (stream) + 4u * (reg))
#define TTM_CB_PUSHED_REG 10u  /* STREAM_REMOTE_DEST_BUF_SIZE */
#define TTM_CB_POPPED_REG 8u   /* STREAM_REMOTE_DEST_BUF_START */

/* Kernel context: at the bottom of every core's local data RAM, filled by the firmware
 * before it calls the kernel. Kernels read it through TTM_KCTX (include/ttm/kernel). */
#define TTM_KCTX_ADDR 0xFFB00000u
struct ttm_kctx {
    uint32_t rta;                 /* L1 address of this core's runtime args */
    uint32_t crta;                /* L1 address of the common runtime args */
    uint32_t config_base;         /* L1 address of the launch's config image */
    uint32_t sem_base;            /* L1 address of semaphore 0 */
    uint8_t noc;                  /* NIU the kernel uses */
    uint8_t cmd_wr, cmd_rd;       /* its command buffers (BRISC 0/1, NCRISC 2/3) */
    uint8_t proc;                 /* enum ttm_proc */
    uint8_t noc_x, noc_y;         /* this worker's translated coordinates */
    uint8_t logical_x, logical_y;
    uint32_t reads_issued;        /* NoC counter shadows, seeded at kernel start */
    uint32_t nonposted_issued;
    uint32_t acks_expected;
    uint32_t atomics_expected;
    uint32_t pad[6];
    struct ttm_cb_state cb[TTM_MAX_CBS];
};
#define TTM_KCTX ((volatile struct ttm_kctx *)TTM_KCTX_ADDR)

/* NoC command buffers per processor, so BRISC and NCRISC never share one. */
#define TTM_CMD_BUF_WR(proc) ((proc) == TTM_PROC_BRISC ? 0u : 2u)
#define TTM_CMD_BUF_RD(proc) ((proc) == TTM_PROC_BRISC ? 1u : 3u)

#define TTM_L1_ALIGN 16u
#define TTM_DRAM_ALIGN 64u

#define TTM_ABI_ASSERT(what) _Static_assert(what, #what)
TTM_ABI_ASSERT(sizeof(struct ttm_launch_msg) == 64);
TTM_ABI_ASSERT(offsetof(struct ttm_launch_msg, rta_offset) == 4);
TTM_ABI_ASSERT(offsetof(struct ttm_launch_msg, crta_offset) == 14);
TTM_ABI_ASSERT(offsetof(struct ttm_launch_msg, local_cb_offset) == 24);
TTM_ABI_ASSERT(offsetof(struct ttm_launch_msg, sem_offset) == 28);
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
TTM_ABI_ASSERT(TTM_L1_FW_NCRISC + TTM_L1_FW_SIZE <= TTM_L1_KERNEL_CONFIG);
TTM_ABI_ASSERT(TTM_L1_KERNEL_CONFIG + TTM_L1_KERNEL_CONFIG_SIZE == TTM_L1_UNRESERVED);
TTM_ABI_ASSERT(sizeof(struct ttm_cb_config) == 16);
TTM_ABI_ASSERT(sizeof(struct ttm_cb_state) == 32);
TTM_ABI_ASSERT(offsetof(struct ttm_kctx, reads_issued) == 24);
TTM_ABI_ASSERT(offsetof(struct ttm_kctx, cb) == 64);
TTM_ABI_ASSERT(sizeof(struct ttm_kctx) == 64 + 32 * TTM_MAX_CBS);
/* The kernel context plus firmware data and stack must fit BRISC/NCRISC's 8 KiB. */
TTM_ABI_ASSERT(sizeof(struct ttm_kctx) <= 0x800);

#endif
