// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xxhash.h>

#include "verify.h"

/*
 * Payload: a splitmix64 stream seeded with a per-(block, generation) key.
 * The key is XXH3 of (mr_id, offset, generation) with the run's seed, and
 * payload word i (word 0 at byte BLOCK_HEADER_SIZE) is the (i+1)-th output
 * of splitmix64 started at that key. Any word, so any chunk, can be made
 * on its own: a chunk is matched against a candidate generation without
 * generating the rest of the block.
 */
#define GOLDEN 0x9e3779b97f4a7c15ULL
#define CHUNK_WORDS (BLOCK_CHUNK / 8)

/*
 * Generations a chunk is matched against: the header's, the legal range
 * (newest first) and BLOCK_OLDER_GENS older ones, stopping at this many.
 */
#define MAX_CANDIDATES 64

_Static_assert(BLOCK_HEADER_SIZE == BLOCK_CHUNK, "the header is chunk 0");

static inline uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t payload_key(const struct block_key *k, uint64_t gen)
{
	const uint64_t in[3] = { k->mr_id, k->offset, gen };

	return XXH3_64bits_withSeed(in, sizeof(in), k->seed);
}

/* Words of payload chunk j (j >= 1: chunk 0 is the header) for key. */
static inline void payload_chunk(uint64_t key, size_t j,
				 uint64_t out[CHUNK_WORDS])
{
	uint64_t s = key + (uint64_t)(j - 1) * CHUNK_WORDS * GOLDEN;

	for (size_t w = 0; w < CHUNK_WORDS; w++) {
		s += GOLDEN;
		out[w] = mix64(s);
	}
}

static void header_make(struct block_header *h, const struct block_key *k,
			uint64_t gen)
{
	*h = (struct block_header){
		.magic = BLOCK_MAGIC,
		.mr_id = k->mr_id,
		.block_size = k->block_size,
		.offset = k->offset,
		.generation = gen,
		.seed = k->seed,
	};
	h->checksum = block_header_checksum(h);
}

uint64_t block_header_checksum(const struct block_header *h)
{
	struct block_header c = *h;

	c.counter = 0;
	c.checksum = 0;
	return XXH64(&c, sizeof(c), 0);
}

/*
 * Chunk j of generation gen of block k, with key = payload_key(k, gen):
 * what block_fill() puts at byte j * BLOCK_CHUNK.
 */
static void block_chunk(void *out, const struct block_key *k, uint64_t gen,
			uint64_t key, size_t j)
{
	uint64_t w[CHUNK_WORDS];

	if (!gen) {
		memset(out, 0, BLOCK_CHUNK);
	} else if (!j) {
		struct block_header h;

		header_make(&h, k, gen);
		memcpy(out, &h, sizeof(h));
	} else {
		payload_chunk(key, j, w);
		memcpy(out, w, sizeof(w));
	}
}

void block_fill(void *buf, const struct block_key *k, uint64_t gen)
{
	size_t n = k->block_size / BLOCK_CHUNK;
	uint8_t *p = buf;
	uint64_t key;

	if (!gen) {
		memset(buf, 0, k->block_size);
		return;
	}
	key = payload_key(k, gen);
	for (size_t j = 0; j < n; j++)
		block_chunk(p + j * BLOCK_CHUNK, k, gen, key, j);
}

const char *block_state_name(enum block_state s)
{
	switch (s) {
	case BLOCK_OK:
		return "ok";
	case BLOCK_ZEROED:
		return "zeroed";
	case BLOCK_STALE:
		return "stale";
	case BLOCK_MISPLACED:
		return "misplaced";
	case BLOCK_TORN:
		return "torn";
	case BLOCK_GARBAGE:
		return "garbage";
	}
	return "unknown";
}

bool block_detached(const struct block_verdict *mr_view,
		    const struct block_verdict *file_view)
{
	return mr_view->state == BLOCK_OK &&
	       (file_view->state == BLOCK_ZEROED ||
		file_view->state == BLOCK_STALE);
}

