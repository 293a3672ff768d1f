/*
 * progress.c - drawing the progress line.
 */
#include "acquire/progress.h"

#include <inttypes.h>

#include "lib/timeutil.h"

#define REFRESH_SECONDS 0.25

void acq_progress_init(struct acq_progress *p, FILE *out)
{
	p->out = out;
	p->start = p->last = cu_time_monotonic();
	p->shown = 0;
	p->label = NULL;
}

void acq_progress_duration(char *out, size_t cap, double seconds)
{
	uint64_t s = seconds > 0 ? (uint64_t)seconds : 0;

	if (s >= 3600)
		snprintf(out, cap, "%" PRIu64 ":%02" PRIu64 ":%02" PRIu64, s / 3600, s / 60 % 60,
		         s % 60);
	else
		snprintf(out, cap, "%" PRIu64 ":%02" PRIu64, s / 60, s % 60);
}

void acq_progress_update(void *ctx, uint64_t done, uint64_t total, uint64_t bad_sectors)
{
	struct acq_progress *p = ctx;
	double now = cu_time_monotonic(), elapsed = now - p->start, rate;
	char left[32] = "?";

	if (now - p->last < REFRESH_SECONDS && (done < total || !total))
		return;
	p->last = now;
	rate = elapsed > 0 ? (double)done / elapsed : 0;
	if (!total) { /* a stream of unknown size */
		fprintf(p->out, "\r%8.1f MiB  %7.1f MiB/s  (a stream)\033[K",
		        (double)done / 1048576.0, rate / 1048576.0);
		fflush(p->out);
		p->shown = 1;
		return;
	}
	if (rate > 0 && done <= total)
		acq_progress_duration(left, sizeof(left), (double)(total - done) / rate);
	fprintf(p->out, "\r%s%s", p->label ? p->label : "", p->label ? "  " : "");
	fprintf(p->out,
	        "%5.1f%%  %8.1f of %.1f MiB  %7.1f MiB/s  %s left  %" PRIu64
	        " unreadable sectors\033[K",
	        total ? 100.0 * (double)done / (double)total : 100.0, (double)done / 1048576.0,
	        (double)total / 1048576.0, rate / 1048576.0, left, bad_sectors);
	fflush(p->out);
	p->shown = 1;
}

void acq_progress_rescue(void *ctx, const char *phase, uint64_t rescued, uint64_t untried,
                         uint64_t unreadable)
{
	struct acq_progress *p = ctx;

	fprintf(p->out,
	        "\rrescue (GNU ddrescue, %s)  %.1f MiB rescued  %.1f MiB untried  %.1f MiB "
	        "unreadable\033[K",
	        phase, (double)rescued / 1048576.0, (double)untried / 1048576.0,
	        (double)unreadable / 1048576.0);
	fflush(p->out);
	p->shown = 1;
}

void acq_progress_end(struct acq_progress *p)
{
	if (p->shown)
		fputs("\r\033[K", p->out);
	fflush(p->out);
}
