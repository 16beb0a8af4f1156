/* Execute-in-place packing of kernels: the PT_LOAD segments of a parsed ELF become one
 * blob that runs wherever it is copied in L1 (16-byte aligned), e.g. at a launch's
 * kernel_text_offset in the kernel-config image.
 *
 * Why this works: kernels are built with -mcmodel=medany and -fno-pic, so every code
 * reference to the kernel's own code and data is PC-relative (auipc pairs, branches,
 * calls) and stays right when the whole image moves. What does not move by itself is an
 * absolute data word holding an address inside the image (R_RISCV_32, e.g. a static
 * pointer initialised with &var); the linker's -Wl,--emit-relocs keeps the .rela.*
 * sections that say where those words are, and xip_relocate adds the displacement to
 * them. Anything that would break when moved is refused with an explanation: absolute
 * code relocations (-mcmodel=medlow), PC-relative references to fixed addresses outside
 * the image, SHT_REL sections, relocation types we do not know.
 *
 * Unlike a plain concatenation of the segments, the blob keeps their link-time layout
 * (byte vaddr - link_vaddr holds vaddr), because the PC-relative offsets between them were
 * fixed by the linker; alignment gaps between segments are zero-filled.
 *
 * Errors as in elf.h ("ELF: ..."): -EINVAL for files we cannot pack, -E2BIG for an image
 * spanning more than XIP_MAX_SPAN bytes, -ENOMEM.
 */
#pragma once

#include "../util/err.h"

#include <stdint.h>

#include "elf.h"

#define XIP_MAX_SPAN (1u << 20) /* L1 is 1.5 MiB; a kernel needs far less */
#define XIP_MAX_GAP 0x1000u     /* larger gaps are not from section alignment */
#define XIP_ALIGN 16u           /* blob size granule and required load alignment */

struct xip_image {
    uint8_t *data;          /* size bytes: segments at vaddr - link_vaddr, zeros elsewhere */
    uint32_t size;          /* multiple of XIP_ALIGN */
    uint32_t link_vaddr;    /* address the blob's byte 0 was linked at */
    uint32_t entry_offset;  /* entry - link_vaddr */
    uint32_t *abs_relocs;   /* offsets in data of the 32-bit words to rebase */
    uint32_t n_abs_relocs;
};

/* Pack `img` (from elf_parse) into *out, which the caller frees with xip_free. Requires:
 * p_paddr == p_vaddr for every segment (there is no startup code to copy anything),
 * the first segment 16-byte aligned (so the blob keeps the linker's alignments up to 16 when
 * loaded at a 16-byte-aligned base), gaps below XIP_MAX_GAP, a span of at most XIP_MAX_SPAN,
 * a valid section header table, and relocations as described above. Segments with
 * memsz 0 are skipped. On failure *out is zeroed. */
MUST_CHECK int xip_pack(const struct elf_image *img, struct xip_image *out);

/* Rebase a copy of x->data (x->size bytes) to run at `base` (16-byte aligned): each word
 * in abs_relocs gets base - link_vaddr added, modulo 2^32. The linker already stored
 * S + A in those words (with --emit-relocs the addend is applied in the output, and the
 * RELA addend is only kept for reference), so adding the displacement is all there is
 * to do. With base == link_vaddr the copy is unchanged. */
void xip_relocate(const struct xip_image *x, uint8_t *copy, uint32_t base);

/* Release what xip_pack allocated and zero *x; safe on a zeroed or freed image. */
void xip_free(struct xip_image *x);
