// SPDX-License-Identifier: GPL-2.0
/*
 * faultstorm - page faults, as many as possible: the cost knmt adds to
 * every fault (the handle_mm_fault hook).
 *
 *   faultstorm [-s SIZE] [-r REPEAT]
 *
 * Maps SIZE (default 1G) of fresh private anonymous read-write memory,
 * with transparent huge pages off for the process (PR_SET_THP_DISABLE)
 * and the range (MADV_NOHUGEPAGE), so that every 4 KiB page is a fault of
 * its own, and writes one byte per page.  Only the writes are timed.
 * With -r it unmaps and does it all again, REPEAT times in all, and
 * reports the total.  The mapping is read-write and at least
 * offheap_min_bytes, so under knmt it is an off-heap buffer and every
 * fault looks its origin up.
 *
 * Result: {"workload":"faultstorm","ops":PAGES_TOUCHED,"ns":N,
 *          "size":SIZE,"repeat":R,"page":4096,"minflt":N,"majflt":N,"pid":N}
 * minflt and majflt: the process's own fault counters over the timed
 * part (getrusage), at least ops when all went as it should.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "bench.h"

__attribute__((noreturn)) static void usage(void)
{
	printf("Usage: faultstorm [-s SIZE] [-r REPEAT]\n"
	       "Map SIZE of fresh private anonymous memory (THP off), write one byte\n"
	       "per page, time the writes; unmap and redo REPEAT times in all.\n"
	       "Prints one JSON line: {\"workload\":\"faultstorm\",\"ops\":PAGES,\"ns\":N,...}.\n"
	       "\n"
	       "  -s, --size SIZE      bytes to map and touch (default 1G; K, M, G suffixes)\n"
	       "  -r, --repeat REPEAT  rounds, each on a fresh mapping (default 1)\n"
	       "  -h, --help           this help\n");
	exit(0);
}

static void faults(long *minflt, long *majflt)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		die_errno("getrusage");
	*minflt = ru.ru_minflt;
	*majflt = ru.ru_majflt;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long size = 1ULL << 30, repeat = 1, pages, r;
	long page, min0, maj0, min1, maj1, minflt = 0, majflt = 0;
	uint64_t ns = 0, t0;
	char extra[256];
	int c;

	bench_prog = "faultstorm";
	while ((c = getopt_long(argc, argv, "s:r:h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			size = parse_size("-s", optarg, 1, 1ULL << 46);
			break;
		case 'r':
			repeat = parse_count("-r", optarg, 1, 1000000);
			break;
		case 'h':
			usage();
		default:
			usage_error("unknown option");
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);

	page = sysconf(_SC_PAGESIZE);
	if (page <= 0)
		die_errno("sysconf(_SC_PAGESIZE)");
	pages = (size + (unsigned long long)page - 1) / (unsigned long long)page;
	size = pages * (unsigned long long)page;

	if (prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0))
		die_errno("prctl(PR_SET_THP_DISABLE)");

	for (r = 0; r < repeat; r++) {
		volatile char *p;
		unsigned long long i;

		p = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			die_errno("mmap of %llu bytes", size);
		if (madvise((void *)p, size, MADV_NOHUGEPAGE))
			die_errno("madvise(MADV_NOHUGEPAGE)");

		faults(&min0, &maj0);
		t0 = now_ns();
		for (i = 0; i < pages; i++)
			p[i * (unsigned long long)page] = 1;
		ns += now_ns() - t0;
		faults(&min1, &maj1);
		minflt += min1 - min0;
		majflt += maj1 - maj0;

		if (munmap((void *)p, size))
			die_errno("munmap");
	}

	snprintf(extra, sizeof(extra),
		 ",\"size\":%llu,\"repeat\":%llu,\"page\":%ld,\"minflt\":%ld,"
		 "\"majflt\":%ld,\"pid\":%ld",
		 size, repeat, page, minflt, majflt, (long)getpid());
	print_result("faultstorm", pages * repeat, ns, extra);
	return 0;
}