/* Chunks that came from one source: how many, first and last index. */
struct src_stats {
	size_t count, first, last;
};

struct candidate {
	uint64_t gen, key;
	struct src_stats st;
};

enum header_src {
	HDR_ZERO, /* 64 zero bytes */
	HDR_KEY, /* valid, for this block: its generation is a source */
	HDR_OTHER, /* valid, for another block */
	HDR_BAD,
};

struct scan {
	const struct block_key *k;
	const struct block_expect *x;
	size_t n_chunks;
	struct block_header h; /* as found */
	enum header_src hsrc;
	struct candidate cand[MAX_CANDIDATES];
	size_t n_cand;
	struct src_stats zero, unknown;
	bool any_bad;
	size_t first_bad, last_bad; /* bytes differing from gen_hi */
};

static void stats_add(struct src_stats *s, size_t j)
{
	if (!s->count++)
		s->first = j;
	s->last = j;
}

static void add_candidate(struct scan *s, uint64_t gen)
{
	if (!gen || s->n_cand >= MAX_CANDIDATES)
		return;
	for (size_t i = 0; i < s->n_cand; i++)
		if (s->cand[i].gen == gen)
			return;
	s->cand[s->n_cand++] = (struct candidate){
		.gen = gen,
		.key = payload_key(s->k, gen),
	};
}

static void build_candidates(struct scan *s)
{
	uint64_t lo = s->x->gen_lo ? s->x->gen_lo : 1;

	if (s->hsrc == HDR_KEY)
		add_candidate(s, s->h.generation);
	for (uint64_t g = s->x->gen_hi; g >= lo && s->n_cand < MAX_CANDIDATES;
	     g--)
		add_candidate(s, g);
	for (uint64_t i = 1; i <= BLOCK_OLDER_GENS && lo > i; i++)
		add_candidate(s, lo - i);
}

static struct candidate *find_candidate(struct scan *s, uint64_t gen)
{
	for (size_t i = 0; i < s->n_cand; i++)
		if (s->cand[i].gen == gen)
			return &s->cand[i];
	return NULL;
}

/* Records the bytes of chunk j where found and want differ. */
static void diff_chunk(struct scan *s, size_t j, const uint8_t *found,
		       const uint8_t *want)
{
	size_t a = 0, b = BLOCK_CHUNK - 1;

	while (a < BLOCK_CHUNK && found[a] == want[a])
		a++;
	if (a == BLOCK_CHUNK)
		return;
	while (found[b] == want[b])
		b--;
	if (!s->any_bad)
		s->first_bad = j * BLOCK_CHUNK + a;
	s->any_bad = true;
	s->last_bad = j * BLOCK_CHUNK + b;
}

static bool words_zero(const uint64_t *w)
{
	uint64_t acc = 0;

	for (size_t i = 0; i < CHUNK_WORDS; i++)
		acc |= w[i];
	return !acc;
}

static bool chunk_is(uint64_t key, size_t j, const uint64_t *w)
{
	uint64_t s = key + (uint64_t)(j - 1) * CHUNK_WORDS * GOLDEN;

	for (size_t i = 0; i < CHUNK_WORDS; i++) {
		s += GOLDEN;
		if (w[i] != mix64(s))
			return false;
	}
	return true;
}

static void scan_header(struct scan *s, const uint8_t *p,
			struct block_verdict *v)
{
	const struct block_key *k = s->k;
	const struct block_expect *x = s->x;
	struct block_header want;
	uint64_t w[CHUNK_WORDS];

