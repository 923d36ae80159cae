// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Scenario files, parsed with libinih. inih hands over one key at a time
 * and, as Debian builds it (INI_HANDLER_LINENO 0, no handler call for a new
 * section), neither line numbers nor empty sections: so inih reads through
 * a reader of ours that counts lines and sees section headers itself. Keys
 * are kept per section and applied when the section ends, because a
 * stressor's keys mean something only once its type is known, whichever
 * line says it.
 */
#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "scenario.h"
#include "units.h"

#define SECTION_MAX_KEYS 48
#define VALUE_MAX 256

enum sec_kind {
	SEC_NONE,
	SEC_SCENARIO,
	SEC_MR,
	SEC_DMA,
	SEC_STRESS,
	SEC_EXPECT
};

static const char *const sec_names[] = {
	[SEC_NONE] = NULL, [SEC_SCENARIO] = "scenario", [SEC_MR] = "mr",
	[SEC_DMA] = "dma", [SEC_STRESS] = "stress",	[SEC_EXPECT] = "expect",
};

#define N_SECS ((int)(sizeof(sec_names) / sizeof(sec_names[0])))
#define SECTIONS_HINT \
	"sections: [scenario], [mr NAME], [dma NAME], [stress NAME], [expect]"

struct pending {
	char key[32];
	char val[VALUE_MAX];
	unsigned line;
};

struct section {
	enum sec_kind kind;
	char name[32];
	char label[48]; /* "[mr data]", for messages */
	unsigned line;
	unsigned n;
	struct pending kv[SECTION_MAX_KEYS];
};

struct parser {
	struct scenario *sc;
	struct run_spec *spec;
	const char *file;
	FILE *f;
	char *buf;
	size_t cap;
	unsigned line;
	struct section cur;
	unsigned scenario_line, expect_line; /* each section may come once */
	bool failed;
	unsigned err_line;
	struct mrs_err *e;
};

__attribute__((format(printf, 3, 4))) static int
fail(struct parser *p, unsigned line, const char *fmt, ...)
{
	char msg[sizeof(p->e->msg)];
	va_list ap;

	if (p->failed)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	p->failed = true;
	p->err_line = line;
	if (line)
		return mrs_err_set(p->e, EINVAL, "%s:%u: %s", p->file, line,
				   msg);
	return mrs_err_set(p->e, EINVAL, "%s: %s", p->file, msg);
}

static void record_key(struct parser *p, enum spec_part part, unsigned index,
		       const struct pending *kv)
{
	struct scenario_key *k;

	if (p->sc->n_keys == SCENARIO_MAX_KEYS)
		return; /* its errors then name the section's line */
	k = &p->sc->keys[p->sc->n_keys++];
	k->part = part;
	k->index = index;
	str_copy(k->key, sizeof(k->key), kv->key);
	k->line = kv->line;
}

typedef int (*set_fn)(void *obj, const char *key, const char *val,
		      struct mrs_err *e);

/* Every key of the section but skip (the type, already applied). */
static int apply_keys(struct parser *p, enum spec_part part, unsigned index,
		      void *obj, set_fn set, const char *skip)
{
	const struct section *c = &p->cur;
	struct mrs_err err = { 0 };

	for (unsigned i = 0; i < c->n; i++) {
		const struct pending *kv = &c->kv[i];

		if (skip && !strcmp(kv->key, skip))
			continue;
		if (!strcmp(kv->key, "name"))
			return fail(p, kv->line,
				    "%s name: the name is the header's, %s",
				    c->label, c->label);
		record_key(p, part, index, kv);
		if (set(obj, kv->key, kv->val, &err))
			return fail(p, kv->line, "%s %s", c->label, err.msg);
	}
	return 0;
}

static int apply_scenario(struct parser *p)
{
	struct mrs_err err = { 0 };

	for (unsigned i = 0; i < p->cur.n; i++) {
		const struct pending *kv = &p->cur.kv[i];

		if (run_spec_set(p->spec, kv->key, kv->val, &err))
			return fail(p, kv->line, "[scenario] %s", err.msg);
	}
	return 0;
}

static int apply_mr(struct parser *p)
{
	struct mrs_err err = { 0 };
	struct mr_spec *m = run_spec_new_mr(p->spec, &err);
	unsigned i = p->spec->n_mrs - 1;

	if (!m || mr_spec_set(m, "name", p->cur.name, &err))
		return fail(p, p->cur.line, "%s %s", p->cur.label, err.msg);
	p->sc->mr_line[i] = p->cur.line;
	return apply_keys(p, PART_MR, i, m, mr_spec_setter, NULL);
}

