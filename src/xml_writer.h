/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_XML_WRITER_H
#define MRS_XML_WRITER_H

#include <libxml/xmlwriter.h>
#include <stdbool.h>

/*
 * libxml2's xmlTextWriter and whether any call of it failed, so that a
 * document is written straight through and checked once at the end. Text
 * and attribute values pass through xml_text_clean() first: kernel logs
 * carry bytes XML 1.0 cannot.
 */
struct xml_writer {
	xmlTextWriterPtr w;
	bool bad;
};

void xml_start(struct xml_writer *x, const char *name);
void xml_end(struct xml_writer *x);
/* NULL is written as "". */
void xml_attr(struct xml_writer *x, const char *name, const char *value);
__attribute__((format(printf, 3, 4))) void
xml_attrf(struct xml_writer *x, const char *name, const char *fmt, ...);
void xml_text(struct xml_writer *x, const char *s);

#endif
