/*
 * custody.c - reading the custody log, and writing it: a new log, or one
 * more event under the lock.
 *
 * Reading parses the whole log (lib/xml.h) and lists its events with their
 * hashes; custody_check.c then holds them to the chain, the binding, the
 * signatures and the anchors.  Writing builds the new document in memory
 * and puts it in place whole (lib/atomic_file.h).
 */
#include "report/custody.h"

#include <errno.h>
#include <fcntl.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/atomic_file.h"
#include "lib/input_file.h"
#include "lib/path.h"
#include "lib/text.h"
#include "lib/timeutil.h"
#include "report/custody_canon.h"

#define CUSTODY_MAX_BYTES  (64U << 20)
#define CUSTODY_MAX_EVENTS 1000000U

struct custody_log {
	char *path;
	xmlDocPtr doc;
	xmlNodePtr root;
	xmlNodePtr *nodes;
	struct custody_entry *entries;
	size_t n;
	char head[65];
};

/* ---- reading ---- */

static char *prop(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST name);
	char *copy = v ? strdup((const char *)v) : NULL;

	xmlFree(v);
	return copy;
}

static void copy_prop(xmlNodePtr n, const char *name, char *out, size_t cap)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST name);

	snprintf(out, cap, "%s", v && xmlStrlen(v) < (int)cap ? (const char *)v : "");
	xmlFree(v);
}

static bool is_event(xmlNodePtr n)
{
	return n->type == XML_ELEMENT_NODE && !xmlStrcmp(n->name, BAD_CAST "event") && n->ns &&
	       !xmlStrcmp(n->ns->href, BAD_CAST CU_CUSTODY_NS);
}

static int broken(const struct custody_log *log, struct cu_error *err, const char *why, unsigned at)
{
	return cu_error_set(err, CU_EFAIL, "the custody log %s is broken: %s%s%u", log->path, why,
	                    at ? " at event " : "", at);
}

/* One event into its entry: its attributes, note, signature presence and hash. */
static int read_entry(struct custody_log *log, xmlNodePtr e, struct custody_entry *out,
                      struct cu_error *err)
{
	char seq[16];
	xmlNodePtr note = custody_canon_child(e, "note");
	char *end;

	memset(out, 0, sizeof(*out));
	copy_prop(e, "seq", seq, sizeof(seq));
	out->seq = (unsigned)strtoul(seq, &end, 10);
	if (!seq[0] || *end || seq[0] == '0' || seq[0] == '-' || seq[0] == '+')
		return cu_error_set(err, CU_EFAIL,
		                    "the custody log %s is broken: an event numbered '%s'",
		                    log->path, seq);
	out->action = prop(e, "action");
	out->time = prop(e, "time");
	out->by = prop(e, "by");
	out->to = prop(e, "to");
	out->location = prop(e, "location");
	out->note = note ? (char *)xmlNodeGetContent(note) : NULL;
	copy_prop(e, "prev", out->prev, sizeof(out->prev));
	out->is_signed = custody_canon_child(e, "signature") != NULL;
	return custody_canon_hash(e, out->hash, err);
}

static int read_events(struct custody_log *log, struct cu_error *err)
{
	size_t cap = 0;
	int rc;

	for (xmlNodePtr e = log->root->children; e; e = e->next) {
		if (e->type != XML_ELEMENT_NODE)
			continue;
		if (!is_event(e))
			return broken(log, err, "a foreign element after event ", (unsigned)log->n);
		if (log->n == CUSTODY_MAX_EVENTS)
			return broken(log, err, "too many events", 0);
		if (log->n == cap) {
			size_t grown = cap ? 2 * cap : 16;
			xmlNodePtr *nodes = realloc(log->nodes, grown * sizeof(*nodes));
			struct custody_entry *entries =
			    nodes ? realloc(log->entries, grown * sizeof(*entries)) : NULL;

			if (nodes)
				log->nodes = nodes;
			if (!nodes || !entries)
				return cu_error_set(err, CU_EFAIL, "out of memory");
			log->entries = entries;
			cap = grown;
		}
		log->nodes[log->n] = e;
		rc = read_entry(log, e, &log->entries[log->n], err);
		log->n++;
		if (rc)
			return rc;
	}
	return log->n ? CU_OK : broken(log, err, "it has no event", 0);
}

