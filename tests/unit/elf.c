/* The ELF loader and XIP packer: hand-made ELF32 images (each malformation must fail with
 * its own message), packing and relocation of a known image, a kernel compiled by clang
 * and run from a relocated blob on the emulator, every rv32 ELF the build produced, and a
 * byte-flipping fuzz under which the parser must never read out of bounds (run with
 * `make SAN=1` too). Every file handed to the parser sits in a heap block of exactly its
 * size, so AddressSanitizer catches any read past its end. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ttm/kernel/abi.h"
#include "emu_util.h"
#include "load/elf.h"
#include "load/xip.h"
#include "test.h"
#include "util/err.h"

/* ---- ELF32 constants and offsets (gABI, RISC-V psABI) ---- */
#define EH_SIZE 52
#define EH_TYPE 16
#define EH_MACHINE 18
#define EH_VERSION 20
#define EH_ENTRY 24
#define EH_PHOFF 28
#define EH_SHOFF 32
#define EH_FLAGS 36
#define EH_PHENTSIZE 42
#define EH_PHNUM 44
#define EH_SHENTSIZE 46
#define EH_SHNUM 48
#define EH_SHSTRNDX 50
#define PH_SIZE 32
#define SH_SIZE 40

#define PT_LOAD 1
#define PT_NOTE 4
#define SHT_PROGBITS 1
#define SHT_SYMTAB 2
#define SHT_STRTAB 3
#define SHT_RELA 4
#define SHT_NOBITS 8
#define SHT_REL 9
#define SHF_WRITE 1
#define SHF_ALLOC 2
#define SHF_EXEC 4
#define SHN_ABS 0xFFF1

#define R_RISCV_32 1
#define R_RISCV_64 2
#define R_RISCV_PCREL_HI20 23
#define R_RISCV_PCREL_LO12_I 24
#define R_RISCV_HI20 26
#define R_RISCV_TPREL_HI20 29
#define R_RISCV_RELAX 51

#define TBUF 8192

/* ---- a small ELF writer ---- */

struct tseg {
    uint32_t type, flags, vaddr, paddr, memsz, filesz;
    const void *data;
};

/* A section; SHF_ALLOC PROGBITS sections take their bytes from the segment holding them. */
struct tsec {
    const char *name;
    uint32_t type, flags, addr, link, info, entsize, size;
    const void *data;
};

/* Sections are numbered from 1 in sec[] order; the writer appends .shstrtab. */
struct telf {
    uint32_t entry, flags;
    unsigned nseg, nsec;
    struct tseg seg[20];
    struct tsec sec[12];
    /* storage for the standard image */
    uint8_t text[24], data[8], debug[4], symtab[5 * 16], strtab[32];
    uint8_t rela_text[3 * 12], rela_data[2 * 12], rela_debug[12];
};

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v);
    put16(p + 2, v >> 16);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static size_t align4(size_t n)
{
    return (n + 3) & ~(size_t)3;
}

static void write_ehdr(const struct telf *t, uint8_t *b)
{
    static const uint8_t ident[16] = {0x7F, 'E', 'L', 'F', 1, 1, 1};
    memcpy(b, ident, sizeof ident);
    put16(b + EH_TYPE, 2);
    put16(b + EH_MACHINE, 243);
    put32(b + EH_VERSION, 1);
    put32(b + EH_ENTRY, t->entry);
    put32(b + EH_PHOFF, EH_SIZE);
    put32(b + EH_FLAGS, t->flags);
    put16(b + 40, EH_SIZE);
    put16(b + EH_PHENTSIZE, PH_SIZE);
    put16(b + EH_PHNUM, t->nseg);
    put16(b + EH_SHENTSIZE, SH_SIZE);
    put16(b + EH_SHNUM, t->nsec + 2);
    put16(b + EH_SHSTRNDX, t->nsec + 1);
}

/* File offset of the bytes of an allocated section, inside its segment's data. */
static uint32_t alloc_offset(const struct telf *t, const uint32_t *seg_off, uint32_t addr)
{
    for (unsigned i = 0; i < t->nseg; i++)
        if (addr >= t->seg[i].vaddr && addr < t->seg[i].vaddr + t->seg[i].filesz)
            return seg_off[i] + addr - t->seg[i].vaddr;
    return 0;
}

static void write_shdr(uint8_t *p, const struct tsec *s, uint32_t name, uint32_t off)
{
    put32(p, name);
    put32(p + 4, s->type);
    put32(p + 8, s->flags);
    put32(p + 12, s->addr);
    put32(p + 16, off);
    put32(p + 20, s->size);
    put32(p + 24, s->link);
    put32(p + 28, s->info);
    put32(p + 32, 4);
    put32(p + 36, s->entsize);
}

/* Lay out: header, program headers, segment bytes, other section bytes, .shstrtab, then
 * the section header table. Returns the file size. */
static size_t build(const struct telf *t, uint8_t *b)
{
    uint32_t seg_off[20], sec_off[12], name_off[13];
    size_t pos = (EH_SIZE + t->nseg * PH_SIZE + 15) & ~(size_t)15;
    char names[256] = "";
    size_t nlen = 1;
    memset(b, 0, TBUF);
    write_ehdr(t, b);
    for (unsigned i = 0; i < t->nseg; i++) {
        const struct tseg *s = &t->seg[i];
        uint8_t *ph = b + EH_SIZE + i * PH_SIZE;
        seg_off[i] = (uint32_t)pos;
        if (s->data)
            memcpy(b + pos, s->data, s->filesz);
        pos += align4(s->filesz);
        put32(ph, s->type);
        put32(ph + 4, seg_off[i]);
        put32(ph + 8, s->vaddr);
        put32(ph + 12, s->paddr);
        put32(ph + 16, s->filesz);
        put32(ph + 20, s->memsz);
        put32(ph + 24, s->flags);
        put32(ph + 28, 4);
    }
    for (unsigned i = 0; i < t->nsec; i++) {
        const struct tsec *s = &t->sec[i];
        if ((s->flags & SHF_ALLOC) && s->type != SHT_NOBITS) {
            sec_off[i] = alloc_offset(t, seg_off, s->addr);
            continue;
        }
        sec_off[i] = (uint32_t)pos;
        if (s->type != SHT_NOBITS && s->data)
            memcpy(b + pos, s->data, s->size);
        pos += s->type == SHT_NOBITS ? 0 : align4(s->size);
    }
    for (unsigned i = 0; i <= t->nsec; i++) {
        const char *n = i < t->nsec ? t->sec[i].name : ".shstrtab";
        name_off[i] = (uint32_t)nlen;
        memcpy(names + nlen, n, strlen(n) + 1);
        nlen += strlen(n) + 1;
    }
    struct tsec shstr = {".shstrtab", SHT_STRTAB, 0, 0, 0, 0, 0, (uint32_t)nlen, names};
    memcpy(b + pos, names, nlen);
    uint32_t shstr_off = (uint32_t)pos;
    pos = align4(pos + nlen);
    put32(b + EH_SHOFF, (uint32_t)pos);
    pos += SH_SIZE; /* section 0 stays all zeros */
    for (unsigned i = 0; i <= t->nsec; i++, pos += SH_SIZE)
        write_shdr(b + pos, i < t->nsec ? &t->sec[i] : &shstr, name_off[i],
                   i < t->nsec ? sec_off[i] : shstr_off);
    return pos;
}

