// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Expectations: parsing "[must|may] CONDITION", printing it back, and
 * judging a run's findings against them. Kernel versions compare over as
 * many parts as the expectation gives, so "kernel == 6.12" holds for every
 * 6.12.x and "kernel > 6.5" from 6.6 on.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "backing.h"
#include "error.h"
#include "expect.h"
#include "run_spec.h"
#include "units.h"

#define KVER_PART_MAX 99999

static const char *const need_names[] = { [EXPECT_MUST] = "must",
					  [EXPECT_MAY] = "may",
					  [EXPECT_EACH] = "each" };

static const char *const cmp_names[] = { "<", "<=", ">", ">=", "==", "!=" };

static const char *const cap_names[CAP_COUNT] = {
	[CAP_ODP] = "odp", [CAP_NUMA] = "numa",	      [CAP_ROOT] = "root",
	[CAP_THP] = "thp", [CAP_HUGETLB] = "hugetlb",
};

static const char *const subject_names[] = {
	[TERM_KERNEL] = "kernel",   [TERM_CAP] = NULL,
	[TERM_MR] = "mr",	    [TERM_FS] = "fs",
	[TERM_BACKING] = "backing", [TERM_ACCESS] = "access",
	[TERM_ERRNO] = "errno",
};

#define N_SUBJECTS (sizeof(subject_names) / sizeof(subject_names[0]))

#define COND_HINT \
	"want [must|may|each] followed by 'always' or terms joined with &&: kernel OP VERSION, CAP, !CAP, mr|fs|backing|access|errno ==|!= NAME"

/* Errno values go up to EHWPOISON (133) on Linux. */
#define ERRNO_MAX 200

static const char *const cap_lacks[CAP_COUNT] = {
	[CAP_ODP] = "the RDMA device does not advertise RC on-demand paging",
	[CAP_NUMA] = "one NUMA node online",
	[CAP_ROOT] = "not running as root",
	[CAP_THP] = "transparent huge pages are off (never)",
	[CAP_HUGETLB] = "no free 2M huge pages (vm.nr_hugepages)",
};

const char *expect_need_name(enum expect_need n)
{
	return n <= EXPECT_EACH ? need_names[n] : "?";
}

const char *expect_cap_name(enum expect_cap c)
{
	return c < CAP_COUNT ? cap_names[c] : "unknown";
}

const char *expect_cap_lack(enum expect_cap c)
{
	return c < CAP_COUNT ? cap_lacks[c] : "unknown";
}

int expect_caps_parse(const char *list, bool caps[CAP_COUNT], struct mrs_err *e)
{
	char buf[128], *save = NULL;

	memset(caps, 0, CAP_COUNT * sizeof(caps[0]));
	if (strlen(list) >= sizeof(buf) || !*str_trim(strcpy(buf, list)))
		return mrs_err_set(
			e, EINVAL,
			"requires=%.40s: want capabilities (odp, numa, root, thp, hugetlb) joined with ',', or none",
			list);
	if (!strcmp(str_trim(buf), "none"))
		return 0;
	for (char *w = strtok_r(buf, ",+", &save); w;
	     w = strtok_r(NULL, ",+", &save)) {
		int c = name_index(cap_names, CAP_COUNT, str_trim(w));

		if (c < 0)
			return mrs_err_set(
				e, EINVAL,
				"requires=%s: unknown capability '%s' (odp, numa, root, thp, hugetlb, joined with ',', or none)",
				list, w);
		caps[c] = true;
	}
	return 0;
}

const char *expect_caps_format(const bool caps[CAP_COUNT], char *buf,
			       size_t len)
{
	size_t n = 0;

	snprintf(buf, len, "none");
	for (int c = 0; c < CAP_COUNT; c++)
		if (caps[c] && n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s",
					      n ? "," : "", cap_names[c]);
	return buf;
}