	memcpy(&s->h, p, sizeof(s->h));
	memcpy(w, p, sizeof(w));
	v->header_valid = s->h.magic == BLOCK_MAGIC &&
			  s->h.checksum == block_header_checksum(&s->h);
	if (v->header_valid) {
		v->found_gen = s->h.generation;
		v->found_mr_id = s->h.mr_id;
		v->found_offset = s->h.offset;
		v->found_counter = s->h.counter;
	}
	if (words_zero(w))
		s->hsrc = HDR_ZERO;
	else if (!v->header_valid || !s->h.generation)
		s->hsrc = HDR_BAD; /* generation 0 is never written */
	else if (s->h.mr_id == k->mr_id && s->h.block_size == k->block_size &&
		 s->h.offset == k->offset && s->h.seed == k->seed)
		s->hsrc = HDR_KEY;
	else
		s->hsrc = HDR_OTHER;

	if (x->gen_hi) {
		header_make(&want, k, x->gen_hi);
		/* The counter is only wrong if it is checked. */
		want.counter = x->check_counter ? x->counter : s->h.counter;
	} else {
		memset(&want, 0, sizeof(want));
	}
	diff_chunk(s, 0, p, (const uint8_t *)&want);
}

static void scan_payload(struct scan *s, const uint8_t *p)
{
	struct candidate *ref = find_candidate(s, s->x->gen_hi);
	uint64_t w[CHUNK_WORDS], want[CHUNK_WORDS];

	for (size_t j = 1; j < s->n_chunks; j++) {
		struct candidate *hit = NULL;

		memcpy(w, p + j * BLOCK_CHUNK, sizeof(w));
		if (ref) {
			payload_chunk(ref->key, j, want);
			if (!memcmp(w, want, sizeof(w))) {
				stats_add(&ref->st, j);
				continue;
			}
		} else {
			memset(want, 0, sizeof(want));
		}
		diff_chunk(s, j, (const uint8_t *)w, (const uint8_t *)want);
		if (words_zero(w)) {
			stats_add(&s->zero, j);
			continue;
		}
		for (size_t i = 0; i < s->n_cand && !hit; i++)
			if (&s->cand[i] != ref &&
			    chunk_is(s->cand[i].key, j, w))
				hit = &s->cand[i];
		stats_add(hit ? &hit->st : &s->unknown, j);
	}
}

