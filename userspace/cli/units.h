/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * knmt CLI: sizes and durations as people read and type them.
 * All size suffixes are binary: 1K = 1KB = 1KiB = 1024 bytes.
 */
#ifndef KNMT_UNITS_H
#define KNMT_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * "131072", "128K", "128KiB", "128kb", "1M", "1GiB", "4096B": 0 and *out,
 * -EINVAL for anything else (spaces, signs, fractions, unknown suffixes),
 * -ERANGE when the value does not fit in 64 bits.
 */
int units_parse_size(const char *s, uint64_t *out);

/*
 * A duration: whole numbers each with a unit, the units from the largest
 * down, each at most once: "500ms", "30s", "5m", "1h", "2h30m", "1d12h",
 * "1m30s250ms" (d, h, m, s, ms, us, ns); a number alone is seconds
 * ("30").  0 and *ns, -EINVAL for anything else (spaces, signs,
 * fractions, unknown or repeated units, "30m2h"), -ERANGE when it does
 * not fit in 64 bits of nanoseconds.
 */
int units_parse_duration(const char *s, uint64_t *ns);

/* "512 B", "128 KiB", "1.5 MiB"; returns buf. */
const char *units_format_bytes(uint64_t bytes, char *buf, size_t len);

/* "850 ns", "12.5 ms", "42.0 s", "3m 05s", "2h 03m 05s", "4d 02h 03m"; returns buf. */
const char *units_format_ns(uint64_t ns, char *buf, size_t len);

/*
 * A wall-clock time (ns since the epoch): "2025-03-01 14:02:03" in local
 * time, or with utc "2025-03-01T14:02:03.123Z" (ISO-8601, milliseconds).
 * Returns buf.
 */
const char *units_format_time(uint64_t ns, bool utc, char *buf, size_t len);

/*
 * The offset to add to a CLOCK_BOOTTIME time to get a CLOCK_REALTIME one
 * (now): realtime - boottime, in ns.
 */
int64_t units_boot_to_real_offset(void);

#endif /* KNMT_UNITS_H */
