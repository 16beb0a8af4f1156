/* ELF32 executables for the rv32 cores. Field offsets are those of Elf32_Ehdr and
 * Elf32_Phdr in the System V gABI; the RISC-V specifics (EM_RISCV, e_flags) come from the
 * RISC-V ELF psABI. The file is read byte by byte (elf_le16/elf_le32), so neither the
 * host's byte order nor the file's alignment matters, and every range is computed in 64
 * bits so that no sum of two 32-bit fields can wrap. */
#include "elf.h"

#include <errno.h>

#include "../util/err.h"

/* Elf32_Ehdr */
#define EH_SIZE 52u
#define EH_CLASS 4        /* e_ident[EI_CLASS] */
#define EH_DATA 5         /* e_ident[EI_DATA] */
#define EH_IDVERSION 6    /* e_ident[EI_VERSION] */
#define EH_TYPE 16
#define EH_MACHINE 18
#define EH_VERSION 20
#define EH_ENTRY 24
#define EH_PHOFF 28
#define EH_FLAGS 36
#define EH_PHENTSIZE 42
#define EH_PHNUM 44

/* Elf32_Phdr */
#define PH_SIZE 32u
#define PH_TYPE 0
#define PH_OFFSET 4
#define PH_VADDR 8
#define PH_PADDR 12
#define PH_FILESZ 16
#define PH_MEMSZ 20
#define PH_FLAGS 24

#define ELFCLASS32 1
#define ELFDATA2LSB 1
#define EV_CURRENT 1
#define ET_EXEC 2
#define ET_DYN 3
#define EM_RISCV 243
#define PT_LOAD 1

/* e_flags, RISC-V psABI "File Header". Bits above TSO are reserved. */
#define EF_RISCV_RVC 0x1u
#define EF_RISCV_FLOAT_ABI 0x6u   /* 0: soft, 2: single, 4: double, 6: quad */
#define EF_RISCV_RVE 0x8u
#define EF_RISCV_TSO 0x10u
#define EF_RISCV_KNOWN 0x1Fu

static int check_ident(const uint8_t *f, size_t size)
{
    if (size < EH_SIZE)
        return err_set(-EINVAL, "ELF: the file is %zu bytes, smaller than the %u-byte ELF "
                       "header", size, EH_SIZE);
    if (f[0] != 0x7F || f[1] != 'E' || f[2] != 'L' || f[3] != 'F')
        return err_set(-EINVAL, "ELF: bad magic %02x %02x %02x %02x (expected 7f 45 4c 46)",
                       f[0], f[1], f[2], f[3]);
    if (f[EH_CLASS] != ELFCLASS32)
        return err_set(-EINVAL, "ELF: class %u is not ELFCLASS32 (1)", f[EH_CLASS]);
    if (f[EH_DATA] != ELFDATA2LSB)
        return err_set(-EINVAL, "ELF: data encoding %u is not ELFDATA2LSB (1, "
                       "little-endian)", f[EH_DATA]);
    if (f[EH_IDVERSION] != EV_CURRENT)
        return err_set(-EINVAL, "ELF: identification version %u is not EV_CURRENT (1)",
                       f[EH_IDVERSION]);
    return 0;
}

/* e_flags describe the code's ISA and calling convention; refuse what the cores or our
 * firmware's ilp32 calls cannot run rather than fail later with an illegal instruction. */
static int check_flags(uint32_t flags)
{
    if (flags & EF_RISCV_RVC)
        return err_set(-EINVAL, "ELF: e_flags 0x%x has EF_RISCV_RVC: the cores do not "
                       "decode compressed instructions (build without the C extension)",
                       flags);
    if (flags & EF_RISCV_FLOAT_ABI)
        return err_set(-EINVAL, "ELF: e_flags 0x%x selects a hardware floating-point ABI; "
                       "the cores have no F extension (use -mabi=ilp32)", flags);
    if (flags & EF_RISCV_RVE)
        return err_set(-EINVAL, "ELF: e_flags 0x%x selects the RVE (ilp32e) ABI; the "
                       "firmware calls kernels with ilp32", flags);
    if (flags & ~EF_RISCV_KNOWN)
        return err_set(-EINVAL, "ELF: e_flags 0x%x has bits 0x%x that the RISC-V psABI "
                       "reserves", flags, flags & ~EF_RISCV_KNOWN);
    return 0;
}