static int apply_dma(struct parser *p)
{
	struct mrs_err err = { 0 };
	struct dma_spec *d = run_spec_new_dma(p->spec, &err);
	unsigned i = p->spec->n_dmas - 1;

	if (!d || dma_spec_set(d, "name", p->cur.name, &err))
		return fail(p, p->cur.line, "%s %s", p->cur.label, err.msg);
	p->sc->dma_line[i] = p->cur.line;
	return apply_keys(p, PART_DMA, i, d, dma_spec_setter, NULL);
}

static const struct pending *find_key(const struct section *c, const char *key)
{
	for (unsigned i = 0; i < c->n; i++)
		if (!strcmp(c->kv[i].key, key))
			return &c->kv[i];
	return NULL;
}

/* The type first: it says which keys the rest of the section may use. */
static int apply_stress(struct parser *p)
{
	const struct pending *type = find_key(&p->cur, "type");
	const struct stressor *s;
	struct mrs_err err = { 0 };
	struct stress_spec *st;
	unsigned i;

	if (!type)
		return fail(
			p, p->cur.line,
			"%s has no type (type = truncate; see mrstress --list)",
			p->cur.label);
	s = stressor_find(type->val);
	if (!s)
		return fail(p, type->line,
			    "%s unknown stressor '%s' (see mrstress --list)",
			    p->cur.label, type->val);
	st = run_spec_new_stress(p->spec, s, &err);
	if (!st || stress_spec_set(st, "name", p->cur.name, &err))
		return fail(p, p->cur.line, "%s %s", p->cur.label, err.msg);
	i = p->spec->n_stress - 1;
	p->sc->stress_line[i] = p->cur.line;
	record_key(p, PART_STRESS, i, type);
	return apply_keys(p, PART_STRESS, i, st, stress_spec_setter, "type");
}

static int apply_expect(struct parser *p)
{
	struct expect_list *l = &p->spec->expects;
	struct mrs_err err = { 0 };

	for (unsigned i = 0; i < p->cur.n; i++) {
		const struct pending *kv = &p->cur.kv[i];
		struct expectation *x;

		if (l->n == EXPECT_MAX)
			return fail(p, kv->line, "[expect] at most %d lines",
				    EXPECT_MAX);
		x = &l->v[l->n];
		if (expect_parse(x, kv->key, kv->val, &err))
			return fail(p, kv->line, "[expect] %s = %s: %s",
				    kv->key, kv->val, err.msg);
		x->line = kv->line;
		l->n++;
	}
	return 0;
}

/* A section ends at the next header or at the end of the file. */
static int close_section(struct parser *p)
{
	enum sec_kind kind = p->cur.kind;
	int ret = 0;

	p->cur.kind = SEC_NONE;
	if (kind == SEC_SCENARIO)
		ret = apply_scenario(p);
	else if (kind == SEC_MR)
		ret = apply_mr(p);
	else if (kind == SEC_DMA)
		ret = apply_dma(p);
	else if (kind == SEC_STRESS)
		ret = apply_stress(p);
	else if (kind == SEC_EXPECT)
		ret = apply_expect(p);
	p->cur.n = 0;
	return ret;
}

/* [scenario] and [expect]: no name, once per file. */
static int open_single(struct parser *p, enum sec_kind kind, const char *rest)
{
	unsigned *first = kind == SEC_SCENARIO ? &p->scenario_line :
						 &p->expect_line;

	if (*rest)
		return fail(p, p->line, "[%s %s]: [%s] takes no name",
			    sec_names[kind], rest, sec_names[kind]);
	if (*first)
		return fail(p, p->line,
			    "duplicate section [%s] (first at line %u)",
			    sec_names[kind], *first);
	*first = p->line;
	return 0;
}

/* Where an earlier section of this kind and name began, or 0. */
static unsigned earlier(const struct parser *p, enum sec_kind kind,
			const char *name)
{
	const struct run_spec *s = p->spec;

	for (unsigned i = 0; kind == SEC_MR && i < s->n_mrs; i++)
		if (!strcmp(s->mrs[i].name, name))
			return p->sc->mr_line[i];
	for (unsigned i = 0; kind == SEC_DMA && i < s->n_dmas; i++)
		if (!strcmp(s->dmas[i].name, name))
			return p->sc->dma_line[i];
	for (unsigned i = 0; kind == SEC_STRESS && i < s->n_stress; i++)
		if (!strcmp(s->stress[i].name, name))
			return p->sc->stress_line[i];
	return 0;
}

/* The name as the section's own set function takes it. */
static int check_name(enum sec_kind kind, const char *name, struct mrs_err *e)
{
	struct mr_spec m;
	struct dma_spec d;
	struct stress_spec st;

	if (kind == SEC_MR)
		return mr_spec_set(&m, "name", name, e);
	if (kind == SEC_DMA)
		return dma_spec_set(&d, "name", name, e);
	return stress_spec_set(&st, "name", name, e);
}

