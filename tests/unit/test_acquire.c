/*
 * test_acquire.c - unit tests of acquire/: device identity from a recorded
 * sysfs tree, the pipeline's failure path, and the progress line's times.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "acquire/device_info.h"
#include "acquire/pipeline.h"
#include "acquire/progress.h"
#include "acquire/source.h"

static char root[] = "/tmp/custos-sysfs.XXXXXX";

static void put(const char *rel, const void *data, size_t len)
{
	char path[512], cmd[1700];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
	ck_assert_int_eq(system(cmd), 0);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	fwrite(data, 1, len, f);
	fclose(f);
}

static void link_to(const char *rel, const char *target)
{
	char path[512], cmd[1700];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\" && ln -s '%s' '%s'", path, target,
	         path);
	ck_assert_int_eq(system(cmd), 0);
}

/* A SATA disk sda with partition sda1, as Linux lays it out, and an NVMe disk. */
static void record_tree(void)
{
	static const unsigned char vpd80[] = {0x00, 0x80, 0x00, 0x0c, ' ', ' ', 'W', 'D',
	                                      '-',  'W',  'X',  '4',  '2', 'A', ' ', ' '};

	ck_assert_ptr_nonnull(mkdtemp(root));
	put("devices/pci0/ata1/host0/target0/0:0:0:0/block/sda/dev", "8:0\n", 4);
	put("devices/pci0/ata1/host0/target0/0:0:0:0/block/sda/removable", "0\n", 2);
	put("devices/pci0/ata1/host0/target0/0:0:0:0/block/sda/sda1/partition", "1\n", 2);
	put("devices/pci0/ata1/host0/target0/0:0:0:0/block/sda/sda1/dev", "8:1\n", 4);
	put("devices/pci0/ata1/host0/target0/0:0:0:0/vendor", "ATA     \n", 9);
	put("devices/pci0/ata1/host0/target0/0:0:0:0/model", "WDC WD10EZEX-08W\n", 17);
	put("devices/pci0/ata1/host0/target0/0:0:0:0/rev", "1A01\n", 5);
	put("devices/pci0/ata1/host0/target0/0:0:0:0/vpd_pg80", vpd80, sizeof(vpd80));
	link_to("devices/pci0/ata1/host0/target0/0:0:0:0/block/sda/device", "../../../0:0:0:0");
	link_to("dev/block/8:0", "../../devices/pci0/ata1/host0/target0/0:0:0:0/block/sda");
	link_to("dev/block/8:1", "../../devices/pci0/ata1/host0/target0/0:0:0:0/block/sda/sda1");
	put("devices/pci1/nvme/nvme0/nvme0n1/dev", "259:0\n", 6);
	put("devices/pci1/nvme/nvme0/nvme0n1/removable", "1\n", 2);
	put("devices/pci1/nvme/nvme0/model", "Samsung SSD 980 1TB                     \n", 41);
	put("devices/pci1/nvme/nvme0/serial", "S64ANS0T123456K     \n", 21);
	put("devices/pci1/nvme/nvme0/firmware_rev", "1B4QFXO7\n", 9);
	link_to("devices/pci1/nvme/nvme0/nvme0n1/device", "..");
	link_to("dev/block/259:0", "../../devices/pci1/nvme/nvme0/nvme0n1");
}

static void remove_tree(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	ck_assert_int_eq(system(cmd), 0);
	memcpy(root + strlen(root) - 6, "XXXXXX", 6);
}

START_TEST(test_device_identity_sata_and_partition)
{
	struct acq_device_info info;

	record_tree();
	ck_assert_int_eq(acq_device_info_read(&info, makedev(8, 0), root), 0);
	ck_assert_str_eq(info.vendor, "ATA");
	ck_assert_str_eq(info.model, "WDC WD10EZEX-08W");
	ck_assert_str_eq(info.firmware, "1A01");
	ck_assert_str_eq(info.serial, "WD-WX42A");
	ck_assert_int_eq(info.removable, 0);
	ck_assert(info.disk == makedev(8, 0));
	/* a partition reports its disk, and the disk's identity */
	ck_assert_int_eq(acq_device_info_read(&info, makedev(8, 1), root), 0);
	ck_assert(info.disk == makedev(8, 0));
	ck_assert_str_eq(info.model, "WDC WD10EZEX-08W");
	ck_assert_int_eq(acq_device_info_read(&info, makedev(8, 9), root), -1);
	remove_tree();
}
END_TEST

