// SPDX-License-Identifier: GPL-2.0
/*
 * mmapstorm - mmap/munmap pairs from several threads: the cost knmt adds
 * to mapping and unmapping (the mmap and unmap hooks).
 *
 *   mmapstorm [-t THREADS] [-n PAIRS] [-s SIZE] [-T]
 *
 * THREADS threads (default 4) map SIZE (default 64K) of private anonymous
 * read-write memory and unmap it, PAIRS times in all (default 1000000),
 * split evenly over the threads.  With -T each mapping has its first page
 * written before the unmap (one fault per pair); by default nothing is
 * touched, so only the mapping hooks run.  64K is below knmt's
 * offheap_min_bytes (128K): such a map gets no origin record; -s 128K or
 * more makes every map an off-heap buffer (a record made and freed).
 *
 * The threads are created first and start together from a barrier; the
 * time is from the earliest start to the last thread's end.
 *
 * Result: {"workload":"mmapstorm","ops":PAIRS,"ns":N,"threads":T,
 *          "size":SIZE,"touch":false,"pid":N}
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"

#define MAX_THREADS 1024

static unsigned long long size = 64 << 10;
static bool touch;
struct worker {
	struct bench_thread t;
	unsigned long long pairs;
};

__attribute__((noreturn)) static void usage(void)
{
	printf("Usage: mmapstorm [-t THREADS] [-n PAIRS] [-s SIZE] [-T]\n"
	       "THREADS threads mmap and munmap SIZE of private anonymous memory,\n"
	       "PAIRS times in all, from a common start.\n"
	       "Prints one JSON line: {\"workload\":\"mmapstorm\",\"ops\":PAIRS,\"ns\":N,...}.\n"
	       "\n"
	       "  -t, --threads THREADS  threads (default 4, at most %d)\n"
	       "  -n, --pairs PAIRS      mmap+munmap pairs over all threads (default 1000000)\n"
	       "  -s, --size SIZE        bytes per mapping (default 64K; K, M, G suffixes)\n"
	       "  -T, --touch            write the first page of each mapping (one fault)\n"
	       "  -h, --help             this help\n", MAX_THREADS);
	exit(0);
}

static void *run(void *arg)
{
	struct worker *w = arg;
	unsigned long long i;

	bench_begin(&w->t);
	for (i = 0; i < w->pairs; i++) {
		volatile char *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			die_errno("mmap of %llu bytes", size);
		if (touch)
			*p = 1;
		if (munmap((void *)p, size))
			die_errno("munmap");
	}
	bench_end(&w->t);
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "threads", required_argument, NULL, 't' },
		{ "pairs", required_argument, NULL, 'n' },
		{ "size", required_argument, NULL, 's' },
		{ "touch", no_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long pairs = 1000000;
	struct worker *w;
	uint64_t ns;
	unsigned int nthreads = 4, i;
	char extra[256];
	int c;

	bench_prog = "mmapstorm";
	while ((c = getopt_long(argc, argv, "t:n:s:Th", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			nthreads = (unsigned int)parse_count("-t", optarg, 1,
							     MAX_THREADS);
			break;
		case 'n':
			pairs = parse_count("-n", optarg, 1, 1ULL << 40);
			break;
		case 's':
			size = parse_size("-s", optarg, 1, 1ULL << 40);
			break;
		case 'T':
			touch = true;
			break;
		case 'h':
			usage();
		default:
			usage_error("unknown option");
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);

	w = calloc(nthreads, sizeof(*w));
	if (!w)
		die("out of memory");
	for (i = 0; i < nthreads; i++) {
		w[i].t.fn = run;
		w[i].pairs = pairs / nthreads + (i < pairs % nthreads);
	}
	ns = bench_threads(w, sizeof(*w), nthreads);
	free(w);

	snprintf(extra, sizeof(extra),
		 ",\"threads\":%u,\"size\":%llu,\"touch\":%s,\"pid\":%ld",
		 nthreads, size, touch ? "true" : "false", (long)getpid());
	print_result("mmapstorm", pairs, ns, extra);
	return 0;
}
