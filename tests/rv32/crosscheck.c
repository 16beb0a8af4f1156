/* The cross-check workload on the chip: results from RV_SIG on; crt0.S publishes the
 * word count main returns at RV_SIG - 4. The host runs the same code and compares. */
#include <stdint.h>

#include "crosscheck_algo.h"
#include "rvtest.h"

/* volatile hides the seed from the optimiser, which would otherwise precompute it all. */
static volatile uint32_t seed = XC_SEED;

int main(void)
{
    return (int)xc_run((uint32_t *)(uintptr_t)RV_SIG, seed);
}