/* Up to three dot-separated numbers at s; *end is left after them. */
static int version_scan(const char *s, struct kernel_version *v,
			const char **end)
{
	memset(v, 0, sizeof(*v));
	while (v->n < KVER_PARTS && isdigit((unsigned char)*s)) {
		char *e;
		unsigned long n = strtoul(s, &e, 10);

		if (n > KVER_PART_MAX)
			return -EINVAL;
		v->part[v->n++] = (unsigned)n;
		s = e;
		if (*s != '.' || !isdigit((unsigned char)s[1]) ||
		    v->n == KVER_PARTS)
			break;
		s++;
	}
	*end = s;
	return v->n ? 0 : -EINVAL;
}

int kernel_version_parse(const char *release, struct kernel_version *v)
{
	const char *end;

	return version_scan(release, v, &end);
}

/* A release's parts past what the expectation gives do not count. */
static int version_cmp(const struct kernel_version *k,
		       const struct kernel_version *x)
{
	for (unsigned i = 0; i < x->n; i++)
		if (k->part[i] != x->part[i])
			return k->part[i] < x->part[i] ? -1 : 1;
	return 0;
}

static bool cmp_holds(enum expect_cmp c, int d)
{
	switch (c) {
	case CMP_LT:
		return d < 0;
	case CMP_LE:
		return d <= 0;
	case CMP_GT:
		return d > 0;
	case CMP_GE:
		return d >= 0;
	case CMP_EQ:
		return d == 0;
	default:
		return d != 0;
	}
}

/* The longest operator at *p: "<=" before "<". */
static int scan_cmp(const char **p, enum expect_cmp *c)
{
	int best = -1;
	size_t best_len = 0;

	for (int i = 0; i < (int)(sizeof(cmp_names) / sizeof(cmp_names[0]));
	     i++) {
		size_t n = strlen(cmp_names[i]);

		if (!strncmp(*p, cmp_names[i], n) && n > best_len) {
			best = i;
			best_len = n;
		}
	}
	if (best < 0)
		return -EINVAL;
	*c = (enum expect_cmp)best;
	*p += best_len;
	return 0;
}

static bool word_ok(const char *w)
{
	if (!*w)
		return false;
	for (; *w; w++)
		if (!isalnum((unsigned char)*w) && !strchr("_.-", *w))
			return false;
	return true;
}

static int term_cap(struct expect_term *t, const char *s, bool negated,
		    struct mrs_err *e)
{
	int c = name_index(cap_names, CAP_COUNT, s);

	if (c < 0)
		return mrs_err_set(
			e, EINVAL,
			"unknown capability '%s' (capabilities: odp, numa, root, thp, hugetlb; !CAP for its absence)",
			s);
	t->kind = TERM_CAP;
	t->cap = (enum expect_cap)c;
	t->cmp = negated ? CMP_NE : CMP_EQ;
	return 0;
}

static int term_kernel(struct expect_term *t, const char *term, const char *val,
		       struct mrs_err *e)
{
	const char *end;

	if (version_scan(val, &t->ver, &end) || *end)
		return mrs_err_set(
			e, EINVAL,
			"bad kernel version '%s' in '%s' (want a release such as 6.5 or 6.12.3)",
			val, term);
	return 0;
}

static bool errno_known(const char *name)
{
	for (int err = 1; err < ERRNO_MAX; err++) {
		const char *n = strerrorname_np(err);

		if (n && !strcmp(n, name))
			return true;
	}
	return false;
}

static int term_word(struct expect_term *t, const char *term, const char *val,
		     struct mrs_err *e)
{
	if (t->cmp != CMP_EQ && t->cmp != CMP_NE)
		return mrs_err_set(e, EINVAL,
				   "'%s': %s compares with == or != only", term,
				   subject_names[t->kind]);
	if (!word_ok(val) || strlen(val) >= sizeof(t->word))
		return mrs_err_set(
			e, EINVAL,
			"'%s': want a name of letters, digits, '-', '_' or '.' after the operator",
			term);
	if (t->kind == TERM_BACKING && !backing_find(val))
		return mrs_err_set(
			e, EINVAL,
			"'%s': unknown backing '%s' (see mrstress --list)",
			term, val);
	if (t->kind == TERM_ACCESS && !mr_access_word(val))
		return mrs_err_set(
			e, EINVAL,
			"'%s': unknown access '%s' (rw, ro, odp, atomic, mw, local, ondemand)",
			term, val);
	if (t->kind == TERM_ERRNO && !errno_known(val))
		return mrs_err_set(
			e, EINVAL,
			"'%s': unknown errno name '%s' (want one such as EFAULT or EOPNOTSUPP)",
			term, val);
	str_copy(t->word, sizeof(t->word), val);
	return 0;
}

