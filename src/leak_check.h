/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_LEAK_CHECK_H
#define MRS_LEAK_CHECK_H

/*
 * LeakSanitizer's check at exit, in a configure --enable-sanitizers build.
 * A thread blocked in the kernel keeps its QPs, buffers and run result,
 * which the teardown leaves to it on purpose, and LSan would have to stop
 * that thread (ptrace) to scan it: waiting as long as the kernel keeps it,
 * where the plain build's exit kills it. leak_check_skip() turns the check
 * off for the rest of the process; in other builds it does nothing.
 */
void leak_check_skip(void);

#endif
