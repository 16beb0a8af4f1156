/* TT-Metal's sfpu_split_includes.h brings in the SFPU operations a kernel's defines ask
 * for (SFPU_OP_*_INCLUDE); ttm has the scalar ones only, always included. */
#pragma once

#include "eltwise_unary.h"
