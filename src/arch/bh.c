/* Blackhole fact tables (sources in bh.h). */
#include "bh.h"

const uint8_t bh_tensix_x[BH_TENSIX_COLS] = {1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 13, 14, 15, 16};

const uint8_t bh_harvest_bit_x[BH_TENSIX_COLS] = {1, 16, 2, 15, 3, 14, 4, 13, 5, 12, 6, 11, 7, 10};

const uint8_t bh_dram_port_xy[BH_DRAM_BANKS][BH_DRAM_PORTS][2] = {
    {{0, 0}, {0, 1}, {0, 11}}, {{0, 2}, {0, 10}, {0, 3}}, {{0, 9}, {0, 4}, {0, 8}},
    {{0, 5}, {0, 7}, {0, 6}},  {{9, 0}, {9, 1}, {9, 11}}, {{9, 2}, {9, 10}, {9, 3}},
    {{9, 9}, {9, 4}, {9, 8}},  {{9, 5}, {9, 7}, {9, 6}},
};

/* KMD blackhole.c: 2 MiB entry = addr[42:0] x_end[48:43] y_end[54:49] x_start[60:55]
 * y_start[66:61] noc[68:67] mcast[69] ordering[71:70] linked[72] static_vc[73];
 * the 4 GiB entry has the same fields after a 32-bit address. */
const struct bh_tlb_layout bh_tlb_2m_layout = {43, 43, 49, 55, 61, 67, 69, 70, 72, 73};
const struct bh_tlb_layout bh_tlb_4g_layout = {32, 32, 38, 44, 50, 56, 58, 59, 61, 62};
