/* The layout fp_ops.c and its hosts share: operand triples in, one word per operation
 * out. */
#pragma once

#define FP_COUNT 0x20000   /* number of triples */
#define FP_MOVED 0x20004   /* the first operand, through flw and fsw */
#define FP_IN 0x20100      /* triples {a, b, c} */
#define FP_MAX 512
#define FP_OUT 0x30000     /* FP_OPS words per triple */

enum fp_op {
    FP_ADD, FP_SUB, FP_MUL, FP_MADD, FP_MSUB, FP_NMSUB, FP_NMADD, FP_SGNJ, FP_SGNJN,
    FP_SGNJX, FP_MIN, FP_MAX_OP, FP_EQ, FP_LT, FP_LE, FP_CVT_W, FP_CVT_WU, FP_CVT_S_W,
    FP_CVT_S_WU, FP_CLASS, FP_PACK, FP_BREV8, FP_OPS
};
