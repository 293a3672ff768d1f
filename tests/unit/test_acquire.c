/*
 * test_acquire.c - unit tests of acquire/: device identity from a recorded
 * sysfs tree, the pipeline's failure path, and the progress line's times.
 */
#include <check.h>
#include <errno.h>

#include "tests/check_run.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <fcntl.h>
#include <unistd.h>

#include "source/ata.h"
#include "acquire/rescue/ddrescue_map.h"
#include "source/device_info.h"
#include "acquire/devices/devices.h"
#include "acquire/rescue/mapfile.h"
#include "source/pipeline.h"
#include "acquire/progress.h"
#include "source/failing.h"
#include "acquire/resume/resume_file.h"
#include "acquire/settings.h"
#include "source/source.h"
#include "lib/input_file.h"

static char root[64];

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

	check_tempdir(root, sizeof(root), "sysfs");
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
}

START_TEST(test_device_identity_sata_and_partition)
{
	struct source_device_info info;

	record_tree();
	ck_assert_int_eq(source_device_info_read(&info, makedev(8, 0), root), 0);
	ck_assert_str_eq(info.vendor, "ATA");
	ck_assert_str_eq(info.model, "WDC WD10EZEX-08W");
	ck_assert_str_eq(info.firmware, "1A01");
	ck_assert_str_eq(info.serial, "WD-WX42A");
	ck_assert_int_eq(info.removable, 0);
	ck_assert(info.disk == makedev(8, 0));
	/* a partition reports its disk, and the disk's identity */
	ck_assert_int_eq(source_device_info_read(&info, makedev(8, 1), root), 0);
	ck_assert(info.disk == makedev(8, 0));
	ck_assert_str_eq(info.model, "WDC WD10EZEX-08W");
	ck_assert_int_eq(source_device_info_read(&info, makedev(8, 9), root), -1);
	remove_tree();
}
END_TEST

START_TEST(test_device_identity_nvme)
{
	struct source_device_info info;

	record_tree();
	ck_assert_int_eq(source_device_info_read(&info, makedev(259, 0), root), 0);
	ck_assert_str_eq(info.model, "Samsung SSD 980 1TB");
	ck_assert_str_eq(info.serial, "S64ANS0T123456K");
	ck_assert_str_eq(info.firmware, "1B4QFXO7");
	ck_assert_str_eq(info.vendor, "");
	ck_assert_int_eq(info.removable, 1);
	remove_tree();
}
END_TEST

static void put_text(const char *rel, const char *text)
{
	put(rel, text, strlen(text));
}

#define SDA "devices/pci0/ata1/host0/target0/0:0:0:0/block/sda"
#define SDB "devices/pci0/usb1/1-1/1-1:1.0/host6/target6:0:0/6:0:0:0/block/sdb"

/*
 * The recorded tree, made a machine: sda (SATA) with sda1 under LVM
 * (dm-0, the root file system) and sda2 (a swap file's device); sdb (USB)
 * with sdb1 mounted; a loop device with a backing file and one without;
 * zram and dm-0 itself, which are not drives.
 */
static void record_machine(char *mountinfo, char *swaps, size_t cap)
{
	char swapfile[128], dev[32], text[600];
	struct stat st;

	record_tree();
	link_to("block/sda", "../" SDA);
	link_to("class/block/sda", "../../" SDA);
	link_to("class/block/sda1", "../../" SDA "/sda1");
	link_to("class/block/sda2", "../../" SDA "/sda2");
	put_text(SDA "/size", "1953525168\n");
	put_text(SDA "/ro", "0\n");
	put_text(SDA "/uevent", "MAJOR=8\nMINOR=0\nDEVNAME=sda\nDEVTYPE=disk\n");
	put_text(SDA "/queue/logical_block_size", "512\n");
	put_text(SDA "/queue/physical_block_size", "4096\n");
	put_text(SDA "/sda1/size", "2048000\n");
	put_text(SDA "/sda1/start", "2048\n");
	put_text(SDA "/sda1/ro", "0\n");
	put_text(SDA "/sda1/holders/dm-0/.keep", "");
	put_text("devices/virtual/block/dm-0/dev", "253:0\n");
	put_text("devices/virtual/block/dm-0/dm/name", "vg-root\n");
	put_text("devices/virtual/block/dm-0/dm/uuid", "LVM-Xk2abc\n");
	put_text("devices/virtual/block/dm-0/size", "2000000\n");
	link_to("class/block/dm-0", "../../devices/virtual/block/dm-0");
	link_to("block/dm-0", "../devices/virtual/block/dm-0");
	/* sda2 is the device a real swap file lies on */
	snprintf(swapfile, sizeof(swapfile), "%s/swapfile", root);
	put_text("swapfile", "");
	ck_assert_int_eq(stat(swapfile, &st), 0);
	snprintf(dev, sizeof(dev), "%u:%u\n", major(st.st_dev), minor(st.st_dev));
	put_text(SDA "/sda2/partition", "2\n");
	put_text(SDA "/sda2/dev", dev);
	put_text(SDA "/sda2/size", "4096\n");
	put_text(SDA "/sda2/start", "2050048\n");
	snprintf(text, sizeof(text), "Filename\tType\tSize\tUsed\tPriority\n%s file 1024 0 -2\n",
	         swapfile);
	put_text("swaps", text);
	/* sdb: a USB stick, sdb1 mounted on a path with a space */
	put_text(SDB "/dev", "8:16\n");
	put_text(SDB "/size", "30031872\n");
	put_text(SDB "/removable", "1\n");
	put_text(SDB "/ro", "1\n");
	put_text(SDB "/sdb1/partition", "1\n");
	put_text(SDB "/sdb1/dev", "8:17\n");
	put_text(SDB "/sdb1/size", "30029824\n");
	put_text(SDB "/sdb1/start", "2048\n");
	put_text("devices/pci0/usb1/1-1/1-1:1.0/host6/target6:0:0/6:0:0:0/vendor", "SanDisk\n");
	put_text("devices/pci0/usb1/1-1/1-1:1.0/host6/target6:0:0/6:0:0:0/model", "Cruzer Blade\n");
	link_to(SDB "/device", "../../../6:0:0:0");
	link_to("block/sdb", "../" SDB);
	link_to("class/block/sdb", "../../" SDB);
	link_to("class/block/sdb1", "../../" SDB "/sdb1");
	link_to("dev/block/8:16", "../../" SDB);
	/* loop0 has a backing file, loop1 none; zram0 is no drive */
	put_text("devices/virtual/block/loop0/dev", "7:0\n");
	put_text("devices/virtual/block/loop0/size", "131072\n");
	put_text("devices/virtual/block/loop0/loop/backing_file", "/cases/seized disk.img\n");
	put_text("devices/virtual/block/loop0/queue/logical_block_size", "4096\n");
	put_text("devices/virtual/block/loop0/queue/physical_block_size", "4096\n");
	link_to("block/loop0", "../devices/virtual/block/loop0");
	link_to("class/block/loop0", "../../devices/virtual/block/loop0");
	link_to("dev/block/7:0", "../../devices/virtual/block/loop0");
	put_text("devices/virtual/block/loop1/dev", "7:1\n");
	link_to("block/loop1", "../devices/virtual/block/loop1");
	put_text("devices/virtual/block/zram0/dev", "252:0\n");
	link_to("block/zram0", "../devices/virtual/block/zram0");
	link_to("block/nvme0n1", "../devices/pci1/nvme/nvme0/nvme0n1");
	link_to("class/block/nvme0n1", "../../devices/pci1/nvme/nvme0/nvme0n1");
	put_text("mountinfo", "22 1 253:0 / / rw,relatime - ext4 /dev/mapper/vg-root rw\n"
	                      "23 22 0:22 / /sys rw - sysfs sysfs rw\n"
	                      "30 22 8:17 / /media/usb\\040stick rw - vfat /nonexistent/sdb1 rw\n"
	                      "31 22 0:40 / /broken line without separator\n");
	snprintf(mountinfo, cap, "%s/mountinfo", root);
	snprintf(swaps, cap, "%s/swaps", root);
}

