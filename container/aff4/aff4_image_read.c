/*
 * aff4_image_read.c - an AFF4 volume opened: what it holds, checked whole
 * before a byte of media is read.
 *
 * The volume's URN comes from the ZIP comment (up to its NUL) and from
 * container.description; when both exist they must agree.  The Turtle is
 * parsed with that URN as ":" and base.  The image is the one subject
 * typed aff4:Image (DiskImage, ContiguousImage, DiscontiguousImage) with an
 * aff4:dataStream, which must be an aff4:Map of this volume.  The map's
 * `map` member (28-byte entries: mappedOffset, length, targetOffset u64,
 * targetID u32, little-endian) and `idx` (a target URI a line) are checked
 * entry by entry; each idx line is a symbolic stream (Zero,
 * SymbolicStreamXX, UnknownData, UnreadableData) or an ImageStream whose
 * bevies are members of this volume, else the set is refused.  A stream's
 * chunk size must be a power of two up to 8 MiB, its bevies `%08d` each with
 * an `.index` of 12 bytes a chunk; its `.blockHash.<alg>` members are
 * noted where every bevy has one of the right size.  The SHA-512 and
 * SHA-256 of map, idx and mapPath (FORMAT.md 5.4) are taken here, so that
 * the members need not be kept.
 */
#include "container/aff4/aff4_image_int.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/input_file.h"
#include "lib/le.h"

#define MAP_ENTRY        28U
#define SECTOR_DEFAULT   512U
#define CHUNK_DEFAULT    32768U
#define PER_BEVY_DEFAULT 2048U

static const char *const bh_names[AFF4_BH_COUNT] = {"md5", "sha1", "sha256", "sha512", "blake2b"};
static const size_t bh_sizes[AFF4_BH_COUNT] = {16, 20, 32, 64, 64};

const char *aff4_bh_name(enum aff4_bh a)
{
	return bh_names[a];
}

size_t aff4_bh_size(enum aff4_bh a)
{
	return bh_sizes[a];
}

uint64_t aff4_bevy_chunks(const struct aff4_in_stream *s, uint64_t b)
{
	uint64_t first = b * s->per_bevy;

	return s->chunks - first < s->per_bevy ? s->chunks - first : s->per_bevy;
}

char *aff4_image_member(const char *uri, const char *suffix)
{
	const char *rest = !strncmp(uri, "aff4://", 7) ? uri + 7 : uri;
	char *name;

	if (asprintf(&name, "%s%s%s", rest == uri ? "" : "aff4%3A%2F%2F", rest, suffix) < 0)
		return NULL;
	return name;
}

static const char *a4(const char *local, char buf[128])
{
	snprintf(buf, 128, AFF4_NS "%s", local);
	return buf;
}

/* ---- the volume's URN and its Turtle ---- */

static int image_volume_urn(struct aff4_image *im, struct cu_error *err)
{
	const char *comment = aff4_zip_read_comment(im->zip);
	uint8_t *desc = NULL;
	size_t len = 0;
	int rc = CU_OK;

	if (aff4_zip_read_find(im->zip, "container.description") &&
	    (rc = aff4_zip_read_load(im->zip, "container.description", 4096, &desc, &len, err)))
		return rc;
	while (desc && len && strchr("\r\n \t", desc[len - 1]))
		desc[--len] = '\0';
	if (desc && strlen((char *)desc) != len)
		rc = cu_error_set(err, CU_EFAIL, "%s: container.description holds a NUL byte",
		                  im->path);
	else if (desc && comment[0] && strcmp((char *)desc, comment))
		rc = cu_error_set(err, CU_EFAIL,
		                  "%s: the ZIP comment and container.description name two "
		                  "different volumes",
		                  im->path);
	else if (!(im->volume = strdup(desc ? (char *)desc : comment)))
		rc = cu_error_set(err, CU_EFAIL, "out of memory");
	else if (strncmp(im->volume, "aff4://", 7) || strlen(im->volume) > 1024 ||
	         strpbrk(im->volume, " <>\"{}|^`\\"))
		rc = cu_error_set(err, CU_EFAIL,
		                  "%s: the volume's URN (ZIP comment, container.description) is "
		                  "missing or not an aff4:// URN",
		                  im->path);
	free(desc);
	return rc;
}