/* [mr NAME], [dma NAME], [stress NAME]: a valid name, not seen before. */
static int open_named(struct parser *p, enum sec_kind kind, const char *name)
{
	static const unsigned max[] = { [SEC_MR] = RUN_MAX_MRS,
					[SEC_DMA] = RUN_MAX_DMAS,
					[SEC_STRESS] = RUN_MAX_STRESS };
	const unsigned have[] = { [SEC_MR] = p->spec->n_mrs,
				  [SEC_DMA] = p->spec->n_dmas,
				  [SEC_STRESS] = p->spec->n_stress };
	struct mrs_err err = { 0 };
	unsigned first;

	if (!*name)
		return fail(p, p->line, "[%s] needs a name: [%s NAME]",
			    sec_names[kind], sec_names[kind]);
	if (check_name(kind, name, &err))
		return fail(p, p->line, "[%s %s]: %s", sec_names[kind], name,
			    err.msg);
	first = earlier(p, kind, name);
	if (first)
		return fail(p, p->line,
			    "duplicate section [%s %s] (first at line %u)",
			    sec_names[kind], name, first);
	if (have[kind] == max[kind])
		return fail(p, p->line, "[%s %s]: at most %u [%s] sections",
			    sec_names[kind], name, max[kind], sec_names[kind]);
	return 0;
}

static int open_section(struct parser *p, char *text)
{
	char *word = str_trim(text), *rest = word + strcspn(word, " \t");
	int kind;

	if (*rest)
		*rest++ = '\0';
	rest = str_trim(rest);
	kind = name_index(sec_names, N_SECS, word);
	if (kind < 0)
		return fail(p, p->line, "unknown section [%s%s%s] (%s)", word,
			    *rest ? " " : "", rest, SECTIONS_HINT);
	if (kind == SEC_SCENARIO || kind == SEC_EXPECT) {
		if (open_single(p, (enum sec_kind)kind, rest))
			return -EINVAL;
	} else if (open_named(p, (enum sec_kind)kind, rest)) {
		return -EINVAL;
	}
	p->cur.kind = (enum sec_kind)kind;
	str_copy(p->cur.name, sizeof(p->cur.name), rest);
	snprintf(p->cur.label, sizeof(p->cur.label), "[%s%s%s]", word,
		 *rest ? " " : "", rest);
	p->cur.line = p->line;
	p->cur.n = 0;
	return 0;
}

/* "[...]": the section before it ends, this one begins. */
static int header(struct parser *p, const char *line)
{
	const char *end = strchr(line, ']');
	char text[128];

	if (!end)
		return 0; /* inih reports the line */
	if ((size_t)(end - line) >= sizeof(text))
		return fail(p, p->line, "section header too long");
	memcpy(text, line, (size_t)(end - line));
	text[end - line] = '\0';
	if (close_section(p))
		return -EINVAL;
	return open_section(p, text);
}

/*
 * A NUL byte would cut the line short unseen, and other control bytes are
 * no part of a scenario: the file is not text (or not this kind of text).
 */
static int binary_line(struct parser *p, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
			return fail(
				p, p->line,
				"a control byte 0x%02x: a scenario is text (KEY = VALUE lines; see scenarios/)",
				c);
		if (c == 0x7f)
			return fail(
				p, p->line,
				"a control byte 0x7f: a scenario is text (KEY = VALUE lines; see scenarios/)");
	}
	return 0;
}

/*
 * inih's reader: one line per call, counted. Leading blanks are dropped,
 * so that an indented line never continues the value above it (inih's
 * multi-line values): every line stands on its own.
 */
static char *next_line(char *str, int num, void *stream)
{
	struct parser *p = stream;
	ssize_t got;
	char *s;
	size_t len;

	if (p->failed)
		return NULL;
	got = getline(&p->buf, &p->cap, p->f);
	if (got < 0)
		return NULL;
	p->line++;
	if (binary_line(p, p->buf, (size_t)got))
		return NULL;
	s = p->buf;
	if (p->line == 1 && !strncmp(s, "\xef\xbb\xbf", 3))
		s += 3; /* a UTF-8 byte order mark */
	s += strspn(s, " \t");
	len = strlen(s);
	if (len + 1 >= (size_t)num) {
		fail(p, p->line, "line longer than %d characters", num - 3);
		return NULL;
	}
	if (*s == '[' && header(p, s + 1))
		return NULL;
	memcpy(str, s, len + 1);
	return str;
}

