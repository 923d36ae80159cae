/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_EXPECT_H
#define MRS_EXPECT_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "finding.h"

/*
 * Expectations: which findings a run may or must show, depending on the
 * kernel, the machine and the MR a finding is about. A scenario's [expect]
 * lines read
 *
 *   CLASS = [must|may|each] [CONDITION]
 *
 * where CONDITION is "always" (or nothing) or terms joined with "&&":
 * "kernel OP VERSION", a capability "CAP" or "!CAP", per-finding terms
 * "mr|fs|backing|access ==|!= WORD" about the MR a finding concerns, and
 * "errno ==|!= NAME" about the finding's own errno. Pure logic:
 * the kernel version and capabilities come in as data, so that all of it
 * is tested without a device.
 */
#define EXPECT_MAX 32
#define EXPECT_MAX_TERMS 8
#define KVER_PARTS 3

enum expect_need {
	EXPECT_MUST, /* when the condition holds, a finding must appear */
	EXPECT_MAY, /* covered, not required */
	EXPECT_EACH, /* a finding about every MR that meets the MR terms */
};

enum expect_cmp { CMP_LT, CMP_LE, CMP_GT, CMP_GE, CMP_EQ, CMP_NE };

/* What the machine a run is on has, as far as expectations can ask. */
enum expect_cap {
	CAP_ODP, /* the RDMA device advertises RC on-demand paging */
	CAP_NUMA, /* more than one NUMA node online */
	CAP_ROOT, /* euid 0 */
	CAP_THP, /* transparent huge pages not "never" */
	CAP_HUGETLB, /* free 2M huge pages */
	CAP_COUNT
};

enum expect_term_kind {
	TERM_KERNEL,
	TERM_CAP,
	TERM_MR, /* per-finding terms: about the finding's MR */
	TERM_FS,
	TERM_BACKING,
	TERM_ACCESS, /* one of the MR's access words: rw, ro, odp, atomic... */
	TERM_ERRNO, /* about the finding itself: its errno's name */
};

struct kernel_version {
	unsigned part[KVER_PARTS];
	unsigned n; /* parts given: "6.5" has 2 */
};

struct expect_term {
	enum expect_term_kind kind;
	enum expect_cmp cmp; /* TERM_CAP: CMP_EQ has it, CMP_NE lacks it */
	struct kernel_version ver; /* TERM_KERNEL */
	enum expect_cap cap; /* TERM_CAP */
	char word[32]; /* the per-finding terms */
};

struct expectation {
	enum finding_class cls;
	enum expect_need need;
	unsigned n_terms;
	struct expect_term terms[EXPECT_MAX_TERMS];
	unsigned line; /* in the scenario file; 0: --expect */
};

struct expect_list {
	unsigned n;
	struct expectation v[EXPECT_MAX];
};

/* The machine and kernel a run's expectations are judged against. */
struct expect_env {
	struct kernel_version kernel;
	bool cap[CAP_COUNT];
};

/*
 * An MR of the run (built, whether registered or refused); access as the
 * scenario says it, "rw+atomic".
 */
struct expect_mr {
	const char *name, *fs, *backing, *access;
};

#define EXPECT_MAX_MISSING 8

/* What became of one expectation in a run. */
struct expect_mark {
	bool applied; /* its condition held for this run */
	size_t matched; /* findings whose class and condition it matches */
	/* "each": the MRs it saw no finding about (the first few), and how many. */
	unsigned n_missing;
	char missing[EXPECT_MAX_MISSING][32];
};

const char *expect_cap_name(enum expect_cap c);
/* What a machine without capability c lacks, for a skip reason. */
const char *expect_cap_lack(enum expect_cap c);

/*
 * A scenario's "requires": capability names joined with ',' or '+', or
 * "none". -EINVAL with e naming the unknown one.
 */
int expect_caps_parse(const char *list, bool caps[CAP_COUNT],
		      struct mrs_err *e);
/* "odp,numa", or "none". */
const char *expect_caps_format(const bool caps[CAP_COUNT], char *buf,
			       size_t len);

/*
 * "6.12.117+deb13-amd64" -> 6.12.117: up to three numbers joined by dots,
 * up to the first character that is not part of them. -EINVAL when the
 * text does not start with a number.
 */
int kernel_version_parse(const char *release, struct kernel_version *v);

/*
 * One expectation: cls is the key ("detached"), text the value ("must
 * kernel < 6.5 && fs == ext4"). -EINVAL with e saying what is wrong.
 */
int expect_parse(struct expectation *x, const char *cls, const char *text,
		 struct mrs_err *e);

/* Append cls's "may always" for --expect. */
int expect_add_may(struct expect_list *l, enum finding_class cls,
		   struct mrs_err *e);

/* "kernel >= 6.5 && fs == ext4", or "always": the text after must/may. */
const char *expect_condition(const struct expectation *x, char *buf,
			     size_t len);
/* "must kernel >= 6.5": the whole value, as expect_parse() reads it. */
const char *expect_format(const struct expectation *x, char *buf, size_t len);

/*
 * Judge a run: mark every finding with the first expectation that covers it
 * (f->covered, f->covered_by), and fill marks[] (one per expectation).
 * Returns how many must-expectations applied and matched nothing.
 */
unsigned expect_match(const struct expect_list *l, const struct expect_env *env,
		      const struct expect_mr *mrs, unsigned n_mrs,
		      struct finding *f, size_t n, struct expect_mark *marks);

/*
 * An applied must-expectation that matched nothing, or an each-expectation
 * with an MR that no finding is about.
 */
static inline bool expect_unmet(const struct expectation *x,
				const struct expect_mark *m)
{
	if (x->need == EXPECT_EACH)
		return m->applied && m->n_missing;
	return x->need == EXPECT_MUST && m->applied && !m->matched;
}

/* "must", "may", "each". */
const char *expect_need_name(enum expect_need n);

#endif
