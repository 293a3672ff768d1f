/*
 * smart.c - running smartctl on the drive (smart.h), bounded: its output
 * read to at most SMART_JSON_MAX bytes, its run to at most SMART_SECONDS,
 * after which its process group is killed.  Whatever happens, the result
 * is a reading: SMART known, or not known and why.
 */
#include <errno.h>
#include <openssl/sha.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/child.h"
#include "lib/timeutil.h"
#include "source/smart.h"

struct smart_output {
	char *data;
	size_t len, cap;
	bool too_long, timed_out;
};

/* Appends what `fd` has; false at its end (or on an error). */
static bool output_take(int fd, struct smart_output *o)
{
	char chunk[16384];
	ssize_t n = read(fd, chunk, sizeof(chunk));
	char *grown;

	if (n < 0 && errno == EINTR)
		return true;
	if (n <= 0)
		return false;
	if ((size_t)n > SMART_JSON_MAX - o->len) {
		o->too_long = true;
		return false;
	}
	if (o->len + (size_t)n + 1 > o->cap) {
		size_t cap = o->cap ? 2 * o->cap : 65536;

		while (cap < o->len + (size_t)n + 1)
			cap *= 2;
		if (!(grown = realloc(o->data, cap)))
			return false;
		o->data = grown;
		o->cap = cap;
	}
	memcpy(o->data + o->len, chunk, (size_t)n);
	o->len += (size_t)n;
	o->data[o->len] = '\0';
	return true;
}

/* Reads the child's output until it ends, grows too long, or time runs out. */
static void output_read(int fd, struct smart_output *o)
{
	double until = cu_time_monotonic() + SMART_SECONDS;
	struct pollfd p = {.fd = fd, .events = POLLIN};

	for (;;) {
		int left = (int)((until - cu_time_monotonic()) * 1000);

		if (left <= 0) {
			o->timed_out = true;
			return;
		}
		if (poll(&p, 1, left) < 0 && errno != EINTR)
			return;
		if (p.revents && !output_take(fd, o))
			return;
	}
}

static void reason(struct smart_reading *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void reason(struct smart_reading *r, const char *fmt, ...)
{
	va_list ap;

	r->state.available = false;
	va_start(ap, fmt);
	vsnprintf(r->state.reason, sizeof(r->state.reason), fmt, ap);
	va_end(ap);
}

void smart_read(const char *tool, const char *device, struct smart_reading *r)
{
	char *argv[] = {(char *)tool, "--json=o", "-x", "-n", "standby", (char *)device, NULL};
	struct smart_output o = {0};
	struct cu_error err;
	int fd = -1, status = 0;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	r->asked = true;
	r->when = cu_time_now();
	if (cu_child_start(argv, true, &pid, &fd, &err)) {
		reason(r, "smartctl could not be started: %s", err.msg);
		return;
	}
	output_read(fd, &o);
	close(fd);
	if (o.timed_out || o.too_long)
		kill(-pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	r->json = o.data;
	r->json_len = o.len;
	if (o.data)
		SHA256((const unsigned char *)o.data, o.len, r->sha256);
	if (o.timed_out)
		reason(r, "smartctl did not answer within %d seconds", SMART_SECONDS);
	else if (o.too_long)
		reason(r, "smartctl printed more than %u bytes", SMART_JSON_MAX);
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		reason(r, "%s", "smartctl is not installed (Debian: apt install smartmontools)");
	else if (smart_parse(o.data ? o.data : "", o.len, &r->state, &err))
		reason(r, "%s", err.msg);
}

void smart_reading_free(struct smart_reading *r)
{
	free(r->json);
	memset(r, 0, sizeof(*r));
}

const char *smart_advice(const struct smart_reading *before, const struct smart_reading *after,
                         char *buf, size_t cap)
{
	const struct smart_state *b = before ? &before->state : NULL;
	const struct smart_state *a = after ? &after->state : NULL;

	if (a && b && a->pending.have && b->pending.have && a->pending.value > b->pending.value) {
		snprintf(buf, cap,
		         "the drive's sectors pending reallocation rose from %lld to %lld while it "
		         "was read: it is failing; image it again, if at all, with --rescue",
		         (long long)b->pending.value, (long long)a->pending.value);
		return buf;
	}
	if (a || !b || !b->available)
		return NULL;
	if (!strcmp(b->health, "FAILED"))
		snprintf(buf, cap,
		         "the drive's SMART verdict is FAILED: it may die while it is read; "
		         "consider --rescue, which gets the good data first");
	else if (b->pending.have && b->pending.value > 0)
		snprintf(buf, cap,
		         "the drive has %lld sectors pending reallocation: it is failing; consider "
		         "--rescue, which gets the good data first",
		         (long long)b->pending.value);
	else
		return NULL;
	return buf;
}
