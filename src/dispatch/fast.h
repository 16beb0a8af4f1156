/* Fast dispatch: programs, buffer transfers and events go through the command queue to
 * our prefetcher and dispatcher firmware (seeds 000, 001, 002, 004). */
#pragma once

#include <stdint.h>

struct ttm_device;
struct ttm_program;
struct ttm_buffer;

/* The last logical column of workers runs the dispatch firmware: the prefetcher on its
 * first core, the dispatcher on its second. fast_open boots them (workers already run
 * their firmware) and sets up the queue. */
int fast_open(struct ttm_device *dev);
void fast_close(struct ttm_device *dev);

int fast_enqueue_program(struct ttm_device *dev, struct ttm_program *prog);
int fast_write_buffer(struct ttm_buffer *buf, uint64_t offset, const void *src, uint64_t size,
                      int blocking);
int fast_read_buffer(struct ttm_buffer *buf, uint64_t offset, void *dst, uint64_t size,
                     int blocking);
int fast_record_event(struct ttm_device *dev, uint64_t *event);
int fast_event_wait(struct ttm_device *dev, uint64_t event, uint32_t timeout_ms);
int fast_event_query(struct ttm_device *dev, uint64_t event);
int fast_finish(struct ttm_device *dev, uint32_t timeout_ms);

/* A program changed: its cached command stream is rebuilt at the next enqueue. */
void fast_program_changed(struct ttm_program *prog);
/* Core `core`'s runtime args changed: patch them into the cached stream. */
void fast_args_changed(struct ttm_program *prog, uint32_t core);
void fast_program_free(struct ttm_program *prog);

/* For tests: submit one record holding these commands as they are. */
int fast_submit_raw(struct ttm_device *dev, const void *cmds, uint32_t len, uint16_t n_cmds);
