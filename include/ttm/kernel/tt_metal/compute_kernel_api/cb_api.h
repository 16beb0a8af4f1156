/* TT-Metal's cb_api.h: cb_wait_front, cb_pop_front, cb_reserve_back and cb_push_back are in common.h (ttm/kernel/compute.h). */
#pragma once

#include "common.h"