START_TEST(test_device_list)
{
	char mountinfo[128], swaps[128];
	struct acq_devices d;
	struct cu_error err;
	const struct acq_disk *sda, *sdb, *loop;

	record_machine(mountinfo, swaps, sizeof(mountinfo));
	{
		struct acq_devices_source src = {root, mountinfo, swaps, NULL, false};

		ck_assert_int_eq(acq_devices_list(&d, &src, &err), 0);
	}
	/* disks by name, loop devices last; no loop1, zram0 or dm-0 */
	ck_assert_uint_eq(d.n, 4);
	ck_assert_str_eq(d.disks[0].self.name, "nvme0n1");
	ck_assert_str_eq(d.disks[0].transport, "nvme");
	sda = &d.disks[1];
	sdb = &d.disks[2];
	loop = &d.disks[3];
	ck_assert_str_eq(sda->self.path, "/dev/sda");
	ck_assert_uint_eq(sda->self.size, 1953525168ULL * 512);
	ck_assert_uint_eq(sda->logical_sector, 512);
	ck_assert_uint_eq(sda->physical_sector, 4096);
	ck_assert_str_eq(sda->transport, "sata");
	ck_assert_str_eq(sda->identity.model, "WDC WD10EZEX-08W");
	ck_assert_str_eq(sda->identity.serial, "WD-WX42A");
	ck_assert_int_eq(sda->self.read_only, 0);
	/* root is on dm-0, which holds sda1; the swap file is on sda2 */
	ck_assert_uint_eq(sda->n_parts, 2);
	ck_assert_str_eq(sda->parts[0].name, "sda1");
	ck_assert_uint_eq(sda->parts[0].start, 2048);
	ck_assert_uint_eq(sda->parts[0].size, 2048000ULL * 512);
	ck_assert_uint_eq(sda->parts[0].n_holders, 1);
	ck_assert_str_eq(sda->parts[0].holders[0].name, "dm-0");
	ck_assert_str_eq(sda->parts[0].holders[0].kind, "lvm");
	ck_assert_str_eq(sda->parts[0].holders[0].label, "vg-root");
	ck_assert_uint_eq(sda->parts[0].holders[0].n_mounts, 1);
	ck_assert_str_eq(sda->parts[0].holders[0].mounts[0], "/");
	ck_assert(sda->parts[0].holds_root && !sda->parts[0].holds_swap);
	ck_assert(sda->parts[1].holds_swap && !sda->parts[1].holds_root);
	ck_assert(sda->self.holds_root && sda->self.holds_swap);
	ck_assert_uint_eq(sda->self.n_mounts, 0);
	/* the USB stick: removable, read-only, its partition mounted */
	ck_assert_str_eq(sdb->transport, "usb");
	ck_assert_str_eq(sdb->identity.vendor, "SanDisk");
	ck_assert_int_eq(sdb->identity.removable, 1);
	ck_assert_int_eq(sdb->self.read_only, 1);
	ck_assert_uint_eq(sdb->n_parts, 1);
	ck_assert_uint_eq(sdb->parts[0].n_mounts, 1);
	ck_assert_str_eq(sdb->parts[0].mounts[0], "/media/usb stick");
	ck_assert(!sdb->self.holds_root && !sdb->self.holds_swap);
	/* the loop device and its backing file */
	ck_assert_str_eq(loop->self.path, "/dev/loop0");
	ck_assert_str_eq(loop->transport, "loop");
	ck_assert_str_eq(loop->backing_file, "/cases/seized disk.img");
	ck_assert_uint_eq(loop->logical_sector, 4096);
	ck_assert_uint_eq(loop->self.size, 131072ULL * 512);
	ck_assert_int_eq(loop->self.read_only, -1);
	ck_assert(!loop->ata_asked);
	acq_devices_free(&d);
	remove_tree();
}
END_TEST