/* Bounded appends to the verdict's detail line. */
static void say(struct block_verdict *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void say(struct block_verdict *v, const char *fmt, ...)
{
	size_t used = strnlen(v->detail, sizeof(v->detail));
	va_list ap;

	if (used >= sizeof(v->detail) - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(v->detail + used, sizeof(v->detail) - used, fmt, ap);
	va_end(ap);
}

static void say_range(struct block_verdict *v, const struct src_stats *st,
		      const char *what, uint64_t gen)
{
	size_t a = st->first * BLOCK_CHUNK;
	size_t b = (st->last + 1) * BLOCK_CHUNK - 1;

	if (st->count != st->last - st->first + 1)
		say(v, ", %zu chunks in bytes %zu-%zu hold %s", st->count, a, b,
		    what);
	else
		say(v, ", bytes %zu-%zu hold %s", a, b, what);
	if (gen)
		say(v, " %llu", (unsigned long long)gen);
}

static void say_header(struct scan *s, struct block_verdict *v)
{
	switch (s->hsrc) {
	case HDR_ZERO:
		say(v, "header zero");
		break;
	case HDR_KEY:
		say(v, "header gen %llu", (unsigned long long)s->h.generation);
		break;
	case HDR_OTHER:
		say(v, "header for mr %u offset %llu gen %llu", s->h.mr_id,
		    (unsigned long long)s->h.offset,
		    (unsigned long long)s->h.generation);
		break;
	case HDR_BAD:
		if (s->h.magic != BLOCK_MAGIC)
			say(v, "bad header magic");
		else if (v->header_valid)
			say(v, "header gen 0");
		else
			say(v, "bad header checksum");
		break;
	}
}

/* The chunks besides the header's own source, for a torn block. */
static void say_sources(struct scan *s, struct block_verdict *v)
{
	uint64_t hgen = s->hsrc == HDR_KEY ? s->h.generation : 0;

	if (s->zero.count && s->hsrc != HDR_ZERO)
		say_range(v, &s->zero, "zeros", 0);
	for (size_t i = 0; i < s->n_cand; i++)
		if (s->cand[i].st.count && s->cand[i].gen != hgen)
			say_range(v, &s->cand[i].st, "gen", s->cand[i].gen);
}

static bool legal(const struct block_expect *x, uint64_t gen)
{
	return gen >= x->gen_lo && gen <= x->gen_hi;
}

/* A header of a legal generation: its counter decides. */
static enum block_state counter_verdict(struct scan *s, struct block_verdict *v)
{
	const struct block_expect *x = s->x;

	if (!x->check_counter || s->h.counter == x->counter)
		return BLOCK_OK;
	say(v, ", counter %llu, expected %llu",
	    (unsigned long long)s->h.counter, (unsigned long long)x->counter);
	return s->h.counter < x->counter ? BLOCK_STALE : BLOCK_GARBAGE;
}

static enum block_state whole_block(struct scan *s, struct block_verdict *v)
{
	const struct block_expect *x = s->x;
	uint64_t g = s->h.generation;

	if (g > x->gen_hi) {
		snprintf(v->detail, sizeof(v->detail),
			 "generation %llu newer than any posted (%llu)",
			 (unsigned long long)g, (unsigned long long)x->gen_hi);
		return BLOCK_GARBAGE;
	}
	say(v, "gen %llu", (unsigned long long)g);
	if (g < x->gen_lo) {
		say(v, " older than oldest legal %llu",
		    (unsigned long long)x->gen_lo);
		return BLOCK_STALE;
	}
	if (g != x->gen_hi)
		say(v, " (newest posted %llu)", (unsigned long long)x->gen_hi);
	return counter_verdict(s, v);
}

static enum block_state misplaced(struct scan *s, const uint8_t *p,
				  struct block_verdict *v)
{
	struct block_key other = {
		.mr_id = s->h.mr_id,
		.block_size = s->h.block_size,
		.offset = s->h.offset,
		.seed = s->h.seed,
	};
	uint64_t key, w[CHUNK_WORDS];
	size_t differ = 0;

	say_header(s, v);
	if (other.block_size != s->k->block_size) {
		say(v, " size %u", other.block_size);
		return BLOCK_GARBAGE;
	}
	key = payload_key(&other, s->h.generation);
	for (size_t j = 1; j < s->n_chunks; j++) {
		memcpy(w, p + j * BLOCK_CHUNK, sizeof(w));
		differ += !chunk_is(key, j, w);
	}
	if (!differ)
		return BLOCK_MISPLACED;
	say(v, ", %zu of %zu payload chunks differ", differ, s->n_chunks - 1);
	return BLOCK_GARBAGE;
}

static enum block_state decide(struct scan *s, const uint8_t *p,
			       struct block_verdict *v)
{
	const struct block_expect *x = s->x;
	struct candidate *hc = NULL;
	size_t gens = 0;
	uint64_t newest = 0;
	bool all_legal = true;

	if (s->hsrc == HDR_ZERO && s->zero.count == s->n_chunks - 1) {
		say(v, x->zero_ok ? "all zero (zeros legal)" : "all zero");
		return x->zero_ok ? BLOCK_OK : BLOCK_ZEROED;
	}
	if (s->hsrc == HDR_KEY) {
		hc = find_candidate(s, s->h.generation);
		if (hc && hc->st.count == s->n_chunks - 1)
			return whole_block(s, v);
	}
	if (s->hsrc == HDR_OTHER)
		return misplaced(s, p, v);

	say_header(s, v);
	if (s->hsrc == HDR_BAD || s->unknown.count) {
		if (s->unknown.count)
			say(v,
			    "; %zu of %zu payload chunks unknown, first at byte %zu",
			    s->unknown.count, s->n_chunks - 1,
			    s->unknown.first * BLOCK_CHUNK);
		return BLOCK_GARBAGE;
	}

	/* Every chunk is zero or some generation of this block. */
	for (size_t i = 0; i < s->n_cand; i++) {
		const struct candidate *c = &s->cand[i];

		if (!c->st.count && c != hc)
			continue;
		gens++;
		all_legal &= legal(x, c->gen);
		if (c->gen > newest)
			newest = c->gen;
	}
	if (newest > x->gen_hi) {
		snprintf(v->detail, sizeof(v->detail),
			 "generation %llu newer than any posted (%llu)",
			 (unsigned long long)newest,
			 (unsigned long long)x->gen_hi);
		return BLOCK_GARBAGE;
	}
	say_sources(s, v);
	/* Zeros where a truncate or punch may have put them. */
	if (x->zero_ok && gens == 1 && all_legal) {
		say(v, " (zeros legal)");
		return hc ? counter_verdict(s, v) : BLOCK_OK;
	}
	return BLOCK_TORN;
}

/*
 * Whether payload words [0, n) (n a multiple of CHUNK_WORDS) equal the
 * stream of key, in one pass with no early exit: a fixed-length inner
 * loop of independent multiplies and an OR of differences is what the
 * compiler vectorises (8 lanes of 64-bit multiplies where the CPU has
 * AVX-512DQ: the clone is picked at load time), where a per-chunk
 * generate-then-memcmp is not.
 */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("arch=x86-64-v4", "default")))
