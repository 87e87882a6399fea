// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt report: its settings, from the command line and from a
 * configuration file of "key = value" lines (see report.h and the
 * README).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report.h"
#include "units.h"

void report_cfg_init(struct report_cfg *c)
{
	char why[16];

	memset(c, 0, sizeof(*c));
	c->interval_ns = REPORT_DEFAULT_INTERVAL_NS;
	c->listen = strdup(REPORT_DEFAULT_LISTEN);
	if (c->listen)
		report_parse_listen(c->listen, &c->addr, &c->addrlen, why,
				    sizeof(why));
	c->keep = REPORT_DEFAULT_KEEP;
	c->max_bytes = REPORT_DEFAULT_MAX_BYTES;
}

void report_cfg_free(struct report_cfg *c)
{
	free(c->dir);
	free(c->listen);
	c->dir = NULL;
	c->listen = NULL;
}

static bool dup_str(char **dst, const char *src)
{
	char *s = NULL;

	if (src && !(s = strdup(src)))
		return false;
	free(*dst);
	*dst = s;
	return true;
}

bool report_cfg_copy(struct report_cfg *dst, const struct report_cfg *src)
{
	*dst = *src;
	dst->dir = NULL;
	dst->listen = NULL;
	return dup_str(&dst->dir, src->dir) && dup_str(&dst->listen, src->listen);
}

bool report_cfg_merge(struct report_cfg *dst, const struct report_cfg *src)
{
	if (src->set & RS_INTERVAL)
		dst->interval_ns = src->interval_ns;
	if ((src->set & RS_DIR) && !dup_str(&dst->dir, src->dir))
		return false;
	if (src->set & RS_LISTEN) {
		if (!dup_str(&dst->listen, src->listen))
			return false;
		dst->addr = src->addr;
		dst->addrlen = src->addrlen;
	}
	if (src->set & RS_KEEP)
		dst->keep = src->keep;
	if (src->set & RS_MAX_BYTES)
		dst->max_bytes = src->max_bytes;
	dst->set |= src->set;
	return true;
}

int report_parse_listen(const char *s, struct sockaddr_storage *sa,
			socklen_t *len, char *why, size_t whylen)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)sa;
	struct sockaddr_in *s4 = (struct sockaddr_in *)sa;
	char host[64];
	const char *port, *end;
	unsigned long p;
	size_t n;
	char *e;

	memset(sa, 0, sizeof(*sa));
	if (s[0] == '[') {
		end = strchr(s, ']');
		if (!end || end[1] != ':')
			goto bad;
		n = (size_t)(end - s - 1);
		s++;
		port = end + 2;
	} else {
		end = strrchr(s, ':');
		if (!end)
			goto bad;
		n = (size_t)(end - s);
		port = end + 1;
	}
	if (n == 0 || n >= sizeof(host))
		goto bad;
	memcpy(host, s, n);
	host[n] = '\0';
	if (!isdigit((unsigned char)port[0]))
		goto bad;
	errno = 0;
	p = strtoul(port, &e, 10);
	if (errno || *e || p > 65535)
		goto bad;
	if (strcmp(host, "localhost") == 0)
		snprintf(host, sizeof(host), "127.0.0.1");
	if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)p);
		*len = sizeof(*s4);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)p);
		*len = sizeof(*s6);
		return 0;
	}
bad:
	snprintf(why, whylen, "'%s' is not ADDR:PORT (127.0.0.1:9464, "
		 "[::1]:9464, 0.0.0.0:9464; or none)", s);
	return -1;
}

static bool is_none(const char *v)
{
	return !v[0] || strcasecmp(v, "none") == 0 || strcasecmp(v, "off") == 0;
}