START_TEST(test_device_list_unreadable)
{
	struct acq_devices_source src = {"/nonexistent-sysfs", NULL, NULL, NULL, false};
	struct acq_devices d;
	struct cu_error err;

	ck_assert_int_eq(acq_devices_list(&d, &src, &err), CU_EFAIL);
	ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent-sysfs/block"));
	acq_devices_free(&d);
	src.sysfs = NULL;
	src.mountinfo = "/nonexistent-mountinfo";
	ck_assert_int_eq(acq_devices_list(&d, &src, &err), CU_EFAIL);
	ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent-mountinfo"));
	acq_devices_free(&d);
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
	char dir[64], path[96];
	int fd;
	static uint8_t data[3 << 20];
	struct source_options so = {.path = path};
	struct source *src;
	struct source_pipeline_io io;
	struct cu_digests exact = {0}, d = {0};
	struct cu_hash *h;
	struct cu_error err;
	uint64_t last = 0;
	char hex[33];

	check_tempdir(dir, sizeof(dir), "pipe");
	snprintf(path, sizeof(path), "%s/medium", dir);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + i / 4096);
	ck_assert_int_eq(write(fd, data, sizeof(data)), (ssize_t)sizeof(data));
	close(fd);
	ck_assert_int_eq(source_open(&src, &so, &err), CU_OK);
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
	ck_assert_int_eq(source_pipeline_run(&io, &err), CU_OK);
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
	ck_assert_int_eq(source_pipeline_run(&io, &err), CU_EFAIL);
	ck_assert_ptr_nonnull(strstr(err.msg, "ended at byte"));
	cu_hash_free(h);
	source_close(src);
	unlink(path);
	rmdir(dir);
	(void)hex;
}
END_TEST

/*
 * IDENTIFY DEVICE as a Western Digital WD300BB (30 GB, LBA28, 2001) answered
 * it: words 0-95 as published in a public hex dump; the rest of its reply
 * is zero.  Serial number padded with NULs, as that drive does.
 */
static const uint8_t wd300bb_identify[192] = {
    0x7A, 0x42, 0xFF, 0x3F, 0x00, 0x00, 0x10, 0x00, 0x00, 0xE1, 0x58, 0x02, 0x3F, 0x00, 0x10, 0x00,
    0x00, 0x00, 0x0E, 0x00, 0x44, 0x57, 0x57, 0x2D, 0x41, 0x4D, 0x57, 0x36, 0x31, 0x32, 0x32, 0x31,
    0x31, 0x33, 0x00, 0x30, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x10, 0x28, 0x00, 0x38, 0x31,
    0x32, 0x2E, 0x44, 0x30, 0x38, 0x31, 0x44, 0x57, 0x20, 0x43, 0x44, 0x57, 0x30, 0x33, 0x42, 0x30,
    0x2D, 0x42, 0x32, 0x33, 0x55, 0x41, 0x31, 0x41, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
    0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x10, 0x80,
    0x00, 0x00, 0x00, 0x2F, 0x01, 0x40, 0x80, 0x02, 0x00, 0x00, 0x07, 0x00, 0x43, 0x44, 0x0F, 0x00,
    0x3F, 0x00, 0x53, 0xFB, 0xFB, 0x00, 0x08, 0x01, 0x80, 0xAC, 0x7E, 0x03, 0x00, 0x00, 0x07, 0x00,
    0x03, 0x00, 0x78, 0x00, 0x78, 0x00, 0x78, 0x00, 0x78, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x3E, 0x00, 0x00, 0x00, 0x6B, 0x34, 0x01, 0x43, 0x00, 0x40, 0x69, 0x34, 0x01, 0x00, 0x00, 0x40,
    0x3F, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x4B, 0x60, 0xFE, 0x80, 0x00, 0x00,
};

START_TEST(test_ata_identify_recorded_lba28)
{
	uint8_t reply[512] = {0};
	struct ata_identity id;

	memcpy(reply, wd300bb_identify, sizeof(wd300bb_identify));
	ck_assert(ata_identify_parse(reply, &id));
	ck_assert_str_eq(id.model, "WDC WD300BB-32AUA1");
	ck_assert_str_eq(id.serial, "WD-WMA6W2112310");
	ck_assert_str_eq(id.firmware, "18.20D18");
	ck_assert_uint_eq(id.sectors, 58633344); /* 30.0 GB */
	ck_assert(!id.lba48 && id.hpa_supported && !id.dco_supported);
}
END_TEST

static void put_word(uint8_t *d, int i, uint16_t v)
{
	d[2 * i] = (uint8_t)v;
	d[2 * i + 1] = (uint8_t)(v >> 8);
}

static void put_string(uint8_t *d, int first, int last, const char *s)
{
	size_t n = strlen(s);

	for (int i = first; i <= last; i++) {
		size_t k = (size_t)(i - first) * 2;

		put_word(d, i,
		         (uint16_t)((k < n ? s[k] : ' ') << 8 | (k + 1 < n ? s[k + 1] : ' ')));
	}
}

static void seal_integrity(uint8_t *d)
{
	uint8_t sum = 0;

	d[510] = 0xa5;
	for (int i = 0; i < 511; i++)
		sum = (uint8_t)(sum + d[i]);
	d[511] = (uint8_t)-sum;
}

