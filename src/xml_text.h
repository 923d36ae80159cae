/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_XML_TEXT_H
#define MRS_XML_TEXT_H

/*
 * s as text an XML 1.0 document can carry: XML forbids most control
 * characters even as character references, and a kernel log line can hold
 * any byte. Each byte that is not part of a well-formed UTF-8 sequence of
 * an allowed character (tab, newline, carriage return, U+0020-U+D7FF,
 * U+E000-U+FFFD, U+10000-U+10FFFF) becomes "\xNN", the way the kernel's
 * /dev/kmsg escapes bytes. Escaping <, & and quotes is the XML writer's
 * job. Returns a new string (free it), NULL when out of memory.
 */
char *xml_text_clean(const char *s);

#endif
