// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt-nltest: sends one hand-crafted, usually malformed, request to the
 * knmt generic netlink family and prints the kernel's answer as one line
 *
 *	errno=<n> extack=<text>
 *
 * (errno 0 for success, extack empty when the kernel gave none).  Raw
 * AF_NETLINK sockets, so that nothing between us and the kernel fixes
 * the message up.  The VM tests (tests/vm/t-hostile.sh, t-perm.sh) run it.
 *
 * Exit status: 0 an answer was printed; 1 no answer (or a local error);
 * 2 usage; 3 the family is not registered (module not loaded).
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/knmt.h>

#include "internal.h"	/* knmt_nlerr_parse(), shared with libknmt */

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define BUF_SIZE	(64 * 1024)

struct req {
	union {
		struct nlmsghdr nlh;
		unsigned char buf[1024];
	} u;
	size_t len;		/* bytes built */
	size_t send_len;	/* bytes to send (0: len) */
};

static int fd = -1;
static uint32_t seq;
static int timeout_ms = 2000;
static const char *family_name = KNMT_GENL_NAME;
static const char *group_name = KNMT_GENL_MCGRP_EVENTS;

static void req_init(struct req *r, uint16_t type, uint16_t flags,
		     uint8_t cmd, uint8_t version)
{
	struct genlmsghdr *g;

	memset(r, 0, sizeof(*r));
	r->u.nlh.nlmsg_type = type;
	r->u.nlh.nlmsg_flags = flags;
	r->u.nlh.nlmsg_seq = ++seq;
	g = NLMSG_DATA(&r->u.nlh);
	g->cmd = cmd;
	g->version = version;
	r->len = NLMSG_HDRLEN + GENL_HDRLEN;
	r->u.nlh.nlmsg_len = (uint32_t)r->len;
}

static void req_put(struct req *r, uint16_t type, const void *data,
		    size_t len)
{
	struct nlattr *nla = (struct nlattr *)(r->u.buf + r->len);

	if (r->len + NLA_ALIGN(NLA_HDRLEN + len) > sizeof(r->u.buf)) {
		fprintf(stderr, "knmt-nltest: request too large\n");
		exit(1);
	}
	nla->nla_type = type;
	nla->nla_len = (uint16_t)(NLA_HDRLEN + len);
	memcpy((char *)nla + NLA_HDRLEN, data, len);
	r->len += NLA_ALIGN(NLA_HDRLEN + len);
	r->u.nlh.nlmsg_len = (uint32_t)r->len;
}

static int req_send(const struct req *r)
{
	size_t n = r->send_len ? r->send_len : r->len;
	ssize_t ret = send(fd, r->u.buf, n, 0);

	if (ret < 0) {
		fprintf(stderr, "knmt-nltest: send: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

/* Milliseconds left before the deadline, 0 once it passed. */
static int left_ms(const struct timespec *deadline)
{
	struct timespec now;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (deadline->tv_sec - now.tv_sec) * 1000 +
	     (deadline->tv_nsec - now.tv_nsec) / 1000000;
	return ms > 0 ? (int)ms : 0;
}

/*
 * Reads until the answer to request seq: an NLMSG_ERROR (error or ACK)
 * or NLMSG_DONE.  Replies before it are handed to on_reply (may be NULL)
 * and counted.  Returns 0 with *ne filled, or -1 with nothing received
 * (timeout or local error).
 */
static int wait_answer(uint32_t want_seq, struct knmt_nlerr *ne,
		       void (*on_reply)(const struct nlmsghdr *nlh, void *arg),
		       void *arg)
{
	static unsigned char buf[BUF_SIZE];
	struct timespec deadline;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		struct nlmsghdr *nlh;
		ssize_t n;
		int len;

		if (poll(&pfd, 1, left_ms(&deadline)) <= 0)
			return -1;
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			fprintf(stderr, "knmt-nltest: recv: %s\n", strerror(errno));
			return -1;
		}
		len = (int)n;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_seq != want_seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				if (knmt_nlerr_parse(nlh, nlh->nlmsg_len, ne) < 0) {
					fprintf(stderr, "knmt-nltest: short NLMSG_ERROR\n");
					return -1;
				}
				return 0;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				knmt_nldone_parse(nlh, nlh->nlmsg_len, ne);
				return 0;
			}
			if (on_reply)
				on_reply(nlh, arg);
		}
	}
}

/* ---- family resolution --------------------------------------------- */

struct family {
	uint16_t id;
	uint32_t version;
	uint32_t group;		/* 0: not found */
};

