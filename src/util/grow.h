/* Growing arrays: the one way the runtime makes room for one more element. */
#pragma once

#include <stddef.h>

#include "err.h"

/* Make *p, an array of *cap elements of `elem` bytes (NULL and 0 at first), hold at least
 * `need`, doubling its capacity from 16. -ENOMEM with a message when memory runs out;
 * *p and *cap are then unchanged. */
MUST_CHECK int grow_array(void **p, size_t *cap, size_t need, size_t elem);
