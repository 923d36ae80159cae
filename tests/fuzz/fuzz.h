/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_FUZZ_H
#define MRS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/*
 * What a fuzz target (tests/fuzz/NAME_fuzz.c) offers libFuzzer and the unit
 * test that runs its regression fixtures (tests/unit/fuzz_regressions.c):
 * one input in, 0 back; a crash or abort() is a failure.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The error the last input ended in, "" when it loaded: what a fixture's
 * NAME.expect says it must contain.
 */
extern char fuzz_error[512];

#endif
