/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench.h - what the overhead benchmark's workloads share: the clock,
 * failing with a message, number parsing, the result line.
 *
 * Every workload prints exactly one JSON line on stdout when it is done:
 *
 *   {"workload":NAME,"ops":N,"ns":ELAPSED,...extra}
 *
 * ns is CLOCK_MONOTONIC time of the timed part only.  Any failure is a
 * message on stderr and exit status 1 (2 for a usage error), and no line
 * on stdout.
 */
#ifndef KNMT_BENCH_H
#define KNMT_BENCH_H

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *bench_prog = "bench";

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts)) {
		perror("clock_gettime");
		exit(1);
	}
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

__attribute__((format(printf, 1, 2), noreturn))
static inline void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", bench_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* die() with ": strerror(err)" appended. */
#define die_err(err, fmt, ...) \
	die(fmt ": %s", ##__VA_ARGS__, strerror(err))
#define die_errno(fmt, ...) die_err(errno, fmt, ##__VA_ARGS__)

__attribute__((format(printf, 1, 2), noreturn))
static inline void usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", bench_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help'.\n", bench_prog);
	exit(2);
}

/* A decimal count, at least min: "20000".  No suffixes, no sign. */
static inline unsigned long long parse_count(const char *opt, const char *s,
					     unsigned long long min,
					     unsigned long long max)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		usage_error("%s: not a number: '%s'", opt, s);
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		usage_error("%s: not a number: '%s'", opt, s);
	if (v < min || v > max)
		usage_error("%s: %s is out of range (%llu..%llu)", opt, s,
			    min, max);
	return v;
}

/*
 * A size in bytes: "65536", "64K", "64k", "64KiB", "1G", "1GiB" (binary
 * multiples: K, M, G, T), between min and max.
 */
static inline unsigned long long parse_size(const char *opt, const char *s,
					    unsigned long long min,
					    unsigned long long max)
{
	unsigned long long v, mult = 1;
	char *end;

	if (*s < '0' || *s > '9')
		usage_error("%s: not a size: '%s'", opt, s);
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		usage_error("%s: not a size: '%s'", opt, s);
	switch (*end) {
	case 'k': case 'K': mult = 1ULL << 10; end++; break;
	case 'm': case 'M': mult = 1ULL << 20; end++; break;
	case 'g': case 'G': mult = 1ULL << 30; end++; break;
	case 't': case 'T': mult = 1ULL << 40; end++; break;
	}
	if (mult > 1 && (!strcmp(end, "iB") || !strcmp(end, "B")))
		end += strlen(end);
	if (*end)
		usage_error("%s: not a size: '%s' (K, M, G, T: powers of 1024)",
			    opt, s);
	if (v > max / mult || v * mult < min || v * mult > max)
		usage_error("%s: %s is out of range (%llu..%llu bytes)", opt,
			    s, min, max);
	return v * mult;
}

/* s as a JSON string, quotes included, into buf (truncated to fit). */
static inline const char *json_str(char *buf, size_t size, const char *s)
{
	size_t n = 0;

	if (size < 3)
		return "\"\"";
	buf[n++] = '"';
	for (; *s && n + 8 < size; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			buf[n++] = '\\';
			buf[n++] = (char)c;
		} else if (c < 0x20) {
			n += (size_t)snprintf(buf + n, size - n, "\\u%04x", c);
		} else {
			buf[n++] = (char)c;
		}
	}
	buf[n++] = '"';
	buf[n] = '\0';
	return buf;
}

/*
 * The result line.  extra: more members, each starting with a comma
 * (",\"threads\":4"), or "".
 */
static inline void print_result(const char *name, unsigned long long ops,
				uint64_t ns, const char *extra)
{
	printf("{\"workload\":\"%s\",\"ops\":%llu,\"ns\":%llu%s}\n", name, ops,
	       (unsigned long long)ns, extra);
	if (fflush(stdout) == EOF || ferror(stdout))
		die_errno("writing the result");
}

/*
 * Threads that start together and are timed from the earliest start to
 * the last end.  A workload's per-thread struct begins with a struct
 * bench_thread whose fn it sets; fn calls bench_begin() before its timed
 * part and bench_end() after it.
 */
struct bench_thread {
	void *(*fn)(void *arg);
	pthread_t thread;
	pthread_barrier_t *start;
	uint64_t t0, t1;
};

static inline void bench_begin(struct bench_thread *t)
{
	int err = pthread_barrier_wait(t->start);

	if (err && err != PTHREAD_BARRIER_SERIAL_THREAD)
		die_err(err, "pthread_barrier_wait");
	t->t0 = now_ns();
}

static inline void bench_end(struct bench_thread *t)
{
	t->t1 = now_ns();
}

/* Runs n threads, the structs stride bytes apart in arr; the time span. */
static inline uint64_t bench_threads(void *arr, size_t stride, unsigned int n)
{
	uint64_t first = UINT64_MAX, last = 0;
	pthread_barrier_t start;
	unsigned int i;
	int err;

	err = pthread_barrier_init(&start, NULL, n);
	if (err)
		die_err(err, "pthread_barrier_init");
	for (i = 0; i < n; i++) {
		struct bench_thread *t = (void *)((char *)arr + i * stride);

		t->start = &start;
		err = pthread_create(&t->thread, NULL, t->fn, t);
		if (err)
			die_err(err, "pthread_create");
	}
	for (i = 0; i < n; i++) {
		struct bench_thread *t = (void *)((char *)arr + i * stride);

		err = pthread_join(t->thread, NULL);
		if (err)
			die_err(err, "pthread_join");
		if (t->t0 < first)
			first = t->t0;
		if (t->t1 > last)
			last = t->t1;
	}
	pthread_barrier_destroy(&start);
	return last - first;
}

#endif /* KNMT_BENCH_H */
