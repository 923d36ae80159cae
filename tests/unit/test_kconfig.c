// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "kconfig.h"
#include "unit.h"

#define FIXTURE "config-6.1.0-56-amd64"

static void table_takes_names_and_prefixes(void **state)
{
	(void)state;
	assert_true(kconfig_wanted("RDMA_RXE"));
	assert_true(kconfig_wanted("KASAN"));
	assert_true(kconfig_wanted("KASAN_GENERIC")); /* KASAN* */
	assert_true(kconfig_wanted("PREEMPT_DYNAMIC"));
	assert_false(kconfig_wanted("RDMA_RXE_X")); /* exact names only */
	assert_false(kconfig_wanted("CC_VERSION_TEXT"));
	assert_false(kconfig_wanted("HAVE_ARCH_KFENCE"));
}

static void lines_of_each_kind(void **state)
{
	struct kconfig k;

	(void)state;
	memset(&k, 0, sizeof(k));
	kconfig_parse_line(&k, "# Linux/x86 6.1.192 Kernel Configuration\n");
	kconfig_parse_line(&k, "CONFIG_RDMA_RXE=m\n");
	kconfig_parse_line(&k, "# CONFIG_KASAN is not set\n");
	kconfig_parse_line(&k, "CONFIG_HZ=250");
	kconfig_parse_line(&k, "CONFIG_CC_VERSION_TEXT=\"gcc-12\"\n");
	kconfig_parse_line(&k, "# CONFIG_KFENCE is not set, really\n");
	kconfig_parse_line(&k, "CONFIG_MAGIC_SYSRQ\n"); /* no '=' */
	kconfig_parse_line(&k, "CONFIG_RDMA_RXE=y\n"); /* the last wins */
	assert_string_equal(k.header, "Linux/x86 6.1.192 Kernel Configuration");
	assert_int_equal(k.n, 3);
	assert_string_equal(kconfig_get(&k, "RDMA_RXE"), "y");
	assert_string_equal(kconfig_get(&k, "KASAN"), "n");
	assert_string_equal(kconfig_get(&k, "HZ"), "250");
	assert_null(kconfig_get(&k, "CC_VERSION_TEXT"));
	assert_null(kconfig_get(&k, "KFENCE"));
	assert_null(kconfig_get(&k, "MAGIC_SYSRQ"));
}

/* Write the fixture gzipped to a temporary file: its path in buf. */
static void gzip_fixture(char *buf, size_t len)
{
	size_t n;
	char *text = fixture_read("kconfig", FIXTURE, &n);
	gzFile z;
	int fd;

	snprintf(buf, len, "/tmp/mrstress-kconfig-XXXXXX");
	fd = mkstemp(buf);
	assert_true(fd >= 0);
	z = gzdopen(fd, "wb");
	assert_non_null(z);
	assert_int_equal(gzwrite(z, text, (unsigned)n), (int)n);
	assert_int_equal(gzclose(z), Z_OK);
	free(text);
}

static void check_debian_6_1(const struct kconfig *k)
{
	assert_string_equal(k->header,
			    "Linux/x86 6.1.192 Kernel Configuration");
	assert_string_equal(kconfig_get(k, "RDMA_RXE"), "m");
	assert_string_equal(kconfig_get(k, "INFINIBAND_ON_DEMAND_PAGING"), "y");
	assert_string_equal(kconfig_get(k, "TRANSPARENT_HUGEPAGE"), "y");
	assert_string_equal(kconfig_get(k, "KASAN"), "n");
	assert_string_equal(kconfig_get(k, "KFENCE"), "n");
	assert_string_equal(kconfig_get(k, "PROVE_LOCKING"), "n");
	assert_string_equal(kconfig_get(k, "DEFAULT_HUNG_TASK_TIMEOUT"), "120");
	assert_string_equal(kconfig_get(k, "PREEMPT_VOLUNTARY"), "y");
	assert_string_equal(kconfig_get(k, "EXT4_FS"), "m");
	assert_null(kconfig_get(k, "CC_VERSION_TEXT"));
	assert_null(kconfig_get(k, "HAVE_ARCH_KFENCE"));
}

/* The whole reader on a gzipped file named by $MRSTRESS_KERNEL_CONFIG. */
static void reads_gzip_through_the_environment(void **state)
{
	struct kconfig *k = malloc(sizeof(*k));
	struct mrs_err e = { 0 };
	char path[64];
	char *text;
	FILE *f;
	size_t n;

	(void)state;
	assert_non_null(k);
	gzip_fixture(path, sizeof(path));
	setenv("MRSTRESS_KERNEL_CONFIG", path, 1);
	/* a release no /boot or /lib/modules of this machine has */
	assert_int_equal(kconfig_read(k, "6.1.0-mrstress-fixture", &e), 0);
	assert_string_equal(k->source, path);
	assert_string_equal(k->release, "6.1.0-mrstress-fixture");
	assert_string_equal(k->version, ""); /* not the running kernel */
	check_debian_6_1(k);
	f = open_memstream(&text, &n);
	kconfig_print(f, k);
	fclose(f);
	assert_non_null(strstr(text, "CONFIG_RDMA_RXE=m\n"));
	assert_non_null(strstr(text, "# CONFIG_KASAN is not set\n"));
	free(text);

	/* a config of another series is refused, and the note says so */
	assert_int_equal(kconfig_read(k, "6.12.1-mrstress-fixture", &e),
			 -EINVAL);
	assert_string_equal(k->source, "");
	assert_int_equal(k->n, 0);
	assert_non_null(strstr(k->note, "not available: "));
	assert_non_null(strstr(e.msg, "for another kernel"));
	unlink(path);
	unsetenv("MRSTRESS_KERNEL_CONFIG");
	free(k);
}

static void says_when_there_is_none(void **state)
{
	struct kconfig *k = malloc(sizeof(*k));
	struct mrs_err e = { 0 };

	(void)state;
	assert_non_null(k);
	unsetenv("MRSTRESS_KERNEL_CONFIG");
	assert_int_equal(kconfig_read(k, "6.1.0-mrstress-fixture", &e), 0);
	assert_string_equal(k->source, "");
	assert_int_equal(k->n, 0);
	assert_non_null(strstr(k->note, "not available: no /proc/config.gz"));
	assert_non_null(strstr(k->note, "/boot/config-6.1.0-mrstress-fixture"));

	/* a file that is there but unreadable as gzip is an error */
	setenv("MRSTRESS_KERNEL_CONFIG", "/proc/self", 1);
	assert_true(kconfig_read(k, "6.1.0-mrstress-fixture", &e) < 0);
	assert_non_null(strstr(k->note, "/proc/self"));
	unsetenv("MRSTRESS_KERNEL_CONFIG");
	free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_takes_names_and_prefixes),
		cmocka_unit_test(lines_of_each_kind),
		cmocka_unit_test(reads_gzip_through_the_environment),
		cmocka_unit_test(says_when_there_is_none),
	};

	return cmocka_run_group_tests_name("kconfig", tests, NULL, NULL);
}
