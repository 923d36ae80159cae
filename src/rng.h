/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_RNG_H
#define MRS_RNG_H

#include <stdint.h>

/*
 * xorshift64*: cheap, and reproducible from the run's seed, which is all
 * the choices of DMA threads and stressors need. *s must not be 0.
 */
static inline uint64_t rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

#endif
