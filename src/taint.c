// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>

#include "knob.h"
#include "taint.h"

/* Bit n of the mask is flags[n] (kernel/panic.c, taint_flags[]). */
static const struct {
	char letter;
	const char *meaning;
} flags[TAINT_BITS] = {
	{ 'P', "proprietary module" }, /* G when clear */
	{ 'F', "module force loaded" },
	{ 'S', "out of spec system" },
	{ 'R', "module force unloaded" },
	{ 'M', "machine check" },
	{ 'B', "bad page referenced" },
	{ 'U', "taint requested by userspace" },
	{ 'D', "kernel died: oops or BUG" },
	{ 'A', "ACPI table overridden" },
	{ 'W', "kernel warning" },
	{ 'C', "staging driver" },
	{ 'I', "firmware bug workaround" },
	{ 'O', "out-of-tree module" },
	{ 'E', "unsigned module" },
	{ 'L', "soft lockup" },
	{ 'K', "live patched" },
	{ 'X', "auxiliary taint" },
	{ 'T', "struct randomization plugin" },
	{ 'N', "in-kernel test" },
};

char taint_letter(unsigned bit)
{
	return bit < TAINT_BITS ? flags[bit].letter : '?';
}

void taint_letters(uint64_t mask, char *buf, size_t len)
{
	size_t n = 0;

	if (!len)
		return;
	for (unsigned bit = 0; bit < TAINT_BITS && n + 1 < len; bit++)
		if (mask & (UINT64_C(1) << bit))
			buf[n++] = flags[bit].letter;
	buf[n] = '\0';
}

int taint_parse(const char *text, uint64_t *mask)
{
	uint64_t v = 0;
	const char *p = text;

	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -EINVAL;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	while (*p == '\n' || *p == ' ')
		p++;
	if (*p)
		return -EINVAL;
	*mask = v;
	return 0;
}

void taint_describe(uint64_t mask, char *buf, size_t len)
{
	size_t at = 0;

	if (len)
		buf[0] = '\0';
	for (unsigned bit = 0; bit < TAINT_BITS && at < len; bit++)
		if (mask & (UINT64_C(1) << bit))
			at += (size_t)snprintf(buf + at, len - at, "%s%c (%s)",
					       at ? ", " : "",
					       flags[bit].letter,
					       flags[bit].meaning);
}

int taint_read(uint64_t *mask, struct mrs_err *e)
{
	char text[32];
	int ret = knob_read(TAINT_FILE, text, sizeof(text), e);

	if (ret)
		return ret;
	if (taint_parse(text, mask))
		return mrs_err_set(e, EINVAL, "%s: not a number: '%s'",
				   TAINT_FILE, text);
	return 0;
}

bool taint_new_bits(uint64_t before, uint64_t after, struct finding *f)
{
	uint64_t added = after & ~before;
	char letters[TAINT_LETTERS_LEN], was[TAINT_LETTERS_LEN];
	char what[256];

	if (!added)
		return false;
	taint_letters(added, letters, sizeof(letters));
	taint_letters(before, was, sizeof(was));
	taint_describe(added, what, sizeof(what));
	f->cls = FC_TAINT;
	snprintf(f->title, sizeof(f->title), "taint: kernel tainted %s",
		 letters[0] ? letters : "?");
	snprintf(f->detail, sizeof(f->detail),
		 "%s went from %llu (%s) to %llu: newly set %s", TAINT_FILE,
		 (unsigned long long)before, was[0] ? was : "G",
		 (unsigned long long)after, what[0] ? what : "unknown bits");
	return true;
}
