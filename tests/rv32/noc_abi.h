/* What the noc_*.c programs and tests/emu/noc.c agree on: where the host leaves each
 * tile's parameters before releasing BRISC, and where the programs leave their results.
 * Plain #defines, so the host test can include this file too. Every tile runs the same
 * binary; the parameters make the difference. */
#pragma once

#include "rvtest.h"

#define NOC_PARAM (RV_SIG + 0x100)     /* per-tile parameter words, NOC_PARAM + 4 * i */

/* ---- noc_script: a list of NoC requests and waits, run in order ----
 * NOC_PARAM holds the number of ops; op i is NOC_OP_WORDS words at NOC_OPS + 64 * i. */
#define NOC_OPS (RV_SIG + 0x200)
#define NOC_OP_WORDS 16
#define NOC_MAX_OPS 64

enum noc_op_kind {
    NOC_OP_READ = 1,      /* (xy, raddr) -> L1 laddr, len */
    NOC_OP_WRITE,         /* L1 laddr -> (xy, raddr), len, flags */
    NOC_OP_MCAST,         /* L1 laddr -> rectangle xy at raddr, len, flags */
    NOC_OP_ATOMIC,        /* (xy, raddr) += data within arg + 1 bits, old value -> laddr */
    NOC_OP_INLINE,        /* (xy, raddr) = data */
    NOC_OP_WAIT_EQ,       /* wait until the word at laddr (L1 or a register) == data */
    NOC_OP_STORE,         /* word at laddr (L1 or a register) = data, by the core */
    NOC_OP_WAIT_COUNTER,  /* wait until counter arg of NIU noc reaches data */
    NOC_OP_SNAP,          /* copy NIU noc's counters 0..0xB to L1 laddr */
    NOC_OP_RAW,           /* write the command registers straight from the op, then fire */
    NOC_OP_WAIT_SINCE,    /* wait until counter arg of NIU noc has advanced by data since
                           * the script began (counters run on across scripts) */
};

/* Word index within an op. */
#define NOC_OPW_KIND 0
#define NOC_OPW_NOC 1
#define NOC_OPW_CB 2
#define NOC_OPW_FLAGS 3     /* extra NOC_CTRL bits */
#define NOC_OPW_XY 4        /* remote coordinate word (NOC_XY or NOC_RECT) */
#define NOC_OPW_RADDR_LO 5
#define NOC_OPW_RADDR_HI 6  /* bits 63:32 of the remote address (35:32 and 60 are used) */
#define NOC_OPW_LADDR 7
#define NOC_OPW_LEN 8
#define NOC_OPW_DATA 9
#define NOC_OPW_ARG 10
/* NOC_OP_RAW: words 3..11 are TARG_LO, TARG_MID, TARG_HI, RET_LO, RET_MID, RET_HI, CTRL,
 * AT_LEN_BE, AT_DATA. */
#define NOC_OPW_RAW 3

/* noc_script results. */
#define NOC_RES_CNT(noc) (RV_SIG + 0x40 * (noc))   /* counters 0..0xB at the end */
/* The counters among 0..0xB a core may read (ttsim models only these; emu/niu.c refuses
 * the others as it does): 0 atomic responses, 1 write acks, 2 read responses, 7 posted
 * atomics, 0xA non-posted writes, 0xB posted writes. The others stay 0 in the results. */
#define NOC_MODELLED_COUNTERS 0xC87u
#define NOC_RES_ID_LOGICAL(noc) (RV_SIG + 0x80 + 4 * (noc))
#define NOC_RES_NODE_ID(noc) (RV_SIG + 0x88 + 4 * (noc))
#define NOC_RES_OPS_DONE (RV_SIG + 0x90)           /* ops completed so far */
#define NOC_RES_FIRE_PC (RV_SIG + 0x94)            /* slot of the last fire (noc_lib.h) */
#define NOC_RES_CMD_CTRL (RV_SIG + 0x98)           /* OR of all eight NOC_CMD_CTRL reads */
#define NOC_RES_NIU_CFG(noc) (RV_SIG + 0xA0 + 4 * (noc))     /* NIU_CFG_0 */
#define NOC_RES_OUTSTANDING(noc) (RV_SIG + 0xA8 + 4 * (noc)) /* REQS_OUTSTANDING_ID0 */
/* The store that fires sits two instructions after the recorded auipc. */
#define NOC_FIRE_PC_OFFSET 8

