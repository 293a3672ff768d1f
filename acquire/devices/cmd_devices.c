/*
 * cmd_devices.c - `custos devices [--json]`: the drives, so that the
 * examiner knows which is which before anything is touched.
 *
 * The text is a table: one line per disk and one per partition under it,
 * with size, sector sizes, transport, removable and read-only flags,
 * model and serial, and what uses it; a drive that holds the running
 * system's root or swap is marked SYSTEM, the mistake to avoid.  --json is
 * an array of objects, one per disk, with the same facts (null where
 * unknown) and the partitions inside.  The table is escaped for the
 * terminal (cu_text_fput): a loop device's file or a mount point is a name.  Exit status: 0 listed;
 * 1 sysfs or the mount table could not be read; 2 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acquire/devices/devices.h"
#include "acquire/cmd_acquire.h"
#include "acquire/summary.h"
#include "cli/builtin.h"
#include "lib/json.h"
#include "lib/text.h"
#include "lib/path.h"
#include "source/smart.h"

/* ---- JSON ---- */

static void json_mounts(struct cu_json *j, char **mounts, size_t n)
{
	cu_json_key(j, "mountpoints");
	cu_json_array_begin(j);
	for (size_t i = 0; i < n; i++)
		cu_json_path(j, mounts[i]);
	cu_json_array_end(j);
}

static void json_holders(struct cu_json *j, const struct acq_holder *h, size_t n)
{
	cu_json_key(j, "holders");
	cu_json_array_begin(j);
	for (size_t i = 0; i < n; i++) {
		cu_json_object_begin(j);
		cu_json_pair_string(j, "name", h[i].name);
		cu_json_pair_string(j, "type", h[i].kind[0] ? h[i].kind : NULL);
		cu_json_pair_string(j, "label", h[i].label[0] ? h[i].label : NULL);
		json_mounts(j, h[i].mounts, h[i].n_mounts);
		cu_json_object_end(j);
	}
	cu_json_array_end(j);
}

static void json_flag(struct cu_json *j, const char *key, int v)
{
	cu_json_key(j, key);
	if (v < 0)
		cu_json_null(j);
	else
		cu_json_bool(j, v);
}

/* What disks and partitions share: path, name, size, state, use. */
static void json_blockdev(struct cu_json *j, const struct acq_blockdev *b)
{
	cu_json_key(j, "path");
	cu_json_path(j, b->path);
	cu_json_pair_string(j, "name", b->name);
	cu_json_pair_u64(j, "size", b->size);
	json_flag(j, "read_only", b->read_only);
	json_mounts(j, b->mounts, b->n_mounts);
	json_holders(j, b->holders, b->n_holders);
	cu_json_pair_bool(j, "holds_root", b->holds_root);
	cu_json_pair_bool(j, "holds_swap", b->holds_swap);
}

static void json_text(struct cu_json *j, const char *key, const char *v)
{
	cu_json_pair_string(j, key, v && v[0] ? v : NULL);
}

/* The drive's SMART verdict, or why it has none. */
static void json_smart(struct cu_json *j, const struct smart_reading *s)
{
	cu_json_key(j, "smart");
	cu_json_object_begin(j);
	cu_json_pair_bool(j, "available", s->state.available);
	cu_json_pair_string(j, "health", s->state.available ? s->state.health : NULL);
	cu_json_pair_string(j, "reason", s->state.available ? NULL : s->state.reason);
	cu_json_object_end(j);
}

static void json_disk(struct cu_json *j, const struct acq_disk *d, const struct smart_reading *s)
{
	cu_json_object_begin(j);
	json_blockdev(j, &d->self);
	cu_json_pair_string(j, "type", strcmp(d->transport, "loop") ? "disk" : "loop");
	if (d->logical_sector)
		cu_json_pair_u64(j, "logical_sector_size", d->logical_sector);
	else
		json_text(j, "logical_sector_size", NULL);
	if (d->physical_sector)
		cu_json_pair_u64(j, "physical_sector_size", d->physical_sector);
	else
		json_text(j, "physical_sector_size", NULL);
	json_text(j, "vendor", d->identity.vendor);
	json_text(j, "model", d->identity.model);
	json_text(j, "serial", d->identity.serial);
	json_text(j, "firmware", d->identity.firmware);
	json_text(j, "transport", d->transport);
	json_flag(j, "removable", d->identity.removable);
	cu_json_key(j, "backing_file");
	cu_json_path(j, d->backing_file[0] ? d->backing_file : NULL);
	cu_json_key(j, "hidden_areas");
	acq_summary_json_hidden(j, &d->ata);
	json_smart(j, s);
	cu_json_key(j, "partitions");
	cu_json_array_begin(j);
	for (size_t i = 0; i < d->n_parts; i++) {
		cu_json_object_begin(j);
		json_blockdev(j, &d->parts[i]);
		cu_json_pair_u64(j, "start_sector", d->parts[i].start);
		cu_json_object_end(j);
	}
	cu_json_array_end(j);
	cu_json_object_end(j);
}