static void sym(uint8_t *tab, unsigned i, uint32_t name, uint32_t value, uint16_t shndx)
{
    uint8_t *p = tab + 16 * i;
    put32(p, name);
    put32(p + 4, value);
    put16(p + 14, shndx);
}

static void rela(uint8_t *tab, unsigned i, uint32_t off, uint32_t symi, uint32_t type,
                 int32_t addend)
{
    uint8_t *p = tab + 12 * i;
    put32(p, off);
    put32(p + 4, symi << 8 | type);
    put32(p + 8, (uint32_t)addend);
}

/* The standard image, linked at 0x100:
 *   segment 0 R+X [0x100, 0x118): .text, entry 0x104
 *   segment 1 R+W [0x120, 0x140): .data (8 bytes) then .bss
 *   .data word 0x120 = hw (0xFFB00000, SHN_ABS), word 0x124 = &var (0x128, in .bss)
 *   .rela.text: PCREL_HI20 var at 0x108, RELAX, PCREL_LO12_I .Lpcrel at 0x10c
 *   .rela.data: R_RISCV_32 hw at 0x120 (stays), R_RISCV_32 var at 0x124 (rebased)
 *   .rela.debug_info: an R_RISCV_64, which does not matter for a non-allocated section */
enum { SEC_TEXT = 1, SEC_DATA, SEC_BSS, SEC_RELA_TEXT, SEC_RELA_DATA, SEC_SYMTAB, SEC_STRTAB,
       SEC_DEBUG, SEC_RELA_DEBUG };
enum { SYM_START = 1, SYM_VAR, SYM_LPCREL, SYM_HW };
#define LINK 0x100u
#define HW 0xFFB00000u