int report_cfg_set(struct report_cfg *c, const char *key, const char *value,
		   char *why, size_t len)
{
	char k[32];
	uint64_t v;
	size_t i;
	int err;

	for (i = 0; key[i] && i + 1 < sizeof(k); i++)
		k[i] = key[i] == '-' ? '_' : key[i];
	k[i] = '\0';
	if (strcmp(k, "interval") == 0) {
		err = units_parse_duration(value, &v);
		if (err || v < REPORT_MIN_INTERVAL_NS || v > REPORT_MAX_INTERVAL_NS) {
			snprintf(why, len, "interval: '%s' is not a duration from "
				 "100ms to 1d (30s, 1m, 1m30s)", value);
			return -1;
		}
		c->interval_ns = v;
		c->set |= RS_INTERVAL;
	} else if (strcmp(k, "dir") == 0) {
		if (!dup_str(&c->dir, is_none(value) ? NULL : value))
			goto nomem;
		c->set |= RS_DIR;
	} else if (strcmp(k, "listen") == 0) {
		if (is_none(value)) {
			free(c->listen);
			c->listen = NULL;
		} else {
			struct sockaddr_storage sa;
			socklen_t sl;

			if (report_parse_listen(value, &sa, &sl, why, len) < 0)
				return -1;
			if (!dup_str(&c->listen, value))
				goto nomem;
			c->addr = sa;
			c->addrlen = sl;
		}
		c->set |= RS_LISTEN;
	} else if (strcmp(k, "keep") == 0) {
		char *e = NULL;
		unsigned long n = ULONG_MAX;

		errno = 0;
		if (isdigit((unsigned char)value[0]))
			n = strtoul(value, &e, 10);
		if (!e || errno || *e || n > REPORT_MAX_KEEP) {
			snprintf(why, len, "keep: '%s' is not a count of files "
				 "(0 .. %u)", value, REPORT_MAX_KEEP);
			return -1;
		}
		c->keep = (unsigned int)n;
		c->set |= RS_KEEP;
	} else if (strcmp(k, "max_bytes") == 0) {
		err = units_parse_size(value, &v);
		if (err || v < REPORT_MIN_MAX_BYTES) {
			snprintf(why, len, "max_bytes: '%s' is not a size of at "
				 "least 1K (10M, 1GiB)", value);
			return -1;
		}
		c->max_bytes = v;
		c->set |= RS_MAX_BYTES;
	} else {
		snprintf(why, len, "unknown setting '%s' (interval, dir, listen, "
			 "keep, max_bytes)", key);
		return -1;
	}
	return 0;
nomem:
	snprintf(why, len, "out of memory");
	return -1;
}

/* s without its leading and trailing blanks (in place). */
static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int report_cfg_read(struct report_cfg *c, const char *path, char *why,
		    size_t len)
{
	char *line = NULL, *k, *v, *eq;
	char what[256];
	size_t cap = 0;
	unsigned int n = 0;
	FILE *f;
	int ret = 0;

	f = fopen(path, "re");
	if (!f) {
		snprintf(why, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (!ret && getline(&line, &cap, f) >= 0) {
		n++;
		k = trim(line);
		if (!*k || *k == '#' || *k == ';')
			continue;
		if (*k == '[') {
			if (strcmp(k, "[report]") != 0) {
				snprintf(why, len, "%s:%u: unknown section %s (only "
					 "[report])", path, n, k);
				ret = -1;
			}
			continue;
		}
		eq = strchr(k, '=');
		if (!eq) {
			snprintf(why, len, "%s:%u: not 'key = value': %s", path, n, k);
			ret = -1;
			continue;
		}
		*eq = '\0';
		k = trim(k);
		v = trim(eq + 1);
		/* "value" */
		if (v[0] == '"' && strlen(v) >= 2 && v[strlen(v) - 1] == '"') {
			v[strlen(v) - 1] = '\0';
			v++;
		}
		if (report_cfg_set(c, k, v, what, sizeof(what)) < 0) {
			snprintf(why, len, "%s:%u: %s", path, n, what);
			ret = -1;
		}
	}
	if (!ret && ferror(f)) {
		snprintf(why, len, "%s: %s", path, strerror(errno));
		ret = -1;
	}
	free(line);
	fclose(f);
	return ret;
}