/* A 1 TB LBA48 drive, laid out per ATA8-ACS, that reports 1,000,000,000 sectors. */
static void modern_identify(uint8_t d[512])
{
	memset(d, 0, 512);
	put_word(d, 0, 0x0040);
	put_string(d, 10, 19, "     Z1D2ABCD");
	put_string(d, 23, 26, "CC43");
	put_string(d, 27, 46, "ST1000DM003-1CH162");
	put_word(d, 60, 0xffff);
	put_word(d, 61, 0x0fff);
	put_word(d, 82, 0x7469); /* HPA feature set supported */
	put_word(d, 83, 0x7c01); /* LBA48, DCO supported; bits 15:14 = 01 */
	put_word(d, 100, (uint16_t)1000000000);
	put_word(d, 101, (uint16_t)(1000000000 >> 16));
	seal_integrity(d);
}

START_TEST(test_ata_lba48_hpa_dco)
{
	uint8_t id_block[512], dco_block[512] = {0};
	/* descriptor-format sense (0x72) with the ATA Status Return descriptor */
	uint8_t sense[32] = {0x72, 0x01, 0x00, 0x1d, 0, 0, 0, 14,
	                     /* 0x09, len, ext, err, count, count, lba bytes..., device, status */
	                     0x09, 0x0c, 0x01, 0x00, 0x00, 0x00, 0x74, 0xaf, /* lba 31:24, 7:0 */
	                     0x00, 0x6d,                                     /* lba 39:32, 15:8 */
	                     0x00, 0x70,                                     /* lba 47:40, 23:16 */
	                     0x40, 0x50};
	struct ata_hidden h = {0};
	uint64_t lba = 0;

	modern_identify(id_block);
	ck_assert(ata_identify_parse(id_block, &h.id));
	ck_assert_str_eq(h.id.model, "ST1000DM003-1CH162");
	ck_assert_str_eq(h.id.serial, "Z1D2ABCD");
	ck_assert(h.id.lba48 && h.id.hpa_supported && h.id.dco_supported);
	ck_assert_uint_eq(h.id.sectors, 1000000000);
	/* READ NATIVE MAX ADDRESS EXT: 0x7470_6daf = 1953525167, the native last LBA */
	ck_assert(ata_sense_lba(sense, sizeof(sense), true, &lba));
	ck_assert_uint_eq(lba, 1953525167ULL);
	h.answered = true;
	h.native_sectors = lba + 1;
	ck_assert(ata_hidden_hpa(&h));
	ck_assert(!ata_hidden_dco(&h));
	/* DCO IDENTIFY: words 3-6 hold the real maximum LBA */
	put_word(dco_block, 0, 0x0002);
	put_word(dco_block, 3, (uint16_t)1953529999ULL);
	put_word(dco_block, 4, (uint16_t)(1953529999ULL >> 16));
	seal_integrity(dco_block);
	ck_assert(ata_dco_parse(dco_block, &lba));
	ck_assert_uint_eq(lba, 1953529999ULL);
	h.dco_sectors = lba + 1;
	ck_assert(ata_hidden_dco(&h));
	/* a damaged reply fails its integrity check and is not believed */
	id_block[200] ^= 1;
	ck_assert(!ata_identify_parse(id_block, &h.id));
	dco_block[7] ^= 1;
	ck_assert(!ata_dco_parse(dco_block, &lba));
	/* LBA28: bits 27:24 come from the device register */
	sense[20] = 0x4e;
	ck_assert(ata_sense_lba(sense, sizeof(sense), false, &lba));
	ck_assert_uint_eq(lba, 0x0e706dafULL);
	/* fixed-format sense carries no descriptor */
	sense[0] = 0x70;
	ck_assert(!ata_sense_lba(sense, sizeof(sense), true, &lba));
}
END_TEST

static const char *write_text(const char *text)
{
	static char path[512];
	FILE *f;

	ck_assert_int_lt(
	    snprintf(path, sizeof(path), "%s/custos-map.%d", check_tmpdir(), (int)getpid()),
	    (int)sizeof(path));
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return path;
}

START_TEST(test_ddrescue_map)
{
	/* ddrescue's own example, extended: 0x...-style, decimal and octal numbers */
	const char *path = write_text("# Mapfile. Created by GNU ddrescue version 1.27\n"
	                              "# current_pos  current_status  current_pass\n"
	                              "0x00120000     ?               1\n"
	                              "#      pos        size  status\n"
	                              "0x00000000  0x00117000  +\n"
	                              "0x00117000  0x00000200  -   # a bad sector\n"
	                              "1143296     4096        /\n"
	                              "0x00118200  0x00007E00  *\n"
	                              "0x00120000  0x00048000  ?\n"
	                              "0x00168000  0x00000100  +\n");
	struct ddrescue_window w = {
	    .start = 0, .size = 0x169000, .image_end = 0x169000, .unit = 512};
	struct cu_ranges missing = {0};
	struct cu_error err;

	ck_assert_int_eq(acq_ddrescue_map_load(path, &w, &missing, &err), CU_OK);
	/* 0x117000..0x168000 is missing; the map ends at 0x168100, inside a sector it
	   does not cover to its end, so from that sector to the window's end is missing
	   too, and the two runs touch: one run */
	ck_assert_uint_eq(missing.n, 1);
	ck_assert_uint_eq(missing.v[0].first, 0x117000);
	ck_assert_uint_eq(missing.v[0].count, 0x169000 - 0x117000);
	cu_ranges_free(&missing);

	/* a window inside the map, and a grown window past a short image */
	w = (struct ddrescue_window){
	    .start = 0x117000, .size = 0x400, .image_end = 0x169000, .unit = 512};
	ck_assert_int_eq(acq_ddrescue_map_load(path, &w, &missing, &err), CU_OK);
	ck_assert_uint_eq(missing.n, 1);
	ck_assert_uint_eq(missing.v[0].first, 0);
	ck_assert_uint_eq(missing.v[0].count, 0x400);
	cu_ranges_free(&missing);
	w = (struct ddrescue_window){
	    .start = 0, .size = 0x100000, .image_end = 0x170000, .grow = true, .unit = 4096};
	ck_assert_int_eq(acq_ddrescue_map_load(path, &w, &missing, &err), CU_OK);
	ck_assert_uint_eq(w.size, 0x168100);
	cu_ranges_free(&missing);

	/* rescued data past the image's end: not this image's map */
	w = (struct ddrescue_window){.start = 0, .size = 0x1000, .image_end = 0x1000, .unit = 512};
	ck_assert_int_eq(acq_ddrescue_map_load(path, &w, &missing, &err), CU_EUSAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "not the map of this image"));
	cu_ranges_free(&missing);

	/* malformed maps name their line */
	static const char *const bad[] = {
	    "0x0 ? 1\n0x0 0x200 +\n0x400 0x200 +\n", /* a gap */
	    "0x0 ? 1\n0x0 0x200 X\n",                /* status */
	    "0x0 ? 1\n0x0 +\n",                      /* no size */
	    "0x0 ? 1\n",                             /* no blocks */
	    "hello\n",                               /* no status line */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		w = (struct ddrescue_window){.size = 0x1000, .image_end = 0x1000, .unit = 512};
		ck_assert_int_eq(acq_ddrescue_map_load(write_text(bad[i]), &w, &missing, &err),
		                 CU_EUSAGE);
		ck_assert_ptr_nonnull(strstr(err.msg, ":"));
		cu_ranges_free(&missing);
	}
	unlink(path);
}
END_TEST