static void std_image(struct telf *t)
{
    static const char strtab[] = "\0_start\0var\0.Lpcrel\0hw";
    memset(t, 0, sizeof *t);
    for (unsigned i = 0; i < 5; i++)
        put32(t->text + 4 * i, 0x00000013);  /* nop */
    put32(t->text + 20, 0x00008067);         /* ret */
    put32(t->data, HW);
    put32(t->data + 4, 0x128);
    memcpy(t->strtab, strtab, sizeof strtab);
    sym(t->symtab, SYM_START, 1, 0x104, SEC_TEXT);
    sym(t->symtab, SYM_VAR, 8, 0x128, SEC_BSS);
    sym(t->symtab, SYM_LPCREL, 12, 0x108, SEC_TEXT);
    sym(t->symtab, SYM_HW, 20, HW, SHN_ABS);
    rela(t->rela_text, 0, 0x108, SYM_VAR, R_RISCV_PCREL_HI20, 0);
    rela(t->rela_text, 1, 0x108, 0, R_RISCV_RELAX, 0);
    rela(t->rela_text, 2, 0x10c, SYM_LPCREL, R_RISCV_PCREL_LO12_I, 0);
    rela(t->rela_data, 0, 0x120, SYM_HW, R_RISCV_32, 0);
    rela(t->rela_data, 1, 0x124, SYM_VAR, R_RISCV_32, 0);
    rela(t->rela_debug, 0, 0, SYM_VAR, R_RISCV_64, 0);
    t->entry = 0x104;
    t->nseg = 2;
    t->seg[0] = (struct tseg){PT_LOAD, ELF_PF_R | ELF_PF_X, LINK, LINK, 24, 24, t->text};
    t->seg[1] = (struct tseg){PT_LOAD, ELF_PF_R | ELF_PF_W, 0x120, 0x120, 0x20, 8, t->data};
    t->nsec = 9;
    t->sec[0] = (struct tsec){".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXEC, LINK, 0, 0, 0, 24, NULL};
    t->sec[1] = (struct tsec){".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, 0x120, 0, 0, 0, 8, NULL};
    t->sec[2] = (struct tsec){".bss", SHT_NOBITS, SHF_ALLOC | SHF_WRITE, 0x128, 0, 0, 0, 0x18, NULL};
    t->sec[3] = (struct tsec){".rela.text", SHT_RELA, 0x40, 0, SEC_SYMTAB, SEC_TEXT, 12,
                              sizeof t->rela_text, t->rela_text};
    t->sec[4] = (struct tsec){".rela.data", SHT_RELA, 0x40, 0, SEC_SYMTAB, SEC_DATA, 12,
                              sizeof t->rela_data, t->rela_data};
    t->sec[5] = (struct tsec){".symtab", SHT_SYMTAB, 0, 0, SEC_STRTAB, 1, 16,
                              sizeof t->symtab, t->symtab};
    t->sec[6] = (struct tsec){".strtab", SHT_STRTAB, 0, 0, 0, 0, 0, sizeof strtab, t->strtab};
    t->sec[7] = (struct tsec){".debug_info", SHT_PROGBITS, 0, 0, 0, 0, 0, 4, t->debug};
    t->sec[8] = (struct tsec){".rela.debug_info", SHT_RELA, 0x40, 0, SEC_SYMTAB, SEC_DEBUG, 12,
                              sizeof t->rela_debug, t->rela_debug};
}

/* ---- running the parser on a file ---- */

static struct telf T;
static uint8_t B[TBUF];
static uint8_t *g_file;
static struct elf_image g_img;
static struct xip_image g_xip;

/* Copy into a heap block of exactly n bytes (the previous one is freed). */
static const uint8_t *exact(const void *buf, size_t n)
{
    free(g_file);
    g_file = malloc(n ? n : 1);
    if (n)
        memcpy(g_file, buf, n);
    return g_file;
}

static int parse(const void *buf, size_t n)
{
    err_clear();
    return elf_parse(exact(buf, n), n, &g_img);
}

static int pack(const void *buf, size_t n)
{
    int rc = parse(buf, n);
    xip_free(&g_xip);
    return rc ? rc : xip_pack(&g_img, &g_xip);
}

/* The call failed with `code` and a message containing `needle`. */
static int failed_with(int rc, int code, const char *needle)
{
    printf("  %d: %s\n", rc, err_get());
    return rc == code && strstr(err_get(), needle) != NULL;
}

static size_t std_build(void)
{
    std_image(&T);
    return build(&T, B);
}

/* ---- elf_parse: the header ---- */

TEST(elf_std_image_parses)
{
    size_t n = std_build();
    CHECK_EQ(parse(B, n), 0);
    CHECK_EQ(g_img.n_segments, 2);
    CHECK_EQ(g_img.entry, 0x104);
    CHECK_EQ(g_img.seg[1].vaddr, 0x120);
    CHECK_EQ(g_img.seg[1].filesz, 8);
    CHECK_EQ(g_img.seg[1].memsz, 0x20);
    CHECK_EQ(g_img.seg[1].flags, ELF_PF_R | ELF_PF_W);
    CHECK_EQ(get32(g_img.seg[1].data + 4), 0x128);
    CHECK(g_img.file == g_file && g_img.file_size == n);
}

TEST(elf_truncated_header)
{
    std_build();
    CHECK(failed_with(parse(B, 40), -EINVAL, "40 bytes, smaller than the 52-byte ELF header"));
    CHECK(failed_with(parse(B, 0), -EINVAL, "the file is 0 bytes"));
}

TEST(elf_bad_magic)
{
    size_t n = std_build();
    B[1] = 'X';
    CHECK(failed_with(parse(B, n), -EINVAL, "bad magic 7f 58 4c 46"));
}

TEST(elf_wrong_class)
{
    size_t n = std_build();
    B[4] = 2;
    CHECK(failed_with(parse(B, n), -EINVAL, "class 2 is not ELFCLASS32"));
}

TEST(elf_big_endian)
{
    size_t n = std_build();
    B[5] = 2;
    CHECK(failed_with(parse(B, n), -EINVAL, "data encoding 2 is not ELFDATA2LSB"));
}

TEST(elf_wrong_version)
{
    size_t n = std_build();
    put32(B + EH_VERSION, 2);
    CHECK(failed_with(parse(B, n), -EINVAL, "version 2 is not EV_CURRENT"));
}

TEST(elf_wrong_type)
{
    size_t n = std_build();
    put16(B + EH_TYPE, 3);
    CHECK(failed_with(parse(B, n), -EINVAL, "ET_DYN"));
    put16(B + EH_TYPE, 1);
    CHECK(failed_with(parse(B, n), -EINVAL, "type 1 is not ET_EXEC (2)"));
}

TEST(elf_wrong_machine)
{
    size_t n = std_build();
    put16(B + EH_MACHINE, 62);
    CHECK(failed_with(parse(B, n), -EINVAL, "machine 62 is not RISC-V (243)"));
}

TEST(elf_rvc_flag)
{
    size_t n = std_build();
    put32(B + EH_FLAGS, 0x1);
    CHECK(failed_with(parse(B, n), -EINVAL, "EF_RISCV_RVC"));
}

TEST(elf_float_abi_flags)
{
    size_t n = std_build();
    put32(B + EH_FLAGS, 0x4);
    CHECK(failed_with(parse(B, n), -EINVAL, "hardware floating-point ABI"));
    put32(B + EH_FLAGS, 0x8);
    CHECK(failed_with(parse(B, n), -EINVAL, "RVE"));
    put32(B + EH_FLAGS, 0x100);
    CHECK(failed_with(parse(B, n), -EINVAL, "bits 0x100 that the RISC-V psABI reserves"));
    put32(B + EH_FLAGS, 0x10); /* TSO only strengthens ordering */
    CHECK_EQ(parse(B, n), 0);
}

/* ---- elf_parse: program headers and segments ---- */

TEST(elf_phentsize)
{
    size_t n = std_build();
    put16(B + EH_PHENTSIZE, 56);
    CHECK(failed_with(parse(B, n), -EINVAL, "program header size 56 is not 32"));
}

TEST(elf_phoff_beyond_file)
{
    size_t n = std_build();
    put32(B + EH_PHOFF, (uint32_t)n - 40);
    CHECK(failed_with(parse(B, n), -EINVAL, "program header table"));
    CHECK(strstr(err_get(), "is beyond the"));
    put32(B + EH_PHOFF, 0xFFFFFFF0u); /* the end would wrap in 32 bits */
    CHECK(failed_with(parse(B, n), -EINVAL, "program header table [0xfffffff0, 0x100000030)"));
}

TEST(elf_segment_beyond_file)
{
    char want[96];
    size_t n = std_build();
    put32(B + EH_SIZE + PH_SIZE + 4, (uint32_t)n - 4); /* segment 1 p_offset */
    snprintf(want, sizeof want, "segment 1 file range [0x%zx, 0x%zx) is beyond the %zu-byte "
             "file", n - 4, n + 4, n);
    CHECK(failed_with(parse(B, n), -EINVAL, want));
    put32(B + EH_SIZE + PH_SIZE + 4, 0xFFFFFFFCu);
    CHECK(failed_with(parse(B, n), -EINVAL, "[0xfffffffc, 0x100000004)"));
}

/* A segment without file bytes may say any offset (gABI: it means nothing). */
TEST(elf_empty_segment_any_offset)
{
    std_image(&T);
    T.nseg = 3;
    T.seg[2] = (struct tseg){PT_LOAD, ELF_PF_R | ELF_PF_W, 0x140, 0x140, 0x40, 0, NULL};
    size_t n = build(&T, B);
    put32(B + EH_SIZE + 2 * PH_SIZE + 4, 0xFFFFFFF0u);
    CHECK_EQ(pack(B, n), 0);
    CHECK_EQ(g_xip.size, 0x80);
}

TEST(elf_filesz_over_memsz)
{
    std_image(&T);
    T.seg[1].memsz = 4;
    size_t n = build(&T, B);
    CHECK(failed_with(parse(B, n), -EINVAL, "segment 1 has filesz 0x8 larger than memsz 0x4"));
}

TEST(elf_overlapping_segments)
{
    std_image(&T);
    T.seg[1].vaddr = T.seg[1].paddr = 0x110;
    size_t n = build(&T, B);
    CHECK(failed_with(parse(B, n), -EINVAL,
                      "segment 1 [0x110, 0x130) overlaps segment 0 [0x100, 0x118)"));
}

TEST(elf_address_overflow)
{
    std_image(&T);
    T.seg[1].vaddr = T.seg[1].paddr = 0xFFFFFFF0u;
    size_t n = build(&T, B);
    CHECK(failed_with(parse(B, n), -EINVAL,
                      "segment 1 [0xfffffff0, 0x100000010) runs past the 32-bit address"));
    T.seg[1].vaddr = 0x120;
    n = build(&T, B);
    CHECK(failed_with(parse(B, n), -EINVAL, "segment 1 load range [0xfffffff0"));
    T.seg[1].vaddr = T.seg[1].paddr = 0xFFFFFFE0u; /* ends exactly at 2^32: fine */
    n = build(&T, B);
    CHECK_EQ(parse(B, n), 0);
}

TEST(elf_no_load_segment)
{
    std_image(&T);
    T.seg[0].type = T.seg[1].type = PT_NOTE;
    size_t n = build(&T, B);
    CHECK(failed_with(parse(B, n), -EINVAL, "no PT_LOAD segment among the 2 program headers"));
    put16(B + EH_PHNUM, 0);
    CHECK(failed_with(parse(B, n), -EINVAL, "no PT_LOAD segment among the 0"));
}

TEST(elf_other_segments_ignored)
{
    std_image(&T);
    T.nseg = 3;
    T.seg[2] = (struct tseg){PT_NOTE, 0, 0x100, 0x100, 0x1000, 0, NULL};
    size_t n = build(&T, B);
    CHECK_EQ(parse(B, n), 0);
    CHECK_EQ(g_img.n_segments, 2);
}

TEST(elf_entry_outside_executable)
{
    std_image(&T);
    T.entry = 0x120; /* in the data segment */
    size_t n = build(&T, B);
    CHECK(failed_with(parse(B, n), -EINVAL,
                      "entry 0x120 is not inside an executable segment"));
    T.entry = 0x118; /* one past the text */
    n = build(&T, B);
    CHECK(failed_with(parse(B, n), -EINVAL, "entry 0x118 is not inside"));
    T.entry = 0x106;
    n = build(&T, B);
    CHECK(failed_with(parse(B, n), -EINVAL, "entry 0x106 is not 4-byte aligned"));
}

TEST(elf_too_many_segments)
{
    std_image(&T);
    T.nseg = ELF_MAX_SEGMENTS + 1;
    for (unsigned i = 2; i < T.nseg; i++)
        T.seg[i] = (struct tseg){PT_LOAD, ELF_PF_R, 0x1000 * i, 0x1000 * i, 16, 0, NULL};
    size_t n = build(&T, B);
    CHECK(failed_with(parse(B, n), -E2BIG, "more than 16 PT_LOAD segments"));
    T.nseg = ELF_MAX_SEGMENTS;
    n = build(&T, B);
    CHECK_EQ(parse(B, n), 0);
    CHECK_EQ(g_img.n_segments, ELF_MAX_SEGMENTS);
}

/* ---- elf_check_range ---- */

TEST(elf_check_range_by_vaddr)
{
    size_t n = std_build();
    CHECK_EQ(parse(B, n), 0);
    CHECK_EQ(elf_check_range(&g_img, 0x100, 0x140, 0), 0);
    CHECK(failed_with(elf_check_range(&g_img, 0x100, 0x13C, 0), -ERANGE,
                      "segment 1 memory [0x120, 0x140) is outside [0x100, 0x13c)"));
    CHECK(failed_with(elf_check_range(&g_img, 0x104, 0x1000, 0), -ERANGE, "segment 0"));
}

/* Firmware: text in its L1 slot, data run from local RAM but loaded right after the text. */
TEST(elf_check_range_by_paddr)
{
    std_image(&T);
    T.entry = 0x1004;
    T.seg[0].vaddr = T.seg[0].paddr = 0x1000;
    T.seg[1].vaddr = TTM_KCTX_ADDR + 0x800;
    T.seg[1].paddr = 0x1018;
    T.seg[1].memsz = 0x400;
    size_t n = build(&T, B);
    CHECK_EQ(parse(B, n), 0);
    CHECK_EQ(elf_check_range(&g_img, 0x1000, 0x1020, 1), 0); /* .bss is not uploaded */
    CHECK(failed_with(elf_check_range(&g_img, 0x1000, 0x101C, 1), -ERANGE,
                      "segment 1 load range [0x1018, 0x1020) is outside [0x1000, 0x101c)"));
    CHECK(failed_with(elf_check_range(&g_img, 0x1000, 0x4000, 0), -ERANGE,
                      "segment 1 memory [0xffb00800, 0xffb00c00)"));
    T.seg[1].paddr = 0x1010;
    n = build(&T, B);
    CHECK_EQ(parse(B, n), 0);
    CHECK(failed_with(elf_check_range(&g_img, 0x1000, 0x4000, 1), -EINVAL,
                      "segment 1 load range [0x1010, 0x1018) overlaps segment 0"));
}

/* ---- xip_pack ---- */

TEST(xip_pack_two_segments)
{
    size_t n = std_build();
    CHECK_EQ(pack(B, n), 0);
    CHECK_EQ(g_xip.size, 0x40);
    CHECK_EQ(g_xip.link_vaddr, LINK);
    CHECK_EQ(g_xip.entry_offset, 4);
    uint8_t want[0x40] = {0};
    memcpy(want, T.text, 24);
    memcpy(want + 0x20, T.data, 8);
    CHECK(memcmp(g_xip.data, want, sizeof want) == 0);
    /* The word pointing to the absolute symbol stays; the one pointing to .bss moves. */
    CHECK_EQ(g_xip.n_abs_relocs, 1);
    CHECK_EQ(g_xip.abs_relocs[0], 0x24);
}

TEST(xip_pack_out_of_order_segments)
{
    std_image(&T);
    struct tseg s0 = T.seg[0];
    T.seg[0] = T.seg[1];
    T.seg[1] = s0;
    size_t n = build(&T, B);
    CHECK_EQ(pack(B, n), 0);
    CHECK_EQ(g_xip.size, 0x40);
    CHECK_EQ(get32(g_xip.data + 0x14), 0x00008067);
    CHECK_EQ(get32(g_xip.data + 0x24), 0x128);
}

TEST(xip_relocate_rebases_words)
{
    size_t n = std_build();
    CHECK_EQ(pack(B, n), 0);
    uint8_t copy[0x40];
    memcpy(copy, g_xip.data, sizeof copy);
    xip_relocate(&g_xip, copy, 0x10130);
    CHECK_EQ(get32(copy + 0x24), 0x10130 + 0x28);
    CHECK_EQ(get32(copy + 0x20), HW);
    CHECK(memcmp(copy, g_xip.data, 0x24) == 0);
    memcpy(copy, g_xip.data, sizeof copy);
    xip_relocate(&g_xip, copy, LINK);
    CHECK(memcmp(copy, g_xip.data, sizeof copy) == 0);
    xip_relocate(&g_xip, copy, 0); /* below the link address: wraps modulo 2^32 */
    CHECK_EQ(get32(copy + 0x24), 0x28);
}

TEST(xip_free_twice)
{
    size_t n = std_build();
    CHECK_EQ(pack(B, n), 0);
    xip_free(&g_xip);
    CHECK(g_xip.data == NULL && g_xip.abs_relocs == NULL && g_xip.size == 0);
    xip_free(&g_xip);
}

TEST(xip_firmware_layout_refused)
{
    std_image(&T);
    T.seg[1].vaddr = TTM_KCTX_ADDR;
    size_t n = build(&T, B);
    CHECK(failed_with(pack(B, n), -EINVAL, "segment 1 is loaded at 0x120 but runs at "
                      "0xffb00000"));
    CHECK(g_xip.data == NULL);
}

TEST(xip_gap_and_span)
{
    std_image(&T);
    T.seg[1].vaddr = T.seg[1].paddr = 0x2000;
    size_t n = build(&T, B);
    CHECK(failed_with(pack(B, n), -EINVAL, "segment 1 at 0x2000 starts 0x1ee8 bytes after "
                      "segment 0 ends"));
    std_image(&T);
    T.seg[1].memsz = 2u << 20;
    n = build(&T, B);
    CHECK(failed_with(pack(B, n), -E2BIG, "the image spans [0x100, 0x200120)"));
}

TEST(xip_unaligned_link_address)
{
    std_image(&T);
    T.seg[0].vaddr = T.seg[0].paddr = 0x104;
    T.seg[0].filesz = T.seg[0].memsz = 20;
    size_t n = build(&T, B);
    CHECK(failed_with(pack(B, n), -EINVAL, "the image starts at 0x104, not 16-byte aligned"));
}

/* ---- xip_pack: section headers ---- */

TEST(xip_bad_section_table)
{
    size_t n = std_build();
    uint32_t shoff = get32(B + EH_SHOFF);
    put32(B + EH_SHOFF, (uint32_t)n - SH_SIZE);
    CHECK(failed_with(pack(B, n), -EINVAL, "section header table"));
    CHECK(strstr(err_get(), "is beyond the"));
    put32(B + EH_SHOFF, shoff);
    put16(B + EH_SHENTSIZE, 64);
    CHECK(failed_with(pack(B, n), -EINVAL, "section header size 64 is not 40"));
    put16(B + EH_SHENTSIZE, SH_SIZE);
    put16(B + EH_SHNUM, 0);
    CHECK(failed_with(pack(B, n), -EINVAL, "extended section numbering"));
    put32(B + EH_SHOFF, 0);
    CHECK(failed_with(pack(B, n), -EINVAL, "no section header table"));
    put32(B + EH_SHOFF, shoff);
    put16(B + EH_SHNUM, SEC_RELA_DEBUG + 2);
    put16(B + EH_SHSTRNDX, 40);
    CHECK(failed_with(pack(B, n), -EINVAL, "section name table index 40 is not below the "
                      "section count 11"));
    put16(B + EH_SHSTRNDX, SEC_TEXT);
    CHECK(failed_with(pack(B, n), -EINVAL, "section name table 1 has type 1"));
}

TEST(xip_bad_section_headers)
{
    size_t n = std_build();
    uint8_t *sh = B + get32(B + EH_SHOFF);
    uint8_t *strtab = sh + SEC_STRTAB * SH_SIZE, *rtext = sh + SEC_RELA_TEXT * SH_SIZE;
    uint32_t strtab_size = get32(strtab + 20);
    put32(strtab + 20, 0x10000); /* sh_size */
    CHECK(failed_with(pack(B, n), -EINVAL, "section 7 file range"));
    put32(strtab + 20, strtab_size);
    put32(strtab + 24, 99); /* sh_link */
    CHECK(failed_with(pack(B, n), -EINVAL, "section 7 links to section 99, not below"));
    put32(strtab + 24, 0);
    put32(rtext + 36, 8); /* sh_entsize */
    CHECK(failed_with(pack(B, n), -EINVAL, "section 4 (.rela.text): RELA entry size 8"));
    put32(rtext + 36, 12);
    put32(rtext + 28, 11); /* sh_info */
    CHECK(failed_with(pack(B, n), -EINVAL, "section 4 (.rela.text) applies to section 11, "
                      "not in [1, 11)"));
    put32(rtext + 28, 0);
    CHECK(failed_with(pack(B, n), -EINVAL, "section 4 (.rela.text) applies to no section "
                      "(sh_info 0): dynamic relocations"));
    put32(rtext + 28, SEC_TEXT);
    put32(rtext + 24, SEC_STRTAB); /* sh_link */
    CHECK(failed_with(pack(B, n), -EINVAL, "section 4 (.rela.text) links to section 7, which "
                      "is not a symbol table"));
    put32(rtext + 24, SEC_SYMTAB);
    CHECK_EQ(pack(B, n), 0);
}

TEST(xip_rel_section_refused)
{
    std_image(&T);
    T.sec[SEC_RELA_DATA - 1].type = SHT_REL;
    T.sec[SEC_RELA_DATA - 1].name = ".rel.data";
    size_t n = build(&T, B);
    CHECK(failed_with(pack(B, n), -EINVAL, "section 5 (.rel.data) is SHT_REL"));
}

/* ---- xip_pack: relocations ---- */

TEST(xip_absolute_hi20_refused)
{
    std_image(&T);
    rela(T.rela_text, 0, 0x108, SYM_VAR, R_RISCV_HI20, 0);
    size_t n = build(&T, B);
    CHECK(failed_with(pack(B, n), -EINVAL, ".rela.text relocation 0: R_RISCV_HI20 at 0x108 "
                      "puts the absolute address of symbol 2 (var) in code"));
    CHECK(strstr(err_get(), "-mcmodel=medany"));
    /* An absolute address of a fixed location is fine: it does not move. */
    rela(T.rela_text, 0, 0x108, SYM_HW, R_RISCV_HI20, 0);
    n = build(&T, B);
    CHECK_EQ(pack(B, n), 0);
}

TEST(xip_pcrel_to_fixed_address_refused)
{
    std_image(&T);
    rela(T.rela_text, 0, 0x108, SYM_HW, R_RISCV_PCREL_HI20, 0);
    size_t n = build(&T, B);
    CHECK(failed_with(pack(B, n), -EINVAL, "R_RISCV_PCREL_HI20 at 0x108 refers to symbol 4 "
                      "(hw) = 0xffb00000, which is not in the image"));
}

TEST(xip_unsupported_relocation)
{
    std_image(&T);
    rela(T.rela_text, 2, 0x10c, SYM_VAR, R_RISCV_TPREL_HI20, 0);
    size_t n = build(&T, B);
    CHECK(failed_with(pack(B, n), -EINVAL, ".rela.text relocation 2: unsupported relocation "
                      "type 29 at 0x10c"));
}

TEST(xip_word_checks)
{
    std_image(&T);
    put32(T.data + 4, 0x12C);
    size_t n = build(&T, B);
    CHECK(failed_with(pack(B, n), -EINVAL, "the R_RISCV_32 word at 0x124 holds 0x12c, not "
                      "symbol 2 (var) + addend = 0x128"));
    put32(T.data + 4, 0x12C);
    rela(T.rela_data, 1, 0x124, SYM_VAR, R_RISCV_32, 4); /* addend applied: consistent */
    n = build(&T, B);
    CHECK_EQ(pack(B, n), 0);
    CHECK_EQ(g_xip.n_abs_relocs, 1);
    rela(T.rela_data, 1, 0x128, SYM_VAR, R_RISCV_32, 0); /* in .bss */
    n = build(&T, B);
    CHECK(failed_with(pack(B, n), -EINVAL, "R_RISCV_32 at 0x128 is not inside the file bytes"));
    rela(T.rela_data, 1, 0x126, SYM_VAR, R_RISCV_32, 0); /* straddles the end of .data */
    n = build(&T, B);
    CHECK(failed_with(pack(B, n), -EINVAL, "R_RISCV_32 at 0x126 is not inside"));
}

TEST(xip_bad_symbols)
{
    std_image(&T);
    rela(T.rela_data, 1, 0x124, 9, R_RISCV_32, 0);
    size_t n = build(&T, B);
    CHECK(failed_with(pack(B, n), -EINVAL, ".rela.data relocation 1: symbol 9 is not below "
                      "the 5 symbols"));
    std_image(&T);
    sym(T.symtab, SYM_VAR, 8, 0x128, 0xFFF2); /* SHN_COMMON */
    n = build(&T, B);
    CHECK(failed_with(pack(B, n), -EINVAL, "symbol 2 (var) has section index 0xfff2"));
    std_image(&T);
    sym(T.symtab, SYM_VAR, 1000, 0x128, SEC_BSS); /* a name outside .strtab */
    put32(T.data + 4, 0x12C);
    n = build(&T, B);
    CHECK(failed_with(pack(B, n), -EINVAL, "symbol 2 (?) + addend = 0x128"));
}

/* ---- a real kernel from clang ---- */

static const char kernel_src[] =
    "static int counter = 41;\n"
    "static int *volatile ptr = &counter;   /* an absolute word: R_RISCV_32 */\n"
    "unsigned kbuf[64];                      /* .bss */\n"
    "__attribute__((noinline)) static unsigned sum(const unsigned *p, unsigned n)\n"
    "{\n"
    "    unsigned s = 0;\n"
    "    for (unsigned i = 0; i < n; i++)\n"
    "        s += p[i];\n"
    "    return s;\n"
    "}\n"
    "__attribute__((section(\".text.entry\"), noreturn)) void kernel_main(void)\n"
    "{\n"
    "    volatile unsigned *out = (volatile unsigned *)0x20000u;\n"
    "    *ptr += 1;\n"
    "    out[1] = sum(kbuf, 64) + 7;\n"
    "    out[0] = (unsigned)*ptr;\n"
    "    for (;;)\n"
    "        ;\n"
    "}\n";

static const char kernel_ld[] =
    "ENTRY(kernel_main)\n"
    "SECTIONS\n"
    "{\n"
    "    . = 0;\n"
    "    .text : { *(.text.entry) *(.text .text.*) }\n"
    "    .rodata : { *(.rodata .rodata.* .srodata .srodata.*) }\n"
    "    .data : { *(.data .data.* .sdata .sdata.*) }\n"
    "    .bss : { *(.bss .bss.* .sbss .sbss.* COMMON) }\n"
    "}\n";

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    size_t len = strlen(text);
    int ok = fwrite(text, 1, len, f) == len;
    return fclose(f) == 0 && ok ? 0 : -1;
}

/* Read a whole file into a heap block of exactly its size; NULL on failure. */
static uint8_t *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    long len;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc((size_t)len);
        if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
            free(buf);
            buf = NULL;
        }
        *size = (size_t)len;
    }
    fclose(f);
    return buf;
}

