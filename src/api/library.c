/* Library-wide calls: versions, errors, the kernel root directory. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "../util/err.h"
#include "api.h"

#define STR2(x) #x
#define STR(x) STR2(x)

VIS const char *ttm_version(void)
{
    return STR(TTM_VERSION_MAJOR) "." STR(TTM_VERSION_MINOR) "." STR(TTM_VERSION_PATCH);
}

VIS uint32_t ttm_version_number(void)
{
    return TTM_VERSION_MAJOR << 16 | TTM_VERSION_MINOR << 8 | TTM_VERSION_PATCH;
}

VIS const char *ttm_strerror(int err)
{
    return strerror(err < 0 ? -err : err);
}

VIS const char *ttm_last_error(void)
{
    return err_get();
}

static pthread_mutex_t root_lock = PTHREAD_MUTEX_INITIALIZER;
static char root_dir[PATH_MAX];

VIS int ttm_set_root_dir(const char *dir)
{
    if (!dir)
        return err_set(-EINVAL, "root directory is NULL");
    if (strlen(dir) >= sizeof root_dir)
        return err_set(-ENAMETOOLONG, "root directory path is too long");
    pthread_mutex_lock(&root_lock);
    snprintf(root_dir, sizeof root_dir, "%s", dir);
    pthread_mutex_unlock(&root_lock);
    return 0;
}

void api_root_dir(char *out, size_t size)
{
    pthread_mutex_lock(&root_lock);
    snprintf(out, size, "%s", root_dir);
    pthread_mutex_unlock(&root_lock);
}
