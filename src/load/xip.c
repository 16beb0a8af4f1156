/* XIP packing (see xip.h). Section headers, symbols and RELA entries are read with the
 * gABI layouts of Elf32_Shdr, Elf32_Sym and Elf32_Rela; relocation types and their
 * meaning come from the RISC-V ELF psABI, "Relocations". */
#include "xip.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../util/err.h"
#include "../util/grow.h"

/* Elf32_Ehdr: the section header table */
#define EH_SHOFF 32
#define EH_SHENTSIZE 46
#define EH_SHNUM 48
#define EH_SHSTRNDX 50

/* Elf32_Shdr */
#define SH_SIZE 40u
#define SHT_NULL 0
#define SHT_SYMTAB 2
#define SHT_STRTAB 3
#define SHT_RELA 4
#define SHT_NOBITS 8
#define SHT_REL 9
#define SHF_ALLOC 0x2u
#define SHN_ABS 0xFFF1u

/* Elf32_Sym: st_name 0, st_value 4, st_size 8, st_info 12, st_other 13, st_shndx 14 */
#define SYM_SIZE 16u
/* Elf32_Rela: r_offset 0, r_info 4 (symbol << 8 | type), r_addend 8 */
#define RELA_SIZE 12u

struct shdr {
    uint32_t name, type, flags, offset, size, link, info, entsize;
};

/* The validated section header table of one file. */
struct sections {
    const struct elf_image *img;
    uint32_t off;
    unsigned num, strndx;
};

/* Where the segments go in the blob. */
struct layout {
    unsigned order[ELF_MAX_SEGMENTS]; /* non-empty segments by ascending vaddr */
    unsigned n;
    uint32_t link; /* vaddr of blob byte 0 */
    uint32_t size;
};

/* What moving the image means for each relocation type we accept. Numbers from the
 * RISC-V psABI:
 *   ignore:   0 NONE; 43 ALIGN and 51 RELAX only mark linker relaxation, already done
 *   word:     1 32 (absolute data word: rebased when its symbol is in the image)
 *   abs code: 26 HI20, 27 LO12_I, 28 LO12_S (lui/addi pairs: -mcmodel=medlow)
 *   pcrel:    16 BRANCH, 17 JAL, 18 CALL, 19 CALL_PLT, 23 PCREL_HI20, 24 PCREL_LO12_I,
 *             25 PCREL_LO12_S, 57 32_PCREL, 59 PLT32
 *   diff:     33-35 ADD8/16/32, 37-39 SUB8/16/32, 52 SUB6, 53-56 SET6/8/16/32,
 *             60 SET_ULEB128, 61 SUB_ULEB128 (label differences, e.g. in .eh_frame)
 * Everything else (64-bit data, TLS, GOT, dynamic, RVC, GP-relative) is refused. */
enum reloc_kind { RK_IGNORE, RK_WORD, RK_ABS_CODE, RK_PCREL, RK_DIFF };

static const struct {
    uint8_t type, kind;
    const char *name;
} reloc_kinds[] = {
    {0, RK_IGNORE, "R_RISCV_NONE"},          {43, RK_IGNORE, "R_RISCV_ALIGN"},
    {51, RK_IGNORE, "R_RISCV_RELAX"},        {1, RK_WORD, "R_RISCV_32"},
    {26, RK_ABS_CODE, "R_RISCV_HI20"},       {27, RK_ABS_CODE, "R_RISCV_LO12_I"},
    {28, RK_ABS_CODE, "R_RISCV_LO12_S"},     {16, RK_PCREL, "R_RISCV_BRANCH"},
    {17, RK_PCREL, "R_RISCV_JAL"},           {18, RK_PCREL, "R_RISCV_CALL"},
    {19, RK_PCREL, "R_RISCV_CALL_PLT"},      {23, RK_PCREL, "R_RISCV_PCREL_HI20"},
    {24, RK_PCREL, "R_RISCV_PCREL_LO12_I"},  {25, RK_PCREL, "R_RISCV_PCREL_LO12_S"},
    {57, RK_PCREL, "R_RISCV_32_PCREL"},      {59, RK_PCREL, "R_RISCV_PLT32"},
    {33, RK_DIFF, "R_RISCV_ADD8"},           {34, RK_DIFF, "R_RISCV_ADD16"},
    {35, RK_DIFF, "R_RISCV_ADD32"},          {37, RK_DIFF, "R_RISCV_SUB8"},
    {38, RK_DIFF, "R_RISCV_SUB16"},          {39, RK_DIFF, "R_RISCV_SUB32"},
    {52, RK_DIFF, "R_RISCV_SUB6"},           {53, RK_DIFF, "R_RISCV_SET6"},
    {54, RK_DIFF, "R_RISCV_SET8"},           {55, RK_DIFF, "R_RISCV_SET16"},
    {56, RK_DIFF, "R_RISCV_SET32"},          {60, RK_DIFF, "R_RISCV_SET_ULEB128"},
    {61, RK_DIFF, "R_RISCV_SUB_ULEB128"},
};