static uint8_t *g_kernel;
static size_t g_kernel_size;

/* Compile kernel_src with the kernel flags into a fresh temporary directory. */
static int compile_kernel(char *err, size_t errlen)
{
    char dir[256], src[300], ld[300], elf[300], cmd[1400];
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/ttm_elf_XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return snprintf(err, errlen, "mkdtemp %s failed", dir), -1;
    snprintf(src, sizeof src, "%s/k.c", dir);
    snprintf(ld, sizeof ld, "%s/k.ld", dir);
    snprintf(elf, sizeof elf, "%s/k.elf", dir);
    if (write_file(src, kernel_src) || write_file(ld, kernel_ld))
        return snprintf(err, errlen, "cannot write to %s", dir), -1;
    snprintf(cmd, sizeof cmd,
             "clang --target=riscv32-unknown-elf -march=rv32ima_zba_zbb -mabi=ilp32 -O2 "
             "-ffreestanding -nostdlib -fno-pic -mcmodel=medany -fno-jump-tables "
             "-fuse-ld=lld -Wl,--emit-relocs -T %s %s -o %s", ld, src, elf);
    int rc = system(cmd);
    free(g_kernel);
    g_kernel = rc == 0 ? read_file(elf, &g_kernel_size) : NULL;
    remove(src);
    remove(ld);
    remove(elf);
    rmdir(dir);
    if (!g_kernel)
        return snprintf(err, errlen, "`%s` failed (status %d)", cmd, rc), -1;
    return 0;
}