START_TEST(test_mapfile_format)
{
	char path[512], text[4096];
	struct acq_mapfile *m;
	struct cu_range bad[] = {{0x200, 0x200}, {0x1000, 0x600}};
	struct cu_error err;
	FILE *f;
	size_t n;

	ck_assert_int_lt(
	    snprintf(path, sizeof(path), "%s/custos-mapfile.%d", check_tmpdir(), (int)getpid()),
	    (int)sizeof(path));
	ck_assert_int_eq(acq_mapfile_open(&m, path, 0x10000, 0x4000, "custos acquire x", &err),
	                 CU_OK);
	ck_assert_int_eq(acq_mapfile_advance(m, 0x2000, bad, 2, &err), CU_OK);
	ck_assert_int_eq(acq_mapfile_close(m, false, &err), CU_OK);
	acq_mapfile_free(m);
	f = fopen(path, "r");
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	unlink(path);
	ck_assert_ptr_nonnull(strstr(text, "# Command line: custos acquire x\n"));
	ck_assert_ptr_nonnull(strstr(text, "0x00012000     ?               1\n"));
	ck_assert_ptr_nonnull(strstr(text, "0x00010000  0x00000200  +\n"
	                                   "0x00010200  0x00000200  -\n"
	                                   "0x00010400  0x00000C00  +\n"
	                                   "0x00011000  0x00000600  -\n"
	                                   "0x00011600  0x00000A00  +\n"
	                                   "0x00012000  0x00002000  ?\n"));
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

/* Every setting: what the parser accepts formats to text that parses back the same. */
START_TEST(test_settings_round_trip)
{
	static const char *const values[] = {"R-7",      "1.5GiB", "md5,sha1,sha256",
	                                     "4096",     "best",   "removable",
	                                     "physical", "12",     "0.25",
	                                     "yes",      "raw"};
	struct cu_error err;

	for (size_t i = 0; i < acq_settings_count; i++)
		for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
			const struct acq_setting *s = &acq_settings[i];
			struct acq_options a, b;
			char *text;

			acq_settings_defaults(&a);
			acq_settings_defaults(&b);
			if (acq_setting_parse(s, &a, values[v], "--x", &err) != CU_OK)
				continue;
			text = acq_setting_format(s, &a);
			ck_assert_int_eq(acq_setting_parse(s, &b, text, "--x", &err), CU_OK);
			ck_assert_msg(acq_setting_equal(s, &a, &b), "--%s %s", s->name, values[v]);
			free(text);
		}
	ck_assert_int_eq(acq_setting_parse(acq_setting_find("chunk-sectors"),
	                                   &(struct acq_options){0}, "48", "--chunk-sectors", &err),
	                 CU_EUSAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "power of two"));
}
END_TEST

static void sample_resume_file(struct acq_resume_file *rf)
{
	memset(rf, 0, sizeof(*rf));
	acq_settings_defaults(&rf->settings);
	rf->settings.meta.case_number = "K 7/26 100%";
	rf->settings.meta.examiner = "José Müller";
	rf->settings.sector_size = 512;
	rf->settings.length = 10 << 20;
	rf->settings.media_type = 1;
	rf->settings.media_flags = 0;
	rf->settings.mapfile = "/tmp/a map";
	rf->source_size = 12 << 20;
	rf->device = 2049;
	rf->inode = 77;
	rf->acquired = 1795000000;
	rf->done = 4 << 20;
	rf->writer.segments = 2;
	rf->writer.last_size = 123456;
	rf->writer.segment_chunks = 10;
	rf->writer.chunks_written = 128;
	memset(rf->writer.guid, 0xa5, 16);
	cu_ranges_add(&rf->bad, 1000, 24, NULL);
	cu_ranges_add(&rf->bad, 5000, 512, NULL);
}