START_TEST(test_device_identity_nvme)
{
	struct acq_device_info info;

	record_tree();
	ck_assert_int_eq(acq_device_info_read(&info, makedev(259, 0), root), 0);
	ck_assert_str_eq(info.model, "Samsung SSD 980 1TB");
	ck_assert_str_eq(info.serial, "S64ANS0T123456K");
	ck_assert_str_eq(info.firmware, "1B4QFXO7");
	ck_assert_str_eq(info.vendor, "");
	ck_assert_int_eq(info.removable, 1);
	remove_tree();
}
END_TEST

static void count_progress(void *ctx, uint64_t done, uint64_t total, uint64_t bad)
{
	uint64_t *last = ctx;

	ck_assert_uint_le(done, total);
	ck_assert_uint_eq(bad, 0);
	ck_assert_uint_ge(done, *last);
	*last = done;
}

/* The pipeline hashes a file in hash-only mode, and stops cleanly on a short source. */
START_TEST(test_pipeline_hash_only_and_failure)
{
	char path[] = "/tmp/custos-pipe.XXXXXX";
	int fd = mkstemp(path);
	static uint8_t data[3 << 20];
	struct acq_source_options so = {.path = path};
	struct acq_source *src;
	struct acq_pipeline_io io;
	struct cu_digests exact = {0}, d = {0};
	struct cu_hash *h;
	struct cu_error err;
	uint64_t last = 0;
	char hex[33];

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + i / 4096);
	ck_assert_int_eq(write(fd, data, sizeof(data)), (ssize_t)sizeof(data));
	close(fd);
	ck_assert_int_eq(acq_source_open(&src, &so, &err), CU_OK);
	ck_assert_int_eq(cu_hash_new(&h, CU_HASH_MD5, NULL), CU_OK);
	memset(&io, 0, sizeof(io));
	io.source = src;
	io.source_size = io.media_size = sizeof(data);
	io.chunk_size = 32768;
	io.threads = 3;
	io.hash[CU_HASH_MD5] = h;
	io.source_exact = &exact;
	io.progress = count_progress;
	io.progress_ctx = &last;
	ck_assert_int_eq(acq_pipeline_run(&io, &err), CU_OK);
	ck_assert_uint_eq(last, sizeof(data));
	cu_hash_final(h, &d, NULL);
	cu_hash_free(h);
	cu_hex(hex, d.md5, 16);
	/* the same digest, computed here in one go */
	ck_assert_int_eq(cu_hash_new(&h, CU_HASH_MD5, NULL), CU_OK);
	cu_hash_update(h, data, sizeof(data), NULL);
	memset(&exact, 0, sizeof(exact));
	cu_hash_final(h, &exact, NULL);
	cu_hash_free(h);
	ck_assert_mem_eq(exact.md5, d.md5, 16);

	/* a source that claims more than it has: one clear error, no hang */
	ck_assert_int_eq(cu_hash_new(&h, CU_HASH_MD5, NULL), CU_OK);
	io.hash[CU_HASH_MD5] = h;
	io.source_size = io.media_size = sizeof(data) + 5000;
	io.progress = NULL;
	ck_assert_int_eq(acq_pipeline_run(&io, &err), CU_EFAIL);
	ck_assert_ptr_nonnull(strstr(err.msg, "ended at byte"));
	cu_hash_free(h);
	acq_source_close(src);
	unlink(path);
	(void)hex;
}
END_TEST

START_TEST(test_progress_durations)
{
	char out[32];

	acq_progress_duration(out, sizeof(out), 59.9);
	ck_assert_str_eq(out, "0:59");
	acq_progress_duration(out, sizeof(out), 3725);
	ck_assert_str_eq(out, "1:02:05");
	acq_progress_duration(out, sizeof(out), -4);
	ck_assert_str_eq(out, "0:00");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("acquire");
	TCase *tc = tcase_create("acquire");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_device_identity_sata_and_partition);
	tcase_add_test(tc, test_device_identity_nvme);
	tcase_add_test(tc, test_pipeline_hash_only_and_failure);
	tcase_add_test(tc, test_progress_durations);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