static int image_turtle(struct aff4_image *im, struct cu_error *err)
{
	uint8_t *text;
	size_t len;
	int rc;

	if (!aff4_zip_read_find(im->zip, "information.turtle"))
		return cu_error_set(err, CU_EUSAGE,
		                    "%s: a ZIP archive, but not an AFF4 volume: it has no "
		                    "information.turtle",
		                    im->path);
	if ((rc = image_volume_urn(im, err)))
		return rc;
	if ((rc = aff4_zip_read_load(im->zip, "information.turtle", AFF4_RDF_TEXT_MAX, &text, &len,
	                             err)))
		return rc;
	rc = aff4_rdf_parse(&im->rdf, (const char *)text, len, im->volume, err);
	free(text);
	if (rc)
		cu_error_prefix(err, "%s: ", im->path);
	return rc == CU_EUSAGE ? CU_EFAIL : rc; /* an AFF4 volume, damaged */
}

/* ---- the image and its map ---- */

static bool image_is_image(const struct aff4_rdf *g, const char *s)
{
	static const char *const kinds[] = {"Image", "DiskImage", "ContiguousImage",
	                                    "DiscontiguousImage"};
	char b[128];

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (aff4_rdf_is_a(g, s, a4(kinds[i], b)))
			return true;
	return false;
}

/* The one image, and its map (of this volume). */
static int image_choose(struct aff4_image *im, struct cu_error *err)
{
	const struct aff4_rdf *g = im->rdf;
	char b[128];
	size_t n = aff4_rdf_count(g);
	const char *stored;

	for (size_t i = aff4_rdf_next(g, NULL, a4("dataStream", b), 0); i < n;
	     i = aff4_rdf_next(g, NULL, a4("dataStream", b), i + 1)) {
		const struct aff4_triple *t = aff4_rdf_triple(g, i);

		if (!image_is_image(g, t->s) || t->datatype)
			continue;
		if (im->image && strcmp(im->image, t->s))
			return cu_error_set(err, CU_EUSAGE,
			                    "%s: the volume holds several images (%s, %s); custos "
			                    "reads volumes of one",
			                    im->path, im->image, t->s);
		if (im->image && strcmp(im->map, t->o))
			return cu_error_set(err, CU_EFAIL, "%s: the image has two data streams",
			                    im->path);
		im->image = t->s;
		im->map = t->o;
	}
	if (!im->image)
		return cu_error_set(err, CU_EUSAGE,
		                    "%s: an AFF4 volume without a disk image (no aff4:Image with "
		                    "an aff4:dataStream): a logical or pre-standard container "
		                    "custos does not read",
		                    im->path);
	if (!aff4_rdf_is_a(g, im->map, a4("Map", b)))
		return cu_error_set(err, CU_EUSAGE,
		                    "%s: the image's data stream %s is not an aff4:Map", im->path,
		                    im->map);
	stored = aff4_rdf_object(g, im->map, a4("stored", b));
	if (stored && strcmp(stored, im->volume))
		return cu_error_set(err, CU_EUSAGE,
		                    "%s: the image's map is stored in another volume (%s): a "
		                    "striped or multi-volume AFF4 set, which custos does not read",
		                    im->path, stored);
	return CU_OK;
}

static int image_geometry(struct aff4_image *im, struct cu_error *err)
{
	uint64_t size, image_size, bs = SECTOR_DEFAULT;
	char b[128];

	if (!aff4_rdf_u64(im->rdf, im->map, a4("size", b), &size))
		return cu_error_set(err, CU_EFAIL, "%s: the map states no aff4:size", im->path);
	if (aff4_rdf_u64(im->rdf, im->image, a4("size", b), &image_size) && image_size != size)
		return cu_error_set(err, CU_EFAIL,
		                    "%s: the image's size (%" PRIu64 ") is not its map's (%" PRIu64
		                    ")",
		                    im->path, image_size, size);
	if (aff4_rdf_next(im->rdf, im->image, a4("blockSize", b), 0) < aff4_rdf_count(im->rdf) &&
	    (!aff4_rdf_u64(im->rdf, im->image, b, &bs) || bs == 0 || bs > 65536 || (bs & (bs - 1))))
		return cu_error_set(err, CU_EFAIL,
		                    "%s: aff4:blockSize is not a power of two up to 65536",
		                    im->path);
	im->media_size = size;
	im->sector_size = (uint32_t)bs;
	return CU_OK;
}