/* ---- noc_atomic: iterations of a non-posted NoC increment on one remote counter ---- */
#define NOC_AT_P_XY 0         /* counter's tile */
#define NOC_AT_P_ADDR 1       /* counter's L1 address */
#define NOC_AT_P_ITERS 2
#define NOC_AT_P_NOC 3
#define NOC_AT_P_SEED 4       /* non-zero: pseudo-random delay between increments */
#define NOC_AT_P_CB 5
#define NOC_AT_RECORD 0x40000 /* old value returned by increment i at +4 * i */
#define NOC_AT_RET 0x3FFF0    /* where the NIU leaves each old value */
#define NOC_AT_R_RESP (RV_SIG + 0)    /* ATOMIC_RESP_RECEIVED at the end */
#define NOC_AT_R_ERRORS (RV_SIG + 4)  /* returned values that did not increase */

/* ---- noc_stream: the done-count pattern on overlay stream registers ---- */
#define NOC_ST_P_ROLE 0       /* 0 receiver, 1 sender */
#define NOC_ST_P_STREAM 1
#define NOC_ST_P_NOC 2
#define NOC_ST_P_PEER_XY 3    /* sender: the receiver */
#define NOC_ST_P_COUNT 4      /* sender: messages to send; receiver: total to wait for */
#define NOC_ST_P_INCR 5       /* sender: increment per message */
#define NOC_ST_P_NSENDERS 6   /* receiver: senders to acknowledge, xy at NOC_ST_P_SENDERS + i */
#define NOC_ST_P_SENDERS 8
#define NOC_ST_R_READY (RV_SIG + 0)     /* receiver: its stream is initialised */
#define NOC_ST_R_SEEN (RV_SIG + 4)      /* receiver: count seen; sender: acks seen */
#define NOC_ST_R_AFTER (RV_SIG + 8)     /* count after consuming it */
#define NOC_ST_R_POSTED (RV_SIG + 0xC)  /* POSTED_WR_REQ_SENT */
#define NOC_ST_R_NONPOSTED (RV_SIG + 0x10)
#define NOC_ST_R_ACKS (RV_SIG + 0x14)   /* WR_ACK_RECEIVED */

/* ---- noc_pingpong: two tiles hand a ball back and forth ---- */
#define NOC_PP_P_ROLE 0       /* 0 serves first */
#define NOC_PP_P_PEER_XY 1
#define NOC_PP_P_ROUNDS 2
#define NOC_PP_P_NOC 3
#define NOC_PP_P_GO 4         /* non-zero: wait for a non-zero word at NOC_PP_GO first */
#define NOC_PP_FLAG 0x20000   /* round number written by the peer */
#define NOC_PP_BALL 0x20040   /* 64-byte payload written by the peer before the flag */
#define NOC_PP_OUT 0x20100    /* staging: flag word at +0, ball at +0x40 */
#define NOC_PP_GO 0x20200
#define NOC_PP_BALL_WORDS 16
#define NOC_PP_R_ROUNDS (RV_SIG + 0)
#define NOC_PP_R_ERRORS (RV_SIG + 4)
#define NOC_PP_R_ACKS (RV_SIG + 8)
#define NOC_PP_R_START (RV_SIG + 0xC) /* wall clock (low word) before round 1 */
#define NOC_PP_R_END (RV_SIG + 0x10)   /* and after the last round */
/* Ball word k of round r sent by role s. */
#define NOC_PP_BALL_WORD(r, s, k)                                                       \
    ((uint32_t)(r) * 0x10001u ^ (uint32_t)(s) << 31 ^ (uint32_t)(k) * 0x9E3779B9u)