/* "kernel >= 6.5", "fs==ext4", "!odp", "numa". */
static int parse_term(struct expect_term *t, const char *term,
		      struct mrs_err *e)
{
	char subject[16];
	const char *p = term;
	size_t n = 0;
	int kind;

	memset(t, 0, sizeof(*t));
	if (*p == '!') {
		char rest[64];

		str_copy(rest, sizeof(rest), p + 1);
		return term_cap(t, str_trim(rest), true, e);
	}
	while (n < sizeof(subject) - 1 && isalpha((unsigned char)p[n]))
		n++;
	memcpy(subject, p, n);
	subject[n] = '\0';
	p += n;
	while (isspace((unsigned char)*p))
		p++;
	kind = name_index(subject_names, N_SUBJECTS, subject);
	if (!*p && kind < 0)
		return term_cap(t, subject, false, e);
	if (kind < 0)
		return mrs_err_set(e, EINVAL, "unknown term '%s' (%s)", term,
				   COND_HINT);
	t->kind = (enum expect_term_kind)kind;
	if (scan_cmp(&p, &t->cmp))
		return mrs_err_set(
			e, EINVAL,
			"'%s': want an operator (<, <=, >, >=, == or !=) after '%s'",
			term, subject);
	while (isspace((unsigned char)*p))
		p++;
	if (t->kind == TERM_KERNEL)
		return term_kernel(t, term, p, e);
	return term_word(t, term, p, e);
}

static bool has_mr_terms(const struct expectation *x);

static int parse_condition(struct expectation *x, const char *text,
			   struct mrs_err *e)
{
	char buf[512], *p = buf;

	if (!*text || !strcmp(text, "always"))
		return 0;
	str_copy(buf, sizeof(buf), text);
	for (;;) {
		char *amp = strstr(p, "&&"), *term;

		if (amp)
			*amp = '\0';
		term = str_trim(p);
		if (!*term || !strcmp(term, "always"))
			return mrs_err_set(
				e, EINVAL,
				"'%s': an empty term, or 'always' among others (%s)",
				text, COND_HINT);
		if (x->n_terms == EXPECT_MAX_TERMS)
			return mrs_err_set(
				e, EINVAL,
				"more than %d terms in one condition",
				EXPECT_MAX_TERMS);
		if (parse_term(&x->terms[x->n_terms], term, e))
			return -EINVAL;
		x->n_terms++;
		if (!amp)
			return 0;
		p = amp + 2;
	}
}

int expect_parse(struct expectation *x, const char *cls, const char *text,
		 struct mrs_err *e)
{
	char buf[512], *cond;
	size_t n;

	memset(x, 0, sizeof(*x));
	if (finding_class_parse(cls, &x->cls))
		return mrs_err_set(
			e, EINVAL,
			"unknown finding class '%s' (detached, zeroed, stale, misplaced, torn, garbage, policy-refused, completion-error, hang, kernel-warning, ...)",
			cls);
	str_copy(buf, sizeof(buf), text);
	cond = str_trim(buf);
	x->need = EXPECT_MUST;
	n = strcspn(cond, " \t");
	for (int i = 0; i <= EXPECT_EACH; i++)
		if (n == strlen(need_names[i]) &&
		    !strncmp(cond, need_names[i], n)) {
			x->need = (enum expect_need)i;
			cond = str_trim(cond + n);
			break;
		}
	if (parse_condition(x, cond, e))
		return -EINVAL;
	if (x->need == EXPECT_EACH && !has_mr_terms(x))
		return mrs_err_set(
			e, EINVAL,
			"'each' is about MRs: give it an mr, fs, backing or access term (or say must)");
	return 0;
}