START_TEST(test_resume_file_round_trip)
{
	struct acq_resume_file rf, back;
	struct cu_error err;
	char dir[64], path[128];

	check_tempdir(dir, sizeof(dir), "resume");
	snprintf(path, sizeof(path), "%s/t.resume", dir);
	sample_resume_file(&rf);
	ck_assert_int_eq(acq_resume_file_save(path, &rf, &err), CU_OK);
	ck_assert_int_eq(acq_resume_file_load(path, &back, &err), CU_OK);
	for (size_t i = 0; i < acq_settings_count; i++)
		if (acq_settings[i].flags & ACQ_SETTING_KEPT)
			ck_assert_msg(
			    acq_setting_equal(&acq_settings[i], &rf.settings, &back.settings), "%s",
			    acq_settings[i].name);
	ck_assert_uint_eq(back.done, rf.done);
	ck_assert_uint_eq(back.writer.chunks_written, 128);
	ck_assert_uint_eq(back.writer.last_size, 123456);
	ck_assert_int_eq(memcmp(back.writer.guid, rf.writer.guid, 16), 0);
	ck_assert_uint_eq(back.bad.n, 2);
	ck_assert_uint_eq(back.bad.v[1].count, 512);
	ck_assert_str_eq(back.settings.meta.examiner, "José Müller");
	ck_assert_str_eq(back.settings.mapfile, "/tmp/a map");
	acq_resume_file_free(&back);
	cu_ranges_free(&rf.bad);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* Text of a valid resume file with `from` replaced by `to`, parsed. */
static int parse_edited(const char *from, const char *to, struct cu_error *err)
{
	struct acq_resume_file rf, back;
	char dir[64], path[128], *text, *at, edited[8192];
	size_t len;
	int rc;

	check_tempdir(dir, sizeof(dir), "resume");
	snprintf(path, sizeof(path), "%s/t.resume", dir);
	sample_resume_file(&rf);
	ck_assert_int_eq(acq_resume_file_save(path, &rf, err), CU_OK);
	cu_ranges_free(&rf.bad);
	ck_assert_int_eq(cu_input_read(path, "t", 1 << 20, &text, &len, err), CU_OK);
	at = strstr(text, from);
	ck_assert_ptr_nonnull(at);
	snprintf(edited, sizeof(edited), "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
	rc = acq_resume_file_parse(edited, strlen(edited), "t.resume", &back, err);
	if (!rc)
		acq_resume_file_free(&back);
	free(text);
	unlink(path);
	rmdir(dir);
	return rc;
}

START_TEST(test_resume_file_rejections)
{
	static const char *const cases[][3] = {
	    {"retries 2\n", "retries 101\n", "retries"},
	    {"retries 2\n", "retries -1\n", "retries"},
	    {"retries 2\n", "retries 2\nretries 2\n", "twice"},
	    {"retries 2\n", "", "retries: missing"},
	    {"retries 2\n", "retries 2\nbogus 1\n", "bogus"},
	    {"chunk-sectors 64\n", "chunk-sectors 48\n", "power of two"},
	    {"compression fast\n", "compression zip\n", "compression"},
	    {"done 4194304\n", "done 4194305\n", "done"},
	    {"done 4194304\n", "done 99999999999999999999999\n", "done"},
	    {"segments 2\n", "segments 0\n", "segments"},
	    {"segment-chunks 10\n", "segment-chunks 129\n", "segment-chunks"},
	    {"bad 5000 512\n", "bad 5000 512\nbad 10 1\n", "bad"},
	    {"bad 5000 512\n", "bad 5000 9999999\n", "bad"},
	    {"guid a5a5", "guid zz", "guid"},
	    {"examiner Jos%c3%a9", "examiner Jos%zz", "examiner"},
	    {"examiner Jos%c3%a9", "examiner Jos%ef%bf%bf", "examiner"},
	    {"format e01\n", "format raw\n", "format"},
	    {"length 10485760\n", "length 99999999\n", "length"},
	    {"end\n", "", "cut short"},
	    {"custos-resume 2\n", "custos-resume 1\n", "not a resume file"},
	};
	struct cu_error err;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_msg(parse_edited(cases[i][0], cases[i][1], &err) == CU_EUSAGE, "%s",
		              cases[i][1]);
		ck_assert_msg(strstr(err.msg, cases[i][2]), "%s: %s", cases[i][1], err.msg);
	}
}
END_TEST

/* --rescue's resume file: the settings and the source; its progress is ddrescue's map. */
START_TEST(test_resume_file_rescue)
{
	struct acq_resume_file rf, back;
	struct cu_error err;
	char dir[64], path[128], *text, *edited;
	size_t len;
	FILE *f;

	check_tempdir(dir, sizeof(dir), "rescue");
	snprintf(path, sizeof(path), "%s/t.resume", dir);
	sample_resume_file(&rf);
	rf.settings.rescue = true;
	rf.settings.length = rf.source_size; /* a rescue reads the whole source */
	cu_ranges_free(&rf.bad);
	ck_assert_int_eq(acq_resume_file_save(path, &rf, &err), CU_OK);
	ck_assert_int_eq(acq_resume_file_load(path, &back, &err), CU_OK);
	ck_assert(back.settings.rescue);
	ck_assert_str_eq(back.settings.mapfile, "/tmp/a map");
	ck_assert_uint_eq(back.writer.segments, 0);
	ck_assert_uint_eq(back.done, 0);
	acq_resume_file_free(&back);
	/* no writer progress may be slipped in, and a rescue keeps a map of the whole source */
	f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	text = calloc(1, 1 << 16);
	len = fread(text, 1, (1 << 16) - 1, f);
	fclose(f);
	ck_assert_ptr_null(strstr(text, "\ndone "));
	ck_assert_ptr_null(strstr(text, "\nsegments "));
	edited = calloc(1, len + 64);
	memcpy(edited, text, len);
	strcpy(strstr(edited, "end\n"), "segments 1\nend\n");
	ck_assert_int_eq(acq_resume_file_parse(edited, strlen(edited), "t", &back, &err),
	                 CU_EUSAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "segments"));
	memcpy(edited, text, len + 1);
	strcpy(strstr(edited, "mapfile "), strchr(strstr(text, "mapfile "), '\n') + 1);
	ck_assert_int_eq(acq_resume_file_parse(edited, strlen(edited), "t", &back, &err),
	                 CU_EUSAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "mapfile"));
	free(edited);
	free(text);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* The tally of a map: bytes by state, and the phase ddrescue was in. */
