// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt CLI: human units.  Formatting is for tables only; JSON carries
 * exact bytes and nanoseconds.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "units.h"

static int suffix_shift(const char *s)
{
	static const char letters[] = "KMGTPE";
	const char *p;

	if (*s == '\0' || strcasecmp(s, "b") == 0)
		return 0;
	p = strchr(letters, toupper((unsigned char)*s));
	if (!p)
		return -1;
	s++;
	/* K, KB, KiB (any case) */
	if (*s == '\0' || strcasecmp(s, "b") == 0 || strcasecmp(s, "ib") == 0)
		return 10 * (int)(p - letters + 1);
	return -1;
}

int units_parse_size(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	int shift;

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	for (; isdigit((unsigned char)*s); s++) {
		unsigned int d = (unsigned int)(*s - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	shift = suffix_shift(s);
	if (shift < 0)
		return -EINVAL;
	if (shift && v > (UINT64_MAX >> shift))
		return -ERANGE;
	*out = v << shift;
	return 0;
}

int units_parse_duration(const char *s, uint64_t *ns)
{
	/* largest first: a duration names them in this order */
	static const struct { const char *name; uint64_t ns; } units[] = {
		{ "d", UINT64_C(86400000000000) },
		{ "h", UINT64_C(3600000000000) },
		{ "m", UINT64_C(60000000000) },
		{ "s", UINT64_C(1000000000) },
		{ "ms", UINT64_C(1000000) },
		{ "us", UINT64_C(1000) },
		{ "ns", 1 },
	};
	const size_t nunits = sizeof(units) / sizeof(units[0]);
	uint64_t total = 0;
	size_t next = 0;	/* the first unit still allowed */

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	while (*s) {
		const char *u;
		uint64_t v = 0, mul;
		size_t n, i;

		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		for (; isdigit((unsigned char)*s); s++) {
			unsigned int d = (unsigned int)(*s - '0');

			if (v > (UINT64_MAX - d) / 10)
				return -ERANGE;
			v = v * 10 + d;
		}
		for (u = s; isalpha((unsigned char)*s); s++)
			;
		n = (size_t)(s - u);
		if (n == 0) {
			/* a bare number: seconds, and nothing else */
			if (next != 0 || *s)
				return -EINVAL;
			mul = units[3].ns;
		} else {
			for (i = next; i < nunits; i++)
				if (strlen(units[i].name) == n &&
				    strncmp(units[i].name, u, n) == 0)
					break;
			if (i == nunits)
				return -EINVAL;	/* unknown, repeated, or out of order */
			mul = units[i].ns;
			next = i + 1;
		}
		if (v > UINT64_MAX / mul || v * mul > UINT64_MAX - total)
			return -ERANGE;
		total += v * mul;
	}
	*ns = total;
	return 0;
}

/* What fits of s at the end of buf (size len, holding *n, NUL-ended). */
static void put_s(char *buf, size_t len, size_t *n, const char *s)
{
	while (*s && *n + 1 < len)
		buf[(*n)++] = *s++;
	if (len)
		buf[*n] = '\0';
}

static void put_u64(char *buf, size_t len, size_t *n, uint64_t v)
{
	char digits[24];
	char *p = digits + sizeof(digits);

	*--p = '\0';
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put_s(buf, len, n, p);
}

/*
 * A table of a thousand processes formats tens of thousands of sizes:
 * without snprintf(), whose parsing of the format cost more than the rest.
 */
const char *units_format_bytes(uint64_t bytes, char *buf, size_t len)
{
	static const char *const unit[] = {
		"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB",
	};
	unsigned int k = 0;
	uint64_t scale, whole, tenths;
	size_t n = 0;

	while (k + 1 < sizeof(unit) / sizeof(unit[0]) &&
	       bytes >= (UINT64_C(1) << (10 * (k + 1))))
		k++;
	if (len)
		buf[0] = '\0';
	if (k == 0) {
		put_u64(buf, len, &n, bytes);
		put_s(buf, len, &n, " B");
		return buf;
	}
	scale = UINT64_C(1) << (10 * k);
	whole = bytes / scale;
	/* rounded tenths, computed without overflow */
	tenths = ((bytes % scale) * 10 + scale / 2) / scale;
	if (tenths == 10) {
		whole++;
		tenths = 0;
	}
	if (whole >= 1024 && k + 1 < sizeof(unit) / sizeof(unit[0])) {
		k++;
		whole = 1;
		tenths = 0;
	}
	/* exact multiples print bare, rounded values keep their ".0" */
	put_u64(buf, len, &n, whole);
	if (bytes % (UINT64_C(1) << (10 * k)) != 0) {
		put_s(buf, len, &n, ".");
		put_u64(buf, len, &n, tenths);
	}
	put_s(buf, len, &n, " ");
	put_s(buf, len, &n, unit[k]);
	return buf;
}

const char *units_format_ns(uint64_t ns, char *buf, size_t len)
{
	const uint64_t us = 1000, ms = 1000 * us, s = 1000 * ms;
	uint64_t secs = ns / s;

	if (ns < us)
		snprintf(buf, len, "%" PRIu64 " ns", ns);
	else if (ns < ms)
		snprintf(buf, len, "%.1f us", (double)ns / (double)us);
	else if (ns < s)
		snprintf(buf, len, "%.1f ms", (double)ns / (double)ms);
	else if (secs < 60)
		snprintf(buf, len, "%.1f s", (double)ns / (double)s);
	else if (secs < 3600)
		snprintf(buf, len, "%" PRIu64 "m %02" PRIu64 "s",
			 secs / 60, secs % 60);
	else if (secs < 86400)
		snprintf(buf, len, "%" PRIu64 "h %02" PRIu64 "m %02" PRIu64 "s",
			 secs / 3600, secs / 60 % 60, secs % 60);
	else
		snprintf(buf, len, "%" PRIu64 "d %02" PRIu64 "h %02" PRIu64 "m",
			 secs / 86400, secs / 3600 % 24, secs / 60 % 60);
	return buf;
}

const char *units_format_time(uint64_t ns, bool utc, char *buf, size_t len)
{
	time_t secs = (time_t)(ns / 1000000000U);
	unsigned int ms = (unsigned int)(ns % 1000000000U / 1000000U);
	struct tm tm;
	char date[64];

	if (!(utc ? gmtime_r(&secs, &tm) : localtime_r(&secs, &tm)) ||
	    !strftime(date, sizeof(date),
		      utc ? "%Y-%m-%dT%H:%M:%S" : "%Y-%m-%d %H:%M:%S", &tm)) {
		snprintf(buf, len, "@%" PRIu64, ns);
		return buf;
	}
	if (utc)
		snprintf(buf, len, "%s.%03uZ", date, ms);
	else
		snprintf(buf, len, "%s", date);
	return buf;
}

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts) < 0)
		return 0;
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t units_boot_to_real_offset(void)
{
	return clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);
}