/* inih's handler: each key waits in its section until the section ends. */
static int on_key(void *user, const char *section, const char *key,
		  const char *val)
{
	struct parser *p = user;
	struct section *c = &p->cur;
	const struct pending *dup;

	(void)section; /* the reader knows it, empty sections included */
	if (p->failed)
		return 0;
	/*
	 * inih takes "KEY = ; note" for an empty value and a comment, but
	 * "KEY =; note" for the value "; note", which scenario_print() would
	 * write back as the former: a ';' after '=' starts a comment either
	 * way.
	 */
	if (val[0] == ';')
		val = "";
	if (c->kind == SEC_NONE)
		return !fail(p, p->line, "'%s' outside a section (%s)", key,
			     SECTIONS_HINT);
	if (strlen(key) >= sizeof(c->kv[0].key))
		return !fail(p, p->line, "%s unknown key '%s'", c->label, key);
	dup = find_key(c, key);
	/* [expect] may say a class more than once: its lines are ORed. */
	if (dup && c->kind != SEC_EXPECT)
		return !fail(p, p->line,
			     "%s duplicate key '%s' (first at line %u)",
			     c->label, key, dup->line);
	if (c->n == SECTION_MAX_KEYS)
		return !fail(p, p->line, "%s more than %d keys", c->label,
			     SECTION_MAX_KEYS);
	str_copy(c->kv[c->n].key, sizeof(c->kv[0].key), key);
	str_copy(c->kv[c->n].val, sizeof(c->kv[0].val), val);
	c->kv[c->n].line = p->line;
	c->n++;
	return 1;
}

unsigned scenario_line(const struct scenario *sc, const struct spec_where *w)
{
	unsigned sec;

	switch (w->part) {
	case PART_MR:
		sec = sc->mr_line[w->index];
		break;
	case PART_DMA:
		sec = sc->dma_line[w->index];
		break;
	case PART_STRESS:
		sec = sc->stress_line[w->index];
		break;
	case PART_EXPECT:
		return sc->spec.expects.v[w->index].line;
	default:
		return 0;
	}
	for (unsigned i = 0; w->key[0] && i < sc->n_keys; i++) {
		const struct scenario_key *k = &sc->keys[i];

		if (k->part == w->part && k->index == w->index &&
		    !strcmp(k->key, w->key))
			return k->line;
	}
	return sec;
}

/* The file name without directory and ".scn": a scenario's default name. */
static void default_name(struct run_spec *s, const char *name)
{
	const char *base = strrchr(name, '/');
	size_t len;

	base = base ? base + 1 : name;
	len = strlen(base);
	if (len > 4 && !strcmp(base + len - 4, ".scn"))
		len -= 4;
	if (len >= sizeof(s->name))
		len = sizeof(s->name) - 1;
	memcpy(s->name, base, len);
	s->name[len] = '\0';
}

static int finish(struct parser *p)
{
	struct spec_where w;
	char msg[sizeof(p->e->msg)];

	if (close_section(p))
		return -EINVAL;
	if (!p->spec->n_mrs)
		return fail(
			p, 0,
			"no [mr NAME] section: nothing to register (e.g. [mr data] with backing = anon)");
	if (!run_spec_finish(p->spec, &w, p->e))
		return 0;
	str_copy(msg, sizeof(msg), p->e->msg);
	return fail(p, scenario_line(p->sc, &w), "%s", msg);
}

int scenario_load_file(struct scenario *sc, FILE *f, const char *name,
		       struct mrs_err *e)
{
	struct parser *p = calloc(1, sizeof(*p));
	int ret;

	if (!p)
		return mrs_err_set(e, ENOMEM, "%s: out of memory", name);
	memset(sc, 0, sizeof(*sc));
	str_copy(sc->path, sizeof(sc->path), name);
	run_spec_init(&sc->spec);
	default_name(&sc->spec, name);
	*p = (struct parser){
		.sc = sc, .spec = &sc->spec, .file = name, .f = f, .e = e
	};
	ret = ini_parse_stream(next_line, p, on_key, p);
	if (ret > 0 && (!p->failed || (unsigned)ret < p->err_line)) {
		p->failed = false;
		fail(p, (unsigned)ret,
		     "not a [section] or a KEY = VALUE line (comments start with ; or #)");
	} else if (ret < 0 && !p->failed) {
		fail(p, 0, "out of memory");
	} else if (!p->failed && ferror(f)) {
		mrs_err_sys(e, "%s: reading", name);
		p->failed = true;
	}
	ret = p->failed ? -(e->code ? e->code : EINVAL) : finish(p);
	free(p->buf);
	free(p);
	return ret;
}

int scenario_load(struct scenario *sc, const char *path, struct mrs_err *e)
{
	FILE *f = fopen(path, "re");
	int ret;

	if (!f)
		return mrs_err_sys(e, "%s", path);
	ret = scenario_load_file(sc, f, path, e);
	fclose(f);
	return ret;
}
