/* The live handles of the process and the device lock every call holds.
 *
 * A handle is a pointer, so a stale one (closed, destroyed, never created) cannot be told
 * from a live one by looking at it: every live handle is entered here when created and
 * removed when it goes, and every call looks its handle up before touching it. A stale
 * handle then fails with -EINVAL instead of reaching freed memory. (Should the allocator
 * hand the same address to a later object of the same kind, the old value names the new
 * object: pointer handles cannot tell those apart.)
 *
 * Locks: `reg.lock` guards the table and each device's `children`, `pins` and `closed`;
 * a device's own `lock` serialises the calls on it. A call looks its handle up and tries
 * the device lock while holding the table lock; when the device is busy it pins the
 * device (so it is not freed), drops the table lock, waits, and looks the handle up
 * again. Only try-locks happen under the table lock, so the order cannot deadlock, and a
 * long call on one device never holds up calls on another. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "../util/err.h"
#include "../trace/kprint.h"
#include "../trace/trace.h"
#include "api.h"

struct slot {
    const void *key;            /* NULL: empty */
    struct ttm_device *dev;
    uint32_t kind;
};

static struct {
    pthread_mutex_t lock;
    struct slot *slots;
    size_t cap, used;           /* cap: a power of two, or 0 */
} reg = {.lock = PTHREAD_MUTEX_INITIALIZER};

static const char *const kind_names[] = {
    [HANDLE_DEVICE] = "device", [HANDLE_BUFFER] = "buffer", [HANDLE_PROGRAM] = "program",
    [HANDLE_KERNEL] = "kernel", [HANDLE_CB] = "circular buffer",
};

static size_t home(const void *key, size_t cap)
{
    uint64_t h = (uint64_t)(uintptr_t)key * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 32) & (cap - 1);
}

static struct slot *find(const void *key)
{
    if (!reg.cap)
        return NULL;
    for (size_t i = home(key, reg.cap);; i = (i + 1) & (reg.cap - 1)) {
        if (reg.slots[i].key == key)
            return &reg.slots[i];
        if (!reg.slots[i].key)
            return NULL;
    }
}

static int grow(void)
{
    size_t cap = reg.cap ? 2 * reg.cap : 64;
    struct slot *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -ENOMEM;
    for (size_t i = 0; i < reg.cap; i++) {
        if (!reg.slots[i].key)
            continue;
        size_t j = home(reg.slots[i].key, cap);
        while (slots[j].key)
            j = (j + 1) & (cap - 1);
        slots[j] = reg.slots[i];
    }
    free(reg.slots);
    reg.slots = slots;
    reg.cap = cap;
    return 0;
}

/* Linear probing without tombstones: close the gap by moving later entries of the run
 * back when their home allows it. */
static void erase(struct slot *s)
{
    size_t i = (size_t)(s - reg.slots), mask = reg.cap - 1;
    for (size_t j = (i + 1) & mask; reg.slots[j].key; j = (j + 1) & mask) {
        size_t h = home(reg.slots[j].key, reg.cap);
        /* Entry j may move to the gap at i when its home is not in (i, j]. */
        if (((j - h) & mask) >= ((j - i) & mask)) {
            reg.slots[i] = reg.slots[j];
            i = j;
        }
    }
    reg.slots[i] = (struct slot){0};
    reg.used--;
}

int api_handle_add(const void *h, uint32_t kind, struct ttm_device *dev)
{
    pthread_mutex_lock(&reg.lock);
    int rc = 0;
    if (2 * (reg.used + 1) > reg.cap && (rc = grow())) {
        pthread_mutex_unlock(&reg.lock);
        return err_set(rc, "out of memory");
    }
    size_t i = home(h, reg.cap);
    while (reg.slots[i].key)
        i = (i + 1) & (reg.cap - 1);
    reg.slots[i] = (struct slot){h, dev, kind};
    reg.used++;
    if (kind != HANDLE_DEVICE)
        dev->children++;
    pthread_mutex_unlock(&reg.lock);
    return 0;
}