/* One relocation being checked, for the messages. */
struct reloc {
    const char *sec;      /* name of the RELA section */
    unsigned index;       /* entry in it */
    const char *name;     /* type name */
    uint32_t offset;      /* r_offset: a vaddr in an executable (gABI) */
    uint32_t sym;         /* symbol index */
    const char *sym_name;
    uint32_t value;       /* S + A */
    int moves;            /* the symbol is in an allocated section: it moves with the image */
};

static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* ---- layout ---- */

/* Sort the non-empty segments by vaddr; each must run where it is loaded. */
static int order_segments(const struct elf_image *img, struct layout *lay)
{
    lay->n = 0;
    for (unsigned i = 0; i < img->n_segments; i++) {
        const struct elf_segment *s = &img->seg[i];
        if (!s->memsz)
            continue;
        if (s->paddr != s->vaddr)
            return err_set(-EINVAL, "ELF: segment %u is loaded at 0x%x but runs at 0x%x: an "
                           "XIP image has no startup code to move it (firmware is "
                           "uploaded by load address, not packed)", i, s->paddr, s->vaddr);
        unsigned k = lay->n++;
        for (; k && img->seg[lay->order[k - 1]].vaddr > s->vaddr; k--)
            lay->order[k] = lay->order[k - 1];
        lay->order[k] = i;
    }
    return 0;
}

/* One contiguous, aligned, bounded region. */
static int plan_layout(const struct elf_image *img, struct layout *lay)
{
    int rc = order_segments(img, lay);
    if (rc)
        return rc;
    /* elf_parse guarantees a non-empty segment: the one holding the entry. */
    lay->link = img->seg[lay->order[0]].vaddr;
    if (lay->link % XIP_ALIGN)
        return err_set(-EINVAL, "ELF: the image starts at 0x%x, not %u-byte aligned: its "
                       "alignments would not survive loading at an aligned base",
                       lay->link, XIP_ALIGN);
    for (unsigned k = 1; k < lay->n; k++) {
        const struct elf_segment *prev = &img->seg[lay->order[k - 1]];
        const struct elf_segment *s = &img->seg[lay->order[k]];
        uint32_t gap = s->vaddr - (prev->vaddr + prev->memsz);
        if (gap >= XIP_MAX_GAP)
            return err_set(-EINVAL, "ELF: segment %u at 0x%x starts 0x%x bytes after "
                           "segment %u ends: XIP needs one contiguous image (gaps below "
                           "0x%x)", lay->order[k], s->vaddr, gap, lay->order[k - 1],
                           XIP_MAX_GAP);
    }
    const struct elf_segment *last = &img->seg[lay->order[lay->n - 1]];
    uint64_t span = (uint64_t)last->vaddr + last->memsz - lay->link;
    if (span > XIP_MAX_SPAN)
        return err_set(-E2BIG, "ELF: the image spans [0x%x, 0x%llx), %llu bytes, more than "
                       "the %u an XIP image may have", lay->link,
                       (unsigned long long)lay->link + span, (unsigned long long)span,
                       XIP_MAX_SPAN);
    lay->size = (uint32_t)(span + XIP_ALIGN - 1) & ~(XIP_ALIGN - 1);
    return 0;
}

/* ---- section headers ---- */

static void get_shdr(const struct sections *t, unsigned i, struct shdr *sh)
{
    const uint8_t *p = t->img->file + t->off + (size_t)i * SH_SIZE;
    sh->name = elf_le32(p);
    sh->type = elf_le32(p + 4);
    sh->flags = elf_le32(p + 8);
    sh->offset = elf_le32(p + 16);
    sh->size = elf_le32(p + 20);
    sh->link = elf_le32(p + 24);
    sh->info = elf_le32(p + 28);
    sh->entsize = elf_le32(p + 36);
}