static int have_clang(void)
{
    return system("command -v clang >/dev/null 2>&1") == 0;
}

/* BRISC starts at L1 0: give it a stack at the top of its local RAM, then jump to
 * `target` (below 1 MiB) as the firmware would call a kernel. */
static void write_boot(bhemu *emu, uint32_t x, uint32_t y, uint32_t target)
{
    uint32_t off = target - 4; /* JAL at address 4 */
    eu_wr32(emu, x, y, 0, 0xFFB02137u); /* lui sp, 0xffb02 */
    eu_wr32(emu, x, y, 4, ((off >> 20) & 1) << 31 | ((off >> 1) & 0x3FF) << 21 |
                              ((off >> 11) & 1) << 20 | ((off >> 12) & 0xFF) << 12 | 0x6F);
}

static void emu_free(bhemu **emu)
{
    if (*emu)
        bhemu_destroy(*emu);
}

TEST(xip_clang_kernel)
{
    char err[1600];
    if (!have_clang())
        SKIP("clang not found");
    CHECK(compile_kernel(err, sizeof err) == 0 || (printf("  %s\n", err), 0));
    int rc = parse(g_kernel, g_kernel_size);
    printf("  %s\n", rc ? err_get() : "parsed");
    CHECK_EQ(rc, 0);
    xip_free(&g_xip);
    rc = xip_pack(&g_img, &g_xip);
    printf("  %s\n", rc ? err_get() : "packed");
    CHECK_EQ(rc, 0);

    uint32_t lo = UINT32_MAX, hi = 0, bss_lo = 0, bss_hi = 0;
    for (unsigned i = 0; i < g_img.n_segments; i++) {
        const struct elf_segment *s = &g_img.seg[i];
        lo = s->vaddr < lo ? s->vaddr : lo;
        hi = s->vaddr + s->memsz > hi ? s->vaddr + s->memsz : hi;
        if (s->memsz > s->filesz) {
            bss_lo = s->vaddr + s->filesz;
            bss_hi = s->vaddr + s->memsz;
        }
    }
    printf("  %u segments, [0x%x, 0x%x), blob %u bytes, entry +0x%x, %u abs relocs\n",
           g_img.n_segments, lo, hi, g_xip.size, g_xip.entry_offset, g_xip.n_abs_relocs);
    CHECK_EQ(lo, 0);
    CHECK_EQ(g_xip.link_vaddr, 0);
    CHECK_EQ(g_xip.entry_offset, g_img.entry);
    CHECK_EQ(g_xip.entry_offset, 0); /* .text.entry comes first */
    CHECK_EQ(g_xip.size, (hi + 15) & ~15u);
    CHECK(bss_hi - bss_lo >= 64 * 4);
    for (uint32_t a = bss_lo; a < bss_hi; a++)
        CHECK_EQ(g_xip.data[a], 0);
    CHECK_EQ(g_xip.n_abs_relocs, 1);
    uint32_t word = get32(g_xip.data + g_xip.abs_relocs[0]);
    CHECK(word < hi); /* &counter, in .data */

    /* Run it from a relocated copy at a kernel text offset of the kernel-config region. */
    const uint32_t base = TTM_L1_KERNEL_CONFIG + 0x130;
    uint8_t *copy = malloc(g_xip.size);
    CHECK(copy);
    memcpy(copy, g_xip.data, g_xip.size);
    xip_relocate(&g_xip, copy, base);
    CHECK_EQ(get32(copy + g_xip.abs_relocs[0]), word + base);
    __attribute__((cleanup(emu_free))) bhemu *emu = eu_create_default(BHEMU_P150A);
    uint32_t x, y;
    if (!emu)
        free(copy);
    CHECK(emu);
    eu_worker_xy(emu, 0, &x, &y);
    rc = bhemu_tile_write(emu, x, y, base, copy, g_xip.size);
    free(copy);
    CHECK_EQ(rc, 0);
    write_boot(emu, x, y, base + g_xip.entry_offset);
    eu_release(emu, x, y, BH_RESET_BRISC);
    CHECK_EQ(eu_wait_word(emu, x, y, 0x20000, 1000000), 42);
    CHECK_EQ(eu_rd32(emu, x, y, 0x20004), 7);
    CHECK_EQ(eu_drain_faults(emu), 0);
}