/* The linear digests stated on the image. */
static void image_linear(struct aff4_image *im)
{
	static const char *const types[CU_HASH_COUNT] = {"MD5", "SHA1", "SHA256"};
	char b[128], t[128];

	for (size_t i = aff4_rdf_next(im->rdf, im->image, a4("hash", b), 0);
	     i < aff4_rdf_count(im->rdf); i = aff4_rdf_next(im->rdf, im->image, b, i + 1)) {
		const struct aff4_triple *x = aff4_rdf_triple(im->rdf, i);

		for (int a = 0; a < CU_HASH_COUNT && x->datatype; a++)
			if (!strcmp(x->datatype, a4(types[a], t)) &&
			    cu_unhex((uint8_t *)cu_digests_get(&im->linear, a), cu_hash_size(a),
			             x->o))
				im->linear.have[a] = true;
	}
}

/* ---- streams ---- */

static int stream_codec(struct aff4_image *im, struct aff4_in_stream *s, struct cu_error *err)
{
	static const struct {
		const char *uri;
		enum aff4_codec c;
	} known[] = {{"http://code.google.com/p/snappy/", AFF4_CODEC_SNAPPY},
	             {"https://code.google.com/p/snappy/", AFF4_CODEC_SNAPPY},
	             {"https://github.com/google/snappy", AFF4_CODEC_SNAPPY},
	             {"https://code.google.com/p/lz4/", AFF4_CODEC_LZ4},
	             {"http://code.google.com/p/lz4/", AFF4_CODEC_LZ4},
	             {"https://tools.ietf.org/html/rfc1951", AFF4_CODEC_DEFLATE},
	             {"http://tools.ietf.org/html/rfc1951", AFF4_CODEC_DEFLATE},
	             {"https://www.ietf.org/rfc/rfc1950.txt", AFF4_CODEC_ZLIB},
	             {AFF4_NS "NullCompressor", AFF4_CODEC_NONE},
	             {AFF4_NS "compression/stored", AFF4_CODEC_NONE}};
	char b[128];
	const char *m = aff4_rdf_object(im->rdf, s->uri, a4("compressionMethod", b));

	s->codec = AFF4_CODEC_NONE;
	if (!m)
		return CU_OK;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(m, known[i].uri)) {
			s->codec = known[i].c;
			return CU_OK;
		}
	return cu_error_set(err, CU_EUSAGE, "%s: stream %s: compression %s is not one custos reads",
	                    im->path, s->uri, m);
}

static int stream_params(struct aff4_image *im, struct aff4_in_stream *s, struct cu_error *err)
{
	uint64_t cs = CHUNK_DEFAULT, per = PER_BEVY_DEFAULT;
	char b[128];

	if (!aff4_rdf_u64(im->rdf, s->uri, a4("size", b), &s->size))
		return cu_error_set(err, CU_EFAIL, "%s: stream %s states no aff4:size", im->path,
		                    s->uri);
	if ((aff4_rdf_next(im->rdf, s->uri, a4("chunkSize", b), 0) < aff4_rdf_count(im->rdf) &&
	     !aff4_rdf_u64(im->rdf, s->uri, b, &cs)) ||
	    cs < 512 || cs > AFF4_CHUNK_MAX || (cs & (cs - 1)))
		return cu_error_set(err, CU_EFAIL,
		                    "%s: stream %s: aff4:chunkSize is not a power of two from 512 "
		                    "to 8 MiB",
		                    im->path, s->uri);
	if ((aff4_rdf_next(im->rdf, s->uri, a4("chunksInSegment", b), 0) <
	         aff4_rdf_count(im->rdf) &&
	     !aff4_rdf_u64(im->rdf, s->uri, b, &per)) ||
	    per == 0 || per > AFF4_PER_BEVY_MAX)
		return cu_error_set(err, CU_EFAIL,
		                    "%s: stream %s: aff4:chunksInSegment is not from 1 to %u",
		                    im->path, s->uri, AFF4_PER_BEVY_MAX);
	s->chunk_size = (uint32_t)cs;
	s->per_bevy = (uint32_t)per;
	s->chunks = s->size / cs + (s->size % cs != 0);
	s->bevies = s->chunks / per + (s->chunks % per != 0);
	if (s->bevies > AFF4_ZIP_MEMBERS_MAX)
		return cu_error_set(err, CU_EFAIL, "%s: stream %s: more bevies than a volume holds",
		                    im->path, s->uri);
	return stream_codec(im, s, err);
}

