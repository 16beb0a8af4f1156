/* Parsing and validation of the rv32 ELF executables that run on the chip's cores:
 * kernels (packed for execute-in-place by xip.h) and our firmware (uploaded by load
 * address). Nothing here trusts the file: every offset, size and address is checked
 * before it is used, so a corrupt or hostile file fails with a message instead of being
 * read out of bounds.
 *
 * Errors: functions return 0 or a negative errno and leave a sentence for
 * ttm_last_error() (src/util/err.h), always starting with "ELF: ".
 *   -EINVAL  the file is malformed, or is an ELF these cores cannot run
 *   -E2BIG   it exceeds a limit of ours (ELF_MAX_SEGMENTS)
 *   -ERANGE  elf_check_range: a segment lies outside the allowed range
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "../util/err.h"

#define ELF_MAX_SEGMENTS 16

/* p_flags bits (ELF gABI). */
#define ELF_PF_X 0x1u
#define ELF_PF_W 0x2u
#define ELF_PF_R 0x4u

/* One PT_LOAD segment: memory [vaddr, vaddr + memsz) holds the filesz bytes at `data`
 * followed by zeros. paddr is the load address (LMA): where the bytes are placed when it
 * differs from where the program uses them (firmware data that its startup code copies
 * to local RAM). */
struct elf_segment {
    uint32_t vaddr, paddr, filesz, memsz, flags;
    const uint8_t *data; /* filesz bytes inside the file given to elf_parse */
};

/* A parsed executable. It points into the caller's file, which must outlive it. The
 * segments are in program-header order (the gABI asks for ascending vaddr but we do not
 * rely on it); n_segments >= 1. */
struct elf_image {
    uint32_t entry;
    unsigned n_segments;
    struct elf_segment seg[ELF_MAX_SEGMENTS];
    const uint8_t *file;
    size_t file_size;
};

/* Parse and validate a whole file. Accepted: ELFCLASS32, little-endian, EV_CURRENT,
 * ET_EXEC (ET_DYN is refused: kernels and firmware are linked -static at fixed addresses
 * and nothing here applies dynamic relocations), EM_RISCV, and e_flags with soft-float,
 * no RVC (the cores have no compressed instructions), no RVE (our firmware calls with
 * ilp32) and no reserved bit. Every PT_LOAD must have filesz <= memsz, its file bytes
 * inside the file (an empty range is not checked: its offset means nothing), vaddr +
 * memsz and paddr + memsz at most 2^32 and no vaddr overlap with another PT_LOAD; there
 * must be 1..ELF_MAX_SEGMENTS of them, and the entry must be a 4-byte-aligned address
 * inside the file bytes of an executable one. Other program-header types are ignored.
 * On failure *out is unspecified. */
MUST_CHECK int elf_parse(const void *file, size_t size, struct elf_image *out);

/* Check that every segment lies within [lo, hi), so an image fits its slot.
 * by_paddr == 0: the run-time footprint [vaddr, vaddr + memsz).
 * by_paddr != 0: what an upload by load address writes, [paddr, paddr + filesz); these
 *   must not overlap either. The zeros beyond filesz (.bss) are not counted: they are the
 *   startup code's job at vaddr (firmware data and .bss live in local RAM).
 * Segments with an empty footprint are ignored. Returns 0, -ERANGE (outside) or -EINVAL
 * (overlapping load ranges). */
MUST_CHECK int elf_check_range(const struct elf_image *img, uint32_t lo, uint32_t hi,
                               int by_paddr);

/* Little-endian field readers for code that walks ELF structures; the caller has
 * checked that the bytes are inside the file. */
static inline uint16_t elf_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t elf_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
