/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_ATOMIC_FILE_H
#define MRS_ATOMIC_FILE_H

#include <stdio.h>

#include "error.h"

/*
 * Write path whole or not at all: fill() writes into a temporary file in
 * the same directory, which is flushed to disk and renamed over path. A
 * reader, or a crash or kill at any point, sees the old file or the new,
 * never a part. fill returns 0 or a negative errno. Returns 0, or a
 * negative errno with e naming the file. The temporary file is
 * DIR/.BASE.PID.XXXXXX; those of dead writers of path are removed first.
 */
int atomic_file_write(const char *path, int (*fill)(FILE *f, void *arg),
		      void *arg, struct mrs_err *e);

#endif