#endif
static bool
payload_is(const uint8_t *p, size_t n, uint64_t key)
{
	uint64_t diff = 0;

	for (size_t c = 0; c < n; c += CHUNK_WORDS) {
		uint64_t w[CHUNK_WORDS];

		memcpy(w, p + c * 8, sizeof(w));
		for (size_t i = 0; i < CHUNK_WORDS; i++)
			diff |= w[i] ^ mix64(key + (c + i + 1) * GOLDEN);
	}
	return !diff;
}

/*
 * The verdict of nearly every check: the block holds exactly the newest
 * posted generation (and the counter it should). Decided in one pass at
 * memory speed; anything else takes the full classification below, which
 * gives the same verdict for such a block.
 */
static bool block_is_newest(const uint8_t *p, const struct block_key *k,
			    const struct block_expect *x,
			    struct block_verdict *v)
{
	struct block_header want, h;

	if (!x->gen_hi || x->gen_lo > x->gen_hi)
		return false;
	memcpy(&h, p, sizeof(h));
	header_make(&want, k, x->gen_hi);
	want.counter = x->check_counter ? x->counter : h.counter;
	if (memcmp(&h, &want, sizeof(h)) ||
	    !payload_is(p + BLOCK_HEADER_SIZE,
			(k->block_size - BLOCK_HEADER_SIZE) / 8,
			payload_key(k, x->gen_hi)))
		return false;
	memset(v, 0, sizeof(*v));
	v->state = BLOCK_OK;
	v->header_valid = true;
	v->found_gen = h.generation;
	v->found_mr_id = h.mr_id;
	v->found_offset = h.offset;
	v->found_counter = h.counter;
	snprintf(v->detail, sizeof(v->detail), "gen %llu",
		 (unsigned long long)h.generation);
	return true;
}

void block_verify(const void *buf, const struct block_key *k,
		  const struct block_expect *x, struct block_verdict *v)
{
	const uint8_t *p = buf;
	struct scan s = {
		.k = k,
		.x = x,
		.n_chunks = k->block_size / BLOCK_CHUNK,
	};

	if (block_is_newest(p, k, x, v))
		return;
	memset(v, 0, sizeof(*v));
	scan_header(&s, p, v);
	build_candidates(&s);
	scan_payload(&s, p);
	if (s.any_bad) {
		v->first_bad = (uint32_t)s.first_bad;
		v->bad_len = (uint32_t)(s.last_bad - s.first_bad + 1);
	}
	v->state = decide(&s, p, v);
}
