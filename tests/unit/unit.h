/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_UNIT_H
#define MRS_UNIT_H

/* cmocka needs these before its header. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#endif
