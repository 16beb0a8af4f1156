/* Files built into the library by tools/embed.sh: firmware images ("firmware/brisc.elf")
 * and the kernel headers under their paths in include/ ("header/ttm/kernel/dataflow.h",
 * "header/ttm/blackhole.h", ...). Each file's data is followed by a NUL byte (not counted
 * in size), so text files are also C strings. */
#pragma once

#include <stdint.h>
#include <string.h>

struct ttm_embedded_file {
    const char *name;
    const uint8_t *data;
    uint64_t size;
};

/* Terminated by an entry whose name is NULL. */
extern const struct ttm_embedded_file ttm_embedded[];

static inline const struct ttm_embedded_file *embedded_find(const char *name)
{
    for (const struct ttm_embedded_file *f = ttm_embedded; f->name; f++)
        if (!strcmp(f->name, name))
            return f;
    return NULL;
}
