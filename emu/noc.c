/* The NoC: transfers between nodes, addressed by translated coordinates. Every node is
 * reached through the chip's registry (struct emu_node, chip.c), the same table the
 * inspection calls use. A transfer costs a latency plus one cycle per 64-byte flit. */
#include <errno.h>
#include <string.h>

#include "emu.h"

uint64_t bhe_noc_cost(size_t bytes)
{
    return EMU_NOC_LATENCY + (bytes + EMU_NOC_BYTES_PER_CYCLE - 1) / EMU_NOC_BYTES_PER_CYCLE;
}

static uint32_t fault_cause(const struct emu_src *src)
{
    return src->tile ? BHEMU_FAULT_NOC : BHEMU_FAULT_HOST;
}

/* One access at a single node. Faults are recorded against src. */
static int endpoint(struct bhemu *emu, uint32_t x, uint32_t y, uint64_t addr, void *buf,
                    size_t len, bool write, const struct emu_src *src)
{
    const struct emu_node *n = bhe_node(emu, x, y);
    if (!n->access) {
        bhe_fault(emu, fault_cause(src), src, addr, "NoC %s to %s tile (%u,%u)",
                  write ? "write" : "read", n->kind == NODE_HARVESTED ? "harvested" : "absent",
                  x, y);
        return -EFAULT;
    }
    if (!n->access(n->ctx, addr, buf, len, write, src))
        return 0;
    bhe_fault(emu, fault_cause(src), src, addr, "NoC %s of %zu bytes at tile (%u,%u) reached nothing",
              write ? "write" : "read", len, x, y);
    return -EFAULT;
}

static void account(struct bhemu *emu, size_t len)
{
    emu->st.noc_requests++;
    emu->st.noc_bytes += len;
    emu->st.noc_cycles += bhe_noc_cost(len);
}

int bhe_noc_read(struct bhemu *emu, uint32_t x, uint32_t y, uint64_t addr, void *dst, size_t len,
                 const struct emu_src *src)
{
    account(emu, len);
    return endpoint(emu, x, y, addr, dst, len, false, src);
}

int bhe_noc_write(struct bhemu *emu, uint32_t x, uint32_t y, uint64_t addr, const void *data,
                  size_t len, const struct emu_src *src)
{
    account(emu, len);
    return endpoint(emu, x, y, addr, (void *)data, len, true, src);
}

/* One request: the read-modify-write happens at the target. */
int bhe_noc_atomic_inc(struct bhemu *emu, uint32_t x, uint32_t y, uint64_t addr, uint32_t add,
                       uint32_t *old, const struct emu_src *src)
{
    account(emu, 4);
    if (endpoint(emu, x, y, addr, old, 4, false, src))
        return -EFAULT;
    uint32_t nv = *old + add;
    return endpoint(emu, x, y, addr, &nv, 4, true, src);
}

int bhe_noc_mcast_write(struct bhemu *emu, uint32_t x0, uint32_t y0, uint32_t x1, uint32_t y1,
                        uint64_t addr, const void *data, size_t len, const struct emu_src *src,
                        const struct noc_mcast_mask *mask, unsigned *n_dests)
{
    uint32_t xa = x0 < x1 ? x0 : x1, xb = x0 < x1 ? x1 : x0;
    uint32_t ya = y0 < y1 ? y0 : y1, yb = y0 < y1 ? y1 : y0;
    unsigned n = 0;
    int rc = 0;
    account(emu, len);
    for (uint32_t y = ya; y <= yb && y < 64 && !rc; y++) {
        for (uint32_t x = xa; x <= xb && x < 64; x++) {
            const struct emu_node *node = bhe_node(emu, x, y);
            /* A NIU's broadcast skips the columns and rows its router configuration opts
             * out (ROUTER_CFG_1/3, device-facts 4.1; ttsim's multicast loop), and refuses
             * any other tile that is not a Tensix. The host's TLB multicast reaches the
             * Tensix tiles of its rectangle. Harvested columns are opted out on the chip. */
            if (mask && ((x < 32 && mask->cols >> x & 1) || (y < 32 && mask->rows >> y & 1)))
                continue;
            if (node->kind == NODE_HARVESTED)
                continue;
            if (node->kind != NODE_TENSIX) {
                if (!mask)
                    continue;
                bhe_fault(emu, fault_cause(src), src, addr,
                          "multicast reaches (%u,%u), which is not a Tensix tile nor opted out "
                          "by the router configuration", x, y);
                rc = -EFAULT;
                break;
            }
            if (node->ctx == src->tile && !src->include_self)
                continue;
            if (node->access(node->ctx, addr, (void *)data, len, true, src)) {
                bhe_fault(emu, fault_cause(src), src, addr,
                          "multicast write of %zu bytes to (%u,%u) reached nothing", len, x, y);
                rc = -EFAULT;
                break;
            }
            n++;
        }
    }
    if (n_dests)
        *n_dests = n;
    return rc;
}