/* String `off` of string table section `strsec`, or "?" when it is not a NUL-terminated
 * string inside a string table: names only serve messages, so a bad one must not hide the
 * error being reported. Section ranges were checked by validate_sections. */
static const char *str_at(const struct sections *t, unsigned strsec, uint32_t off)
{
    struct shdr sh;
    const char *s;
    if (!strsec || strsec >= t->num)
        return "?";
    get_shdr(t, strsec, &sh);
    if (sh.type != SHT_STRTAB || off >= sh.size)
        return "?";
    s = (const char *)t->img->file + sh.offset + off;
    return memchr(s, 0, sh.size - off) ? s : "?";
}

static const char *sec_name(const struct sections *t, unsigned i)
{
    struct shdr sh;
    get_shdr(t, i, &sh);
    return str_at(t, t->strndx, sh.name);
}

static int open_table(const struct elf_image *img, struct sections *t)
{
    const uint8_t *f = img->file;
    unsigned entsize = elf_le16(f + EH_SHENTSIZE);
    uint64_t end;
    t->img = img;
    t->off = elf_le32(f + EH_SHOFF);
    t->num = elf_le16(f + EH_SHNUM);
    t->strndx = elf_le16(f + EH_SHSTRNDX);
    if (!t->num && t->off)
        return err_set(-EINVAL, "ELF: section count 0 with a section header table at 0x%x: "
                       "extended section numbering is not supported", t->off);
    if (!t->num)
        return err_set(-EINVAL, "ELF: no section header table: XIP needs the relocation "
                       "sections that -Wl,--emit-relocs keeps (do not strip kernels)");
    if (entsize != SH_SIZE)
        return err_set(-EINVAL, "ELF: section header size %u is not %u", entsize, SH_SIZE);
    end = (uint64_t)t->off + (uint64_t)t->num * SH_SIZE;
    if (end > img->file_size)
        return err_set(-EINVAL, "ELF: section header table [0x%x, 0x%llx) is beyond the "
                       "%zu-byte file", t->off, (unsigned long long)end, img->file_size);
    if (t->strndx >= t->num)
        return err_set(-EINVAL, "ELF: section name table index %u is not below the section "
                       "count %u", t->strndx, t->num);
    return 0;
}

/* A RELA section must hold whole Elf32_Rela entries, apply to an existing section and
 * name a symbol table of whole Elf32_Sym entries. */
static int check_rela(const struct sections *t, unsigned i, const struct shdr *sh)
{
    struct shdr sym;
    if (sh->entsize != RELA_SIZE || sh->size % RELA_SIZE)
        return err_set(-EINVAL, "ELF: section %u (%s): RELA entry size %u (section size %u)"
                       ", expected %u-byte entries", i, sec_name(t, i), sh->entsize,
                       sh->size, RELA_SIZE);
    if (!sh->info)
        return err_set(-EINVAL, "ELF: section %u (%s) applies to no section (sh_info 0): "
                       "dynamic relocations need a dynamic loader; link with -static",
                       i, sec_name(t, i));
    if (sh->info >= t->num)
        return err_set(-EINVAL, "ELF: section %u (%s) applies to section %u, not in "
                       "[1, %u)", i, sec_name(t, i), sh->info, t->num);
    get_shdr(t, sh->link, &sym);
    if (sym.type != SHT_SYMTAB || sym.entsize != SYM_SIZE || sym.size % SYM_SIZE)
        return err_set(-EINVAL, "ELF: section %u (%s) links to section %u, which is not a "
                       "symbol table of %u-byte entries", i, sec_name(t, i), sh->link,
                       SYM_SIZE);
    return 0;
}

/* Check every section header before any is used: file ranges, links, and the
 * relocation sections' shape. */