static void devices_json(const struct acq_devices *d, const struct smart_reading *smart)
{
	struct cu_json j;

	cu_json_init(&j, stdout);
	cu_json_array_begin(&j);
	for (size_t i = 0; i < d->n; i++)
		json_disk(&j, &d->disks[i], &smart[i]);
	cu_json_array_end(&j);
	fputc('\n', stdout);
}

/* ---- the table ---- */

enum {
	COL_DEVICE,
	COL_SIZE,
	COL_SECTORS,
	COL_TRANSPORT,
	COL_RM,
	COL_RO,
	COL_MODEL,
	COL_SERIAL,
	COL_SMART,
	COL_USE,
	COLS
};

#define CELL_MAX 600

struct row {
	char cell[COLS][CELL_MAX];
};

static void short_size(char *out, size_t cap, uint64_t bytes)
{
	static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
	double v = (double)bytes;
	int u = 0;

	while (v >= 1024.0 && u < 5) {
		v /= 1024.0;
		u++;
	}
	if (!bytes)
		snprintf(out, cap, "no medium");
	else
		snprintf(out, cap, u ? "%.1f %s" : "%.0f %s", v, units[u]);
}

static const char *yes_no(int v)
{
	return v < 0 ? "-" : v ? "yes" : "no";
}

/* Appends "text" to a cell, after a "; " when it holds something already. */
static void cell_add(char *cell, const char *text)
{
	size_t len = strlen(cell);

	snprintf(cell + len, CELL_MAX - len, "%s%s", len ? "; " : "", text);
}

static void cell_add_path(char *cell, const char *prefix, const char *path)
{
	char *shown = cu_path_escape(path), text[CELL_MAX];

	snprintf(text, sizeof(text), "%s%s", prefix, shown ? shown : "?");
	free(shown);
	cell_add(cell, text);
}

/* What uses a device: the system, mounts, holders. */
static void use_cell(char *cell, const struct acq_blockdev *b)
{
	char text[CELL_MAX];

	if (b->holds_root || b->holds_swap) {
		snprintf(text, sizeof(text), "SYSTEM (%s%s%s)", b->holds_root ? "root" : "",
		         b->holds_root && b->holds_swap ? ", " : "", b->holds_swap ? "swap" : "");
		cell_add(cell, text);
	}
	for (size_t i = 0; i < b->n_mounts; i++)
		cell_add_path(cell, "mounted on ", b->mounts[i]);
	for (size_t i = 0; i < b->n_holders; i++) {
		const struct acq_holder *h = &b->holders[i];

		snprintf(text, sizeof(text), "held by %s%s%s%s%s%s", h->name,
		         h->kind[0] ? " (" : "", h->kind, h->label[0] ? " " : "", h->label,
		         h->kind[0] ? ")" : "");
		cell_add(cell, text);
		for (size_t k = 0; k < h->n_mounts; k++)
			cell_add_path(cell, "mounted on ", h->mounts[k]);
	}
}

static void disk_row(struct row *r, const struct acq_disk *d, const struct smart_reading *s)
{
	const struct source_device_info *id = &d->identity;
	char text[CELL_MAX];

	memset(r, 0, sizeof(*r));
	snprintf(r->cell[COL_DEVICE], CELL_MAX, "%s", d->self.path);
	short_size(r->cell[COL_SIZE], CELL_MAX, d->self.size);
	if (d->logical_sector)
		snprintf(r->cell[COL_SECTORS], CELL_MAX, "%u/%u", d->logical_sector,
		         d->physical_sector ? d->physical_sector : d->logical_sector);
	snprintf(r->cell[COL_TRANSPORT], CELL_MAX, "%s", d->transport[0] ? d->transport : "-");
	snprintf(r->cell[COL_RM], CELL_MAX, "%s", yes_no(id->removable));
	snprintf(r->cell[COL_RO], CELL_MAX, "%s", yes_no(d->self.read_only));
	snprintf(r->cell[COL_MODEL], CELL_MAX, "%s%s%s", id->vendor, id->vendor[0] ? " " : "",
	         id->model);
	if (d->backing_file[0])
		cell_add_path(r->cell[COL_MODEL], "file ", d->backing_file);
	snprintf(r->cell[COL_SERIAL], CELL_MAX, "%s", id->serial);
	snprintf(r->cell[COL_SMART], CELL_MAX, "%s", s->state.available ? s->state.health : "-");
	use_cell(r->cell[COL_USE], &d->self);
	if (d->ata.answered && (ata_hidden_hpa(&d->ata) || ata_hidden_dco(&d->ata))) {
		snprintf(text, sizeof(text), "%s%s%s hides sectors",
		         ata_hidden_hpa(&d->ata) ? "HPA" : "",
		         ata_hidden_hpa(&d->ata) && ata_hidden_dco(&d->ata) ? " and " : "",
		         ata_hidden_dco(&d->ata) ? "DCO" : "");
		cell_add(r->cell[COL_USE], text);
	}
}