static int read_root(struct custody_log *log, struct cu_error *err)
{
	char version[8];

	log->root = xmlDocGetRootElement(log->doc);
	if (!log->root || xmlStrcmp(log->root->name, BAD_CAST "custody") || !log->root->ns ||
	    xmlStrcmp(log->root->ns->href, BAD_CAST CU_CUSTODY_NS))
		return cu_error_set(err, CU_EUSAGE, "%s is not a custos custody log", log->path);
	copy_prop(log->root, "version", version, sizeof(version));
	if (strcmp(version, CUSTODY_VERSION))
		return cu_error_set(err, CU_EUSAGE,
		                    "%s is a custody log of version '%s', not %s (this custos)",
		                    log->path, version, CUSTODY_VERSION);
	copy_prop(log->root, "head", log->head, sizeof(log->head));
	return read_events(log, err);
}

int custody_load(const char *path, struct custody_log **out, struct cu_error *err)
{
	struct custody_log *log = calloc(1, sizeof(*log));
	char *text = NULL, name[4200];
	size_t len;
	int rc = log && (log->path = strdup(path)) ? CU_OK
	                                           : cu_error_set(err, CU_EFAIL, "out of memory");

	if (!rc)
		rc = cu_input_read(path, "the custody log", CUSTODY_MAX_BYTES, &text, &len, err);
	if (!rc) {
		snprintf(name, sizeof(name), "the custody log %s is broken", path);
		rc = cu_xml_parse(text, len, name, &log->doc, err);
	}
	if (!rc)
		rc = read_root(log, err);
	free(text);
	if (rc) {
		custody_free(log);
		return rc;
	}
	*out = log;
	return CU_OK;
}

void custody_free(struct custody_log *log)
{
	if (!log)
		return;
	for (size_t i = 0; i < log->n; i++) {
		struct custody_entry *e = &log->entries[i];

		free(e->action);
		free(e->time);
		free(e->by);
		free(e->to);
		free(e->location);
		xmlFree(e->note);
		free(e->stamp_note);
	}
	free(log->entries);
	free(log->nodes);
	xmlFreeDoc(log->doc);
	free(log->path);
	free(log);
}

size_t custody_count(const struct custody_log *log)
{
	return log->n;
}

const struct custody_entry *custody_entry(const struct custody_log *log, size_t i)
{
	return i < log->n ? &log->entries[i] : NULL;
}

struct _xmlDoc *custody_doc(const struct custody_log *log)
{
	return log->doc;
}

const char *custody_path(const struct custody_log *log)
{
	return log->path;
}

xmlNodePtr custody_node(const struct custody_log *log, size_t i)
{
	return i < log->n ? log->nodes[i] : NULL;
}

const char *custody_head(const struct custody_log *log)
{
	return log->head;
}

/* ---- writing ---- */

static int check_event_text(const struct custody_event *ev, struct cu_error *err)
{
	const char *what[] = {"--action", "--by", "--to", "--location", "--note"};
	const char *text[] = {ev->action, ev->by, ev->to, ev->location, ev->note};
	int rc;

	for (int i = 0; i < 5; i++)
		if (text[i] && (rc = cu_text_check_xml(what[i], text[i], i == 4, err)))
			return rc;
	return CU_OK;
}

/* Adds a parsed copy of an XML fragment under `parent`. */
static int add_fragment(xmlDocPtr doc, xmlNodePtr parent, const char *xml, struct cu_error *err)
{
	xmlDocPtr frag = NULL;
	int rc = cu_xml_parse(xml, strlen(xml), "an event's record", &frag, err);

	if (!rc && !xmlDocGetRootElement(frag))
		rc = cu_error_set(err, CU_EFAIL, "an event's record is empty");
	else if (!rc)
		xmlAddChild(parent, xmlDocCopyNode(xmlDocGetRootElement(frag), doc, 1));
	xmlFreeDoc(frag);
	return rc;
}

/*
 * Adds event `seq` after `prev`, sealed as `seal` says (a stamp's time not
 * before `after`), and sets the head.
 */