int expect_add_may(struct expect_list *l, enum finding_class cls,
		   struct mrs_err *e)
{
	struct expectation *x;

	if (l->n == EXPECT_MAX)
		return mrs_err_set(e, EINVAL, "at most %d expectations",
				   EXPECT_MAX);
	x = &l->v[l->n++];
	memset(x, 0, sizeof(*x));
	x->cls = cls;
	x->need = EXPECT_MAY;
	return 0;
}

static size_t term_format(const struct expect_term *t, char *buf, size_t len)
{
	const struct kernel_version *v = &t->ver;
	int n;

	switch (t->kind) {
	case TERM_KERNEL:
		n = snprintf(buf, len, "kernel %s %u", cmp_names[t->cmp],
			     v->part[0]);
		for (unsigned i = 1; i < v->n; i++)
			n += snprintf(buf + n, (size_t)n < len ? len - n : 0,
				      ".%u", v->part[i]);
		break;
	case TERM_CAP:
		n = snprintf(buf, len, "%s%s", t->cmp == CMP_NE ? "!" : "",
			     cap_names[t->cap]);
		break;
	default:
		n = snprintf(buf, len, "%s %s %s", subject_names[t->kind],
			     cmp_names[t->cmp], t->word);
	}
	return n > 0 ? (size_t)n : 0;
}

const char *expect_condition(const struct expectation *x, char *buf, size_t len)
{
	size_t n = 0;

	if (!x->n_terms) {
		snprintf(buf, len, "always");
		return buf;
	}
	buf[0] = '\0';
	for (unsigned i = 0; i < x->n_terms && n < len; i++) {
		if (i)
			n += (size_t)snprintf(buf + n, len - n, " && ");
		if (n < len)
			n += term_format(&x->terms[i], buf + n, len - n);
	}
	return buf;
}

const char *expect_format(const struct expectation *x, char *buf, size_t len)
{
	char cond[480];

	snprintf(buf, len, "%s %s", need_names[x->need],
		 expect_condition(x, cond, sizeof(cond)));
	return buf;
}

/* Terms about the MR a finding concerns. */
static bool is_mr_term(const struct expect_term *t)
{
	return t->kind == TERM_MR || t->kind == TERM_FS ||
	       t->kind == TERM_BACKING || t->kind == TERM_ACCESS;
}

static bool is_per_finding(const struct expect_term *t)
{
	return is_mr_term(t) || t->kind == TERM_ERRNO;
}

static bool global_term_holds(const struct expect_term *t,
			      const struct expect_env *env)
{
	if (t->kind == TERM_KERNEL)
		return cmp_holds(t->cmp, version_cmp(&env->kernel, &t->ver));
	return env->cap[t->cap] == (t->cmp == CMP_EQ);
}

/* w is one of the '+'-joined words of list ("rw+atomic"). */
static bool word_in_list(const char *list, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = list ? list : ""; *p;) {
		size_t len = strcspn(p, "+");

		if (len == n && !strncmp(p, w, n))
			return true;
		p += len + (p[len] == '+');
	}
	return false;
}

/* A per-finding term about MR m; a finding about no MR meets none. */
static bool mr_term_holds(const struct expect_term *t,
			  const struct expect_mr *m)
{
	const char *have;

	if (!m)
		return false;
	if (t->kind == TERM_ACCESS)
		return word_in_list(m->access, t->word) == (t->cmp == CMP_EQ);
	have = t->kind == TERM_MR ? m->name :
	       t->kind == TERM_FS ? m->fs :
				    m->backing;
	return (strcmp(have ? have : "", t->word) == 0) == (t->cmp == CMP_EQ);
}

/* A finding without an errno has the name "". */
static bool errno_term_holds(const struct expect_term *t,
			     const struct finding *f)
{
	const char *have = f->err ? errno_name(f->err) : "";

	return (strcmp(have, t->word) == 0) == (t->cmp == CMP_EQ);
}

static bool globals_hold(const struct expectation *x,
			 const struct expect_env *env)
{
	for (unsigned i = 0; i < x->n_terms; i++)
		if (!is_per_finding(&x->terms[i]) &&
		    !global_term_holds(&x->terms[i], env))
			return false;
	return true;
}