START_TEST(test_ddrescue_map_tally)
{
	const char *path = write_text("# Mapfile. Created by GNU ddrescue version 1.27\n"
	                              "0x00120000     *               1\n"
	                              "0x00000000  0x00117000  +\n"
	                              "0x00117000  0x00000200  -\n"
	                              "1143296     4096        /\n"
	                              "0x00118200  0x00007E00  *\n"
	                              "0x00120000  0x00010000  ?\n");
	struct ddrescue_tally t;
	struct cu_error err;

	ck_assert_int_eq(acq_ddrescue_map_tally(path, &t, &err), CU_OK);
	ck_assert_int_eq(t.phase, '*');
	ck_assert_str_eq(acq_ddrescue_phase_name(t.phase), "trimming");
	ck_assert_uint_eq(t.rescued, 0x117000);
	ck_assert_uint_eq(t.bad, 0x200);
	ck_assert_uint_eq(t.unscraped, 4096);
	ck_assert_uint_eq(t.untrimmed, 0x7e00);
	ck_assert_uint_eq(t.untried, 0x10000);
	unlink(path);
	path = write_text("0 ?\n0 100 +\n50 10 -\n"); /* not contiguous */
	ck_assert_int_eq(acq_ddrescue_map_tally(path, &t, &err), CU_EUSAGE);
	unlink(path);
}
END_TEST

/* ---- the rescue reader, on a scripted medium ---- */

#define MEDIUM_SECTORS 4096

struct medium {
	uint8_t data[MEDIUM_SECTORS * 512];
	bool bad[MEDIUM_SECTORS];              /* 512-byte sectors that never read */
	int flaky[MEDIUM_SECTORS];             /* failures left before the sector reads */
	size_t short_max;                      /* a read returns at most this much; 0: all */
	uint64_t forbidden_from, forbidden_to; /* bytes that must never be read */
	int errnum;                            /* the error a bad read gives */
	unsigned reads, failed;
};

static ssize_t medium_read(void *ctx, void *buf, size_t len, uint64_t offset, int *errnum)
{
	struct medium *m = ctx;
	bool fails = false;

	m->reads++;
	ck_assert_msg(offset + len <= m->forbidden_from || offset >= m->forbidden_to,
	              "read of %zu bytes at %llu touches a known-bad area", len,
	              (unsigned long long)offset);
	if (offset >= sizeof(m->data))
		return 0;
	if (len > sizeof(m->data) - offset)
		len = sizeof(m->data) - offset;
	if (m->short_max && len > m->short_max)
		len = m->short_max;
	for (uint64_t s = offset / 512; s < (offset + len + 511) / 512; s++) {
		fails = fails || m->bad[s];
		if (m->flaky[s] > 0) {
			m->flaky[s]--;
			fails = true;
		}
	}
	if (fails) {
		m->failed++;
		*errnum = m->errnum;
		return -1;
	}
	memcpy(buf, m->data + offset, len);
	return (ssize_t)len;
}

static struct medium *medium_new(void)
{
	struct medium *m = calloc(1, sizeof(*m));

	for (size_t i = 0; i < sizeof(m->data); i++)
		m->data[i] = (uint8_t)(i * 7 + i / 512 + 1);
	m->errnum = EIO;
	return m;
}

/* Reads [offset, offset + len) of the medium; checks the data against it, bad bytes zeroed. */
static void rescue(struct medium *m, uint32_t unit, unsigned retries, uint64_t offset, size_t len,
                   const struct cu_ranges *known, struct cu_ranges *bad)
{
	struct source_failing r = {.read = medium_read,
	                           .read_ctx = m,
	                           .name = "medium",
	                           .retries = retries,
	                           .unit = unit,
	                           .known_bad = known};
	uint8_t *buf = aligned_alloc(4096, (len + 8191) / 4096 * 4096); /* a multiple of it */
	struct cu_error err;
	size_t k = 0;

	memset(bad, 0, sizeof(*bad));
	m->reads = m->failed = 0;
	ck_assert_int_eq(source_failing_read(&r, buf, offset, len, bad, &err), CU_OK);
	ck_assert_uint_eq(r.failed_reads, m->failed);
	for (size_t i = 0; i < len; i++) {
		uint64_t at = offset + i;
		bool zeroed = false;

		while (k < bad->n && bad->v[k].first + bad->v[k].count <= at)
			k++;
		zeroed = k < bad->n && bad->v[k].first <= at;
		ck_assert_msg(buf[i] == (zeroed ? 0 : m->data[at]), "byte %llu",
		              (unsigned long long)at);
	}
	free(buf);
}

START_TEST(test_rescue_single_and_runs)
{
	struct medium *m = medium_new();
	struct cu_ranges bad;

	rescue(m, 512, 2, 0, 1 << 20, NULL, &bad); /* a clean window: one read */
	ck_assert_uint_eq(bad.n, 0);
	ck_assert_uint_eq(m->reads, 1);
	m->bad[100] = true; /* one bad sector: the window, then the sector, once */
	rescue(m, 512, 0, 0, 1 << 20, NULL, &bad);
	ck_assert_uint_eq(bad.n, 1);
	ck_assert_uint_eq(bad.v[0].first, 100 * 512);
	ck_assert_uint_eq(bad.v[0].count, 512);
	ck_assert_uint_eq(m->failed, 2);
	cu_ranges_free(&bad);
	for (int s = 1000; s < 1010; s++) /* and a run: each unreadable sector read once */
		m->bad[s] = true;
	for (int s = 1005; s < 1011; s++) /* 3005-3010 in a page of its own: across 1008 */
		m->bad[s] = true;
	rescue(m, 512, 0, 0, 1 << 20, NULL, &bad);
	ck_assert_uint_eq(bad.n, 2);
	ck_assert_uint_eq(bad.v[1].first, 1000 * 512);
	ck_assert_uint_eq(bad.v[1].count, 11 * 512);
	ck_assert_uint_eq(m->failed, 1 + 1 + 11);
	cu_ranges_free(&bad);
	free(m);
}
END_TEST