/* ---- every rv32 ELF of the build ---- */

/* build/tests/unit_elf -> build/<sub>, or $TTM_RV32_DIR for rv32. */
static int build_dir(const char *sub, char *out, size_t len)
{
    char exe[512];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return -1;
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (!slash)
        return -1;
    *slash = 0;
    snprintf(out, len, "%s/../%s", exe, sub);
    return 0;
}

/* Our firmware images must be uploadable into their L1 slots (ttm/kernel/abi.h). */
static int check_firmware_slot(const char *name)
{
    uint32_t slot = !strcmp(name, "brisc.elf")    ? TTM_L1_FW_BRISC
                    : !strcmp(name, "ncrisc.elf") ? TTM_L1_FW_NCRISC
                                                  : 0;
    return slot ? elf_check_range(&g_img, slot, slot + TTM_L1_FW_SIZE, 1) : 0;
}

/* Parse (and for kernels pack) every *.elf in dir; returns how many, or -1 on failure. */
static int check_elfs(const char *dir, int is_firmware)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int count = 0;
    if (!d)
        return 0;
    while ((e = readdir(d))) {
        char path[1024];
        size_t len = strlen(e->d_name), size = 0;
        if (len < 5 || strcmp(e->d_name + len - 4, ".elf"))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        uint8_t *f = read_file(path, &size);
        int rc = f ? elf_parse(f, size, &g_img) : -EIO;
        if (!rc && !is_firmware) {
            xip_free(&g_xip);
            rc = xip_pack(&g_img, &g_xip);
            xip_free(&g_xip);
        }
        if (!rc && is_firmware)
            rc = check_firmware_slot(e->d_name);
        free(f);
        if (rc) {
            printf("  %s: %s\n", path, f ? err_get() : "cannot read");
            closedir(d);
            return -1;
        }
        count++;
    }
    closedir(d);
    return count;
}

