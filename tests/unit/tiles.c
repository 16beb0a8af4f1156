/* ttm_tilize and ttm_untilize: every element lands where the tile layout says (four
 * 16x16 faces per 32x32 tile, row-major inside each, tiles row-major), round trips are
 * exact, and bad shapes are refused. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "ttm.h"

/* Position of (r, c) in the tiled copy, written out from the definition. */
static size_t expected_index(uint32_t r, uint32_t c, uint32_t cols)
{
    uint32_t tiles_per_row = cols / 32;
    size_t tile = (size_t)(r / 32) * tiles_per_row + c / 32;
    uint32_t face = (r % 32 < 16 ? 0 : 2) + (c % 32 < 16 ? 0 : 1);
    return tile * 1024 + face * 256 + (r % 16) * 16 + c % 16;
}

static void check_shape(uint32_t rows, uint32_t cols, uint32_t size)
{
    size_t n = (size_t)rows * cols;
    uint8_t *m = malloc(n * size), *t = malloc(n * size), *back = malloc(n * size);
    CHECK(m && t && back);
    for (size_t i = 0; i < n; i++) {
        uint32_t v = (uint32_t)i * 2654435761u;
        memcpy(m + i * size, &v, size);
    }
    CHECK_EQ(ttm_tilize(m, t, rows, cols, size), 0);
    for (uint32_t r = 0; r < rows; r++)
        for (uint32_t c = 0; c < cols; c++)
            CHECK(!memcmp(t + expected_index(r, c, cols) * size, m + ((size_t)r * cols + c) * size,
                          size));
    CHECK_EQ(ttm_untilize(t, back, rows, cols, size), 0);
    CHECK(!memcmp(back, m, n * size));
    free(m);
    free(t);
    free(back);
}

TEST(tilize_puts_every_element_in_its_face_and_untilize_undoes_it)
{
    check_shape(32, 32, 2);
    check_shape(64, 96, 2);
    check_shape(96, 32, 4);
    check_shape(128, 64, 4);
}

TEST(tilize_refuses_bad_shapes)
{
    uint16_t a[1024] = {0}, b[1024];
    CHECK_EQ(ttm_tilize(a, b, 32, 48, 2), -EINVAL);
    CHECK(strstr(ttm_last_error(), "32 x 32") != NULL);
    CHECK_EQ(ttm_tilize(a, b, 0, 32, 2), -EINVAL);
    CHECK_EQ(ttm_untilize(a, b, 32, 32, 3), -EINVAL);
    CHECK_EQ(ttm_tilize(NULL, b, 32, 32, 2), -EINVAL);
    CHECK_EQ(ttm_untilize(a, NULL, 32, 32, 2), -EINVAL);
    CHECK_EQ(ttm_tilize(a, a + 512, 32, 32, 2), -EINVAL); /* overlapping */
    CHECK(strstr(ttm_last_error(), "overlap") != NULL);
}
