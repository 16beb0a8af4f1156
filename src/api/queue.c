/* The command queue (fast dispatch only): enqueued programs and transfers, events,
 * finish. On a slow-dispatch device every call fails with the seeds' message. */
#include <errno.h>

#include "../dispatch/dispatch.h"
#include "../util/err.h"
#include "api.h"

VIS int ttm_enqueue_program(ttm_device *dev, ttm_program *p)
{
    int rc = api_check_program(p);
    if (rc || (rc = api_check_queue(dev)))
        return rc;
    if (p->dev != dev)
        return err_set(-EINVAL, "the program belongs to another device");
    return dev->dispatch->enqueue_program(dev, p);
}

VIS int ttm_enqueue_write_buffer(ttm_buffer *b, uint64_t offset, const void *src, uint64_t size,
                                 int blocking)
{
    int rc = api_check_range(b, offset, src, size);
    if (rc || (rc = api_check_queue(b->dev)))
        return rc;
    return b->dev->dispatch->write_buffer(b, offset, src, size, blocking);
}

VIS int ttm_enqueue_read_buffer(ttm_buffer *b, uint64_t offset, void *dst, uint64_t size,
                                int blocking)
{
    int rc = api_check_range(b, offset, dst, size);
    if (rc || (rc = api_check_queue(b->dev)))
        return rc;
    return b->dev->dispatch->read_buffer(b, offset, dst, size, blocking);
}

VIS int ttm_enqueue_record_event(ttm_device *dev, uint64_t *event)
{
    int rc = api_check_queue(dev);
    if (rc)
        return rc;
    if (!event)
        return err_set(-EINVAL, "event is NULL");
    return dev->dispatch->record_event(dev, event);
}

VIS int ttm_event_wait(ttm_device *dev, uint64_t event, uint32_t timeout_ms)
{
    int rc = api_check_queue(dev);
    return rc ? rc : dev->dispatch->event_wait(dev, event, timeout_ms ? timeout_ms : DISPATCH_TIMEOUT_MS);
}

VIS int ttm_event_query(ttm_device *dev, uint64_t event)
{
    int rc = api_check_queue(dev);
    return rc ? rc : dev->dispatch->event_query(dev, event);
}

VIS int ttm_finish(ttm_device *dev, uint32_t timeout_ms)
{
    int rc = api_check_queue(dev);
    return rc ? rc : dev->dispatch->finish(dev, timeout_ms ? timeout_ms : DISPATCH_TIMEOUT_MS);
}
