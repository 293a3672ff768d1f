/*
 * mount_tree.c - the media file and the partition files (mount_tree.h).
 *
 * The partition table is read before anything is mounted, on the calling
 * thread, through an evidence cursor: a sector in a damaged chunk is never
 * taken for part of a table.  A table that partition_table_read refuses
 * (hostile, or merely not one) costs the partition files only, with a
 * line that says why; the media is served whatever its table.
 */
#include "container/mount/mount_tree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "container/partition.h"

struct tree_reader {
	struct evidence *e;
	struct evidence_cursor *cursor;
	struct evidence_chunk chunk;
	bool have; /* chunk.index holds a chunk read */
};

/* partition_read_fn: bytes of the media through the cursor, refused where damaged. */
static int tree_read(void *ctx, uint64_t offset, void *buf, size_t len, struct cu_error *err)
{
	struct tree_reader *t = ctx;
	uint64_t cs = evidence_chunk_size(t->e), done = 0;
	int rc;

	while (done < len) {
		uint64_t at = offset + done, index = at / cs, in = at % cs;
		size_t n = (size_t)(cs - in < len - done ? cs - in : len - done);

		if (!t->have || t->chunk.index != index) {
			t->chunk.index = index;
			t->have = false;
			if ((rc = evidence_cursor_read(t->cursor, &t->chunk, err)))
				return rc;
			t->have = true;
		}
		if (t->chunk.damaged.n)
			return cu_error_set(err, CU_EFAIL, "it lies in a damaged chunk (%s)",
			                    t->chunk.why);
		if (in + n > t->chunk.len)
			return cu_error_set(err, CU_EFAIL, "it lies beyond the media");
		memcpy((uint8_t *)buf + done, t->chunk.media + in, n);
		done += n;
	}
	return CU_OK;
}

static int tree_partitions(struct evidence *e, const char *base, struct mount_fs_config *cfg,
                           char *note, size_t cap, struct cu_error *err)
{
	struct tree_reader t = {.e = e};
	struct partition_table table;
	struct cu_error why = {0};
	int rc;

	if ((rc = evidence_cursor_open(e, &t.cursor, err)))
		return rc;
	if (!(t.chunk.media = malloc(evidence_chunk_size(e)))) {
		evidence_cursor_close(t.cursor);
		return cu_error_set(err, CU_EFAIL, "out of memory");
	}
	if (partition_table_read(tree_read, &t, evidence_media_size(e),
	                         evidence_bytes_per_sector(e), &table, &why))
		snprintf(note, cap, "no partition is served: the partition table is refused: %s",
		         why.msg);
	else if (!table.scheme)
		snprintf(note, cap, "no partition is served: the media has no partition table");
	for (size_t i = 0; !why.code && table.scheme && i < table.n; i++) {
		struct mount_fs_file *f = &cfg->files[cfg->n_files++];

		snprintf(f->name, sizeof(f->name), "%s.p%u.raw", base, table.v[i].number);
		f->offset = table.v[i].offset;
		f->size = table.v[i].length;
	}
	evidence_cursor_close(t.cursor);
	free(t.chunk.media);
	cu_ranges_free(&t.chunk.damaged);
	return CU_OK;
}

int mount_tree_build(struct evidence *e, const char *base, bool partitions,
                     struct mount_fs_config *cfg, char *note, size_t cap, struct cu_error *err)
{
	struct mount_fs_file *media = &cfg->files[0];

	note[0] = '\0';
	if (strlen(base) + sizeof(".p128.raw") > sizeof(media->name))
		return cu_error_set(err, CU_EUSAGE, "the evidence's name is too long to serve");
	snprintf(media->name, sizeof(media->name), "%s.raw", base);
	media->offset = 0;
	media->size = evidence_media_size(e);
	cfg->n_files = 1;
	return partitions ? tree_partitions(e, base, cfg, note, cap, err) : CU_OK;
}
