/* TT-Metal's debug/dprint.h: DPRINT << ... << ENDL() is in ttm/kernel/print.h, which
 * every kernel header already includes. */
#pragma once

#include "ttm/kernel/print.h"
