#include "grow.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

int grow_array(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 16;
    while (c < need)
        c *= 2;
    void *n = c <= SIZE_MAX / elem ? realloc(*p, c * elem) : NULL;
    if (!n)
        return err_set(-ENOMEM, "out of memory");
    *p = n;
    *cap = c;
    return 0;
}
