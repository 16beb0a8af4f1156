#include "embedded.h"

#include <string.h>

const struct ttm_embedded_file *embedded_find(const char *name)
{
    for (const struct ttm_embedded_file *f = ttm_embedded; f->name; f++)
        if (!strcmp(f->name, name))
            return f;
    return NULL;
}
