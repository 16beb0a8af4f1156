/* Tilize and untilize on the host: a row-major matrix to 32x32 tiles in the layout the
 * Tensix unpacker and packer use, four 16x16 faces each, row-major inside a face
 * (compute-facts 3.1), tiles in row-major order over the matrix; and back. Each face row
 * is one run of 16 elements, copied whole. */
#include <errno.h>
#include <string.h>

#include "../util/err.h"
#include "api.h"

#define TILE 32u
#define FACE 16u

static int check(const void *src, const void *dst, uint32_t rows, uint32_t cols,
                 uint32_t elem_size)
{
    if (!src || !dst)
        return err_set(-EINVAL, "tilize: a buffer is NULL");
    if (rows % TILE || cols % TILE || !rows || !cols)
        return err_set(-EINVAL, "tilize: %u x %u is not a whole number of 32 x 32 tiles",
                       rows, cols);
    if (elem_size != 2 && elem_size != 4)
        return err_set(-EINVAL, "tilize: elements of %u bytes (2 or 4)", elem_size);
    uintptr_t s = (uintptr_t)src, d = (uintptr_t)dst, n = (uintptr_t)rows * cols * elem_size;
    if (s < d + n && d < s + n)
        return err_set(-EINVAL, "tilize: source and destination overlap");
    return 0;
}

/* Where element (r, c) of the matrix goes in the tiled copy, in elements. */
static size_t tiled_index(uint32_t r, uint32_t c, uint32_t cols)
{
    size_t tile = (size_t)(r / TILE) * (cols / TILE) + c / TILE;
    uint32_t tr = r % TILE, tc = c % TILE;
    uint32_t face = 2 * (tr / FACE) + tc / FACE;
    return tile * TILE * TILE + face * FACE * FACE + (tr % FACE) * FACE + tc % FACE;
}

/* Every run of 16 elements of one face row: from the matrix to the tiles or back. */
static void walk(const uint8_t *src, uint8_t *dst, uint32_t rows, uint32_t cols, uint32_t size,
                 bool to_tiles)
{
    size_t run = (size_t)FACE * size;
    for (uint32_t r = 0; r < rows; r++) {
        for (uint32_t c = 0; c < cols; c += FACE) {
            size_t plain = ((size_t)r * cols + c) * size, tiled = tiled_index(r, c, cols) * size;
            if (to_tiles)
                memcpy(dst + tiled, src + plain, run);
            else
                memcpy(dst + plain, src + tiled, run);
        }
    }
}

VIS int ttm_tilize(const void *src, void *dst, uint32_t rows, uint32_t cols, uint32_t elem_size)
{
    int rc = check(src, dst, rows, cols, elem_size);
    if (!rc)
        walk(src, dst, rows, cols, elem_size, true);
    return rc;
}

VIS int ttm_untilize(const void *src, void *dst, uint32_t rows, uint32_t cols,
                     uint32_t elem_size)
{
    int rc = check(src, dst, rows, cols, elem_size);
    if (!rc)
        walk(src, dst, rows, cols, elem_size, false);
    return rc;
}