static int add_event(xmlDocPtr doc, xmlNodePtr root, unsigned seq, const struct custody_event *ev,
                     const char *prev, time_t now, time_t after, struct custody_seal *seal,
                     struct cu_error *err)
{
	char when[CU_ISO8601_SIZE], number[16], head[65];
	xmlNodePtr e;
	int rc;

	if ((rc = check_event_text(ev, err)))
		return rc;
	cu_time_iso8601(when, now);
	snprintf(number, sizeof(number), "%u", seq);
	if (!(e = xmlNewChild(root, root->ns, BAD_CAST "event", NULL)))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	xmlNewProp(e, BAD_CAST "seq", BAD_CAST number);
	xmlNewProp(e, BAD_CAST "action", BAD_CAST ev->action);
	xmlNewProp(e, BAD_CAST "time", BAD_CAST when);
	xmlNewProp(e, BAD_CAST "by", BAD_CAST(ev->by ? ev->by : ""));
	if (ev->to)
		xmlNewProp(e, BAD_CAST "to", BAD_CAST ev->to);
	if (ev->location)
		xmlNewProp(e, BAD_CAST "location", BAD_CAST ev->location);
	xmlNewProp(e, BAD_CAST "prev", BAD_CAST prev);
	if (ev->note)
		xmlNewTextChild(e, root->ns, BAD_CAST "note", BAD_CAST ev->note);
	if ((ev->xml && (rc = add_fragment(doc, e, ev->xml, err))) ||
	    (seal && seal->signer && (rc = custody_sign_event(e, seal->signer, err))) ||
	    (rc = custody_stamp_event(e, seal, now, after, err)) ||
	    (rc = custody_canon_hash(e, head, err)))
		return rc;
	xmlSetProp(root, BAD_CAST "head", BAD_CAST head);
	return CU_OK;
}

static int save(const char *path, xmlDocPtr doc, bool create, struct cu_error *err)
{
	xmlChar *text = NULL;
	int size = 0, rc;

	xmlDocDumpFormatMemoryEnc(doc, &text, &size, "UTF-8", 1);
	if (!text)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	rc = create ? cu_file_create(path, text, (size_t)size, 0644, err)
	            : cu_file_replace(path, text, (size_t)size, 0644, err);
	xmlFree(text);
	return rc;
}

int custody_create(const char *path, const struct custody_event *first,
                   const struct custody_binding *binding, struct custody_seal *seal,
                   struct cu_error *err)
{
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr root = doc ? xmlNewNode(NULL, BAD_CAST "custody") : NULL;
	char prev[65];
	int rc;

	if (!root) {
		xmlFreeDoc(doc);
		return cu_error_set(err, CU_EFAIL, "out of memory");
	}
	xmlDocSetRootElement(doc, root);
	xmlSetNs(root, xmlNewNs(root, BAD_CAST CU_CUSTODY_NS, NULL));
	xmlNewProp(root, BAD_CAST "version", BAD_CAST CUSTODY_VERSION);
	custody_canon_binding(binding, prev);
	rc = add_event(doc, root, 1, first, prev, cu_time_now(), 0, seal, err);
	if (!rc)
		rc = save(path, doc, true, err);
	xmlFreeDoc(doc);
	return rc;
}

/* ---- the lock ---- */

/* Takes the log's lock (an flock on PATH.lock), waiting at most `seconds`. */
static int lock_take(const char *path, unsigned seconds, int *fd, struct cu_error *err)
{
	char *lock = cu_path_suffixed(path, ".lock");
	struct timespec pause = {0, 20 * 1000 * 1000};
	double until = cu_time_monotonic() + seconds;
	struct stat st;
	int rc = CU_OK;

	if (!lock)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	*fd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
	if (*fd < 0 || fstat(*fd, &st) != 0 || !S_ISREG(st.st_mode))
		rc =
		    cu_error_errno(err, CU_EUSAGE, *fd < 0 ? errno : EINVAL,
		                   "cannot use the lock %s (a link, or not a regular file?)", lock);
	while (!rc && flock(*fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno != EWOULDBLOCK || cu_time_monotonic() >= until)
			rc = cu_error_set(err, CU_EFAIL,
			                  "the custody log %s is being written by another custos: "
			                  "waited %u s for its lock, %s",
			                  path, seconds, lock);
		else
			nanosleep(&pause, NULL);
	}
	if (rc && *fd >= 0) {
		close(*fd);
		*fd = -1;
	}
	free(lock);
	return rc;
}