static void part_row(struct row *r, const struct acq_blockdev *p)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->cell[COL_DEVICE], CELL_MAX, "  %s", p->path);
	short_size(r->cell[COL_SIZE], CELL_MAX, p->size);
	snprintf(r->cell[COL_RO], CELL_MAX, "%s", yes_no(p->read_only));
	use_cell(r->cell[COL_USE], p);
}

/* A row, its columns padded to `width`, without trailing blanks. */
static void print_row(const struct row *r, const size_t width[COLS])
{
	char line[COLS * (CELL_MAX + 2)];
	size_t len = 0;

	for (int c = 0; c < COLS; c++) {
		int n = snprintf(line + len, sizeof(line) - len, c == COL_SIZE ? "%*s  " : "%-*s  ",
		                 (int)width[c], r->cell[c]);

		len += n > 0 && (size_t)n < sizeof(line) - len ? (size_t)n : 0;
	}
	while (len > 0 && line[len - 1] == ' ')
		len--;
	line[len] = '\0';
	cu_text_fput(line, stdout); /* file names and mount points: escaped */
	putchar('\n');
}

static int devices_table(const struct acq_devices *d, const struct smart_reading *smart)
{
	static const struct row head = {{"DEVICE", "SIZE", "SECTOR", "TRANSPORT", "RM", "RO",
	                                 "MODEL", "SERIAL", "SMART", "IN USE"}};
	size_t n = 1, width[COLS] = {0};
	struct row *rows;

	for (size_t i = 0; i < d->n; i++)
		n += 1 + d->disks[i].n_parts;
	if (!(rows = calloc(n, sizeof(*rows))))
		return builtin_fail("devices", CU_EFAIL, "out of memory");
	rows[0] = head;
	n = 1;
	for (size_t i = 0; i < d->n; i++) {
		disk_row(&rows[n++], &d->disks[i], &smart[i]);
		for (size_t k = 0; k < d->disks[i].n_parts; k++)
			part_row(&rows[n++], &d->disks[i].parts[k]);
	}
	for (size_t i = 0; i < n; i++)
		for (int c = 0; c < COLS; c++)
			if (strlen(rows[i].cell[c]) > width[c])
				width[c] = strlen(rows[i].cell[c]);
	for (size_t i = 0; i < n; i++)
		print_row(&rows[i], width);
	if (d->n == 0)
		printf("(no drives)\n");
	free(rows);
	return 0;
}

/* ---- the command ---- */

static int devices_take(void *ctx, int key, const char *name, const char *value,
                        struct cu_error *err)
{
	(void)name, (void)value;
	if (key != 'j')
		return cu_error_set(err, CU_EUSAGE, "unknown option (see custos devices --help)");
	*(bool *)ctx = true;
	return CU_OK;
}

int cmd_devices(int argc, char **argv)
{
	struct acq_devices_source src = {.ask_ata = true};
	struct acq_devices d;
	struct smart_reading *smart;
	struct cu_error err = {0};
	bool json = false;
	int rc = builtin_parse(&command_devices, argc, argv, 1, devices_take, &json, &err);

	if (rc)
		return rc < 0 ? 0 : builtin_fail("devices", rc, err.msg);
	if (optind != argc)
		return builtin_fail("devices", CU_EUSAGE, "devices takes no operands");
	if ((rc = acq_devices_list(&d, &src, &err))) {
		acq_devices_free(&d);
		return builtin_fail("devices", rc, err.msg);
	}
	if (!(smart = calloc(d.n ? d.n : 1, sizeof(*smart)))) {
		acq_devices_free(&d);
		return builtin_fail("devices", CU_EFAIL, "out of memory");
	}
	for (size_t i = 0; i < d.n; i++) /* read-only: smartctl -n standby wakes no drive */
		smart_read(ACQ_SMARTCTL, d.disks[i].self.path, &smart[i]);
	if (json)
		devices_json(&d, smart);
	else
		rc = devices_table(&d, smart);
	for (size_t i = 0; i < d.n; i++)
		smart_reading_free(&smart[i]);
	free(smart);
	acq_devices_free(&d);
	return rc;
}
