/*
 * test_partition.c - container/partition against tables util-linux's
 * sfdisk writes (the independent witness): an MBR with primaries and an
 * extended partition holding logical ones, and a GPT, in sectors of 512
 * bytes; the partitions found must be exactly those sfdisk was told to
 * make.  Then damage: a GPT header or entry array whose CRC-32 no longer
 * holds, a partition past the end of the medium, an EBR chain that loops,
 * all refused with a line, and arbitrary bytes never a crash.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container/partition.h"
#include "lib/le.h"
#include "tests/check_run.h"

#define MEDIA (16U << 20)

struct medium {
	uint8_t *bytes;
	uint64_t size;
};

static int medium_read(void *ctx, uint64_t offset, void *buf, size_t len, struct cu_error *err)
{
	const struct medium *m = ctx;

	if (offset > m->size || len > m->size - offset)
		return cu_error_set(err, CU_EFAIL, "read past the medium");
	memcpy(buf, m->bytes + offset, len);
	return CU_OK;
}

/* A medium of MEDIA bytes partitioned by sfdisk (tools/deps installs fdisk) with `script`. */
static struct medium sfdisk_medium(const char *script)
{
	char path[] = "/tmp/custos-part-XXXXXX", cmd[256];
	struct medium m = {NULL, MEDIA};
	int fd = mkstemp(path);
	FILE *p;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, MEDIA), 0);
	snprintf(cmd, sizeof(cmd), "sfdisk --quiet --no-reread --no-tell-kernel %s >/dev/null 2>&1",
	         path);
	p = popen(cmd, "w");
	ck_assert_ptr_nonnull(p);
	fputs(script, p);
	ck_assert_msg(pclose(p) == 0,
	              "sfdisk failed, or is not installed (tools/deps installs fdisk)");
	m.bytes = malloc(MEDIA);
	ck_assert_ptr_nonnull(m.bytes);
	ck_assert_int_eq(pread(fd, m.bytes, MEDIA, 0), MEDIA);
	close(fd);
	unlink(path);
	return m;
}

static void expect(const struct partition_table *t, size_t i, unsigned number, uint64_t first,
                   uint64_t count)
{
	ck_assert_uint_lt(i, t->n);
	ck_assert_uint_eq(t->v[i].number, number);
	ck_assert_uint_eq(t->v[i].offset, first * 512);
	ck_assert_uint_eq(t->v[i].length, count * 512);
}

START_TEST(test_partition_mbr)
{
	struct medium m = sfdisk_medium("label: dos\n"
	                                "start=2048, size=4096, type=83\n"
	                                "start=6144, size=8192, type=5\n"
	                                "start=8192, size=2048, type=83\n"
	                                "start=12288, size=2048, type=7\n");
	struct partition_table t;
	struct cu_error err = {0};

	ck_assert_int_eq(partition_table_read(medium_read, &m, m.size, 512, &t, &err), CU_OK);
	ck_assert_str_eq(t.scheme, "mbr");
	ck_assert_uint_eq(t.n, 3); /* the extended partition 2 holds 5 and 6 */
	expect(&t, 0, 1, 2048, 4096);
	expect(&t, 1, 5, 8192, 2048);
	expect(&t, 2, 6, 12288, 2048);
	ck_assert_str_eq(t.v[0].type, "0x83");
	ck_assert_str_eq(t.v[2].type, "0x07");
	/* a partition past the end of the medium */
	cu_le32_put(m.bytes + 446 + 12, 1U << 30);
	ck_assert_int_eq(partition_table_read(medium_read, &m, m.size, 512, &t, &err), CU_EFAIL);
	ck_assert_ptr_nonnull(strstr(err.msg, "outside the medium"));
	ck_assert_uint_eq(t.n, 0);
	cu_le32_put(m.bytes + 446 + 12, 4096);
	/* the second EBR (sector 10240, 4096 into the extended partition) links to itself */
	m.bytes[10240 * 512 + 446 + 16 + 4] = 5;
	cu_le32_put(m.bytes + 10240 * 512 + 446 + 16 + 8, 4096);
	ck_assert_int_eq(partition_table_read(medium_read, &m, m.size, 512, &t, &err), CU_EFAIL);
	ck_assert_uint_eq(t.n, 0);
	free(m.bytes);
}
END_TEST

START_TEST(test_partition_gpt)
{
	struct medium m = sfdisk_medium("label: gpt\n"
	                                "start=2048, size=8192, type=L\n"
	                                "start=10240, size=4096, type=U\n");
	struct partition_table t;
	struct cu_error err = {0};

	ck_assert_int_eq(partition_table_read(medium_read, &m, m.size, 512, &t, &err), CU_OK);
	ck_assert_str_eq(t.scheme, "gpt");
	ck_assert_uint_eq(t.n, 2);
	expect(&t, 0, 1, 2048, 8192);
	expect(&t, 1, 2, 10240, 4096);
	ck_assert_str_eq(t.v[0].type, "0fc63daf-8483-4772-8e79-3d69d8477de4"); /* Linux data */
	ck_assert_str_eq(t.v[1].type, "c12a7328-f81f-11d2-ba4b-00a0c93ec93b"); /* EFI system */
	/* one byte of an entry changed: the array's CRC-32 no longer holds */
	m.bytes[2 * 512 + 40] ^= 1;
	ck_assert_int_eq(partition_table_read(medium_read, &m, m.size, 512, &t, &err), CU_EFAIL);
	ck_assert_ptr_nonnull(strstr(err.msg, "entry array CRC-32"));
	m.bytes[2 * 512 + 40] ^= 1;
	/* one byte of the header changed */
	m.bytes[512 + 40] ^= 1;
	ck_assert_int_eq(partition_table_read(medium_read, &m, m.size, 512, &t, &err), CU_EFAIL);
	ck_assert_ptr_nonnull(strstr(err.msg, "header's CRC-32"));
	free(m.bytes);
}
END_TEST

START_TEST(test_partition_none_and_noise)
{
	struct medium m = {calloc(1, 1U << 20), 1U << 20};
	struct partition_table t;
	struct cu_error err = {0};
	uint32_t x = 1;

	ck_assert_ptr_nonnull(m.bytes);
	ck_assert_int_eq(partition_table_read(medium_read, &m, m.size, 512, &t, &err), CU_OK);
	ck_assert_ptr_null(t.scheme);
	for (int round = 0; round < 2000; round++) {
		for (size_t i = 0; i < 4096; i++) {
			x = x * 1103515245U + 12345U;
			m.bytes[i] = (uint8_t)(x >> 16);
		}
		m.bytes[510] = 0x55;
		m.bytes[511] = 0xaa;
		if (round % 2)
			m.bytes[446 + 4] = 0xee;
		if (round % 3 == 0)
			memcpy(m.bytes + 512, "EFI PART", 8);
		(void)partition_table_read(medium_read, &m, m.size, 512, &t, &err);
		ck_assert_uint_le(t.n, PARTITIONS_MAX);
	}
	free(m.bytes);
}
END_TEST

int main(void)
{
	TCase *tc = tcase_create("partition");

	tcase_add_test(tc, test_partition_mbr);
	tcase_add_test(tc, test_partition_gpt);
	tcase_add_test(tc, test_partition_none_and_noise);
	return check_run("partition", tc);
}