/* The time an event is appended at: never earlier than the last event's. */
static int append_time(const struct custody_log *log, time_t *now, struct cu_error *err)
{
	const struct custody_entry *last = &log->entries[log->n - 1];
	char when[CU_ISO8601_SIZE];
	time_t then;

	*now = cu_time_now();
	if (!last->time || !cu_time_parse_iso8601(last->time, &then) || *now >= then)
		return CU_OK; /* an undated last event: custody_check refused it already */
	cu_time_iso8601(when, *now);
	return cu_error_set(err, CU_EUSAGE,
	                    "the clock says %s, before event %u of %s (%s): the clock is wrong or "
	                    "was turned back; nothing was added",
	                    when, last->seq, log->path, last->time);
}

/* The newest trusted time of the log's events (custody_check read them), or 0. */
static time_t newest_trusted(const struct custody_log *log)
{
	time_t t = 0;

	for (size_t i = 0; i < log->n; i++)
		if (log->entries[i].trusted_time > t)
			t = log->entries[i].trusted_time;
	return t;
}

int custody_append(const char *path, const struct custody_event *ev,
                   const struct custody_binding *binding, struct custody_seal *seal,
                   unsigned lock_seconds, struct cu_error *err)
{
	struct custody_log *log = NULL;
	int lock = -1, rc = check_event_text(ev, err);
	time_t now = 0;

	if (!rc)
		rc = cu_file_check_replaceable(path, err);
	if (!rc)
		rc = lock_take(path, lock_seconds, &lock, err);
	if (!rc)
		rc = custody_load(path, &log, err);
	if (!rc)
		rc = custody_check(log, &(struct custody_checks){.binding = binding}, err);
	if (!rc)
		rc = append_time(log, &now, err);
	if (!rc)
		rc = add_event(log->doc, log->root, log->entries[log->n - 1].seq + 1, ev,
		               log->entries[log->n - 1].hash, now, newest_trusted(log), seal, err);
	if (!rc)
		rc = save(path, log->doc, false, err);
	custody_free(log);
	if (lock >= 0)
		close(lock); /* and with it the lock */
	return rc;
}

/* ---- the record of the first event ---- */

static xmlNodePtr first_record(const struct custody_log *log)
{
	xmlNodePtr rec = custody_canon_child(log->nodes[0], "acquisition");

	return rec ? rec : custody_canon_child(log->nodes[0], "enrollment");
}

bool custody_record_field(const struct custody_log *log, const char *group, const char *name,
                          char *out, size_t cap)
{
	xmlNodePtr rec = first_record(log), g = rec ? custody_canon_child(rec, group) : NULL;
	xmlNodePtr f = g ? custody_canon_child(g, name) : NULL;
	xmlChar *text = f ? xmlNodeGetContent(f) : NULL;
	bool ok = text && xmlStrlen(text) < (int)cap;

	if (ok)
		memcpy(out, text, (size_t)xmlStrlen(text) + 1);
	xmlFree(text);
	return ok;
}

void custody_record_digests(const struct custody_log *log, const char *group,
                            struct cu_digests *out)
{
	xmlNodePtr rec = first_record(log), g = rec ? custody_canon_child(rec, group) : NULL;
	char type[16];

	memset(out, 0, sizeof(*out));
	for (xmlNodePtr h = g ? g->children : NULL; h; h = h->next) {
		xmlChar *text = h->type == XML_ELEMENT_NODE ? xmlNodeGetContent(h) : NULL;

		copy_prop(h, "type", type, sizeof(type));
		for (int a = 0; text && a < CU_HASH_COUNT; a++)
			if (!strcmp(type, cu_hash_name(a)) &&
			    cu_unhex((uint8_t *)cu_digests_get(out, a), cu_hash_size(a),
			             (const char *)text))
				out->have[a] = true;
		xmlFree(text);
	}
}