static void parse_groups(const struct nlattr *groups, struct family *fam)
{
	const struct nlattr *grp = (const struct nlattr *)((const char *)groups + NLA_HDRLEN);
	int rem = groups->nla_len - NLA_HDRLEN;

	for (; rem >= (int)NLA_HDRLEN && grp->nla_len >= NLA_HDRLEN &&
	       grp->nla_len <= rem;
	     rem -= NLA_ALIGN(grp->nla_len),
	     grp = (const struct nlattr *)((const char *)grp + NLA_ALIGN(grp->nla_len))) {
		const struct nlattr *a = (const struct nlattr *)((const char *)grp + NLA_HDRLEN);
		int arem = grp->nla_len - NLA_HDRLEN;
		uint32_t id = 0;
		bool match = false;

		for (; arem >= (int)NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
		       a->nla_len <= arem;
		     arem -= NLA_ALIGN(a->nla_len),
		     a = (const struct nlattr *)((const char *)a + NLA_ALIGN(a->nla_len))) {
			const char *data = (const char *)a + NLA_HDRLEN;
			size_t dlen = a->nla_len - NLA_HDRLEN;

			if (a->nla_type == CTRL_ATTR_MCAST_GRP_ID && dlen == 4)
				memcpy(&id, data, 4);
			if (a->nla_type == CTRL_ATTR_MCAST_GRP_NAME &&
			    strnlen(data, dlen) == strlen(group_name) &&
			    strncmp(data, group_name, dlen) == 0)
				match = true;
		}
		if (match)
			fam->group = id;
	}
}

static void family_reply(const struct nlmsghdr *nlh, void *arg)
{
	struct family *fam = arg;
	const struct nlattr *a;
	int rem;

	if (nlh->nlmsg_type != GENL_ID_CTRL ||
	    nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return;
	a = (const struct nlattr *)((const char *)NLMSG_DATA(nlh) + GENL_HDRLEN);
	rem = (int)(nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN);
	for (; rem >= (int)NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	       a->nla_len <= rem;
	     rem -= NLA_ALIGN(a->nla_len),
	     a = (const struct nlattr *)((const char *)a + NLA_ALIGN(a->nla_len))) {
		const char *data = (const char *)a + NLA_HDRLEN;
		uint16_t type = a->nla_type & NLA_TYPE_MASK;

		if (type == CTRL_ATTR_FAMILY_ID && a->nla_len >= NLA_HDRLEN + 2)
			memcpy(&fam->id, data, 2);
		else if (type == CTRL_ATTR_VERSION && a->nla_len >= NLA_HDRLEN + 4)
			memcpy(&fam->version, data, 4);
		else if (type == CTRL_ATTR_MCAST_GROUPS)
			parse_groups(a, fam);
	}
}

static int resolve(struct family *fam)
{
	struct knmt_nlerr ne;
	struct req r;

	memset(fam, 0, sizeof(*fam));
	req_init(&r, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK,
		 CTRL_CMD_GETFAMILY, 2);
	req_put(&r, CTRL_ATTR_FAMILY_NAME, family_name, strlen(family_name) + 1);
	if (req_send(&r) < 0)
		return 1;
	if (wait_answer(r.u.nlh.nlmsg_seq, &ne, family_reply, fam) < 0) {
		fprintf(stderr, "knmt-nltest: no answer from the genetlink controller\n");
		return 1;
	}
	if (ne.error == ENOENT || (!ne.error && !fam->id)) {
		fprintf(stderr, "knmt-nltest: generic netlink family \"%s\" not found "
			"(module not loaded?)\n", family_name);
		return 3;
	}
	if (ne.error) {
		fprintf(stderr, "knmt-nltest: resolving \"%s\": %s\n", family_name,
			strerror(ne.error));
		return 1;
	}
	fprintf(stderr, "knmt-nltest: family \"%s\" id %u version %u, group \"%s\" %u\n",
		family_name, fam->id, fam->version, group_name, fam->group);
	return 0;
}

/* ---- the tests --------------------------------------------------------- */

static int replies;

static void count_reply(const struct nlmsghdr *nlh, void *arg)
{
	const struct genlmsghdr *g = NLMSG_DATA(nlh);

	(void)arg;
	replies++;
	fprintf(stderr, "knmt-nltest: reply type %u cmd %u version %u, %u bytes\n",
		nlh->nlmsg_type, g->cmd, g->version, nlh->nlmsg_len);
}

static int ask(struct req *r)
{
	struct knmt_nlerr ne;

	if (req_send(r) < 0)
		return 1;
	if (wait_answer(r->u.nlh.nlmsg_seq, &ne, count_reply, NULL) < 0) {
		printf("errno=none extack=\n");
		fprintf(stderr, "knmt-nltest: no answer within %d ms\n", timeout_ms);
		return 1;
	}
	if (ne.offset >= 0)
		fprintf(stderr, "knmt-nltest: the kernel points at offset %ld\n",
			ne.offset);
	printf("errno=%d extack=%s\n", ne.error, ne.msg);
	return 0;
}

static int join_events(const struct family *fam)
{
	uint32_t grp = fam->group;

	if (!grp) {
		fprintf(stderr, "knmt-nltest: family \"%s\" has no group \"%s\"\n",
			family_name, group_name);
		return 1;
	}
	if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp,
		       sizeof(grp)) < 0) {
		printf("errno=%d extack=\n", errno);
		return 0;
	}
	printf("errno=0 extack=\n");
	return 0;
}

