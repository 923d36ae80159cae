// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "probe.h"

static void add_reg(struct probe_result *r, const char *backing, const char *fs,
		    const char *dir, const char *access, enum probe_outcome o,
		    int err, const char *detail)
{
	struct probe_reg *p = &r->regs[r->n_regs++];

	memset(p, 0, sizeof(*p));
	strcpy(p->backing, backing);
	strcpy(p->fs, fs);
	strcpy(p->dir, dir);
	strcpy(p->access, access);
	p->size = 2u << 20;
	p->page_size = 4096;
	p->outcome = o;
	p->err = err;
	strcpy(p->detail, detail);
}

/* A result as a 6.12 guest gives it, built by hand. */
static int make_result(void **state)
{
	struct probe_result *r = calloc(1, sizeof(*r));

	strcpy(r->kernel_release, "6.12.117+deb13-amd64");
	strcpy(r->kernel_version, "#1 SMP");
	strcpy(r->dev.name, "rxe0");
	strcpy(r->dev.fw_ver, "0.0.0");
	strcpy(r->dev.node_guid, "5054:00ff:fe12:3456");
	r->dev.port = 1;
	r->dev.port_state = "ACTIVE";
	r->dev.link_layer = "Ethernet";
	r->dev.active_mtu = 1024;
	r->dev.max_mtu = 4096;
	r->dev.gid_index = 1;
	strcpy(r->dev.gid, "::ffff:192.0.2.1");
	r->dev.gid_type = "RoCE v2";
	strcpy(r->dev.netdev, "mrs0");
	r->dev.atomic_cap = "hca";
	r->dev.odp_general_caps = IBV_ODP_SUPPORT;
	r->dev.odp_rc_caps = IBV_ODP_SUPPORT_WRITE | IBV_ODP_SUPPORT_READ;
	add_reg(r, "anon", "", "", "rw", PROBE_ACCEPTED, 0, "");
	add_reg(r, "file", "ext4", "/mnt/mrstress/ext4", "rw", PROBE_REFUSED,
		EFAULT, "reg_mr(file ext4 2M shared, rw): Bad address");
	add_reg(r, "file", "ext4", "/mnt/mrstress/ext4", "ro", PROBE_ACCEPTED,
		0, "");
	add_reg(r, "hugetlb", "", "", "rw", PROBE_UNAVAILABLE, ENOMEM,
		"mmap(hugetlb 2M shared): not enough free huge pages");
	*state = r;
	return 0;
}

static int free_result(void **state)
{
	free(*state);
	return 0;
}

static json_t *reg_at(json_t *root, size_t i)
{
	return json_array_get(json_object_get(root, "registrations"), i);
}

static void json_carries_every_field(void **state)
{
	json_t *root = probe_to_json(*state);
	json_t *reg;
	char *text;

	assert_string_equal(json_string_value(json_object_get(root, "tool")),
			    "mrstress");
	assert_int_equal(json_integer_value(json_object_get(root, "schema")),
			 1);
	assert_string_equal(
		json_string_value(json_object_get(
			json_object_get(root, "kernel"), "release")),
		"6.12.117+deb13-amd64");
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(root, "gid"), "gid")),
			    "::ffff:192.0.2.1");
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(root, "port"), "state")),
			    "ACTIVE");
	assert_true(json_is_true(json_object_get(
		json_object_get(json_object_get(root, "device"), "odp"),
		"supported")));
	assert_int_equal(
		json_array_size(json_object_get(root, "registrations")), 4);

	reg = reg_at(root, 0);
	assert_string_equal(json_string_value(json_object_get(reg, "result")),
			    "accepted");
	assert_null(json_object_get(reg, "errno"));
	assert_true(json_is_null(json_object_get(reg, "fs")));

	reg = reg_at(root, 1);
	assert_string_equal(json_string_value(json_object_get(reg, "result")),
			    "refused");
	assert_int_equal(json_integer_value(json_object_get(reg, "errno")),
			 EFAULT);
	assert_string_equal(json_string_value(json_object_get(reg, "error")),
			    "EFAULT");
	assert_string_equal(json_string_value(json_object_get(reg, "fs")),
			    "ext4");
	assert_string_equal(json_string_value(json_object_get(reg, "dir")),
			    "/mnt/mrstress/ext4");

	reg = reg_at(root, 3);
	assert_string_equal(json_string_value(json_object_get(reg, "result")),
			    "unavailable");

	/* It is valid JSON that reads back the same. */
	text = json_dumps(root, 0);
	json_t *back = json_loads(text, 0, NULL);
	assert_non_null(back);
	assert_true(json_equal(root, back));
	json_decref(back);
	free(text);
	json_decref(root);
}

static void text_is_a_table_with_reasons(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	probe_print_text(f, *state);
	fclose(f);
	assert_non_null(strstr(buf, "device   rxe0"));
	assert_non_null(strstr(buf, "::ffff:192.0.2.1  RoCE v2  netdev mrs0"));
	assert_non_null(strstr(buf, "odp      advertised; rc: write,read"));
	/* One row per memory and place, the three access sets as columns. */
	assert_non_null(strstr(
		buf,
		"  file          ext4      4K    refused EFAULT     accepted           -"));
	assert_non_null(
		strstr(buf, "  hugetlb       -         4K    n/a ENOMEM"));
	assert_non_null(strstr(
		buf,
		"  file ext4 rw: reg_mr(file ext4 2M shared, rw): Bad address"));
	assert_null(strstr(buf, "file backings not tried"));
	free(buf);
}