int custody_record_ranges(const struct custody_log *log, const char *group, struct cu_ranges *out,
                          struct cu_error *err)
{
	xmlNodePtr rec = first_record(log), g = rec ? custody_canon_child(rec, group) : NULL;
	char first[32], count[32], *end1, *end2;
	uint64_t f, c;
	int rc = CU_OK;

	for (xmlNodePtr r = g ? g->children : NULL; r && !rc; r = r->next) {
		if (r->type != XML_ELEMENT_NODE)
			continue;
		copy_prop(r, "first", first, sizeof(first));
		copy_prop(r, "count", count, sizeof(count));
		f = strtoull(first, &end1, 10);
		c = strtoull(count, &end2, 10);

		if (!first[0] || !count[0] || *end1 || *end2 || !c)
			return cu_error_set(
			    err, CU_EFAIL,
			    "the custody log %s is broken: a range of %s is malformed", log->path,
			    group);
		rc = cu_ranges_add(out, f, c, err);
	}
	return rc;
}

/* A decimal number that is all of `text`, or false. */
static bool parse_u64(const char *text, uint64_t *out)
{
	char *end;

	if (!text[0] || text[0] < '0' || text[0] > '9')
		return false;
	errno = 0;
	*out = strtoull(text, &end, 10);
	return !*end && errno == 0;
}

/*
 * One <window offset length md5 sha1 sha256> as window i of `p`: where it
 * must be, and the digests of every algorithm the first window holds.
 */
static bool read_window(xmlNodePtr e, struct cu_piecewise *p, size_t i)
{
	char text[2 * CU_HASH_MAX_SIZE + 2];
	uint64_t offset, len, want_offset, want_len;

	cu_piecewise_span(p, i, &want_offset, &want_len);
	copy_prop(e, "offset", text, sizeof(text));
	if (!parse_u64(text, &offset) || offset != want_offset)
		return false;
	copy_prop(e, "length", text, sizeof(text));
	if (!parse_u64(text, &len) || len != want_len)
		return false;
	for (int a = 0; a < CU_HASH_COUNT; a++) {
		copy_prop(e, cu_hash_name(a), text, sizeof(text));
		if (i == 0 && text[0])
			p->have[a] = true;
		if (!p->have[a])
			continue;
		if (!cu_unhex(p->digest[a] + i * cu_hash_size(a), cu_hash_size(a), text))
			return false;
	}
	return true;
}

/* The <hash_windows size count> element's size and count, checked against the media's size. */
static int windows_head(const struct custody_log *log, xmlNodePtr g, xmlNodePtr rec,
                        struct cu_piecewise *out, struct cu_error *err)
{
	static const bool all[CU_HASH_COUNT] = {true, true, true};
	xmlNodePtr m = custody_canon_child(rec, "media_size");
	xmlChar *media = m ? xmlNodeGetContent(m) : NULL;
	char size[32], count[32];
	uint64_t window = 0, n = 0, media_size = 0;
	bool ok = media && parse_u64((const char *)media, &media_size);

	xmlFree(media);
	copy_prop(g, "size", size, sizeof(size));
	copy_prop(g, "count", count, sizeof(count));
	if (!ok || !parse_u64(size, &window) || !parse_u64(count, &n) || window < CU_WINDOW_MIN ||
	    window % 512 || n != cu_piecewise_count(window, media_size) || n > CU_WINDOWS_MAX)
		return cu_error_set(err, CU_EFAIL,
		                    "the custody log %s is broken: its hash windows do not cut its "
		                    "media size into windows",
		                    log->path);
	if (cu_piecewise_init(out, window, media_size, all, err))
		return CU_EFAIL;
	memset(out->have, 0, sizeof(out->have));
	return CU_OK;
}

