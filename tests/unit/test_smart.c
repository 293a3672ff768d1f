/*
 * test_smart.c - source/smart against smartctl's JSON as smartctl 7.3
 * prints it (tests/data/smart: an ATA disk before and after a read that
 * left sectors pending, a failing one, an NVMe SSD, a USB bridge that does
 * not pass SMART): each fact read exactly, the advice that follows from
 * it, and hostile JSON (not JSON, something after it, nested past the
 * bound, values of the wrong type, text XML cannot hold) refused or left
 * out, never guessed at.  Then smartctl itself run: a missing tool and one
 * that prints nothing are readings without SMART and their reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source/smart.h"
#include "tests/check_run.h"

/* A fixture of tests/data/smart, parsed. */
static struct smart_state fixture(const char *name)
{
	char path[4096], *text;
	struct smart_state s;
	struct cu_error err = {0};
	FILE *f;
	long len;

	snprintf(path, sizeof(path), "%s/smart/%s", CUSTOS_TEST_DATA, name);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	rewind(f);
	text = malloc((size_t)len);
	ck_assert_int_eq(fread(text, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	ck_assert_msg(smart_parse(text, (size_t)len, &s, &err) == CU_OK, "%s: %s", name, err.msg);
	free(text);
	return s;
}

static int parse_text(const char *json, struct smart_state *s)
{
	struct cu_error err = {0};

	return smart_parse(json, strlen(json), s, &err);
}

START_TEST(test_smart_ata)
{
	struct smart_state s = fixture("ata.json");

	ck_assert(s.available);
	ck_assert_str_eq(s.health, "PASSED");
	ck_assert_str_eq(s.protocol, "ATA");
	ck_assert_str_eq(s.model, "ST1000DM010-2EP102");
	ck_assert_str_eq(s.serial, "Z9A1B2C3");
	ck_assert_int_eq(s.exit_status, 0);
	ck_assert(s.power_on_hours.have && s.power_on_hours.value == 36055);
	ck_assert(s.reallocated.have && s.reallocated.value == 8);
	ck_assert(s.pending.have && s.pending.value == 0);
	ck_assert(s.offline_uncorrectable.have && s.offline_uncorrectable.value == 0);
	ck_assert(s.temperature.have && s.temperature.value == 36);
	ck_assert(!s.media_errors.have);
}
END_TEST

START_TEST(test_smart_nvme_and_bridge)
{
	struct smart_state n = fixture("nvme.json"), u = fixture("usb_bridge.json");

	ck_assert(n.available);
	ck_assert_str_eq(n.health, "PASSED");
	ck_assert_str_eq(n.protocol, "NVMe");
	ck_assert(n.power_on_hours.have && n.power_on_hours.value == 4321);
	ck_assert(n.media_errors.have && n.media_errors.value == 0);
	ck_assert(n.temperature.have && n.temperature.value == 38);
	ck_assert(!n.pending.have && !n.reallocated.have);
	ck_assert(!u.available);
	ck_assert_str_eq(u.health, "");
	ck_assert_str_eq(u.reason, "/dev/sdc: Unknown USB bridge [0x152d:0x0578 (0x214)]");
	ck_assert_int_eq(u.exit_status, 1);
}
END_TEST

START_TEST(test_smart_advice)
{
	struct smart_reading ok = {.asked = true, .state = fixture("ata.json")};
	struct smart_reading after = {.asked = true, .state = fixture("ata_after.json")};
	struct smart_reading failing = {.asked = true, .state = fixture("ata_failing.json")};
	struct smart_reading bridge = {.asked = true, .state = fixture("usb_bridge.json")};
	char buf[256];
	const char *line;

	ck_assert_str_eq(failing.state.health, "FAILED");
	ck_assert_ptr_null(smart_advice(&ok, NULL, buf, sizeof(buf)));
	ck_assert_ptr_null(smart_advice(&ok, &ok, buf, sizeof(buf)));
	ck_assert_ptr_null(smart_advice(&bridge, NULL, buf, sizeof(buf)));
	line = smart_advice(&failing, NULL, buf, sizeof(buf));
	ck_assert_ptr_nonnull(line);
	ck_assert_ptr_nonnull(strstr(line, "FAILED"));
	ck_assert_ptr_nonnull(strstr(line, "--rescue"));
	line = smart_advice(&ok, &after, buf, sizeof(buf));
	ck_assert_ptr_nonnull(line);
	ck_assert_ptr_nonnull(strstr(line, "rose from 0 to 24"));
	line = smart_advice(&after, NULL, buf, sizeof(buf)); /* PASSED, but 24 pending */
	ck_assert_ptr_nonnull(line);
	ck_assert_ptr_nonnull(strstr(line, "24 sectors pending"));
}
END_TEST

START_TEST(test_smart_hostile)
{
	char deep[400];
	struct smart_state s;

	ck_assert_int_eq(parse_text("", &s), CU_EFAIL);
	ck_assert_int_eq(parse_text("not json", &s), CU_EFAIL);
	ck_assert_int_eq(parse_text("[1, 2]", &s), CU_EFAIL);
	ck_assert_int_eq(parse_text("{\"smartctl\": {}} trailing", &s), CU_EFAIL);
	ck_assert_int_eq(parse_text("{\"smartctl\": {}", &s), CU_EFAIL);
	memset(deep, '[', 200);
	memset(deep + 200, ']', 199);
	deep[399] = '\0';
	ck_assert_int_eq(parse_text(deep, &s), CU_EFAIL);
	/* a smartctl block, but nothing of the wrong type taken */
	ck_assert_int_eq(
	    parse_text("{\"smartctl\": {\"exit_status\": 4}, \"smart_status\": "
	               "{\"passed\": \"yes\"}, \"power_on_time\": {\"hours\": -5}, "
	               "\"model_name\": \"bell\\u0007\", \"serial_number\": 42, "
	               "\"temperature\": {\"current\": 100000}, "
	               "\"ata_smart_attributes\": {\"table\": [{\"id\": 197, \"raw\": "
	               "{\"value\": 1.5}}, {\"id\": \"5\", \"raw\": {\"value\": 3}}]}}",
	               &s),
	    CU_OK);
	ck_assert(!s.available);
	ck_assert_str_eq(s.reason, "the drive reports no SMART health verdict");
	ck_assert_int_eq(s.exit_status, 4);
	ck_assert(!s.power_on_hours.have && !s.temperature.have && !s.pending.have &&
	          !s.reallocated.have);
	ck_assert_str_eq(s.model, "");
	ck_assert_str_eq(s.serial, "");
	ck_assert_int_eq(parse_text("{\"smartctl\": {}, \"device\": {\"protocol\": "
	                            "\"\\u202eATA\"}, \"smart_status\": {\"passed\": false}}",
	                            &s),
	                 CU_OK);
	ck_assert(s.available);
	ck_assert_str_eq(s.health, "FAILED");
	ck_assert_str_eq(s.protocol, ""); /* a bidirectional control: left out */
}
END_TEST

START_TEST(test_smart_run)
{
	struct smart_reading r;

	smart_read("custos-no-such-smartctl", "/dev/null", &r);
	ck_assert(r.asked && !r.state.available);
	ck_assert_msg(strstr(r.state.reason, "not installed") != NULL, "%s", r.state.reason);
	smart_reading_free(&r);
	smart_read("true", "/dev/null", &r); /* prints nothing */
	ck_assert(r.asked && !r.state.available);
	ck_assert_msg(strstr(r.state.reason, "not one JSON value") != NULL, "%s", r.state.reason);
	ck_assert(r.json == NULL && r.json_len == 0);
	smart_reading_free(&r);
}
END_TEST

int main(void)
{
	TCase *tc = tcase_create("smart");

	tcase_add_test(tc, test_smart_ata);
	tcase_add_test(tc, test_smart_nvme_and_bridge);
	tcase_add_test(tc, test_smart_advice);
	tcase_add_test(tc, test_smart_hostile);
	tcase_add_test(tc, test_smart_run);
	return check_run("smart", tc);
}