static int check_header(const uint8_t *f)
{
    unsigned type = elf_le16(f + EH_TYPE), machine = elf_le16(f + EH_MACHINE);
    uint32_t version = elf_le32(f + EH_VERSION);
    if (type == ET_DYN)
        return err_set(-EINVAL, "ELF: type 3 (ET_DYN) is not ET_EXEC (2): link with "
                       "-static, not -pie or -shared");
    if (type != ET_EXEC)
        return err_set(-EINVAL, "ELF: type %u is not ET_EXEC (2)", type);
    if (machine != EM_RISCV)
        return err_set(-EINVAL, "ELF: machine %u is not RISC-V (%u)", machine, EM_RISCV);
    if (version != EV_CURRENT)
        return err_set(-EINVAL, "ELF: version %u is not EV_CURRENT (1)", version);
    return check_flags(elf_le32(f + EH_FLAGS));
}

/* Read and check one PT_LOAD program header into *s; `i` numbers it among the PT_LOADs. */
static int read_segment(const uint8_t *f, size_t size, const uint8_t *ph, unsigned i,
                        struct elf_segment *s)
{
    uint32_t off = elf_le32(ph + PH_OFFSET);
    s->vaddr = elf_le32(ph + PH_VADDR);
    s->paddr = elf_le32(ph + PH_PADDR);
    s->filesz = elf_le32(ph + PH_FILESZ);
    s->memsz = elf_le32(ph + PH_MEMSZ);
    s->flags = elf_le32(ph + PH_FLAGS);
    if (s->filesz > s->memsz)
        return err_set(-EINVAL, "ELF: segment %u has filesz 0x%x larger than memsz 0x%x",
                       i, s->filesz, s->memsz);
    if (s->filesz && (uint64_t)off + s->filesz > size)
        return err_set(-EINVAL, "ELF: segment %u file range [0x%x, 0x%llx) is beyond the "
                       "%zu-byte file", i, off, (unsigned long long)off + s->filesz, size);
    if ((uint64_t)s->vaddr + s->memsz > UINT64_C(1) << 32)
        return err_set(-EINVAL, "ELF: segment %u [0x%x, 0x%llx) runs past the 32-bit "
                       "address space", i, s->vaddr,
                       (unsigned long long)s->vaddr + s->memsz);
    if ((uint64_t)s->paddr + s->memsz > UINT64_C(1) << 32)
        return err_set(-EINVAL, "ELF: segment %u load range [0x%x, 0x%llx) runs past the "
                       "32-bit address space", i, s->paddr,
                       (unsigned long long)s->paddr + s->memsz);
    s->data = s->filesz ? f + off : f; /* an empty file range may point anywhere */
    return 0;
}

/* Collect the PT_LOAD segments; other program-header types (GNU_STACK, RISCV_ATTRIBUTES,
 * ...) say nothing about what to load. */
static int read_segments(const uint8_t *f, size_t size, struct elf_image *out)
{
    uint32_t phoff = elf_le32(f + EH_PHOFF);
    unsigned phentsize = elf_le16(f + EH_PHENTSIZE), phnum = elf_le16(f + EH_PHNUM);
    uint64_t end = (uint64_t)phoff + (uint64_t)phnum * PH_SIZE;
    if (phnum && phentsize != PH_SIZE)
        return err_set(-EINVAL, "ELF: program header size %u is not %u", phentsize, PH_SIZE);
    if (end > size)
        return err_set(-EINVAL, "ELF: program header table [0x%x, 0x%llx) is beyond the "
                       "%zu-byte file", phoff, (unsigned long long)end, size);
    out->n_segments = 0;
    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *ph = f + phoff + (size_t)i * PH_SIZE;
        int rc;
        if (elf_le32(ph + PH_TYPE) != PT_LOAD)
            continue;
        if (out->n_segments == ELF_MAX_SEGMENTS)
            return err_set(-E2BIG, "ELF: more than %d PT_LOAD segments", ELF_MAX_SEGMENTS);
        rc = read_segment(f, size, ph, out->n_segments, &out->seg[out->n_segments]);
        if (rc)
            return rc;
        out->n_segments++;
    }
    if (!out->n_segments)
        return err_set(-EINVAL, "ELF: no PT_LOAD segment among the %u program headers",
                       phnum);
    return 0;
}