/* Bevy `b`'s data and index: present, stored, the index of 12 bytes a chunk. */
static int stream_bevy(struct aff4_image *im, const struct aff4_in_stream *s, uint64_t b,
                       struct cu_error *err)
{
	char suffix[48];
	char *data, *index;
	uint64_t off, size;
	int rc;

	snprintf(suffix, sizeof(suffix), "/%08" PRIu64, b);
	data = aff4_image_member(s->uri, suffix);
	snprintf(suffix, sizeof(suffix), "/%08" PRIu64 ".index", b);
	index = aff4_image_member(s->uri, suffix);
	if (!data || !index)
		rc = cu_error_set(err, CU_EFAIL, "out of memory");
	else if (!(rc = aff4_zip_read_stored(im->zip, data, &off, &size, err)) &&
	         !(rc = aff4_zip_read_stored(im->zip, index, &off, &size, err)) &&
	         size != 12 * aff4_bevy_chunks(s, b))
		rc = cu_error_set(err, CU_EFAIL,
		                  "AFF4 volume: the index %s holds %" PRIu64
		                  " bytes, not 12 for each of its %" PRIu64 " chunks",
		                  index, size, aff4_bevy_chunks(s, b));
	free(data);
	free(index);
	if (rc)
		cu_error_prefix(err, "%s: ", im->path);
	return rc;
}

/* Which block-hash algorithms every bevy has a member of, of the right size. */
static int stream_block_hashes(struct aff4_image *im, struct aff4_in_stream *s,
                               struct cu_error *err)
{
	char suffix[64];

	for (int a = 0; a < AFF4_BH_COUNT; a++) {
		size_t found = 0;

		for (uint64_t b = 0; b < s->bevies; b++) {
			const struct aff4_zip_entry *m;
			char *name;

			snprintf(suffix, sizeof(suffix), "/%08" PRIu64 ".blockHash.%s", b,
			         bh_names[a]);
			if (!(name = aff4_image_member(s->uri, suffix)))
				return cu_error_set(err, CU_EFAIL, "out of memory");
			m = aff4_zip_read_find(im->zip, name);
			free(name);
			found +=
			    m && m->method == 0 && m->size == bh_sizes[a] * aff4_bevy_chunks(s, b);
		}
		s->bh[a] = s->bevies && found == s->bevies;
		s->bh_partial[a] = found && found != s->bevies;
	}
	return CU_OK;
}

/* The ImageStream `uri` of this volume, as the map's target `t`. */
static int image_stream(struct aff4_image *im, const char *uri, struct aff4_target *t,
                        struct cu_error *err)
{
	struct aff4_in_stream *s;
	char b[128];
	const char *stored = aff4_rdf_object(im->rdf, uri, a4("stored", b));
	int rc;

	for (size_t i = 0; i < im->n_streams; i++)
		if (!strcmp(im->streams[i].uri, uri)) {
			*t = (struct aff4_target){.kind = AFF4_TARGET_STREAM, .stream = i};
			return CU_OK;
		}
	if (stored && strcmp(stored, im->volume))
		return cu_error_set(err, CU_EUSAGE,
		                    "%s: the stream %s is stored in another volume (%s): a striped "
		                    "or multi-volume AFF4 set, which custos does not read",
		                    im->path, uri, stored);
	s = &im->streams[im->n_streams];
	*s = (struct aff4_in_stream){.uri = uri};
	if (!(s->name = aff4_image_member(uri, "")))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	im->n_streams++;
	if ((rc = stream_params(im, s, err)))
		return rc;
	for (uint64_t bevy = 0; bevy < s->bevies; bevy++)
		if ((rc = stream_bevy(im, s, bevy, err)))
			return rc;
	*t = (struct aff4_target){.kind = AFF4_TARGET_STREAM, .stream = im->n_streams - 1};
	return stream_block_hashes(im, s, err);
}

