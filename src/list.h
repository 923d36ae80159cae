/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_LIST_H
#define MRS_LIST_H

#include <stdio.h>

/* --list: backings, stressors and the scenario files found on the path. */
void list_print(FILE *f);

#endif