TEST(elf_build_outputs)
{
    char dir[600];
    const char *env = getenv("TTM_RV32_DIR");
    int n_rv32, n_fw = 0;
    if (env)
        snprintf(dir, sizeof dir, "%s", env);
    else
        CHECK(build_dir("rv32", dir, sizeof dir) == 0);
    n_rv32 = check_elfs(dir, 0);
    CHECK(n_rv32 >= 0);
    if (build_dir("firmware", dir, sizeof dir) == 0)
        n_fw = check_elfs(dir, 1);
    CHECK(n_fw >= 0);
    printf("  %d rv32 programs, %d firmware images\n", n_rv32, n_fw);
    if (n_rv32 + n_fw == 0)
        SKIP("no ELF files in the build directory");
}

/* ---- fuzz ---- */

/* Parse and, if that succeeds, pack and relocate: all that must hold is that nothing
 * reads or writes out of bounds (ASan) and a failure comes with a message. */
static int exercise(const uint8_t *buf, size_t n)
{
    int rc = pack(buf, n);
    if (rc) {
        if (strncmp(err_get(), "ELF: ", 5))
            test_fail_at(__FILE__, __LINE__, "error %d without a message: '%s'", rc,
                         err_get());
        return 0;
    }
    uint8_t *copy = malloc(g_xip.size);
    if (copy) {
        memcpy(copy, g_xip.data, g_xip.size);
        xip_relocate(&g_xip, copy, 0x12340);
        free(copy);
    }
    return 1;
}