static int run_test(const char *name, const struct family *fam)
{
	const uint16_t ack = NLM_F_REQUEST | NLM_F_ACK;
	struct req r;

	if (strcmp(name, "status") == 0) {
		req_init(&r, fam->id, ack, KNMT_CMD_GET_STATUS, KNMT_GENL_VERSION);
	} else if (strcmp(name, "get-config") == 0) {
		req_init(&r, fam->id, ack, KNMT_CMD_GET_CONFIG, KNMT_GENL_VERSION);
	} else if (strcmp(name, "set-config") == 0) {
		uint64_t v = KNMT_OFFHEAP_MIN_BYTES_DEFAULT;

		req_init(&r, fam->id, ack, KNMT_CMD_SET_CONFIG, KNMT_GENL_VERSION);
		req_put(&r, KNMT_A_CONFIG_OFFHEAP_MIN_BYTES, &v, sizeof(v));
	} else if (strcmp(name, "unknown-cmd") == 0) {
		req_init(&r, fam->id, ack, 200, KNMT_GENL_VERSION);
	} else if (strcmp(name, "unknown-attr") == 0) {
		uint32_t v = 1;

		req_init(&r, fam->id, ack, KNMT_CMD_GET_STATUS, KNMT_GENL_VERSION);
		req_put(&r, 250, &v, sizeof(v));
	} else if (strcmp(name, "bad-type") == 0) {
		uint16_t v = 4096;

		req_init(&r, fam->id, ack, KNMT_CMD_SET_CONFIG, KNMT_GENL_VERSION);
		req_put(&r, KNMT_A_CONFIG_OFFHEAP_MIN_BYTES, &v, sizeof(v));
	} else if (strcmp(name, "out-of-range") == 0) {
		uint64_t v = 1;

		req_init(&r, fam->id, ack, KNMT_CMD_SET_CONFIG, KNMT_GENL_VERSION);
		req_put(&r, KNMT_A_CONFIG_OFFHEAP_MIN_BYTES, &v, sizeof(v));
	} else if (strcmp(name, "readonly") == 0) {
		uint32_t v = 10;

		req_init(&r, fam->id, ack, KNMT_CMD_SET_CONFIG, KNMT_GENL_VERSION);
		req_put(&r, KNMT_A_CONFIG_PROCS_MAX, &v, sizeof(v));
	} else if (strcmp(name, "bad-attr-len") == 0) {
		uint64_t v = KNMT_OFFHEAP_MIN_BYTES_DEFAULT;
		struct nlattr *nla;

		/* the attribute claims more bytes than the message holds */
		req_init(&r, fam->id, ack, KNMT_CMD_SET_CONFIG, KNMT_GENL_VERSION);
		req_put(&r, KNMT_A_CONFIG_OFFHEAP_MIN_BYTES, &v, sizeof(v));
		nla = (struct nlattr *)(r.u.buf + NLMSG_HDRLEN + GENL_HDRLEN);
		nla->nla_len = 200;
	} else if (strcmp(name, "truncated") == 0) {
		/* the generic netlink header cut short: 2 of its 4 bytes */
		req_init(&r, fam->id, ack, KNMT_CMD_GET_STATUS, KNMT_GENL_VERSION);
		r.len = NLMSG_HDRLEN + 2;
		r.u.nlh.nlmsg_len = (uint32_t)r.len;
	} else if (strcmp(name, "truncated-len") == 0) {
		/* nlmsg_len claims 64 bytes more than are sent */
		req_init(&r, fam->id, ack, KNMT_CMD_GET_STATUS, KNMT_GENL_VERSION);
		r.send_len = r.len;
		r.u.nlh.nlmsg_len = (uint32_t)(r.len + 64);
	} else if (strcmp(name, "reserved") == 0) {
		req_init(&r, fam->id, ack, KNMT_CMD_GET_STATUS, KNMT_GENL_VERSION);
		((struct genlmsghdr *)NLMSG_DATA(&r.u.nlh))->reserved = 1;
	} else if (strcmp(name, "bad-version") == 0) {
		req_init(&r, fam->id, ack, KNMT_CMD_GET_STATUS, 99);
	} else if (strcmp(name, "bad-flags") == 0) {
		/* NLM_F_REPLACE means nothing to a "get" */
		req_init(&r, fam->id, ack | NLM_F_REPLACE, KNMT_CMD_GET_STATUS,
			 KNMT_GENL_VERSION);
	} else if (strcmp(name, "dump-status") == 0) {
		req_init(&r, fam->id, NLM_F_REQUEST | NLM_F_DUMP,
			 KNMT_CMD_GET_STATUS, KNMT_GENL_VERSION);
	} else if (strcmp(name, "proc-self") == 0) {
		uint32_t v = (uint32_t)getpid();

		req_init(&r, fam->id, ack, KNMT_CMD_GET_PROC, KNMT_GENL_VERSION);
		req_put(&r, KNMT_A_PROC_PID, &v, sizeof(v));
	} else if (strcmp(name, "proc-no-pid") == 0) {
		req_init(&r, fam->id, ack, KNMT_CMD_GET_PROC, KNMT_GENL_VERSION);
	} else if (strcmp(name, "proc-zero-pid") == 0) {
		uint32_t v = 0;

		req_init(&r, fam->id, ack, KNMT_CMD_GET_PROC, KNMT_GENL_VERSION);
		req_put(&r, KNMT_A_PROC_PID, &v, sizeof(v));
	} else if (strcmp(name, "proc-short-pid") == 0) {
		uint16_t v = 1;

		req_init(&r, fam->id, ack, KNMT_CMD_GET_PROC, KNMT_GENL_VERSION);
		req_put(&r, KNMT_A_PROC_PID, &v, sizeof(v));
	} else if (strcmp(name, "proc-missing") == 0) {
		uint32_t v = 4000000;

		req_init(&r, fam->id, ack, KNMT_CMD_GET_PROC, KNMT_GENL_VERSION);
		req_put(&r, KNMT_A_PROC_PID, &v, sizeof(v));
	} else if (strcmp(name, "regions-no-pid") == 0) {
		req_init(&r, fam->id, NLM_F_REQUEST | NLM_F_DUMP,
			 KNMT_CMD_DUMP_REGIONS, KNMT_GENL_VERSION);
	} else if (strcmp(name, "procs-with-attr") == 0) {
		uint32_t v = 1;

		req_init(&r, fam->id, NLM_F_REQUEST | NLM_F_DUMP,
			 KNMT_CMD_DUMP_PROCS, KNMT_GENL_VERSION);
		req_put(&r, KNMT_A_PROC_PID, &v, sizeof(v));
	} else if (strcmp(name, "dump-procs") == 0) {
		req_init(&r, fam->id, NLM_F_REQUEST | NLM_F_DUMP,
			 KNMT_CMD_DUMP_PROCS, KNMT_GENL_VERSION);
	} else if (strcmp(name, "dump-exits") == 0) {
		req_init(&r, fam->id, NLM_F_REQUEST | NLM_F_DUMP,
			 KNMT_CMD_DUMP_EXITS, KNMT_GENL_VERSION);
	} else if (strcmp(name, "dump-sockets") == 0) {
		req_init(&r, fam->id, NLM_F_REQUEST | NLM_F_DUMP,
			 KNMT_CMD_DUMP_SOCKETS, KNMT_GENL_VERSION);
	} else if (strcmp(name, "sockets-self") == 0) {
		uint32_t v = (uint32_t)getpid();

		req_init(&r, fam->id, NLM_F_REQUEST | NLM_F_DUMP,
			 KNMT_CMD_DUMP_SOCKETS, KNMT_GENL_VERSION);
		req_put(&r, KNMT_A_PROC_PID, &v, sizeof(v));
	} else if (strcmp(name, "sockets-zero-pid") == 0) {
		uint32_t v = 0;

		req_init(&r, fam->id, NLM_F_REQUEST | NLM_F_DUMP,
			 KNMT_CMD_DUMP_SOCKETS, KNMT_GENL_VERSION);
		req_put(&r, KNMT_A_PROC_PID, &v, sizeof(v));
	} else if (strcmp(name, "sockets-missing") == 0) {
		uint32_t v = 4000000;

		req_init(&r, fam->id, NLM_F_REQUEST | NLM_F_DUMP,
			 KNMT_CMD_DUMP_SOCKETS, KNMT_GENL_VERSION);
		req_put(&r, KNMT_A_PROC_PID, &v, sizeof(v));
	} else if (strcmp(name, "sockets-bad-attr") == 0) {
		uint32_t v = 1;

		req_init(&r, fam->id, NLM_F_REQUEST | NLM_F_DUMP,
			 KNMT_CMD_DUMP_SOCKETS, KNMT_GENL_VERSION);
		req_put(&r, KNMT_A_PROC_PID + 1, &v, sizeof(v));
	} else if (strcmp(name, "join-events") == 0) {
		return join_events(fam);
	} else {
		fprintf(stderr, "knmt-nltest: unknown test '%s'\n", name);
		return 2;
	}
	return ask(&r);
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: knmt-nltest [--family NAME] [--group NAME] [--timeout MS] TEST\n"
		"\n"
		"Sends one crafted request to the knmt generic netlink family and\n"
		"prints the answer as \"errno=<n> extack=<text>\" (errno=none when\n"
		"nothing came back).\n"
		"\n"
		"Well-formed: status, get-config, set-config (offheap_min_bytes=128K)\n"
		"Malformed:   unknown-cmd (cmd 200), unknown-attr (GET_STATUS + attr 250),\n"
		"             bad-type (offheap_min_bytes as u16), out-of-range\n"
		"             (offheap_min_bytes=1), readonly (procs_max),\n"
		"             bad-attr-len (attribute longer than the message),\n"
		"             truncated (genl header cut short), truncated-len\n"
		"             (nlmsg_len > bytes sent), reserved (genlmsghdr.reserved=1),\n"
		"             bad-version (version 99), bad-flags (NLM_F_REPLACE),\n"
		"             dump-status (GET_STATUS with NLM_F_DUMP)\n"
		"Processes:   proc-self (GET_PROC of this tool), dump-procs, dump-exits;\n"
		"             malformed: proc-no-pid, proc-zero-pid, proc-short-pid (u16),\n"
		"             proc-missing (pid 4000000), regions-no-pid (DUMP_REGIONS\n"
		"             without a pid), procs-with-attr (DUMP_PROCS with a pid)\n"
		"Sockets:     dump-sockets (all), sockets-self (DUMP_SOCKETS of this\n"
		"             tool); malformed: sockets-zero-pid, sockets-missing (pid\n"
		"             4000000), sockets-bad-attr (an attribute after the pid)\n"
		"Multicast:   join-events (NETLINK_ADD_MEMBERSHIP on \"events\")\n"
		"\n"
		"--family/--group aim the same messages at another family, to try\n"
		"the tool where knmt is not loaded.\n"
		"\n"
		"Exit: 0 answered, 1 no answer or local error, 2 usage, 3 family not found.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "family", required_argument, NULL, 'f' },
		{ "group", required_argument, NULL, 'g' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct family fam;
	int one = 1;
	int c, ret;

	while ((c = getopt_long(argc, argv, "f:g:t:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			family_name = optarg;
			break;
		case 'g':
			group_name = optarg;
			break;
		case 't': {
			char *end;
			long v = strtol(optarg, &end, 10);

			if (*end || v <= 0 || v > 600000) {
				fprintf(stderr, "knmt-nltest: bad timeout '%s'\n", optarg);
				return 2;
			}
			timeout_ms = (int)v;
			break;
		}
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0) {
		fprintf(stderr, "knmt-nltest: socket: %s\n", strerror(errno));
		return 1;
	}
	if (setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) < 0)
		fprintf(stderr, "knmt-nltest: NETLINK_EXT_ACK: %s\n", strerror(errno));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "knmt-nltest: bind: %s\n", strerror(errno));
		close(fd);
		return 1;
	}
	seq = (uint32_t)time(NULL);

	ret = resolve(&fam);
	if (ret == 0)
		ret = run_test(argv[optind], &fam);
	if (replies)
		fprintf(stderr, "knmt-nltest: %d reply message(s) before the answer\n",
			replies);
	close(fd);
	return ret;
}
