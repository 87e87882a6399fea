// SPDX-License-Identifier: GPL-2.0
/*
 * knmt - kernel native memory tracking.
 *
 * Per-process accounting of the memory that language heaps do not show,
 * answered over the "knmt" generic netlink family.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "knmt.h"
#include "knmt_events.h"
#include "knmt_exits.h"
#include "knmt_proc.h"

unsigned int knmt_procs_max = 32768;
module_param_named(procs_max, knmt_procs_max, uint, 0444);
MODULE_PARM_DESC(procs_max,
		 "Most processes tracked at once, 64..1048576 (default 32768)");

u64 knmt_offheap_min_bytes = KNMT_OFFHEAP_MIN_BYTES_DEFAULT;
module_param_named(offheap_min_bytes, knmt_offheap_min_bytes, ullong, 0444);
MODULE_PARM_DESC(offheap_min_bytes,
		 "Smallest read-write anonymous mapping counted as off-heap, 4 KiB..1 GiB (default 128 KiB; changeable with knmt config)");

module_param_named(kretprobe_maxactive, knmt_kretprobe_maxactive, uint, 0444);
MODULE_PARM_DESC(kretprobe_maxactive,
		 "Return probes in flight per hook, 0 = 4 per CPU, at least 64 (default 0)");

u64 knmt_load_time_ns;

/*
 * Everything the module allocated or reserved, by kind, for `knmt status`:
 * a kind's records (in use and in its pool's reserve) and its tables.
 */
void knmt_mem_read(struct knmt_mem m[KNMT_MEM_NR])
{
	m[KNMT_MEM_PROCS] = (struct knmt_mem) {
		.name = "processes", .bytes = knmt_procs_mem_bytes(),
		.records = knmt_procs_tracked(),
		.record_size = sizeof(struct knmt_proc),
	};
	m[KNMT_MEM_THREADS] = (struct knmt_mem) {
		.name = "threads", .bytes = knmt_threads_mem_bytes(),
		.records = knmt_threads_tracked(),
		.record_size = sizeof(struct knmt_thr),
	};
	m[KNMT_MEM_REGIONS] = (struct knmt_mem) {
		.name = "regions", .bytes = knmt_origins_mem_bytes(),
		.records = knmt_regions_tracked(),
		.record_size = sizeof(struct knmt_orec),
	};
	m[KNMT_MEM_SOCKETS] = (struct knmt_mem) {
		.name = "sockets", .bytes = knmt_socks_mem_bytes(),
		.records = knmt_socks_tracked(),
		.record_size = knmt_sock_record_size(),
	};
	m[KNMT_MEM_EXITS] = (struct knmt_mem) {
		.name = "exits", .bytes = knmt_exits_mem_bytes(),
		.records = knmt_exits_kept(),
		.record_size = sizeof(struct knmt_exit),
	};
	m[KNMT_MEM_EVENTS] = (struct knmt_mem) {
		.name = "events", .bytes = knmt_events_mem_bytes(),
	};
	m[KNMT_MEM_HOOKS] = (struct knmt_mem) {
		.name = "hooks", .bytes = knmt_hooks_mem_bytes(),
	};
}

static int __init knmt_params_check(void)
{
	if (knmt_offheap_min_bytes < KNMT_OFFHEAP_MIN_BYTES_LOW ||
	    knmt_offheap_min_bytes > KNMT_OFFHEAP_MIN_BYTES_HIGH) {
		pr_err("offheap_min_bytes=%llu is outside 4096..1073741824\n",
		       knmt_offheap_min_bytes);
		return -EINVAL;
	}
	if (!knmt_kretprobe_maxactive)
		knmt_kretprobe_maxactive = max(64U, 4 * num_possible_cpus());
	if (knmt_kretprobe_maxactive > 4096) {
		pr_err("kretprobe_maxactive=%u is above 4096\n",
		       knmt_kretprobe_maxactive);
		return -EINVAL;
	}
	return 0;
}

static int __init knmt_init(void)
{
	int err;

	err = knmt_params_check();
	if (err)
		return err;
	knmt_load_time_ns = ktime_get_ns();

	err = knmt_origins_init();
	if (err)
		return err;
	err = knmt_procs_init();
	if (err)
		goto err_origins;
	err = knmt_exits_init();
	if (err)
		goto err_procs;
	err = knmt_socks_init();
	if (err)
		goto err_exits;
	err = knmt_events_init();
	if (err)
		goto err_socks;
	err = knmt_hooks_init();
	if (err)
		goto err_events;
	/*
	 * With the hooks live no new process or socket is missed; those
	 * already there are picked up now, the processes' origins guessed
	 * from their VMAs.
	 */
	knmt_procs_pickup();
	knmt_procs_guess();
	knmt_socks_start();
	err = knmt_sampler_init();
	if (err)
		goto err_hooks;

	/* Last: requests arrive only once everything they read exists. */
	err = knmt_genl_init();
	if (err) {
		pr_err("cannot register the generic netlink family: %d\n", err);
		goto err_sampler;
	}
	knmt_events_start();
	pr_info("version %s loaded, tracking %d processes\n", KNMT_VERSION,
		knmt_procs_tracked());
	return 0;

err_sampler:
	knmt_sampler_exit();
err_hooks:
	knmt_socks_stop();
	knmt_hooks_exit();
err_events:
	knmt_events_exit();
err_socks:
	knmt_socks_exit();	/* before the processes: it holds entries */
err_exits:
	knmt_procs_exit();	/* before the exits: its RCU barrier */
	knmt_exits_exit();
	goto err_origins;
err_procs:
	knmt_procs_exit();
err_origins:
	knmt_origins_exit();
	return err;
}

/*
 * The mirror of knmt_init(): no request, then no hook, then every entry
 * and record returned (knmt_procs_exit waits for the RCU callbacks that
 * return them) before the pools go.
 */
static void __exit knmt_exit(void)
{
	knmt_events_stop();
	knmt_genl_exit();
	knmt_sampler_exit();
	knmt_socks_stop();
	knmt_hooks_exit();
	knmt_events_exit();
	knmt_filter_exit();
	knmt_socks_exit();
	knmt_procs_exit();
	knmt_exits_exit();
	knmt_origins_exit();
	pr_info("unloaded\n");
}

module_init(knmt_init);
module_exit(knmt_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The knmt developers");
MODULE_DESCRIPTION("knmt: per-process native memory tracking");
MODULE_VERSION(KNMT_VERSION);
