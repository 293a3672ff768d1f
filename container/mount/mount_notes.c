/*
 * mount_notes.c - the damage found while serving, and the read errors
 * recorded at acquisition, as text (mount_notes.h).
 *
 * A damaged range is kept with what was wrong with its chunk; `seen` (every
 * damaged sector noted so far) makes a chunk read again add nothing.  The
 * text is made when the file is read: a header of lines that begin with
 * '#', then one line a range, "FIRST-LAST COUNT WHAT" (sectors, inclusive),
 * in sector order.  What a library said of a chunk is shown with its
 * control characters escaped (lib/text.h), as every message of custos is.
 */
#include "container/mount/mount_notes.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "lib/grow.h"
#include "lib/text.h"

struct damage {
	uint64_t first, count;
	char *why;
};

struct mount_notes {
	char *name;
	uint32_t bps;
	bool damaged_zero;
	FILE *say;
	struct cu_ranges errors; /* the acquisition's */
	pthread_mutex_t lock;    /* what follows */
	struct cu_ranges seen;
	struct damage *v;
	size_t n, cap;
};

int mount_notes_new(struct mount_notes **out, const struct evidence *e, const char *name,
                    bool damaged_zero, FILE *say, struct cu_error *err)
{
	struct mount_notes *n = calloc(1, sizeof(*n));
	int rc;

	if (!n || !(n->name = strdup(name))) {
		free(n);
		return cu_error_set(err, CU_EFAIL, "out of memory");
	}
	n->bps = evidence_bytes_per_sector(e);
	n->damaged_zero = damaged_zero;
	n->say = say;
	pthread_mutex_init(&n->lock, NULL);
	if ((rc = evidence_read_errors(e, &n->errors, err))) {
		mount_notes_free(n);
		return rc;
	}
	*out = n;
	return CU_OK;
}

void mount_notes_free(struct mount_notes *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++)
		free(n->v[i].why);
	free(n->v);
	cu_ranges_free(&n->seen);
	cu_ranges_free(&n->errors);
	pthread_mutex_destroy(&n->lock);
	free(n->name);
	free(n);
}

/* One line on `say` for a range just found. */
static void notes_say(struct mount_notes *n, const struct damage *d)
{
	char line[CU_ERROR_MSG_MAX + 512];

	snprintf(line, sizeof(line), "damaged: sectors %llu-%llu (%llu) of %s: %s; %s",
	         (unsigned long long)d->first, (unsigned long long)(d->first + d->count - 1),
	         (unsigned long long)d->count, n->name, d->why,
	         n->damaged_zero ? "served as zeros (--damaged zero)"
	                         : "reads there fail with EIO");
	fputs("custos mount: ", n->say);
	cu_text_fput(line, n->say);
	fputc('\n', n->say);
	fflush(n->say);
}

void mount_notes_damaged(void *notes, const struct evidence_chunk *c)
{
	struct mount_notes *n = notes;

	pthread_mutex_lock(&n->lock);
	for (size_t i = 0; i < c->damaged.n; i++) {
		uint64_t added = 0;
		struct damage d = {c->damaged.v[i].first, c->damaged.v[i].count, NULL};

		if (cu_ranges_insert(&n->seen, d.first, d.count, &added, NULL) || !added ||
		    cu_grow(&n->v, &n->cap, n->n, sizeof(*n->v)) ||
		    !(d.why = strdup(c->why[0] ? c->why : "damaged")))
			continue; /* noted already (or no memory to note it: the read still fails)
			           */
		n->v[n->n++] = d;
		if (n->say)
			notes_say(n, &d);
	}
	pthread_mutex_unlock(&n->lock);
}

static int damage_order(const void *a, const void *b)
{
	const struct damage *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

/* The text written to the memory stream `f`, once closed (open_memstream sets *buf then). */
static char *notes_close(FILE *f, char **buf)
{
	if (fclose(f) != 0) {
		free(*buf);
		return NULL;
	}
	return *buf;
}

/* "FIRST-LAST COUNT": a run of sectors, the last inclusive. */
static void notes_range(FILE *f, uint64_t first, uint64_t count)
{
	fprintf(f, "%llu-%llu %llu", (unsigned long long)first,
	        (unsigned long long)(first + count - 1), (unsigned long long)count);
}

/* A note's text begun in memory: its first words and the set's name, escaped. */
static FILE *notes_begin(const struct mount_notes *n, const char *lead, char **buf, size_t *len)
{
	FILE *f = open_memstream(buf, len);

	if (f) {
		fputs(lead, f);
		cu_text_fput(n->name, f);
	}
	return f;
}

char *mount_notes_damaged_text(struct mount_notes *n, size_t *len)
{
	char *buf = NULL;
	FILE *f = notes_begin(n, "# Damaged sectors of ", &buf, len);

	if (!f)
		return NULL;
	fprintf(f,
	        ", found while it was mounted (sectors of %u bytes).\n"
	        "# %s\n"
	        "# first-last sectors what\n",
	        n->bps,
	        n->damaged_zero ? "They are served as zeros (--damaged zero): not evidence."
	                        : "Reads that touch them fail with EIO.");
	pthread_mutex_lock(&n->lock);
	qsort(n->v, n->n, sizeof(*n->v), damage_order);
	for (size_t i = 0; i < n->n; i++) {
		notes_range(f, n->v[i].first, n->v[i].count);
		fputc(' ', f);
		cu_text_fput(n->v[i].why, f);
		fputc('\n', f);
	}
	pthread_mutex_unlock(&n->lock);
	return notes_close(f, &buf);
}

char *mount_notes_errors_text(const struct mount_notes *n, size_t *len)
{
	char *buf = NULL;
	FILE *f = notes_begin(n, "# Sectors the acquisition could not read, as ", &buf, len);

	if (!f)
		return NULL;
	fprintf(f,
	        " records them (sectors of %u bytes).\n"
	        "# They are served as the set stores them (zeros; AFF4: its UnreadableData "
	        "fill), never as data read from the medium.\n"
	        "# first-last sectors\n",
	        n->bps);
	for (size_t i = 0; i < n->errors.n; i++) {
		notes_range(f, n->errors.v[i].first, n->errors.v[i].count);
		fputc('\n', f);
	}
	return notes_close(f, &buf);
}
