// SPDX-License-Identifier: GPL-2.0-or-later
#include "leak_check.h"

#ifdef MRS_SANITIZERS
#include <sanitizer/lsan_interface.h>

static volatile int leak_check_off;

/* LSan asks this hook when it is about to check, at exit. */
int __lsan_is_turned_off(void)
{
	return leak_check_off;
}

void leak_check_skip(void)
{
	leak_check_off = 1;
}
#else
void leak_check_skip(void)
{
}
#endif