/* A symbolic stream's bytes; false when `uri` is none. */
static bool image_symbolic(const char *uri, struct aff4_target *t)
{
	size_t ns = strlen(AFF4_NS);
	const char *local = uri + ns;
	uint8_t byte;

	if (strncmp(uri, AFF4_NS, ns))
		return false;
	if (!strcmp(local, "Zero")) {
		*t = (struct aff4_target){.kind = AFF4_TARGET_BYTE, .byte = 0};
	} else if (!strcmp(local, "UnknownData")) {
		*t = (struct aff4_target){
		    .kind = AFF4_TARGET_REPEAT, .pattern = "UNKNOWN", .plen = 7};
	} else if (!strcmp(local, "UnreadableData")) {
		*t = (struct aff4_target){
		    .kind = AFF4_TARGET_REPEAT, .pattern = "UNREADABLEDATA", .plen = 14};
	} else if (!strncmp(local, "SymbolicStream", 14) && strlen(local) == 16 &&
	           cu_unhex(&byte, 1, local + 14)) {
		*t = (struct aff4_target){.kind = AFF4_TARGET_BYTE, .byte = byte};
	} else {
		return false;
	}
	return true;
}

/* URIs of streams live in the graph; a stream keeps the graph's copy. */
static const char *image_graph_uri(const struct aff4_image *im, const char *uri)
{
	for (size_t i = 0; i < aff4_rdf_count(im->rdf); i++)
		if (!strcmp(aff4_rdf_triple(im->rdf, i)->s, uri))
			return aff4_rdf_triple(im->rdf, i)->s;
	return NULL;
}

static int image_target(struct aff4_image *im, const char *uri, struct aff4_target *t,
                        struct cu_error *err)
{
	char b[128];

	if (image_symbolic(uri, t))
		return CU_OK;
	if (aff4_rdf_is_a(im->rdf, uri, a4("ImageStream", b)))
		return image_stream(im, image_graph_uri(im, uri), t, err);
	return cu_error_set(err, CU_EUSAGE,
	                    "%s: the map points to %s, neither a symbolic stream nor an "
	                    "ImageStream this volume describes (a striped or multi-volume set?)",
	                    im->path, uri);
}

/* idx: one target URI a line, each ended by LF. */
static int image_idx(struct aff4_image *im, char *idx, size_t len, struct cu_error *err)
{
	char *line = idx;
	int rc;

	if (strlen(idx) != len)
		return cu_error_set(err, CU_EFAIL, "%s: the map's idx holds a NUL byte", im->path);
	if (!(im->streams = calloc(AFF4_TARGETS_MAX, sizeof(*im->streams))))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	while (*line) {
		char *end = strchr(line, '\n'), *uri;

		if (end)
			*end = '\0';
		if (im->n_targets == AFF4_TARGETS_MAX)
			return cu_error_set(err, CU_EFAIL,
			                    "%s: the map's idx names over %u targets", im->path,
			                    AFF4_TARGETS_MAX);
		uri = strdup(line);
		if (!uri)
			return cu_error_set(err, CU_EFAIL, "out of memory");
		rc = image_target(im, uri, &im->targets[im->n_targets], err);
		free(uri);
		if (rc)
			return rc;
		im->n_targets++;
		line = end ? end + 1 : line + strlen(line);
	}
	return CU_OK;
}

/* The map's entries: sorted, no overlap, within the map, targets and streams. */
static int image_runs(struct aff4_image *im, const uint8_t *map, size_t len, struct cu_error *err)
{
	uint64_t end = 0;

	if (len % MAP_ENTRY)
		return cu_error_set(err, CU_EFAIL, "%s: the map member is not of 28-byte entries",
		                    im->path);
	im->n_runs = len / MAP_ENTRY;
	if (!(im->runs = calloc(im->n_runs ? im->n_runs : 1, sizeof(*im->runs))))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	for (size_t i = 0; i < im->n_runs; i++) {
		const uint8_t *e = map + i * MAP_ENTRY;
		struct aff4_run r = {cu_le64_get(e), cu_le64_get(e + 8), cu_le64_get(e + 16),
		                     cu_le32_get(e + 24)};
		const struct aff4_target *t =
		    r.target < im->n_targets ? &im->targets[r.target] : NULL;

		if (r.len == 0 || r.media < end || r.media > im->media_size ||
		    r.len > im->media_size - r.media)
			return cu_error_set(
			    err, CU_EFAIL,
			    "%s: map entry %zu is empty, out of order, overlaps the "
			    "one before, or runs past the map's size",
			    im->path, i);
		if (!t || (t->kind == AFF4_TARGET_STREAM &&
		           (r.toff > im->streams[t->stream].size ||
		            r.len > im->streams[t->stream].size - r.toff)))
			return cu_error_set(
			    err, CU_EFAIL,
			    "%s: map entry %zu points to no target, or past the end "
			    "of its stream",
			    im->path, i);
		im->runs[i] = r;
		end = r.media + r.len;
	}
	return CU_OK;
}

