/*
 * aff4_image_cursor.c - one chunk of an AFF4 image's media at a time, at
 * random: what custos mount serves.
 *
 * A media chunk (the image's chunk size: its first stream's) is planned and
 * checked as the scan plans and checks its blocks (aff4_image_block.c):
 * the planner is placed on the map entry the chunk starts in (a binary
 * search), then cuts the chunk into pieces, AFF4_BLOCK_PIECES at a time
 * when a hostile map cuts it finer.  Each cursor has its own planner (its
 * bevy loaded once for a run of chunks) and its own checker buffers; the
 * volume is read with pread, so cursors on several threads read at once.
 */
#include <stdlib.h>
#include <string.h>

#include "container/aff4/aff4_image_int.h"

struct aff4_image_cursor {
	struct aff4_planner planner;
	struct aff4_checker checker;
	struct aff4_block block;
};

void aff4_image_cursor_close(struct aff4_image_cursor *c)
{
	if (!c)
		return;
	aff4_planner_done(&c->planner);
	aff4_checker_free(&c->checker);
	free(c->block.pieces);
	cu_ranges_free(&c->block.damaged);
	free(c);
}

int aff4_image_cursor_open(const struct aff4_image *im, struct aff4_image_cursor **out,
                           struct cu_error *err)
{
	struct aff4_image_cursor *c = calloc(1, sizeof(*c));
	int failed = !c;

	if (c) {
		aff4_planner_init(&c->planner, im);
		failed = aff4_checker_init(&c->checker, im) ||
		         !(c->block.pieces = malloc(AFF4_BLOCK_PIECES * sizeof(struct aff4_piece)));
	}
	if (failed) {
		aff4_image_cursor_close(c);
		return cu_error_set(err, CU_EFAIL, "out of memory for an AFF4 cursor");
	}
	*out = c;
	return CU_OK;
}

/* The damage of one block, added to the chunk's. */
static int cursor_take_damage(struct evidence_chunk *ch, const struct aff4_block *b,
                              struct cu_error *err)
{
	int rc = CU_OK;

	if (b->what[0] && !ch->why[0])
		memcpy(ch->why, b->what, sizeof(ch->why));
	for (size_t i = 0; i < b->damaged.n && !rc; i++) {
		rc = cu_ranges_extend(&ch->damaged, b->damaged.v[i].first, b->damaged.v[i].count,
		                      err);
	}
	return rc;
}

int aff4_image_cursor_read(struct aff4_image_cursor *c, struct evidence_chunk *ch,
                           struct cu_error *err)
{
	uint64_t pos = ch->media_off, end = ch->media_off + ch->len;
	int rc = CU_OK;

	aff4_planner_seek(&c->planner, pos);
	while (!rc && pos < end) {
		c->block.media = ch->media + (pos - ch->media_off);
		aff4_plan_block(&c->planner, &c->block, &pos, (size_t)(end - pos));
		if (!c->block.len)
			return cu_error_set(err, CU_EFAIL, "the map gives nothing at byte %llu",
			                    (unsigned long long)pos);
		rc = aff4_check_block(&c->checker, &c->block, err);
		if (!rc)
			rc = cursor_take_damage(ch, &c->block, err);
	}
	return rc;
}
