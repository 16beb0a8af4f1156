/* The coprocessor's faults: an instruction Tenstorrent's simulator refuses stops the
 * thread that pushed it and is reported against that thread's TRISC. */
#include <stdarg.h>
#include <stdio.h>

#include "cop.h"

enum cop_exec cop_refuse(struct tt_cop *cop, unsigned th, uint32_t insn, const char *fmt, ...)
{
    char what[80];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    struct emu_src src = bhe_unit_src(cop_core(cop, th));
    bhe_fault(cop->tile->emu, BHEMU_FAULT_TENSIX, &src, insn, "Tensix 0x%08x: %s", insn, what);
    cop->th[th].dead = true;
    return EXEC_FAULT;
}