int custody_record_windows(const struct custody_log *log, struct cu_piecewise *out,
                           struct cu_error *err)
{
	xmlNodePtr rec = first_record(log),
	           g = rec ? custody_canon_child(rec, "hash_windows") : NULL;
	size_t i = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!g)
		return CU_OK;
	if ((rc = windows_head(log, g, rec, out, err)))
		return rc;
	for (xmlNodePtr e = g->children; e; e = e->next) {
		if (e->type != XML_ELEMENT_NODE)
			continue;
		if (i >= out->n || xmlStrcmp(e->name, BAD_CAST "window") || !read_window(e, out, i))
			break;
		i++;
	}
	if (i == out->n && (out->have[CU_HASH_MD5] || out->have[CU_HASH_SHA256] ||
	                    out->have[CU_HASH_SHA1] || !out->n))
		return CU_OK;
	cu_piecewise_free(out);
	return cu_error_set(
	    err, CU_EFAIL,
	    "the custody log %s is broken: hash window %zu of its record is malformed or missing",
	    log->path, i);
}

/* One <segment name size sha256> into `s`; false when it is not one. */
static bool read_segment(xmlNodePtr e, struct custody_segment *s)
{
	char size[32], sha[65], *end, *slash;
	char *name = prop(e, "name");

	copy_prop(e, "size", size, sizeof(size));
	copy_prop(e, "sha256", sha, sizeof(sha));
	memset(s, 0, sizeof(*s));
	if (!name || !size[0]) {
		free(name);
		return false;
	}
	slash = strrchr(name, '/');
	s->name = strdup(slash ? slash + 1 : name);
	free(name);
	s->size = strtoull(size, &end, 10);
	s->have_sha256 = cu_unhex(s->sha256, 32, sha);
	return s->name && !*end;
}

/* The <file>s under `list` into *out (*n of them); CU_EFAIL naming `what` when one is malformed. */
static int read_files(const struct custody_log *log, xmlNodePtr list, const char *what,
                      struct custody_segment **out, size_t *n, struct cu_error *err)
{
	size_t count = 0;

	*out = NULL;
	*n = 0;
	for (xmlNodePtr e = list ? list->children : NULL; e; e = e->next)
		count += e->type == XML_ELEMENT_NODE;
	if (!count)
		return CU_OK;
	if (!(*out = calloc(count, sizeof(**out))))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	for (xmlNodePtr e = list->children; e; e = e->next) {
		if (e->type != XML_ELEMENT_NODE)
			continue;
		if (!read_segment(e, &(*out)[*n])) {
			custody_segments_free(*out, *n + 1);
			*out = NULL;
			*n = 0;
			return cu_error_set(
			    err, CU_EFAIL,
			    "the custody log %s is broken: a %s it records is malformed", log->path,
			    what);
		}
		(*n)++;
	}
	return CU_OK;
}

int custody_parity(const struct custody_log *log, struct custody_parity *out, struct cu_error *err)
{
	xmlNodePtr p = NULL;
	char percent[16], *end;

	memset(out, 0, sizeof(*out));
	for (size_t i = log->n; i-- > 0 && !p;)
		if (log->entries[i].action && !strcmp(log->entries[i].action, "protected"))
			p = custody_canon_child(log->nodes[i], "parity");
	if (!p)
		return CU_OK;
	copy_prop(p, "percent", percent, sizeof(percent));
	copy_prop(p, "format", out->format, sizeof(out->format));
	out->percent = (unsigned)strtoul(percent, &end, 10);
	if (!percent[0] || *end || !out->percent || out->percent > 100 ||
	    (strcmp(out->format, "PAR2") && strcmp(out->format, "RS")))
		return cu_error_set(err, CU_EFAIL,
		                    "the custody log %s is broken: its parity record is malformed",
		                    log->path);
	return read_files(log, p, "parity file", &out->files, &out->n, err);
}

void custody_parity_free(struct custody_parity *p)
{
	custody_segments_free(p->files, p->n);
	memset(p, 0, sizeof(*p));
}

int custody_segments(const struct custody_log *log, struct custody_segment **out, size_t *n,
                     struct cu_error *err)
{
	xmlNodePtr rec = first_record(log),
	           segs = rec ? custody_canon_child(rec, "segments") : NULL;

	return read_files(log, segs, "segment", out, n, err);
}

void custody_segments_free(struct custody_segment *s, size_t n)
{
	for (size_t i = 0; s && i < n; i++)
		free(s[i].name);
	free(s);
}
