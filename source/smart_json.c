/*
 * smart_json.c - smartctl's JSON (smartmontools' documented format,
 * "json_format_version" 1) into the few facts an acquisition records.
 *
 * json-c parses, bounded in size and depth, and must consume the whole
 * input.  Every value is then taken only when it has the type the format
 * gives it: a count that is negative or not an integer, or a string that
 * is not text XML can hold, is left out, not guessed at.  The verdict is
 * smart_status.passed; the counters are the ATA attributes 5 (reallocated
 * sectors), 197 (pending) and 198 (offline uncorrectable) by their raw
 * values, NVMe's media errors, SCSI's grown defect list, the power-on hours
 * and the current temperature.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "lib/text.h"
#include "source/smart.h"

#define SMART_JSON_DEPTH 32

/* o[key] when o is an object and the value has type t; else NULL. */
static struct json_object *member(struct json_object *o, const char *key, enum json_type t)
{
	struct json_object *v = NULL;

	if (!o || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, t))
		return NULL;
	return v;
}

static void take_count(struct json_object *v, struct smart_count *c)
{
	int64_t x;

	if (!v || !json_object_is_type(v, json_type_int) || c->have)
		return;
	if ((x = json_object_get_int64(v)) >= 0) {
		c->have = true;
		c->value = x;
	}
}

static void take_text(struct json_object *v, char *out, size_t cap)
{
	const char *s =
	    v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
	struct cu_error ignored;

	out[0] = '\0';
	if (s && strlen(s) < cap && !cu_text_check_xml("smartctl", s, false, &ignored))
		memcpy(out, s, strlen(s) + 1);
}

/* smartctl's first message of severity "error", as the reason. */
static void take_reason(struct json_object *smartctl, struct smart_state *out)
{
	struct json_object *msgs = member(smartctl, "messages", json_type_array);
	size_t n = msgs ? json_object_array_length(msgs) : 0;

	for (size_t i = 0; i < n && i < 64 && !out->reason[0]; i++) {
		struct json_object *m = json_object_array_get_idx(msgs, i);
		struct json_object *sev = member(m, "severity", json_type_string);

		if (sev && !strcmp(json_object_get_string(sev), "error"))
			take_text(member(m, "string", json_type_string), out->reason,
			          sizeof(out->reason));
	}
}

/* ATA attributes 5, 197 and 198, by their raw values. */
static void take_ata(struct json_object *root, struct smart_state *out)
{
	struct json_object *table = member(member(root, "ata_smart_attributes", json_type_object),
	                                   "table", json_type_array);
	size_t n = table ? json_object_array_length(table) : 0;

	for (size_t i = 0; i < n && i < 256; i++) {
		struct json_object *a = json_object_array_get_idx(table, i);
		struct json_object *id = member(a, "id", json_type_int);
		struct json_object *raw =
		    member(member(a, "raw", json_type_object), "value", json_type_int);
		int64_t which = id ? json_object_get_int64(id) : -1;

		if (which == 5)
			take_count(raw, &out->reallocated);
		else if (which == 197)
			take_count(raw, &out->pending);
		else if (which == 198)
			take_count(raw, &out->offline_uncorrectable);
	}
}

static void take_facts(struct json_object *root, struct smart_state *out)
{
	struct json_object *nvme =
	    member(root, "nvme_smart_health_information_log", json_type_object);
	struct json_object *temp =
	    member(member(root, "temperature", json_type_object), "current", json_type_int);

	take_text(member(member(root, "device", json_type_object), "protocol", json_type_string),
	          out->protocol, sizeof(out->protocol));
	take_text(member(root, "model_name", json_type_string), out->model, sizeof(out->model));
	take_text(member(root, "serial_number", json_type_string), out->serial,
	          sizeof(out->serial));
	take_count(member(member(root, "power_on_time", json_type_object), "hours", json_type_int),
	           &out->power_on_hours);
	take_count(member(nvme, "power_on_hours", json_type_int), &out->power_on_hours);
	take_count(member(nvme, "media_errors", json_type_int), &out->media_errors);
	take_count(member(root, "scsi_grown_defect_list", json_type_int), &out->reallocated);
	take_ata(root, out);
	if (temp && json_object_get_int64(temp) > -274 && json_object_get_int64(temp) < 1000) {
		out->temperature.have = true;
		out->temperature.value = json_object_get_int64(temp);
	}
}

/* The verdict, or why there is none. */
static void take_verdict(struct json_object *root, struct json_object *smartctl,
                         struct smart_state *out)
{
	struct json_object *passed =
	    member(member(root, "smart_status", json_type_object), "passed", json_type_boolean);

	take_reason(smartctl, out);
	if (passed) {
		out->available = true;
		snprintf(out->health, sizeof(out->health), "%s",
		         json_object_get_boolean(passed) ? "PASSED" : "FAILED");
		return;
	}
	if (!out->reason[0])
		snprintf(out->reason, sizeof(out->reason),
		         "the drive reports no SMART health verdict");
}

/* Whole input consumed, but for white space. */
static bool parsed_whole(struct json_tokener *tok, const char *json, size_t len)
{
	for (size_t i = json_tokener_get_parse_end(tok); i < len; i++)
		if (!strchr(" \t\r\n", json[i]))
			return false;
	return true;
}

int smart_parse(const char *json, size_t len, struct smart_state *out, struct cu_error *err)
{
	struct json_tokener *tok = json_tokener_new_ex(SMART_JSON_DEPTH);
	struct json_object *root = NULL, *smartctl = NULL, *status;
	int rc = CU_OK;

	memset(out, 0, sizeof(*out));
	out->exit_status = -1;
	if (!tok)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	if (len > SMART_JSON_MAX || len > (size_t)INT32_MAX)
		rc = cu_error_set(err, CU_EFAIL, "smartctl printed more than %u bytes",
		                  SMART_JSON_MAX);
	else if (!(root = json_tokener_parse_ex(tok, json, (int)len)) ||
	         json_tokener_get_error(tok) != json_tokener_success ||
	         !parsed_whole(tok, json, len))
		rc = cu_error_set(err, CU_EFAIL, "smartctl printed what is not one JSON value");
	else if (!(smartctl = member(root, "smartctl", json_type_object)))
		rc =
		    cu_error_set(err, CU_EFAIL, "smartctl printed JSON without its smartctl block");
	if (!rc) {
		if ((status = member(smartctl, "exit_status", json_type_int)))
			out->exit_status = (int)(json_object_get_int64(status) & 0xff);
		take_verdict(root, smartctl, out);
		take_facts(root, out);
	}
	json_object_put(root);
	json_tokener_free(tok);
	return rc;
}