static uint64_t seg_end(const struct elf_segment *s)
{
    return (uint64_t)s->vaddr + s->memsz;
}

/* Two segments sharing memory would make the result depend on upload order. Empty
 * segments occupy nothing. */
static int check_overlaps(const struct elf_image *img)
{
    for (unsigned i = 0; i < img->n_segments; i++) {
        const struct elf_segment *a = &img->seg[i];
        for (unsigned j = 0; j < i && a->memsz; j++) {
            const struct elf_segment *b = &img->seg[j];
            if (b->memsz && a->vaddr < seg_end(b) && b->vaddr < seg_end(a))
                return err_set(-EINVAL, "ELF: segment %u [0x%x, 0x%llx) overlaps segment "
                               "%u [0x%x, 0x%llx)", i, a->vaddr,
                               (unsigned long long)seg_end(a), j, b->vaddr,
                               (unsigned long long)seg_end(b));
        }
    }
    return 0;
}

/* The entry must be an instruction the file provides: inside the file bytes of a PF_X
 * segment, and 4-byte aligned since every instruction is 32 bits without RVC. */
static int check_entry(const struct elf_image *img)
{
    if (img->entry & 3)
        return err_set(-EINVAL, "ELF: entry 0x%x is not 4-byte aligned", img->entry);
    for (unsigned i = 0; i < img->n_segments; i++) {
        const struct elf_segment *s = &img->seg[i];
        if ((s->flags & ELF_PF_X) && img->entry >= s->vaddr &&
            img->entry - s->vaddr < s->filesz)
            return 0;
    }
    return err_set(-EINVAL, "ELF: entry 0x%x is not inside an executable segment",
                   img->entry);
}

int elf_parse(const void *file, size_t size, struct elf_image *out)
{
    const uint8_t *f = file;
    int rc = check_ident(f, size);
    if (!rc)
        rc = check_header(f);
    if (!rc)
        rc = read_segments(f, size, out);
    if (rc)
        return rc;
    out->entry = elf_le32(f + EH_ENTRY);
    out->file = f;
    out->file_size = size;
    rc = check_overlaps(out);
    return rc ? rc : check_entry(out);
}

/* See elf.h: the bytes a segment occupies at run time, or writes when uploaded. */
static uint32_t footprint(const struct elf_segment *s, int by_paddr, uint32_t *start)
{
    *start = by_paddr ? s->paddr : s->vaddr;
    return by_paddr ? s->filesz : s->memsz;
}

int elf_check_range(const struct elf_image *img, uint32_t lo, uint32_t hi, int by_paddr)
{
    const char *what = by_paddr ? "load range" : "memory";
    for (unsigned i = 0; i < img->n_segments; i++) {
        uint32_t a, alen = footprint(&img->seg[i], by_paddr, &a);
        if (!alen)
            continue;
        if (a < lo || (uint64_t)a + alen > hi)
            return err_set(-ERANGE, "ELF: segment %u %s [0x%x, 0x%llx) is outside [0x%x, "
                           "0x%x)", i, what, a, (unsigned long long)a + alen, lo, hi);
        for (unsigned j = 0; j < i; j++) {
            uint32_t b, blen = footprint(&img->seg[j], by_paddr, &b);
            if (blen && a < (uint64_t)b + blen && b < (uint64_t)a + alen)
                return err_set(-EINVAL, "ELF: segment %u %s [0x%x, 0x%llx) overlaps "
                               "segment %u [0x%x, 0x%llx)", i, what, a,
                               (unsigned long long)a + alen, j, b,
                               (unsigned long long)b + blen);
        }
    }
    return 0;
}
