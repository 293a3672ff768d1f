/*
 * cmd_verify_parity.c - whether a set that did not verify can be repaired:
 * its files judged by the parity (PAR2 or RS) its custody log records
 * (cmd_parity.h), so that `verify` and `verify --segments` say
 * "repairable" when the damage lies within what the parity can rebuild,
 * and how much more parity it would need when it does not.  Asked only of a
 * set that is damaged or mismatched: it reads every file once more.
 */
#include <stdio.h>
#include <string.h>

#include "container/cmd_parity.h"
#include "container/cmd_verify.h"
#include "lib/text.h"

static const char *const states[] = {"intact", "repairable", "not_repairable"};

void verify_parity_assess(struct verify_set *v)
{
	struct verify_parity *p = &v->parity;
	struct parity_set ps;
	struct parity_check c;
	struct cu_error err = {0};

	if (!parity_set_open(&ps, v->evidence, false, &err) && ps.parity.n) {
		p->recorded = true;
		p->percent = ps.parity.percent;
		p->format = ps.format;
		if (parity_set_assess(&ps, &c, &err)) {
			snprintf(p->note, sizeof(p->note), "%s", err.msg);
		} else {
			p->checked = true;
			p->state = c.state;
			p->blocks_needed = c.blocks_needed;
		}
	}
	parity_set_close(&ps);
	if (p->checked && p->state != PARITY_INTACT) {
		size_t len = strlen(v->msg);

		snprintf(v->msg + len, sizeof(v->msg) - len, "%s",
		         p->state == PARITY_REPAIRABLE
		             ? "; repairable from its parity (custos repair)"
		             : "; NOT repairable from its parity");
	}
}

void verify_parity_print(const struct verify_set *v)
{
	const struct verify_parity *p = &v->parity;

	if (p->note[0]) {
		fputs("  parity   not checked: ", stdout);
		cu_text_fput(p->note, stdout);
		putchar('\n');
	} else if (p->checked && p->state == PARITY_REPAIRABLE) {
		printf("  parity   repairable: its %s parity (%u%%) can rebuild every damaged "
		       "byte (custos repair)\n",
		       parity_format_name(p->format), p->percent);
	} else if (p->checked && p->state == PARITY_NOT_REPAIRABLE) {
		printf("  parity   NOT repairable: the damage is beyond its %s parity (%u%%)",
		       parity_format_name(p->format), p->percent);
		if (p->blocks_needed)
			printf(": %llu more %s would be needed",
			       (unsigned long long)p->blocks_needed, parity_unit(p->format));
		putchar('\n');
	} else if (p->checked) {
		printf("  parity   its files are as they were when protected (%u%%)\n", p->percent);
	}
}

void verify_parity_json(struct cu_json *j, const struct verify_set *v)
{
	const struct verify_parity *p = &v->parity;

	cu_json_key(j, "parity");
	if (!p->recorded) {
		cu_json_null(j);
		return;
	}
	cu_json_object_begin(j);
	cu_json_pair_string(j, "format", parity_format_name(p->format));
	cu_json_pair_u64(j, "percent", p->percent);
	cu_json_pair_string(j, "state", p->checked ? states[p->state] : NULL);
	cu_json_pair_u64(j, "blocks_needed", p->blocks_needed);
	cu_json_pair_string(j, "note", p->note[0] ? p->note : NULL);
	cu_json_object_end(j);
}
