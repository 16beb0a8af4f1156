/* Host threads for the clock's parallel phase (sched.c). A batch is a number of jobs (the
 * tiles with runnable units); the caller and the threads take jobs from one counter
 * until none is left, and the batch returns when every job is done. Which thread runs
 * which job must not matter: sched.c guarantees jobs share nothing while a batch runs.
 *
 * Batches come every quantum, so a thread between batches spins a little before it sleeps:
 * waking a sleeping thread costs several microseconds, which a short spin saves when the
 * next batch follows at once. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

#include "emu.h"

/* Polls of the batch counter before a thread sleeps (a few microseconds). */
#define POOL_SPINS 1000

struct emu_threads {
    unsigned n;                  /* threads besides the caller */
    pthread_t *tid;
    pthread_mutex_t lock;
    pthread_cond_t go, done;
    unsigned sleepers;           /* threads waiting on `go`, under lock */
    bool quit;                   /* under lock */
    void (*fn)(void *ctx, unsigned job);
    void *ctx;
    unsigned jobs;
    atomic_uint next;            /* the next job to take */
    atomic_uint busy;            /* threads still in the batch */
    atomic_uint gen;             /* batches started */
};

static inline void relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

static void take_jobs(struct emu_threads *p)
{
    unsigned j;
    while ((j = atomic_fetch_add_explicit(&p->next, 1, memory_order_relaxed)) < p->jobs)
        p->fn(p->ctx, j);
}

/* Wait for batch `seen` + 1 (false: the threads are closing). */
static bool await_batch(struct emu_threads *p, unsigned seen)
{
    for (unsigned i = 0; i < POOL_SPINS; i++) {
        if (atomic_load_explicit(&p->gen, memory_order_acquire) != seen)
            return true;
        relax();
    }
    pthread_mutex_lock(&p->lock);
    while (atomic_load_explicit(&p->gen, memory_order_acquire) == seen && !p->quit) {
        p->sleepers++;
        pthread_cond_wait(&p->go, &p->lock);
        p->sleepers--;
    }
    bool go = !p->quit;
    pthread_mutex_unlock(&p->lock);
    return go;
}

static void *worker(void *arg)
{
    struct emu_threads *p = arg;
    unsigned seen = 0;
    while (await_batch(p, seen)) {
        seen = atomic_load_explicit(&p->gen, memory_order_acquire);
        take_jobs(p);
        if (atomic_fetch_sub_explicit(&p->busy, 1, memory_order_acq_rel) == 1) {
            pthread_mutex_lock(&p->lock);
            pthread_cond_signal(&p->done);
            pthread_mutex_unlock(&p->lock);
        }
    }
    return NULL;
}

void bhe_threads_run(struct emu_threads *p, void (*fn)(void *ctx, unsigned job), void *ctx,
                  unsigned jobs)
{
    p->fn = fn;
    p->ctx = ctx;
    p->jobs = jobs;
    atomic_store_explicit(&p->next, 0, memory_order_relaxed);
    atomic_store_explicit(&p->busy, p->n, memory_order_relaxed);
    atomic_fetch_add_explicit(&p->gen, 1, memory_order_release);
    pthread_mutex_lock(&p->lock);
    if (p->sleepers)
        pthread_cond_broadcast(&p->go);
    pthread_mutex_unlock(&p->lock);
    take_jobs(p);
    for (unsigned i = 0; i < POOL_SPINS; i++) {
        if (!atomic_load_explicit(&p->busy, memory_order_acquire))
            return;
        relax();
    }
    pthread_mutex_lock(&p->lock);
    while (atomic_load_explicit(&p->busy, memory_order_acquire))
        pthread_cond_wait(&p->done, &p->lock);
    pthread_mutex_unlock(&p->lock);
}

int bhe_threads_create(unsigned threads, struct emu_threads **out)
{
    *out = NULL;
    struct emu_threads *p = calloc(1, sizeof *p);
    if (!p)
        return -ENOMEM;
    p->tid = calloc(threads, sizeof *p->tid);
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
