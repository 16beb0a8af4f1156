/* Contract between rv32 test programs and the host side (tests/emu_util.h): a program
 * writes its results from RV_SIG on, then RV_DONE_PASS (or RV_DONE_FAIL | case number)
 * to RV_DONE, then spins. */
#pragma once
#define RV_DONE 0xFFF0
#define RV_SIG 0x10000
#define RV_DONE_PASS 0x600D
#define RV_DONE_FAIL 0xBAD00000