void api_handle_remove(const void *h)
{
    pthread_mutex_lock(&reg.lock);
    struct slot *s = find(h);
    if (s && s->kind == HANDLE_DEVICE) {
        s->dev->closed = true; /* the entry goes with the device's memory */
    } else if (s) {
        s->dev->children--;
        erase(s);
    }
    pthread_mutex_unlock(&reg.lock);
}

bool api_handle_is(const void *h, uint32_t kind, const struct ttm_device *dev)
{
    pthread_mutex_lock(&reg.lock);
    struct slot *s = h ? find(h) : NULL;
    bool live = s && s->kind == kind && s->dev == dev;
    pthread_mutex_unlock(&reg.lock);
    return live;
}

/* Under reg.lock: the device behind live handle h of the wanted kind. */
static int lookup(const void *h, uint32_t kind, struct ttm_device **dev)
{
    uint32_t want = kind & HANDLE_KIND_MASK;
    struct slot *s = find(h);
    if (!s || s->kind != want)
        return err_set(-EINVAL, "%p is not a live %s handle (closed, destroyed or never "
                                "created)", h, kind_names[want]);
    if (s->dev->closed && !(kind & HANDLE_CLOSED_OK))
        return err_set(-ENODEV, "the device was closed");
    *dev = s->dev;
    return 0;
}

/* Under reg.lock and the device lock: whether the device's memory can go (closed, no
 * child left, nobody waiting for it), and if so its own handle goes now. Only one thread
 * can see this, since no handle leads to the device any more. */
static bool last_user(struct ttm_device *dev)
{
    if (!dev->closed || dev->children || dev->pins)
        return false;
    erase(find(dev));
    return true;
}

/* Drop both locks (held by the caller) and free the device if this was its last user. */
static void unlock_both(struct ttm_device *dev)
{
    bool last = last_user(dev);
    pthread_mutex_unlock(&dev->lock);
    pthread_mutex_unlock(&reg.lock);
    if (last) {
        pthread_mutex_destroy(&dev->lock);
        free(dev);
    }
}

int api_enter_at(const char *fn, const void *h, uint32_t kind, struct ttm_device **out)
{
    *out = NULL;
    if (!h)
        return err_set(-EINVAL, "%s handle is NULL", kind_names[kind & HANDLE_KIND_MASK]);
    struct ttm_device *dev;
    pthread_mutex_lock(&reg.lock);
    int rc = lookup(h, kind, &dev);
    if (!rc && pthread_mutex_trylock(&dev->lock)) {
        dev->pins++;
        pthread_mutex_unlock(&reg.lock);
        pthread_mutex_lock(&dev->lock);
        pthread_mutex_lock(&reg.lock);
        dev->pins--;
        struct ttm_device *again = NULL;
        /* Destroyed while we waited (and the address perhaps reused elsewhere). */
        rc = lookup(h, kind, &again);
        if (!rc && again != dev)
            rc = err_set(-EINVAL, "%p is not a live %s handle (destroyed while this call "
                                  "waited)", h, kind_names[kind & HANDLE_KIND_MASK]);
        if (rc) {
            unlock_both(dev);
            return rc;
        }
    }
    pthread_mutex_unlock(&reg.lock);
    if (!rc) {
        *out = dev;
        trace_call_begin(dev, fn);
    }
    return rc;
}

int api_leave_waited(struct ttm_device *dev, int rc)
{
    if (dev && dev->trace && !dev->closed) {
        trace_call_end(dev); /* the reading is not part of the call */
        int drained = trace_drain(dev);
        rc = rc ? rc : drained;
    }
    if (dev && dev->kprint && !dev->closed) {
        int printed = kprint_drain(dev);
        rc = rc ? rc : printed;
    }
    return api_leave(dev, rc);
}

int api_leave(struct ttm_device *dev, int rc)
{
    if (!dev)
        return rc;
    trace_call_end(dev);
    if (!dev->closed) {
        pthread_mutex_unlock(&dev->lock);
        return rc;
    }
    pthread_mutex_lock(&reg.lock);
    unlock_both(dev);
    return rc;
}