static int image_sha(const uint8_t *a, size_t na, const uint8_t *b, size_t nb, const uint8_t *c,
                     size_t nc, const EVP_MD *md, uint8_t *out)
{
	EVP_MD_CTX *x = EVP_MD_CTX_new();
	int ok = x && EVP_DigestInit_ex(x, md, NULL) == 1 && EVP_DigestUpdate(x, a, na) == 1 &&
	         EVP_DigestUpdate(x, b, nb) == 1 && EVP_DigestUpdate(x, c, nc) == 1 &&
	         EVP_DigestFinal_ex(x, out, NULL) == 1;

	EVP_MD_CTX_free(x);
	return ok ? CU_OK : CU_EFAIL;
}

/* The map's hashes (FORMAT.md 5.4) by SHA-512 and SHA-256. */
static int image_map_sums(struct aff4_image *im, const uint8_t *map, size_t nm, const uint8_t *idx,
                          size_t ni, const uint8_t *path, size_t np, struct cu_error *err)
{
	struct aff4_map_sums *s = &im->sums;
	int rc = 0;

	s->has_path = path != NULL;
	rc |= image_sha(map, nm, NULL, 0, NULL, 0, EVP_sha512(), s->h512[0]);
	rc |= image_sha(idx, ni, NULL, 0, NULL, 0, EVP_sha512(), s->h512[1]);
	rc |= image_sha(path, np, NULL, 0, NULL, 0, EVP_sha512(), s->h512[2]);
	rc |= image_sha(map, nm, idx, ni, path, np, EVP_sha512(), s->h512[3]);
	rc |= image_sha(map, nm, NULL, 0, NULL, 0, EVP_sha256(), s->h256[0]);
	rc |= image_sha(idx, ni, NULL, 0, NULL, 0, EVP_sha256(), s->h256[1]);
	rc |= image_sha(path, np, NULL, 0, NULL, 0, EVP_sha256(), s->h256[2]);
	rc |= image_sha(map, nm, idx, ni, path, np, EVP_sha256(), s->h256[3]);
	return rc ? cu_error_set(err, CU_EFAIL, "the map's hashes cannot be computed") : CU_OK;
}

static int image_load_member(struct aff4_image *im, const char *suffix, size_t cap, bool optional,
                             uint8_t **data, size_t *len, struct cu_error *err)
{
	char *name = aff4_image_member(im->map, suffix);
	int rc;

	*data = NULL;
	*len = 0;
	if (!name)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	if (optional && !aff4_zip_read_find(im->zip, name))
		rc = CU_OK;
	else if ((rc = aff4_zip_read_load(im->zip, name, cap, data, len, err)))
		cu_error_prefix(err, "%s: ", im->path);
	free(name);
	return rc;
}

static int image_map(struct aff4_image *im, struct cu_error *err)
{
	uint8_t *map = NULL, *idx = NULL, *path = NULL;
	size_t nm, ni, np;
	char b[128];
	const char *gap;
	int rc = image_load_member(im, "/map", AFF4_MAP_MEMBER_MAX, false, &map, &nm, err);

	if (!rc)
		rc = image_load_member(im, "/idx", AFF4_IDX_MAX, false, &idx, &ni, err);
	if (!rc)
		rc = image_load_member(im, "/mapPath", AFF4_MAPPATH_MAX, true, &path, &np, err);
	if (!rc)
		rc = image_map_sums(im, map, nm, idx, ni, path, np, err);
	if (!rc)
		rc = image_idx(im, (char *)idx, ni, err);
	if (!rc)
		rc = image_runs(im, map, nm, err);
	gap = aff4_rdf_object(im->rdf, im->map, a4("mapGapDefaultStream", b));
	if (!rc && !image_symbolic(gap ? gap : AFF4_NS "Zero", &im->gap))
		rc = cu_error_set(err, CU_EFAIL,
		                  "%s: the map's gap stream %s is not a symbolic stream", im->path,
		                  gap);
	free(map);
	free(idx);
	free(path);
	return rc;
}

