/* Files built into the library (tools/embed.sh): our firmware images, named
 * "firmware/<name>.elf", and the kernel headers, named "header/<name>.h". Each file's
 * bytes are followed by a NUL, so text files can be used as C strings. */
#pragma once

#include <stdint.h>

struct ttm_embedded_file {
    const char *name;
    const uint8_t *data;
    uint64_t size;
};

/* The table, terminated by an entry whose name is NULL. */
extern const struct ttm_embedded_file ttm_embedded[];

/* The file called `name`, or NULL. */
const struct ttm_embedded_file *embedded_find(const char *name);
