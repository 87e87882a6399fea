// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Sizes as typed (knmt config set), durations as typed (knmt sockets
 * --min-age) and sizes / durations as shown.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "units.h"

static uint64_t parse_ok(const char *s)
{
	uint64_t v = 12345;

	assert_int_equal(units_parse_size(s, &v), 0);
	return v;
}

static void parse_fails(const char *s, int err)
{
	uint64_t v = 12345;

	assert_int_equal(units_parse_size(s, &v), err);
	assert_int_equal(v, 12345);	/* untouched */
}

static void test_parse_sizes(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("0"), 0);
	assert_int_equal(parse_ok("131072"), 131072);
	assert_int_equal(parse_ok("4096B"), 4096);
	assert_int_equal(parse_ok("128K"), 131072);
	assert_int_equal(parse_ok("128k"), 131072);
	assert_int_equal(parse_ok("128KB"), 131072);
	assert_int_equal(parse_ok("128KiB"), 131072);
	assert_int_equal(parse_ok("128kib"), 131072);
	assert_int_equal(parse_ok("1M"), 1048576);
	assert_int_equal(parse_ok("1MiB"), 1048576);
	assert_int_equal(parse_ok("1G"), 1073741824);
	assert_int_equal(parse_ok("2GiB"), UINT64_C(2147483648));
	assert_true(parse_ok("1T") == UINT64_C(1) << 40);
	assert_true(parse_ok("1E") == UINT64_C(1) << 60);
	assert_true(parse_ok("18446744073709551615") == UINT64_MAX);
}

static void test_parse_rejects(void **state)
{
	(void)state;
	parse_fails("12x", -EINVAL);
	parse_fails("", -EINVAL);
	parse_fails("K", -EINVAL);
	parse_fails("-1", -EINVAL);
	parse_fails("+1", -EINVAL);
	parse_fails(" 1", -EINVAL);
	parse_fails("1 K", -EINVAL);
	parse_fails("1.5M", -EINVAL);
	parse_fails("1KK", -EINVAL);
	parse_fails("1Kx", -EINVAL);
	parse_fails("1iB", -EINVAL);
	parse_fails("0x10", -EINVAL);
	parse_fails(NULL, -EINVAL);
}

static void test_parse_overflow(void **state)
{
	(void)state;
	parse_fails("18446744073709551616", -ERANGE);
	parse_fails("99999999999999999999999", -ERANGE);
	parse_fails("16E", -ERANGE);
	parse_fails("17179869184G", -ERANGE);	/* 2^34 GiB = 2^64 */
	assert_true(parse_ok("17179869183G") == (UINT64_C(17179869183) << 30));
}

#define SEC	UINT64_C(1000000000)

static uint64_t duration_ok(const char *s)
{
	uint64_t v = 12345;

	assert_int_equal(units_parse_duration(s, &v), 0);
	return v;
}

static void duration_fails(const char *s, int err)
{
	uint64_t v = 12345;

	assert_int_equal(units_parse_duration(s, &v), err);
	assert_int_equal(v, 12345);	/* untouched */
}

static void test_parse_durations(void **state)
{
	(void)state;
	assert_true(duration_ok("0") == 0);
	assert_true(duration_ok("30") == 30 * SEC);
	assert_true(duration_ok("30s") == 30 * SEC);
	assert_true(duration_ok("500ms") == SEC / 2);
	assert_true(duration_ok("5m") == 300 * SEC);
	assert_true(duration_ok("1h") == 3600 * SEC);
	assert_true(duration_ok("2h30m") == 9000 * SEC);
	assert_true(duration_ok("1d12h") == 129600 * SEC);
	assert_true(duration_ok("1m30s250ms") == 90 * SEC + SEC / 4);
	assert_true(duration_ok("7us") == 7000);
	assert_true(duration_ok("7ns") == 7);
	assert_true(duration_ok("0s") == 0);
	/* 2^64 - 1 ns, about 584 years */
	assert_true(duration_ok("18446744073709551615ns") == UINT64_MAX);
	assert_true(duration_ok("213503d") == UINT64_C(213503) * 86400 * SEC);
}

static void test_parse_durations_rejects(void **state)
{
	(void)state;
	duration_fails(NULL, -EINVAL);
	duration_fails("", -EINVAL);
	duration_fails("-5s", -EINVAL);
	duration_fails("+5s", -EINVAL);
	duration_fails(" 5s", -EINVAL);
	duration_fails("5s ", -EINVAL);
	duration_fails("5 s", -EINVAL);
	duration_fails("1.5s", -EINVAL);
	duration_fails("s", -EINVAL);
	duration_fails("5x", -EINVAL);
	duration_fails("5S", -EINVAL);
	duration_fails("5sec", -EINVAL);
	duration_fails("5m5m", -EINVAL);	/* repeated */
	duration_fails("30m2h", -EINVAL);	/* out of order */
	duration_fails("2h30", -EINVAL);	/* a bare number after a unit */
	duration_fails("abc", -EINVAL);
	duration_fails("18446744073709551616ns", -ERANGE);
	duration_fails("18446744074s", -ERANGE);
	duration_fails("213504d", -ERANGE);
	duration_fails("213503d23h59m59s", -ERANGE);
}

static void check_bytes(uint64_t v, const char *want)
{
	char buf[32];

	assert_string_equal(units_format_bytes(v, buf, sizeof(buf)), want);
}

static void test_format_bytes(void **state)
{
	(void)state;
	check_bytes(0, "0 B");
	check_bytes(1023, "1023 B");
	check_bytes(1024, "1 KiB");
	check_bytes(131072, "128 KiB");
	check_bytes(1536, "1.5 KiB");
	check_bytes(1572864, "1.5 MiB");
	check_bytes(1048576 + 1, "1.0 MiB");
	check_bytes(UINT64_C(1) << 30, "1 GiB");
	check_bytes((UINT64_C(1) << 30) - 1, "1.0 GiB");	/* rounds up a unit */
	check_bytes(UINT64_C(5) << 40, "5 TiB");
	check_bytes(UINT64_MAX, "16.0 EiB");
}

static void check_ns(uint64_t v, const char *want)
{
	char buf[32];

	assert_string_equal(units_format_ns(v, buf, sizeof(buf)), want);
}

static void test_format_ns(void **state)
{
	(void)state;
	check_ns(0, "0 ns");
	check_ns(999, "999 ns");
	check_ns(1500, "1.5 us");
	check_ns(12500000, "12.5 ms");
	check_ns(UINT64_C(42000000000), "42.0 s");
	check_ns(UINT64_C(185000000000), "3m 05s");
	check_ns(UINT64_C(3723000000000), "1h 02m 03s");
	check_ns(UINT64_C(86400000000000) * 4 + UINT64_C(7380000000000), "4d 02h 03m");
}

static void test_small_buffer(void **state)
{
	char buf[4];

	(void)state;
	/* truncated, still terminated */
	assert_int_equal(strlen(units_format_bytes(1572864, buf, sizeof(buf))), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_sizes),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_parse_overflow),
		cmocka_unit_test(test_parse_durations),
		cmocka_unit_test(test_parse_durations_rejects),
		cmocka_unit_test(test_format_bytes),
		cmocka_unit_test(test_format_ns),
		cmocka_unit_test(test_small_buffer),
	};

	return cmocka_run_group_tests_name("units", tests, NULL, NULL);
}