/* Rows per huge page size, the memory as built, pages a handler supplied. */
static void add_backing_rows(struct probe_result *r)
{
	struct probe_reg *p;

	add_reg(r, "hugetlb", "hugetlbfs", "", "rw", PROBE_ACCEPTED, 0, "");
	p = &r->regs[r->n_regs - 1];
	p->has_page_sizes = true;
	p->page_size = 2u << 20;
	p->huge = true;
	strcpy(p->desc, "hugetlb hugetlbfs 2M shared pages=2M");
	add_reg(r, "hugetlb", "hugetlbfs", "", "rw", PROBE_ACCEPTED, 0, "");
	p = &r->regs[r->n_regs - 1];
	p->has_page_sizes = true;
	p->hugepage_size = p->page_size = 1u << 30;
	p->size = 1u << 30;
	p->huge = true;
	strcpy(p->desc, "hugetlb hugetlbfs 1G shared pages=1G");
	add_reg(r, "hugetlb", "", "", "ro", PROBE_UNAVAILABLE, ENOMEM,
		"mmap(hugetlb hugetlbfs 1G shared pages=1G): not enough");
	p = &r->regs[r->n_regs - 1];
	p->has_page_sizes = true;
	p->hugepage_size = p->page_size = 1u << 30;
	add_reg(r, "uffd", "tmpfs", "", "rw", PROBE_ACCEPTED, 0, "");
	p = &r->regs[r->n_regs - 1];
	p->has_supplied = true;
	p->pages_supplied = 512;
	strcpy(p->desc, "uffd tmpfs 2M shared uffd-missing");
	add_reg(r, "uffd", "tmpfs", "", "odp", PROBE_REFUSED, EINVAL, "odp");
	p = &r->regs[r->n_regs - 1];
	p->has_supplied = true;
	strcpy(p->desc, "uffd tmpfs 2M shared uffd-missing");
}

static void backings_add_fields_and_rows(void **state)
{
	struct probe_result *r = *state;
	char *buf = NULL;
	size_t len = 0, n0 = 1;
	json_t *root, *reg;
	FILE *f;

	/* anon, then these: make_result's own hugetlb row would share one. */
	r->n_regs = 1;
	add_backing_rows(r);
	root = probe_to_json(r);
	/* Backings without sizes or handlers carry no such keys. */
	assert_null(json_object_get(reg_at(root, 0), "hugepage_size"));
	assert_null(json_object_get(reg_at(root, 0), "pages_supplied"));
	reg = reg_at(root, n0 + 1);
	assert_int_equal(
		json_integer_value(json_object_get(reg, "hugepage_size")),
		1u << 30);
	assert_int_equal(json_integer_value(json_object_get(reg, "page_size")),
			 1u << 30);
	assert_string_equal(json_string_value(json_object_get(reg, "desc")),
			    "hugetlb hugetlbfs 1G shared pages=1G");
	reg = reg_at(root, n0 + 3);
	assert_int_equal(
		json_integer_value(json_object_get(reg, "pages_supplied")),
		512);
	json_decref(root);

	f = open_memstream(&buf, &len);
	probe_print_text(f, r);
	fclose(f);
	/* The 1G row is its own, with its ro cell. */
	assert_non_null(strstr(
		buf,
		"  hugetlb       hugetlbfs 2M    accepted           -                  -\n"));
	assert_non_null(strstr(
		buf,
		"  hugetlb       hugetlbfs 1G    accepted           n/a ENOMEM         -\n"));
	assert_non_null(strstr(buf, "memory as built\n"));
	assert_non_null(
		strstr(buf, "\n  hugetlb hugetlbfs 1G shared pages=1G\n"));
	assert_non_null(strstr(
		buf,
		"\n  uffd tmpfs 2M shared uffd-missing; pages its fault handler supplied: rw 512 odp 0\n"));
	assert_non_null(strstr(buf, "not accepted, and why\n"));
	assert_non_null(strstr(buf, "\n  hugetlb - 1G ro: mmap(hugetlb"));
	free(buf);
}

static void text_says_when_no_scratch_was_given(void **state)
{
	struct probe_result *r = *state;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	r->n_regs = 1;
	f = open_memstream(&buf, &len);
	probe_print_text(f, r);
	fclose(f);
	assert_non_null(strstr(buf, "file backings not tried"));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(json_carries_every_field,
						make_result, free_result),
		cmocka_unit_test_setup_teardown(text_is_a_table_with_reasons,
						make_result, free_result),
		cmocka_unit_test_setup_teardown(
			text_says_when_no_scratch_was_given, make_result,
			free_result),
		cmocka_unit_test_setup_teardown(backings_add_fields_and_rows,
						make_result, free_result),
	};

	return cmocka_run_group_tests_name("probe_report", tests, NULL, NULL);
}