START_TEST(test_rescue_dead_window_and_retries)
{
	struct medium *m = medium_new();
	struct cu_ranges bad;

	for (int s = 0; s < 2048; s++)
		m->bad[s] = true;
	rescue(m, 512, 0, 0, 1 << 20, NULL, &bad);
	ck_assert_uint_eq(bad.n, 1);
	ck_assert_uint_eq(bad.v[0].count, 1 << 20);
	ck_assert_uint_eq(m->failed, 1 + 2048); /* ddrescue's count: one per sector */
	cu_ranges_free(&bad);
	rescue(m, 512, 2, 0, 1 << 20, NULL, &bad); /* each retry: once more per bad sector */
	ck_assert_uint_eq(m->failed, 1 + 3 * 2048);
	cu_ranges_free(&bad);
	free(m);
}
END_TEST

START_TEST(test_rescue_flaky_short_and_last)
{
	struct medium *m = medium_new();
	struct cu_ranges bad;

	m->flaky[700] = 2; /* reads on the third attempt */
	m->flaky[900] = 1; /* reads on the second: the first retry */
	rescue(m, 512, 2, 0, 1 << 20, NULL, &bad);
	ck_assert_uint_eq(bad.n, 0);
	cu_ranges_free(&bad);
	m->flaky[700] = 4; /* the window, the sector, two retries: one attempt too few */
	rescue(m, 512, 2, 0, 1 << 20, NULL, &bad);
	ck_assert_uint_eq(bad.n, 1);
	ck_assert_uint_eq(bad.v[0].first, 700 * 512);
	cu_ranges_free(&bad);
	m->flaky[700] = 0;
	m->short_max = 1000;               /* short reads are not errors */
	m->bad[MEDIUM_SECTORS - 1] = true; /* the last sector, in a window not of whole units */
	rescue(m, 512, 0, (MEDIUM_SECTORS - 8) * 512, 8 * 512 - 100, NULL, &bad);
	ck_assert_uint_eq(bad.n, 1);
	ck_assert_uint_eq(bad.v[0].first, (MEDIUM_SECTORS - 1) * 512);
	ck_assert_uint_eq(bad.v[0].count, 512 - 100);
	cu_ranges_free(&bad);
	free(m);
}
END_TEST

START_TEST(test_rescue_units_known_bad_and_errors)
{
	struct medium *m = medium_new();
	struct cu_ranges bad, known = {0};
	struct source_failing r = {.read = medium_read, .read_ctx = m, .name = "m", .unit = 512};
	uint8_t *buf = aligned_alloc(4096, 1 << 20);
	struct cu_error err;

	m->bad[1001] = true; /* 4096-byte units: the whole unit of a bad sector */
	rescue(m, 4096, 0, 0, 1 << 20, NULL, &bad);
	ck_assert_uint_eq(bad.n, 1);
	ck_assert_uint_eq(bad.v[0].first, 1000 * 512);
	ck_assert_uint_eq(bad.v[0].count, 4096);
	cu_ranges_free(&bad);
	m->bad[1001] = false;
	cu_ranges_add(&known, 20480, 8192, NULL); /* a ddrescue map's area: never read */
	m->forbidden_from = 20480;
	m->forbidden_to = 20480 + 8192;
	rescue(m, 512, 2, 0, 1 << 20, &known, &bad);
	ck_assert_uint_eq(bad.n, 1);
	ck_assert_uint_eq(bad.v[0].first, 20480);
	ck_assert_uint_eq(bad.v[0].count, 8192);
	cu_ranges_free(&bad);
	cu_ranges_free(&known);
	m->forbidden_from = m->forbidden_to = 0;
	m->bad[5] = true; /* an error that is not a media error fails the read */
	m->errnum = EBADF;
	memset(&bad, 0, sizeof(bad));
	ck_assert_int_eq(source_failing_read(&r, buf, 0, 1 << 20, &bad, &err), CU_EFAIL);
	ck_assert_ptr_nonnull(strstr(err.msg, "read failed"));
	free(buf);
	free(m);
}
END_TEST

int main(void)
{
	TCase *tc = tcase_create("acquire");

	/* a bound that catches a hang, not a measure of speed (a loaded builder is slow) */
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_device_identity_sata_and_partition);
	tcase_add_test(tc, test_device_identity_nvme);
	tcase_add_test(tc, test_device_list);
	tcase_add_test(tc, test_device_list_unreadable);
	tcase_add_test(tc, test_pipeline_hash_only_and_failure);
	tcase_add_test(tc, test_progress_durations);
	tcase_add_test(tc, test_ata_identify_recorded_lba28);
	tcase_add_test(tc, test_ata_lba48_hpa_dco);
	tcase_add_test(tc, test_ddrescue_map);
	tcase_add_test(tc, test_mapfile_format);
	tcase_add_test(tc, test_settings_round_trip);
	tcase_add_test(tc, test_rescue_single_and_runs);
	tcase_add_test(tc, test_rescue_dead_window_and_retries);
	tcase_add_test(tc, test_rescue_flaky_short_and_last);
	tcase_add_test(tc, test_rescue_units_known_bad_and_errors);
	tcase_add_test(tc, test_resume_file_round_trip);
	tcase_add_test(tc, test_resume_file_rejections);
	tcase_add_test(tc, test_resume_file_rescue);
	tcase_add_test(tc, test_ddrescue_map_tally);
	return check_run("acquire", tc);
}
