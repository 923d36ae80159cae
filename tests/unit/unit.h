/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_UNIT_H
#define MRS_UNIT_H

/* cmocka needs these before its header. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/*
 * tests/fixtures/DIR/NAME, NUL-terminated, its length in *len (when len is
 * not NULL); fails the test when it cannot be read. Free it.
 */
char *fixture_read(const char *dir, const char *name, size_t *len);

/* rm -rf a directory made by mkdtemp(): 0, or -1 when it failed. */
int unit_dir_remove(const char *dir);
/*
 * A group's temporary directory, unit_dir: made by unit_dir_setup() and
 * removed with what is in it by unit_dir_teardown() (cmocka group
 * fixtures).
 */
extern char unit_dir[];
int unit_dir_setup(void **state);
int unit_dir_teardown(void **state);

#endif
