/* Host threads for the clock's parallel phase (sched.c). A batch is a number of jobs (the
 * tiles with runnable units); the caller and the threads claim jobs one at a time until
 * none is left, and the batch returns when every job is done. Which thread runs which job
 * must not matter: sched.c guarantees jobs share nothing while a batch runs.
 *
 * A batch waits for its jobs, never for a thread that has not taken one: on a shared
 * machine a thread may be off its processor for a while, and the caller then runs the jobs
 * itself. A claim names its batch (one 64-bit word holds the batch number, the job count
 * and the next job), so a thread that wakes late cannot take a job of a batch it did not
 * see begin.
 *
 * Batches come every slice, so a thread between batches spins a little before it sleeps:
 * waking a sleeping thread costs several microseconds, which a short spin saves when the
 * next batch follows at once. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "emu.h"

/* Polls before a thread sleeps (a few microseconds). */
#define POOL_SPINS 1000

/* The claim word: batch number in bits 63:40, job count in 39:20, next job in 19:0. */
#define CLAIM(gen, jobs, next) ((uint64_t)(gen) << 40 | (uint64_t)(jobs) << 20 | (next))
#define CLAIM_GEN(c) ((uint32_t)((c) >> 40))
#define CLAIM_JOBS(c) ((uint32_t)((c) >> 20) & 0xFFFFFu)
#define CLAIM_NEXT(c) ((uint32_t)(c) & 0xFFFFFu)

struct emu_threads {
    unsigned n;                  /* threads besides the caller */
    pthread_t *tid;
    pthread_mutex_t lock;
    pthread_cond_t go, done;
    unsigned sleepers;           /* threads waiting on `go`, under lock */
    bool caller_waits;           /* the caller waits on `done`, under lock */
    bool quit;                   /* under lock */
    void (*fn)(void *ctx, unsigned job);  /* of the current batch */
    void *ctx;
    uint32_t gen;                /* batches started (the caller's copy) */
    _Atomic uint64_t claim;
    atomic_uint pending;         /* jobs of the current batch not yet done */
};

static inline void relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

/* Run jobs of batch `gen` while any is left to claim. */
static void take_jobs(struct emu_threads *p, uint32_t gen)
{
    uint64_t c = atomic_load_explicit(&p->claim, memory_order_acquire);
    while (CLAIM_GEN(c) == (gen & 0xFFFFFFu) && CLAIM_NEXT(c) < CLAIM_JOBS(c)) {
        if (!atomic_compare_exchange_weak_explicit(&p->claim, &c, c + 1, memory_order_acquire,
                                                   memory_order_acquire))
            continue;
        /* The batch cannot end before this job is done, so fn and ctx are still its. */
        p->fn(p->ctx, CLAIM_NEXT(c));
        if (atomic_fetch_sub_explicit(&p->pending, 1, memory_order_acq_rel) == 1) {
            pthread_mutex_lock(&p->lock);
            if (p->caller_waits)
                pthread_cond_signal(&p->done);
            pthread_mutex_unlock(&p->lock);
        }
        c = atomic_load_explicit(&p->claim, memory_order_acquire);
    }
}

/* Wait for a batch after `seen`; returns its number, or -1 when the threads are closing. */
static int64_t await_batch(struct emu_threads *p, uint32_t seen)
{
    for (unsigned i = 0; i < POOL_SPINS; i++) {
        uint64_t c = atomic_load_explicit(&p->claim, memory_order_acquire);
        if (CLAIM_GEN(c) != seen)
            return CLAIM_GEN(c);
        relax();
    }
    pthread_mutex_lock(&p->lock);
    uint64_t c;
    while (CLAIM_GEN(c = atomic_load_explicit(&p->claim, memory_order_acquire)) == seen &&
           !p->quit) {
        p->sleepers++;
        pthread_cond_wait(&p->go, &p->lock);
        p->sleepers--;
    }
    bool quit = p->quit;
    pthread_mutex_unlock(&p->lock);
    return quit ? -1 : (int64_t)CLAIM_GEN(c);
}

static void *worker(void *arg)
{
    struct emu_threads *p = arg;
    int64_t gen = 0;
    while ((gen = await_batch(p, (uint32_t)gen)) >= 0)
        take_jobs(p, (uint32_t)gen);
    return NULL;
}

void bhe_threads_run(struct emu_threads *p, void (*fn)(void *ctx, unsigned job), void *ctx,
                     unsigned jobs)
{
    if (!jobs)
        return;
    p->fn = fn;
    p->ctx = ctx;
    p->gen = (p->gen + 1) & 0xFFFFFFu;
    atomic_store_explicit(&p->pending, jobs, memory_order_relaxed);
    atomic_store_explicit(&p->claim, CLAIM(p->gen, jobs, 0), memory_order_release);
    pthread_mutex_lock(&p->lock);
    if (p->sleepers)
        pthread_cond_broadcast(&p->go);
    pthread_mutex_unlock(&p->lock);
    take_jobs(p, p->gen);
    for (unsigned i = 0; i < POOL_SPINS; i++) {
        if (!atomic_load_explicit(&p->pending, memory_order_acquire))
            return;
        relax();
    }
    pthread_mutex_lock(&p->lock);
    p->caller_waits = true;
    while (atomic_load_explicit(&p->pending, memory_order_acquire))
        pthread_cond_wait(&p->done, &p->lock);
    p->caller_waits = false;
    pthread_mutex_unlock(&p->lock);
}

int bhe_threads_create(unsigned threads, struct emu_threads **out)
{
    *out = NULL;
    if (threads > BHEMU_MAX_THREADS)
        return -EINVAL;
    struct emu_threads *p = calloc(1, sizeof *p);
    if (!p)
        return -ENOMEM;
    p->tid = calloc(threads ? threads : 1, sizeof *p->tid);
    if (!p->tid || pthread_mutex_init(&p->lock, NULL)) {
        free(p->tid);
        free(p);
        return -ENOMEM;
    }
    pthread_cond_init(&p->go, NULL);
    pthread_cond_init(&p->done, NULL);
    for (; p->n < threads; p->n++) {
        if (pthread_create(&p->tid[p->n], NULL, worker, p)) {
            bhe_threads_destroy(p);
            return -EAGAIN;
        }
    }
    *out = p;
    return 0;
}

void bhe_threads_destroy(struct emu_threads *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->quit = true;
    pthread_cond_broadcast(&p->go);
    pthread_mutex_unlock(&p->lock);
    for (unsigned i = 0; i < p->n; i++)
        pthread_join(p->tid[i], NULL);
    pthread_cond_destroy(&p->go);
    pthread_cond_destroy(&p->done);
    pthread_mutex_destroy(&p->lock);
    free(p->tid);
    free(p);
}
