// SPDX-License-Identifier: GPL-2.0-or-later
/* Element, attribute and text calls of an xmlTextWriter, failures kept. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "xml_text.h"
#include "xml_writer.h"

void xml_start(struct xml_writer *x, const char *name)
{
	x->bad |= xmlTextWriterStartElement(x->w, BAD_CAST name) < 0;
}

void xml_end(struct xml_writer *x)
{
	x->bad |= xmlTextWriterEndElement(x->w) < 0;
}

void xml_attr(struct xml_writer *x, const char *name, const char *value)
{
	char *clean = xml_text_clean(value ? value : "");

	x->bad |= !clean || xmlTextWriterWriteAttribute(x->w, BAD_CAST name,
							BAD_CAST clean) < 0;
	free(clean);
}

void xml_attrf(struct xml_writer *x, const char *name, const char *fmt, ...)
{
	char value[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	xml_attr(x, name, value);
}

void xml_text(struct xml_writer *x, const char *s)
{
	char *clean = xml_text_clean(s ? s : "");

	x->bad |= !clean || xmlTextWriterWriteString(x->w, BAD_CAST clean) < 0;
	free(clean);
}
