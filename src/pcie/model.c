#include "model.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>

#include "../util/err.h"

/* Host regions are placed in the device's host window (BH_HOST_WINDOW_SIZE) this far
 * apart. */
#define HOST_REGION_ALIGN 0x100000ull

static struct model_port *port(struct ttm_pcie *p)
{
    return p->priv;
}

void model_init(struct model_port *m)
{
    memset(m, 0, sizeof *m);
    m->next_offset = HOST_REGION_ALIGN;
}

void model_forget(struct model_port *m)
{
    memset(m->tlb_used, 0, sizeof m->tlb_used);
    memset(m->regions, 0, sizeof m->regions);
}

int model_tlb_alloc(struct ttm_pcie *p, uint64_t size, uint32_t *id)
{
    struct model_port *m = port(p);
    if (size != BH_TLB_2M_SIZE)
        return err_set(-EINVAL, "backend %s: only 2 MiB TLB windows are handed out",
                       p->ops->name);
    for (uint32_t i = 0; i < BH_TLB_2M_KMD_WINDOW; i++) {
        if (!m->tlb_used[i]) {
            m->tlb_used[i] = 1;
            *id = i;
            return 0;
        }
    }
    return err_set(-ENOSPC, "backend %s: every TLB window is in use", p->ops->name);
}

void model_tlb_free(struct ttm_pcie *p, uint32_t id)
{
    if (id < BH_TLB_2M_COUNT)
        port(p)->tlb_used[id] = 0;
}

static void put_bits(uint32_t w[3], unsigned pos, unsigned width, uint64_t v)
{
    for (unsigned i = 0; i < width; i++, pos++)
        if (v >> i & 1)
            w[pos / 32] |= 1u << (pos % 32);
}

/* The 96-bit entry (KMD blackhole.c TLB_2M_REG), written as three 32-bit words: the only
 * access size Tenstorrent's simulator accepts for them. */
int model_tlb_configure(struct ttm_pcie *p, uint32_t id, const struct pcie_tlb_cfg *cfg)
{
    const struct bh_tlb_layout *l = bh_tlb_layout(0);
    uint32_t w[3] = {0, 0, 0};
    if (id >= BH_TLB_2M_COUNT || !port(p)->tlb_used[id] || cfg->addr % BH_TLB_2M_SIZE)
        return err_set(-EINVAL, "backend %s: TLB window %u is not ours or 0x%llx is not "
                                "window-aligned", p->ops->name, id, (unsigned long long)cfg->addr);
    put_bits(w, 0, l->addr_bits, cfg->addr >> 21);
    put_bits(w, l->x_end, 6, cfg->x_end);
    put_bits(w, l->y_end, 6, cfg->y_end);
    put_bits(w, l->x_start, 6, cfg->x_start);
    put_bits(w, l->y_start, 6, cfg->y_start);
    put_bits(w, l->noc_sel, 2, cfg->noc);
    put_bits(w, l->mcast, 1, cfg->mcast);
    put_bits(w, l->ordering, 2, cfg->ordering);
    for (unsigned i = 0; i < 3; i++) {
        int rc = p->ops->bar_write(p, 0, BH_TLB_CFG_BASE + BH_TLB_CFG_ENTRY * id + 4 * i, &w[i], 4);
        if (rc)
            return rc;
    }
    return 0;
}

int model_tlb_read(struct ttm_pcie *p, uint32_t id, uint64_t off, void *dst, size_t len)
{
    return p->ops->bar_read(p, 0, id * BH_TLB_2M_SIZE + off, dst, len);
}

int model_tlb_write(struct ttm_pcie *p, uint32_t id, uint64_t off, const void *src, size_t len)
{
    return p->ops->bar_write(p, 0, id * BH_TLB_2M_SIZE + off, src, len);
}

/* Host memory given back is kept for the next device of the process, whose command queue
 * asks for the same size: its pages are then already in memory, where a fresh mapping
 * would fault each in again (tens of microseconds a page on a virtual machine). A reused
 * block is cleared, as a fresh one reads as zero. Process-wide, behind a lock. */
#define HOST_POOL 4
static pthread_mutex_t host_pool_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    void *mem;
    size_t len;
} host_pool[HOST_POOL];

static void *host_mem_get(size_t len)
{
    void *mem = NULL;
    pthread_mutex_lock(&host_pool_lock);
    for (unsigned i = 0; i < HOST_POOL && !mem; i++)
        if (host_pool[i].mem && host_pool[i].len == len) {
            mem = host_pool[i].mem;
            host_pool[i].mem = NULL;
        }
    pthread_mutex_unlock(&host_pool_lock);
    if (mem) {
        memset(mem, 0, len);
        return mem;
    }
    mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return mem == MAP_FAILED ? NULL : mem;
}

static void host_mem_put(void *mem, size_t len)
{
    pthread_mutex_lock(&host_pool_lock);
    for (unsigned i = 0; i < HOST_POOL && mem; i++)
        if (!host_pool[i].mem) {
            host_pool[i].mem = mem;
            host_pool[i].len = len;
            mem = NULL;
        }
    pthread_mutex_unlock(&host_pool_lock);
    if (mem)
        munmap(mem, len);
}

int model_host_alloc(struct model_port *m, const char *backend, size_t len, void **host,
                     uint64_t *offset, uint64_t *noc_addr)
{
    struct model_host_region *slot = NULL;
    for (unsigned i = 0; i < MODEL_HOST_REGIONS && !slot; i++)
        if (!m->regions[i].host)
            slot = &m->regions[i];
    if (!slot)
        return err_set(-ENOSPC, "backend %s: at most %u host regions at a time", backend,
                       MODEL_HOST_REGIONS);
    uint64_t span = (len + HOST_REGION_ALIGN - 1) & ~(HOST_REGION_ALIGN - 1);
    if (!len || span > BH_HOST_WINDOW_SIZE - HOST_REGION_ALIGN - m->next_offset)
        return err_set(-EINVAL, "backend %s: cannot place %zu bytes of host memory", backend, len);
    void *mem = host_mem_get(len);
    if (!mem)
        return err_set(-ENOMEM, "backend %s: cannot allocate %zu bytes of host memory", backend,
                       len);
    *slot = (struct model_host_region){mem, m->next_offset, len};
    *host = mem;
    *offset = m->next_offset;
    *noc_addr = BH_NOC_PCIE_HOST_BIT | m->next_offset;
    m->next_offset += span + HOST_REGION_ALIGN;
    return 0;
}

uint64_t model_host_free(struct model_port *m, void *host, size_t len)
{
    uint64_t offset = UINT64_MAX;
    for (unsigned i = 0; i < MODEL_HOST_REGIONS; i++) {
        if (m->regions[i].host == host) {
            offset = m->regions[i].offset;
            m->regions[i].host = NULL;
        }
    }
    host_mem_put(host, len);
    return offset;
}

const struct model_host_region *model_host_find(const struct model_port *m, uint64_t offset,
                                                uint64_t size)
{
    for (unsigned i = 0; i < MODEL_HOST_REGIONS; i++) {
        const struct model_host_region *r = &m->regions[i];
        if (r->host && offset >= r->offset && offset - r->offset <= r->len &&
            size <= r->len - (offset - r->offset))
            return r;
    }
    return NULL;
}