TEST(elf_fuzz_bytes)
{
    static const uint8_t values[] = {0x00, 0x01, 0x7F, 0x80, 0xFF};
    uint8_t orig[TBUF];
    size_t n = std_build();
    unsigned ok = 0, runs = 0;
    memcpy(orig, B, n);
    for (size_t i = 0; i < n; i++) {
        for (size_t v = 0; v <= sizeof values; v++) {
            memcpy(B, orig, n);
            B[i] = v < sizeof values ? values[v] : (uint8_t)(orig[i] ^ 0x10);
            ok += exercise(B, n);
            runs++;
            if (test_failed())
                return;
        }
    }
    printf("  %u variants of a %zu-byte file, %u still packed\n", runs, n, ok);
    CHECK(ok > 0 && ok < runs);
}

/* Every 32-bit header field set to values near the edges of the file and of 2^32. */
TEST(elf_fuzz_header_words)
{
    uint8_t orig[TBUF];
    size_t n = std_build();
    size_t sh = get32(B + EH_SHOFF), end = sh + (SEC_RELA_DEBUG + 2) * SH_SIZE;
    memcpy(orig, B, n);
    for (size_t i = 0; i + 4 <= end; i += 2) {
        int in_headers = i < EH_SIZE + 2 * PH_SIZE || i >= sh;
        const uint32_t words[] = {0, 1, 0x7FFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFF0u,
                                  (uint32_t)n, (uint32_t)n - 1, (uint32_t)n + 1};
        if (!in_headers)
            continue;
        for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
            memcpy(B, orig, n);
            put32(B + i, words[w]);
            exercise(B, n);
            if (test_failed())
                return;
        }
    }
}

/* Many random 1-4 byte mutations anywhere in the file (fixed seed: reproducible). */
TEST(elf_fuzz_random)
{
    uint8_t orig[TBUF];
    size_t n = std_build();
    uint32_t state = 0x2545F491u;
    memcpy(orig, B, n);
    for (unsigned iter = 0; iter < 20000; iter++) {
        memcpy(B, orig, n);
        for (unsigned k = 0, count = 1 + iter % 4; k < count; k++) {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            B[(state >> 8) % n] = (uint8_t)state;
        }
        exercise(B, n);
        if (test_failed())
            return;
    }
}

TEST(elf_fuzz_truncation)
{
    uint8_t orig[TBUF];
    size_t n = std_build();
    memcpy(orig, B, n);
    for (size_t len = 0; len < n; len++) {
        int rc = pack(orig, len);
        if (test_failed())
            return;
        CHECK(rc < 0); /* the section header table is at the end */
    }
    CHECK_EQ(pack(orig, n), 0);
}
