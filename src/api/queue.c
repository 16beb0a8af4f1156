/* The command queue (fast dispatch only): enqueued programs and transfers, events,
 * finish. On a slow-dispatch device every call fails with the seeds' message. */
#include <errno.h>

#include "../dispatch/dispatch.h"
#include "../util/err.h"
#include "api.h"

/* Enter a queue call on handle h (device or buffer). */
static int enter_queue_at(const char *fn, const void *h, uint32_t kind, struct ttm_device **dev)
{
    int rc = api_enter_at(fn, h, kind, dev);
    if (!rc && (rc = api_check_queue(*dev))) {
        api_leave(*dev, rc);
        *dev = NULL;
    }
    return rc;
}
#define enter_queue(h, kind, dev) enter_queue_at(__func__, h, kind, dev)

VIS int ttm_enqueue_program(ttm_device *dev, ttm_program *p)
{
    struct ttm_device *d;
    int rc = enter_queue(p, HANDLE_PROGRAM, &d);
    if (rc)
        return rc;
    if (d != dev)
        rc = err_set(-EINVAL, "the program belongs to another device");
    else
        rc = d->dispatch->enqueue_program(d, p);
    return api_leave(d, rc);
}

VIS int ttm_enqueue_write_buffer(ttm_buffer *b, uint64_t offset, const void *src, uint64_t size,
                                 int blocking)
{
    struct ttm_device *d;
    int rc = enter_queue(b, HANDLE_BUFFER, &d);
    if (!rc && !(rc = api_check_range(b, offset, src, size)))
        rc = d->dispatch->write_buffer(b, offset, src, size, blocking);
    return blocking ? api_leave_waited(d, rc) : api_leave(d, rc);
}

VIS int ttm_enqueue_read_buffer(ttm_buffer *b, uint64_t offset, void *dst, uint64_t size,
                                int blocking)
{
    struct ttm_device *d;
    int rc = enter_queue(b, HANDLE_BUFFER, &d);
    if (!rc && !(rc = api_check_range(b, offset, dst, size)))
        rc = d->dispatch->read_buffer(b, offset, dst, size, blocking);
    return blocking ? api_leave_waited(d, rc) : api_leave(d, rc);
}

VIS int ttm_enqueue_record_event(ttm_device *dev, uint64_t *event)
{
    if (!event)
        return err_set(-EINVAL, "event is NULL");
    struct ttm_device *d;
    int rc = enter_queue(dev, HANDLE_DEVICE, &d);
    return rc ? rc : api_leave(d, d->dispatch->record_event(d, event));
}

VIS int ttm_event_wait(ttm_device *dev, uint64_t event, uint32_t timeout_ms)
{
    struct ttm_device *d;
    int rc = enter_queue(dev, HANDLE_DEVICE, &d);
    return rc ? rc
              : api_leave_waited(d, d->dispatch->event_wait(d, event,
                                                     timeout_ms ? timeout_ms : DISPATCH_TIMEOUT_MS));
}

VIS int ttm_event_query(ttm_device *dev, uint64_t event)
{
    struct ttm_device *d;
    int rc = enter_queue(dev, HANDLE_DEVICE, &d);
    return rc ? rc : api_leave(d, d->dispatch->event_query(d, event));
}

VIS int ttm_finish(ttm_device *dev, uint32_t timeout_ms)
{
    struct ttm_device *d;
    int rc = enter_queue(dev, HANDLE_DEVICE, &d);
    return rc ? rc
              : api_leave_waited(d, d->dispatch->finish(d, timeout_ms ? timeout_ms
                                                                      : DISPATCH_TIMEOUT_MS));
}