/* ---- open, close, and what the image says ---- */

static int image_file(struct aff4_image *im, const char *path, struct cu_error *err)
{
	struct stat st;
	int rc;

	if (!(im->path = strdup(path)))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	if ((rc = cu_input_open(path, "the AFF4 volume", &im->fd, err)))
		return rc;
	if (fstat(im->fd, &st) != 0)
		return cu_error_errno(err, CU_EFAIL, errno, "%s", path);
	if ((rc = aff4_zip_read_open(&im->zip, im->fd, (uint64_t)st.st_size, err))) {
		cu_error_prefix(err, "%s: ", path);
		return rc == CU_EUSAGE ? CU_EFAIL : rc; /* it began as a ZIP: damaged */
	}
	return CU_OK;
}

int aff4_image_open(struct aff4_image **out, const char *path, struct cu_error *err)
{
	struct aff4_image *im = calloc(1, sizeof(*im));
	int rc;

	if (!im)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	im->fd = -1;
	rc = image_file(im, path, err);
	if (!rc)
		rc = image_turtle(im, err);
	if (!rc)
		rc = image_choose(im, err);
	if (!rc)
		rc = image_geometry(im, err);
	if (!rc)
		rc = image_map(im, err);
	if (rc) {
		aff4_image_close(im);
		return rc;
	}
	image_linear(im);
	*out = im;
	return CU_OK;
}

void aff4_image_close(struct aff4_image *im)
{
	if (!im)
		return;
	for (size_t i = 0; im->streams && i < im->n_streams; i++)
		free(im->streams[i].name);
	free(im->streams);
	free(im->runs);
	aff4_rdf_free(im->rdf);
	aff4_zip_read_free(im->zip);
	if (im->fd >= 0)
		close(im->fd);
	free(im->volume);
	free(im->path);
	free(im);
}

const char *aff4_image_path(const struct aff4_image *im)
{
	return im->path;
}

uint64_t aff4_image_media_size(const struct aff4_image *im)
{
	return im->media_size;
}

uint32_t aff4_image_sector_size(const struct aff4_image *im)
{
	return im->sector_size;
}

uint32_t aff4_image_chunk_size(const struct aff4_image *im)
{
	return im->n_streams ? im->streams[0].chunk_size : CHUNK_DEFAULT;
}

const char *aff4_image_compression(const struct aff4_image *im)
{
	static const char *const names[] = {"none", "snappy", "lz4", "deflate", "zlib"};

	return im->n_streams ? names[im->streams[0].codec] : "none";
}

const struct cu_digests *aff4_image_linear(const struct aff4_image *im)
{
	return &im->linear;
}

int aff4_image_unreadable(const struct aff4_image *im, struct cu_ranges *out, struct cu_error *err)
{
	uint64_t bps = im->sector_size;
	int rc = CU_OK;

	for (size_t i = 0; i < im->n_runs && !rc; i++) {
		const struct aff4_run *r = &im->runs[i];
		const struct aff4_target *t = &im->targets[r->target];
		uint64_t first = r->media / bps, last = (r->media + r->len - 1) / bps + 1;

		if (t->kind != AFF4_TARGET_REPEAT || t->plen != 14)
			continue;
		rc = cu_ranges_extend(out, first, last - first, err);
	}
	return rc;
}

const char *aff4_image_value(const struct aff4_image *im, const char *klass, const char *property)
{
	char p[128], k[128];
	size_t n = aff4_rdf_count(im->rdf);

	a4(property, p);
	a4(klass, k);
	if (!strcmp(klass, "Image"))
		return aff4_rdf_object(im->rdf, im->image, p);
	for (size_t i = aff4_rdf_next(im->rdf, NULL, p, 0); i < n;
	     i = aff4_rdf_next(im->rdf, NULL, p, i + 1)) {
		const struct aff4_triple *t = aff4_rdf_triple(im->rdf, i);

		if (aff4_rdf_is_a(im->rdf, t->s, k))
			return t->o;
	}
	return NULL;
}