static bool has_mr_terms(const struct expectation *x)
{
	for (unsigned i = 0; i < x->n_terms; i++)
		if (is_mr_term(&x->terms[i]))
			return true;
	return false;
}

static bool mr_terms_hold(const struct expectation *x,
			  const struct expect_mr *m)
{
	for (unsigned i = 0; i < x->n_terms; i++)
		if (is_mr_term(&x->terms[i]) && !mr_term_holds(&x->terms[i], m))
			return false;
	return true;
}

/* Finding f, about MR m (NULL: none), meets x's per-finding terms. */
static bool finding_terms_hold(const struct expectation *x,
			       const struct expect_mr *m,
			       const struct finding *f)
{
	for (unsigned i = 0; i < x->n_terms; i++)
		if (x->terms[i].kind == TERM_ERRNO &&
		    !errno_term_holds(&x->terms[i], f))
			return false;
	return mr_terms_hold(x, m);
}

static bool applies(const struct expectation *x, const struct expect_env *env,
		    const struct expect_mr *mrs, unsigned n_mrs)
{
	if (!globals_hold(x, env))
		return false;
	if (!has_mr_terms(x))
		return true;
	for (unsigned i = 0; i < n_mrs; i++)
		if (mr_terms_hold(x, &mrs[i]))
			return true;
	return false;
}

static const struct expect_mr *
mr_of(const struct finding *f, const struct expect_mr *mrs, unsigned n_mrs)
{
	for (unsigned i = 0; f->mr[0] && i < n_mrs; i++)
		if (mrs[i].name && !strcmp(mrs[i].name, f->mr))
			return &mrs[i];
	return NULL;
}

/* "each" x: the MRs meeting its terms that no finding it covers is about. */
static void find_missing(const struct expectation *x,
			 const struct expect_mr *mrs, unsigned n_mrs,
			 const struct finding *f, size_t n,
			 struct expect_mark *mark)
{
	for (unsigned i = 0; i < n_mrs; i++) {
		bool seen = false;

		if (!mr_terms_hold(x, &mrs[i]))
			continue;
		for (size_t k = 0; k < n && !seen; k++)
			seen = f[k].cls == x->cls &&
			       mr_of(&f[k], mrs, n_mrs) == &mrs[i] &&
			       finding_terms_hold(x, &mrs[i], &f[k]);
		if (seen)
			continue;
		if (mark->n_missing < EXPECT_MAX_MISSING)
			str_copy(mark->missing[mark->n_missing],
				 sizeof(mark->missing[0]), mrs[i].name);
		mark->n_missing++;
	}
}

unsigned expect_match(const struct expect_list *l, const struct expect_env *env,
		      const struct expect_mr *mrs, unsigned n_mrs,
		      struct finding *f, size_t n, struct expect_mark *marks)
{
	unsigned unmet = 0;

	for (unsigned i = 0; i < l->n; i++) {
		memset(&marks[i], 0, sizeof(marks[i]));
		marks[i].applied = applies(&l->v[i], env, mrs, n_mrs);
	}
	for (size_t k = 0; k < n; k++) {
		const struct expect_mr *m = mr_of(&f[k], mrs, n_mrs);

		f[k].covered = false;
		f[k].covered_by = -1;
		for (unsigned i = 0; i < l->n; i++) {
			const struct expectation *x = &l->v[i];

			if (x->cls != f[k].cls || !marks[i].applied ||
			    !finding_terms_hold(x, m, &f[k]))
				continue;
			marks[i].matched++;
			if (!f[k].covered) {
				f[k].covered = true;
				f[k].covered_by = (int)i;
			}
		}
	}
	for (unsigned i = 0; i < l->n; i++) {
		if (l->v[i].need == EXPECT_EACH && marks[i].applied)
			find_missing(&l->v[i], mrs, n_mrs, f, n, &marks[i]);
		unmet += expect_unmet(&l->v[i], &marks[i]);
	}
	return unmet;
}
