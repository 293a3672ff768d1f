/*
 * aff4_map.c - the map's entries, merged as they come, and its two members.
 */
#include "container/aff4/aff4_map.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/grow.h"
#include "lib/le.h"

#define ENTRY 28

enum { TARGET_STREAM = 0, TARGET_UNREADABLE = 1 };

struct map_entry {
	uint64_t offset, length, target_offset;
	uint32_t target;
};

struct aff4_map {
	char *stream_uri;
	struct map_entry *v;
	size_t n, cap;
};

int aff4_map_new(struct aff4_map **out, const char *stream_uri, struct cu_error *err)
{
	struct aff4_map *m = calloc(1, sizeof(*m));

	if (!m || !(m->stream_uri = strdup(stream_uri))) {
		free(m);
		return cu_error_set(err, CU_EFAIL, "out of memory");
	}
	*out = m;
	return CU_OK;
}

/* Appends a run in media order, merging it into the run before when it continues it. */
static int map_add(struct aff4_map *m, const struct map_entry *e, struct cu_error *err)
{
	struct map_entry *last = m->n ? &m->v[m->n - 1] : NULL;
	uint64_t end = last ? last->offset + last->length : 0;

	if (e->length == 0)
		return CU_OK;
	if (e->offset < end || e->length > UINT64_MAX - e->offset)
		return cu_error_set(err, CU_EFAIL, "an AFF4 map run out of order");
	if (last && end == e->offset && last->target == e->target &&
	    last->target_offset + last->length == e->target_offset) {
		last->length += e->length;
		return CU_OK;
	}
	if (cu_grow(&m->v, &m->cap, m->n, sizeof(*m->v)))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	m->v[m->n++] = *e;
	return CU_OK;
}

int aff4_map_add_data(struct aff4_map *m, uint64_t offset, uint64_t length, uint64_t stream_offset,
                      struct cu_error *err)
{
	struct map_entry e = {offset, length, stream_offset, TARGET_STREAM};

	return map_add(m, &e, err);
}

int aff4_map_add_unreadable(struct aff4_map *m, uint64_t offset, uint64_t length,
                            struct cu_error *err)
{
	struct map_entry e = {offset, length, offset, TARGET_UNREADABLE};

	return map_add(m, &e, err);
}

static int map_write_entries(const struct aff4_map *m, struct aff4_zip *zip, struct cu_error *err)
{
	uint8_t e[ENTRY];
	int rc = CU_OK;

	for (size_t i = 0; i < m->n && !rc; i++) {
		cu_le64_put(e, m->v[i].offset);
		cu_le64_put(e + 8, m->v[i].length);
		cu_le64_put(e + 16, m->v[i].target_offset);
		cu_le32_put(e + 24, m->v[i].target);
		rc = aff4_zip_member_write(zip, e, sizeof(e), err);
	}
	return rc;
}

int aff4_map_write(const struct aff4_map *m, struct aff4_zip *zip, const char *name,
                   struct cu_error *err)
{
	char member[4200], *idx = NULL;
	int n, rc;

	if (snprintf(member, sizeof(member), "%s/map", name) >= (int)sizeof(member))
		return cu_error_set(err, CU_EFAIL, "an AFF4 member name too long");
	if ((rc = aff4_zip_member_begin(zip, member, err)) ||
	    (rc = map_write_entries(m, zip, err)) || (rc = aff4_zip_member_end(zip, err)))
		return rc;
	snprintf(member, sizeof(member), "%s/idx", name);
	if ((n = asprintf(&idx, "%s\n%s\n", m->stream_uri, AFF4_UNREADABLE_URI)) < 0)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	rc = aff4_zip_member(zip, member, idx, (size_t)n, err);
	free(idx);
	return rc;
}

void aff4_map_free(struct aff4_map *m)
{
	if (!m)
		return;
	free(m->stream_uri);
	free(m->v);
	free(m);
}