static int validate_sections(const struct sections *t)
{
    struct shdr sh;
    if (t->strndx) {
        get_shdr(t, t->strndx, &sh);
        if (sh.type != SHT_STRTAB)
            return err_set(-EINVAL, "ELF: section name table %u has type %u, not "
                           "SHT_STRTAB (3)", t->strndx, sh.type);
    }
    for (unsigned i = 0; i < t->num; i++) {
        get_shdr(t, i, &sh);
        if (sh.type != SHT_NOBITS && sh.type != SHT_NULL &&
            (uint64_t)sh.offset + sh.size > t->img->file_size)
            return err_set(-EINVAL, "ELF: section %u file range [0x%x, 0x%llx) is beyond "
                           "the %zu-byte file", i, sh.offset,
                           (unsigned long long)sh.offset + sh.size, t->img->file_size);
        if (sh.link >= t->num)
            return err_set(-EINVAL, "ELF: section %u links to section %u, not below the "
                           "section count %u", i, sh.link, t->num);
    }
    /* Names are only looked up once every range is known to be inside the file. */
    for (unsigned i = 0; i < t->num; i++) {
        int rc;
        get_shdr(t, i, &sh);
        if (sh.type == SHT_REL)
            return err_set(-EINVAL, "ELF: section %u (%s) is SHT_REL: RISC-V uses RELA "
                           "relocations only", i, sec_name(t, i));
        rc = sh.type == SHT_RELA ? check_rela(t, i, &sh) : 0;
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- relocations ---- */

static int kind_of(uint32_t type, const char **name)
{
    for (size_t i = 0; i < sizeof reloc_kinds / sizeof reloc_kinds[0]; i++) {
        if (reloc_kinds[i].type == type) {
            *name = reloc_kinds[i].name;
            return reloc_kinds[i].kind;
        }
    }
    return -1;
}

/* Resolve r's symbol in symbol table `symsec`: its value plus the addend, and whether it
 * moves with the image (defined in an SHF_ALLOC section) or stays put (SHN_ABS,
 * undefined weak = 0, or a non-allocated section). */
static int resolve(const struct sections *t, unsigned symsec, int32_t addend,
                   struct reloc *r)
{
    struct shdr tab, def;
    const uint8_t *p;
    unsigned shndx;
    get_shdr(t, symsec, &tab);
    if (r->sym >= tab.size / SYM_SIZE)
        return err_set(-EINVAL, "ELF: %s relocation %u: symbol %u is not below the %u "
                       "symbols", r->sec, r->index, r->sym, tab.size / SYM_SIZE);
    p = t->img->file + tab.offset + (size_t)r->sym * SYM_SIZE;
    shndx = elf_le16(p + 14);
    r->sym_name = str_at(t, tab.link, elf_le32(p));
    r->value = elf_le32(p + 4) + (uint32_t)addend;
    if (shndx == SHN_ABS || !shndx) {
        r->moves = 0;
        return 0;
    }
    if (shndx >= t->num)
        return err_set(-EINVAL, "ELF: %s relocation %u: symbol %u (%s) has section index "
                       "0x%x, neither a section nor SHN_ABS", r->sec, r->index, r->sym,
                       r->sym_name, shndx);
    get_shdr(t, shndx, &def);
    r->moves = (def.flags & SHF_ALLOC) != 0;
    return 0;
}

/* Record an absolute data word that points into the image, after checking that it is
 * inside a segment's file bytes and holds S + A as --emit-relocs promises. */
static int add_word(const struct elf_image *img, const struct layout *lay,
                    const struct reloc *r, struct xip_image *out, size_t *cap)
{
    for (unsigned i = 0; i < img->n_segments; i++) {
        const struct elf_segment *s = &img->seg[i];
        uint32_t word;
        if (r->offset < s->vaddr || (uint64_t)r->offset + 4 > (uint64_t)s->vaddr + s->filesz)
            continue;
        word = elf_le32(s->data + (r->offset - s->vaddr));
        if (word != r->value)
            return err_set(-EINVAL, "ELF: %s relocation %u: the %s word at 0x%x holds 0x%x, "
                           "not symbol %u (%s) + addend = 0x%x: the file was not linked "
                           "with -Wl,--emit-relocs or was modified since", r->sec, r->index,
                           r->name, r->offset, word, r->sym, r->sym_name, r->value);
        int rc = grow_array((void **)&out->abs_relocs, cap, out->n_abs_relocs + 1,
                            sizeof *out->abs_relocs);
        if (rc)
            return rc;
        out->abs_relocs[out->n_abs_relocs++] = r->offset - lay->link;
        return 0;
    }
    return err_set(-EINVAL, "ELF: %s relocation %u: %s at 0x%x is not inside the file "
                   "bytes of a segment", r->sec, r->index, r->name, r->offset);
}

/* Decide what moving the image does to one relocation (see reloc_kinds). */
static int apply_kind(const struct elf_image *img, const struct layout *lay, int kind,
                      const struct reloc *r, struct xip_image *out, size_t *cap)
{
    if (kind == RK_WORD)
        return r->moves ? add_word(img, lay, r, out, cap) : 0;
    if (kind == RK_ABS_CODE && r->moves)
        return err_set(-EINVAL, "ELF: %s relocation %u: %s at 0x%x puts the absolute "
                       "address of symbol %u (%s) in code, which cannot move: build the "
                       "kernel with -mcmodel=medany", r->sec, r->index, r->name, r->offset,
                       r->sym, r->sym_name);
    if ((kind == RK_PCREL || kind == RK_DIFF) && !r->moves)
        return err_set(-EINVAL, "ELF: %s relocation %u: %s at 0x%x refers to symbol %u "
                       "(%s) = 0x%x, which is not in the image (absolute or undefined) and "
                       "does not move with it: the result would be wrong once the image "
                       "moves (use an absolute address for fixed locations)", r->sec, r->index, r->name,
                       r->offset, r->sym, r->sym_name, r->value);
    return 0;
}

static int scan_rela(const struct sections *t, unsigned i, const struct shdr *sh,
                     const struct layout *lay, struct xip_image *out, size_t *cap)
{
    struct reloc r = {.sec = sec_name(t, i)};
    for (r.index = 0; r.index < sh->size / RELA_SIZE; r.index++) {
        const uint8_t *p = t->img->file + sh->offset + (size_t)r.index * RELA_SIZE;
        uint32_t info = elf_le32(p + 4);
        int kind = kind_of(info & 0xFF, &r.name), rc;
        if (kind < 0)
            return err_set(-EINVAL, "ELF: %s relocation %u: unsupported relocation type %u "
                           "at 0x%x", r.sec, r.index, info & 0xFF, elf_le32(p));
        if (kind == RK_IGNORE)
            continue;
        r.offset = elf_le32(p);
        r.sym = info >> 8;
        rc = resolve(t, sh->link, (int32_t)elf_le32(p + 8), &r);
        if (!rc)
            rc = apply_kind(t->img, lay, kind, &r, out, cap);
        if (rc)
            return rc;
    }
    return 0;
}

/* Relocations against non-allocated sections (debug info) are not part of the image. */
static int collect_relocs(const struct sections *t, const struct layout *lay,
                          struct xip_image *out)
{
    size_t cap = 0;
    for (unsigned i = 0; i < t->num; i++) {
        struct shdr sh, target;
        int rc;
        get_shdr(t, i, &sh);
        if (sh.type != SHT_RELA)
            continue;
        get_shdr(t, sh.info, &target);
        if (!(target.flags & SHF_ALLOC))
            continue;
        rc = scan_rela(t, i, &sh, lay, out, &cap);
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- packing ---- */

static int fill_blob(const struct elf_image *img, const struct layout *lay,
                     struct xip_image *out)
{
    out->data = calloc(1, lay->size);
    if (!out->data)
        return err_set(-ENOMEM, "ELF: out of memory for a %u-byte XIP image", lay->size);
    out->size = lay->size;
    out->link_vaddr = lay->link;
    out->entry_offset = img->entry - lay->link;
    for (unsigned k = 0; k < lay->n; k++) {
        const struct elf_segment *s = &img->seg[lay->order[k]];
        memcpy(out->data + (s->vaddr - lay->link), s->data, s->filesz);
    }
    return 0;
}

int xip_pack(const struct elf_image *img, struct xip_image *out)
{
    struct layout lay = {.n = 0};
    struct sections t = {.num = 0};
    int rc;
    memset(out, 0, sizeof *out);
    rc = plan_layout(img, &lay);
    if (!rc)
        rc = open_table(img, &t);
    if (!rc)
        rc = validate_sections(&t);
    if (!rc)
        rc = fill_blob(img, &lay, out);
    if (!rc)
        rc = collect_relocs(&t, &lay, out);
    if (rc)
        xip_free(out);
    return rc;
}

void xip_relocate(const struct xip_image *x, uint8_t *copy, uint32_t base)
{
    uint32_t delta = base - x->link_vaddr;
    for (uint32_t i = 0; i < x->n_abs_relocs; i++) {
        uint8_t *p = copy + x->abs_relocs[i];
        put_le32(p, elf_le32(p) + delta);
    }
}

void xip_free(struct xip_image *x)
{
    free(x->data);
    free(x->abs_relocs);
    memset(x, 0, sizeof *x);
}
