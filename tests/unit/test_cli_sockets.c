// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt sockets end to end against the fake kernel: the request (with
 * and without a pid), the ss-like text (netids, states, IPv4, IPv6 and
 * unix addresses, the approximate-age marker, sorting, the last line),
 * the filters (--state, --min-age, -p, -n), every JSON key with its
 * type, usage errors and the pid errors.
 */
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>
#include <json.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "cli_harness.h"

#define SEC	UINT64_C(1000000000)
#define N(a)	(sizeof(a) / sizeof((a)[0]))

static int teardown(void **state)
{
	(void)state;
	cli_run_free();
	fake_reset(NULL);
	return 0;
}

/* In the kernel's order (by process, by socket id), not the CLI's. */
static const struct fake_sock fake_socks[] = {
	/* nginx: a listener open before knmt loaded, a connection over
	 * IPv6 accepted a minute ago, one its peer closed long ago */
	{ .pid = 300, .comm = "nginx", .inode = 1001, .family = AF_INET,
	  .type = SOCK_STREAM, .protocol = IPPROTO_TCP, .state = 10,
	  .flags = KNMT_SOCK_F_APPROX, .age_ns = 7200 * SEC, .send_q = 511,
	  .k = 1, .local = "0.0.0.0", .lport = 80, .remote = "0.0.0.0" },
	{ .pid = 300, .comm = "nginx", .inode = 1002, .family = AF_INET6,
	  .type = SOCK_STREAM, .protocol = IPPROTO_TCP, .state = 1,
	  .flags = KNMT_SOCK_F_ACCEPTED, .age_ns = 65 * SEC,
	  .state_age_ns = 60 * SEC, .send_q = 12, .k = 2,
	  .local = "2001:db8::1", .lport = 443,
	  .remote = "2001:db8::2", .rport = 51000 },
	{ .pid = 300, .comm = "nginx", .inode = 1003, .family = AF_INET,
	  .type = SOCK_STREAM, .protocol = IPPROTO_TCP, .state = 8,
	  .age_ns = 3723 * SEC, .state_age_ns = 300 * SEC, .recv_q = 5,
	  .k = 1, .local = "10.0.0.1", .lport = 8080,
	  .remote = "10.0.0.9", .rport = 40000 },
	/* postgres: a unix stream (no buffers sent), a dual-stack UDP one */
	{ .pid = 100, .comm = "postgres", .inode = 2001, .family = AF_UNIX,
	  .type = SOCK_STREAM, .state = 1, .age_ns = 90 * SEC,
	  .state_age_ns = 90 * SEC },
	{ .pid = 100, .comm = "postgres", .inode = 2002, .family = AF_INET6,
	  .type = SOCK_DGRAM, .protocol = IPPROTO_UDP, .state = 7,
	  .age_ns = SEC / 2, .k = 3, .local = "::", .lport = 53,
	  .remote = "::" },
	/* ping: a ping socket, and a netlink one it adopted */
	{ .pid = 200, .comm = "ping", .inode = 3001, .family = AF_INET,
	  .type = SOCK_DGRAM, .protocol = IPPROTO_ICMP, .state = 7,
	  .age_ns = 3 * SEC / 2, .k = 1, .local = "0.0.0.0" },
	{ .pid = 200, .comm = "ping", .inode = 3002, .family = 16,
	  .type = SOCK_RAW, .state = 7, .flags = KNMT_SOCK_F_ADOPTED,
	  .age_ns = 10 * SEC, .k = 1 },
};

static uint32_t sent_pid;	/* KNMT_A_PROC_PID of the last request, 0 */
static bool sent_pid_attr;	/* the last request carried KNMT_A_PROC_PID */

static void answer_sockets(const struct nlmsghdr *req)
{
	const struct genlmsghdr *g = NLMSG_DATA(req);
	struct nlattr *tb[KNMT_A_PROC_MAX + 1];
	struct nl_msg *msgs[N(fake_socks)];
	size_t i, n = 0;

	assert_int_equal(g->cmd, KNMT_CMD_DUMP_SOCKETS);
	assert_true(req->nlmsg_flags & NLM_F_DUMP);
	assert_int_equal(genlmsg_parse((struct nlmsghdr *)req, 0, tb,
				       KNMT_A_PROC_MAX, NULL), 0);
	sent_pid = 0;
	sent_pid_attr = tb[KNMT_A_PROC_PID] != NULL;
	if (tb[KNMT_A_PROC_PID]) {
		assert_int_equal(nla_len(tb[KNMT_A_PROC_PID]), 4);
		sent_pid = nla_get_u32(tb[KNMT_A_PROC_PID]);
	}
	if (sent_pid == 999) {
		fake_push_error(-ESRCH, "no such process", 20, true);
		return;
	}
	if (sent_pid == 998) {
		fake_push_done(-ENOENT, "the process is not tracked");
		return;
	}
	for (i = 0; i < N(fake_socks); i++)
		if (!sent_pid || fake_socks[i].pid == sent_pid)
			msgs[n++] = fake_sock_msg(&fake_socks[i]);
	/* in datagrams of up to 3, as a dump of several parts */
	for (i = 0; i < n; i += 3)
		fake_push_many(msgs + i, n - i < 3 ? n - i : 3);
	fake_push_done(0, NULL);
}

static const char full_text[] =
"PID  COMM      NETID       STATE       RECV-Q  SEND-Q  LOCAL              PEER                         AGE  IN STATE     MEM  INODE\n"
"100  postgres  u_str       ESTAB            0       0  -                  -                        1m 30s     1m 30s       -   2001\n"
"100  postgres  udp         UNCONN           0       0  *:53               *:*                    500.0 ms          -  12 KiB   2002\n"
"200  ping      nl          UNCONN           0       0  -                  -                        10.0 s          -   4 KiB   3002\n"
"200  ping      inet/dgram  UNCONN           0       0  0.0.0.0:*          -                         1.5 s          -   4 KiB   3001\n"
"300  nginx     tcp         LISTEN           0     511  0.0.0.0:80         0.0.0.0:*            2h 00m 00s*         -   4 KiB   1001\n"
"300  nginx     tcp         CLOSE-WAIT       5       0  10.0.0.1:8080      10.0.0.9:40000       1h 02m 03s     5m 00s   4 KiB   1003\n"
"300  nginx     tcp         ESTAB            0      12  [2001:db8::1]:443  [2001:db8::2]:51000      1m 05s     1m 00s   8 KiB   1002\n"
"7 sockets of 3 processes\n"
"* open before knmt was loaded: age counted from the load\n";

static void test_sockets_text(void **state)
{
	(void)state;
	fake_reset(answer_sockets);
	assert_int_equal(knmt("sockets"), CLI_EXIT_OK);
	assert_string_equal(last.err, "");
	/* every process: no pid in the request */
	assert_false(sent_pid_attr);
	assert_int_equal(fake.nrequests, 1);
	/* by pid, the oldest first; ss's netids, states and addresses */
	assert_string_equal(last.out, full_text);
	/* --json given before the command changes nothing else */
	assert_int_equal(knmt("-j", "sockets"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "\"sockets\""));
}

/* The inodes (last words of the lines that end in a number), in order. */
static void assert_inodes(const char *want)
{
	char got[256] = "";
	const char *line = last.out, *end, *w;

	for (; (end = strchr(line, '\n')) != NULL; line = end + 1) {
		for (w = end; w > line && w[-1] != ' '; w--)
			;
		if (w == end || strspn(w, "0123456789") != (size_t)(end - w))
			continue;
		if (got[0])
			strcat(got, ",");
		strncat(got, w, (size_t)(end - w));
	}
	if (strcmp(got, want))
		fail_msg("inodes %s, expected %s, in:\n%s", got, want, last.out);
}

static void test_sockets_pid(void **state)
{
	struct json_object *root, *socks;

	(void)state;
	fake_reset(answer_sockets);
	assert_int_equal(knmt("sockets", "-p", "300"), CLI_EXIT_OK);
	assert_true(sent_pid_attr);
	assert_int_equal(sent_pid, 300);
	assert_inodes("1001,1003,1002");
	assert_null(strstr(last.out, "postgres"));
	assert_non_null(strstr(last.out, "\n3 sockets of 1 process\n"));
	/* the note comes with a marked age only */
	assert_non_null(strstr(last.out, "\n* open before knmt was loaded"));

	assert_int_equal(knmt("sockets", "--pid", "100", "--json"), CLI_EXIT_OK);
	assert_int_equal(sent_pid, 100);
	root = parse_out();
	socks = at(root, "sockets");
	assert_int_equal(json_object_array_length(socks), 2);
	assert_int_equal(int_at(json_object_array_get_idx(socks, 0), "inode"), 2001);
	assert_int_equal(int_at(json_object_array_get_idx(socks, 1), "inode"), 2002);
	json_object_put(root);

	assert_int_equal(knmt("sockets", "-p", "200"), CLI_EXIT_OK);
	assert_inodes("3002,3001");
	assert_null(strstr(last.out, "* open before"));
	/* no mark, no padding: the ages end where the header does */
	assert_non_null(strstr(last.out, "    AGE  IN STATE"));
	assert_non_null(strstr(last.out, " 10.0 s         -  4 KiB   3002\n"));
}

static void test_sockets_state(void **state)
{
	(void)state;
	fake_reset(answer_sockets);
	assert_int_equal(knmt("sockets", "--state", "close-wait"), CLI_EXIT_OK);
	assert_inodes("1003");
	assert_non_null(strstr(last.out, "\n1 socket of 1 process\n"));
	assert_false(sent_pid_attr);	/* filtered here, not by the module */
	assert_int_equal(knmt("sockets", "--state", "CLOSE_WAIT"), CLI_EXIT_OK);
	assert_inodes("1003");
	assert_int_equal(knmt("sockets", "--state", "Close-Wait"), CLI_EXIT_OK);
	assert_inodes("1003");
	/* TCP_CLOSE: closed, close, unconn, unconnected */
	assert_int_equal(knmt("sockets", "--state", "unconn"), CLI_EXIT_OK);
	assert_inodes("2002,3002,3001");
	assert_non_null(strstr(last.out, "\n3 sockets of 2 processes\n"));
	assert_int_equal(knmt("sockets", "--state", "closed"), CLI_EXIT_OK);
	assert_inodes("2002,3002,3001");
	assert_int_equal(knmt("sockets", "--state", "UNCONNECTED"), CLI_EXIT_OK);
	assert_inodes("2002,3002,3001");
	/* established: estab, established, ESTAB */
	assert_int_equal(knmt("sockets", "--state", "estab"), CLI_EXIT_OK);
	assert_inodes("2001,1002");
	assert_int_equal(knmt("sockets", "--state", "established"), CLI_EXIT_OK);
	assert_inodes("2001,1002");
	assert_int_equal(knmt("sockets", "--state", "ESTAB", "-p", "300"), CLI_EXIT_OK);
	assert_inodes("1002");
	/* listen, listening; repeated: either */
	assert_int_equal(knmt("sockets", "--state", "listening"), CLI_EXIT_OK);
	assert_inodes("1001");
	assert_int_equal(knmt("sockets", "--state", "listen", "--state",
			      "estab"), CLI_EXIT_OK);
	assert_inodes("2001,1001,1002");
	/* none in that state */
	assert_int_equal(knmt("sockets", "--state", "new-syn-recv"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "\n(none)\n0 sockets of 0 processes\n"));
	assert_int_equal(knmt("sockets", "--state", "time_wait", "--json"), CLI_EXIT_OK);
	assert_string_equal(last.out, "{\n  \"sockets\": [\n  ]\n}\n");
}

static void test_sockets_min_age(void **state)
{
	(void)state;
	fake_reset(answer_sockets);
	/* at least a minute: 90 s, 2 h, 1 h 02 m 03 s, 65 s */
	assert_int_equal(knmt("sockets", "--min-age", "1m"), CLI_EXIT_OK);
	assert_inodes("2001,1001,1003,1002");
	assert_non_null(strstr(last.out, "\n4 sockets of 2 processes\n"));
	/* the bound is included */
	assert_int_equal(knmt("sockets", "--min-age", "2h"), CLI_EXIT_OK);
	assert_inodes("1001");
	assert_int_equal(knmt("sockets", "--min-age", "1h2m3s"), CLI_EXIT_OK);
	assert_inodes("1001,1003");
	assert_int_equal(knmt("sockets", "--min-age", "1h2m4s"), CLI_EXIT_OK);
	assert_inodes("1001");
	assert_int_equal(knmt("sockets", "--min-age", "500ms"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "\n7 sockets of 3 processes\n"));
	assert_int_equal(knmt("sockets", "--min-age", "501ms"), CLI_EXIT_OK);
	assert_inodes("2001,3002,3001,1001,1003,1002");
	/* a number alone is seconds */
	assert_int_equal(knmt("sockets", "--min-age", "10"), CLI_EXIT_OK);
	assert_inodes("2001,3002,1001,1003,1002");
	assert_int_equal(knmt("sockets", "--min-age", "3h"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "\n0 sockets of 0 processes\n"));
	/* with --state: both */
	assert_int_equal(knmt("sockets", "--state", "estab", "--min-age", "66s"),
			 CLI_EXIT_OK);
	assert_inodes("2001");
}

static void test_sockets_top(void **state)
{
	struct json_object *root;

	(void)state;
	fake_reset(answer_sockets);
	assert_int_equal(knmt("sockets", "-n", "2"), CLI_EXIT_OK);
	assert_inodes("2001,2002");
	/* the last line counts every match */
	assert_non_null(strstr(last.out, "\n7 sockets of 3 processes, the first 2 shown\n"));
	/* the approximate socket is not shown: no note, no padding */
	assert_null(strstr(last.out, "* open before"));
	assert_int_equal(knmt("sockets", "-n", "5"), CLI_EXIT_OK);
	assert_inodes("2001,2002,3002,3001,1001");
	assert_non_null(strstr(last.out, "\n* open before knmt was loaded"));
	assert_int_equal(knmt("sockets", "-n", "100"), CLI_EXIT_OK);
	assert_string_equal(last.out, full_text);
	assert_int_equal(knmt("sockets", "-n", "3", "--json"), CLI_EXIT_OK);
	root = parse_out();
	assert_int_equal(nkeys(root), 1);
	assert_int_equal(json_object_array_length(at(root, "sockets")), 3);
	json_object_put(root);
}

static const char *const sock_keys[] = {
	"pid", "comm", "inode", "family", "type", "protocol", "netid", "state",
	"flags", "age_s", "state_age_s", "recv_q", "send_q", "rx_queued_bytes",
	"tx_queued_bytes", "mem_bytes", "skmem", "local", "remote",
};

static const char *const skmem_keys[] = { "r", "rb", "t", "tb", "f", "w" };

/* Every key, and the values of what fake_sock_msg() sends for fs. */
static void check_sock_object(struct json_object *o, const struct fake_sock *fs)
{
	char path[32];
	size_t i;

	assert_int_equal(nkeys(o), N(sock_keys));
	for (i = 0; i < N(sock_keys); i++)
		if (!json_object_object_get_ex(o, sock_keys[i], NULL))
			fail_msg("key \"%s\" missing", sock_keys[i]);
	assert_int_equal(int_at(o, "pid"), fs->pid);
	assert_string_equal(str_at(o, "comm"), fs->comm);
	assert_int_equal(int_at(o, "inode"), fs->inode);
	check_type(o, "netid", json_type_string);
	check_type(o, "state", json_type_string);
	check_type(o, "flags", json_type_array);
	check_type(o, "age_s", json_type_double);
	assert_true(json_object_get_double(at(o, "age_s")) == (double)fs->age_ns / 1e9);
	if (fs->state_age_ns) {
		check_type(o, "state_age_s", json_type_double);
		assert_true(json_object_get_double(at(o, "state_age_s")) ==
			    (double)fs->state_age_ns / 1e9);
	} else {
		check_type(o, "state_age_s", json_type_null);
	}
	assert_int_equal(int_at(o, "recv_q"), fs->recv_q);
	assert_int_equal(int_at(o, "send_q"), fs->send_q);
	assert_int_equal(nkeys(at(o, "skmem")), N(skmem_keys));
	for (i = 0; i < N(skmem_keys); i++) {
		snprintf(path, sizeof(path), "skmem.%s", skmem_keys[i]);
		check_type(o, path, fs->k ? json_type_int : json_type_null);
	}
	if (!fs->k) {
		check_type(o, "rx_queued_bytes", json_type_null);
		check_type(o, "tx_queued_bytes", json_type_null);
		check_type(o, "mem_bytes", json_type_null);
		return;
	}
	assert_int_equal(int_at(o, "skmem.r"), 100 * fs->k);
	assert_int_equal(int_at(o, "skmem.rb"), 1000 * fs->k);
	assert_int_equal(int_at(o, "skmem.t"), 200 * fs->k);
	assert_int_equal(int_at(o, "skmem.tb"), 2000 * fs->k);
	assert_int_equal(int_at(o, "skmem.f"), 300 * fs->k);
	assert_int_equal(int_at(o, "skmem.w"), 400 * fs->k);
	assert_int_equal(int_at(o, "rx_queued_bytes"), 10 * fs->k);
	assert_int_equal(int_at(o, "tx_queued_bytes"), 20 * fs->k);
	assert_int_equal(int_at(o, "mem_bytes"), 4096 * fs->k);
}

static const struct fake_sock *fake_by_inode(uint64_t inode)
{
	size_t i;

	for (i = 0; i < N(fake_socks); i++)
		if (fake_socks[i].inode == inode)
			return &fake_socks[i];
	fail_msg("no fake socket of inode %" PRIu64, inode);
	return NULL;
}

static struct json_object *flag_at(struct json_object *o, size_t i)
{
	return json_object_array_get_idx(at(o, "flags"), i);
}

static void test_sockets_json(void **state)
{
	static const uint64_t order[] = { 2001, 2002, 3002, 3001, 1001, 1003, 1002 };
	struct json_object *root, *socks, *o;
	size_t i;

	(void)state;
	fake_reset(answer_sockets);
	assert_int_equal(knmt("sockets", "--json"), CLI_EXIT_OK);
	assert_string_equal(last.err, "");
	root = parse_out();
	assert_int_equal(nkeys(root), 1);
	socks = at(root, "sockets");
	assert_int_equal(json_object_array_length(socks), N(order));
	/* sorted as the text */
	for (i = 0; i < N(order); i++) {
		o = json_object_array_get_idx(socks, i);
		assert_int_equal(int_at(o, "inode"), order[i]);
		check_sock_object(o, fake_by_inode(order[i]));
	}

	/* unix: no protocol, no addresses */
	o = json_object_array_get_idx(socks, 0);
	assert_string_equal(str_at(o, "family"), "unix");
	assert_string_equal(str_at(o, "type"), "stream");
	check_type(o, "protocol", json_type_null);
	assert_string_equal(str_at(o, "netid"), "u_str");
	assert_string_equal(str_at(o, "state"), "established");
	check_type(o, "local", json_type_null);
	check_type(o, "remote", json_type_null);
	assert_int_equal(json_object_array_length(at(o, "flags")), 0);

	/* IPv6 any: exact in JSON */
	o = json_object_array_get_idx(socks, 1);
	assert_string_equal(str_at(o, "family"), "inet6");
	assert_string_equal(str_at(o, "type"), "dgram");
	assert_string_equal(str_at(o, "protocol"), "udp");
	assert_string_equal(str_at(o, "netid"), "udp");
	assert_string_equal(str_at(o, "state"), "closed");
	assert_string_equal(str_at(o, "local"), "[::]:53");
	assert_string_equal(str_at(o, "remote"), "[::]:0");

	/* netlink: a family by number, the netid ss gives it */
	o = json_object_array_get_idx(socks, 2);
	assert_string_equal(str_at(o, "family"), "af16");
	assert_string_equal(str_at(o, "type"), "raw");
	check_type(o, "protocol", json_type_null);
	assert_string_equal(str_at(o, "netid"), "nl");
	check_type(o, "local", json_type_null);
	assert_int_equal(json_object_array_length(at(o, "flags")), 1);
	assert_string_equal(json_object_get_string(flag_at(o, 0)), "adopted");

	/* a ping socket: no peer sent */
	o = json_object_array_get_idx(socks, 3);
	assert_string_equal(str_at(o, "family"), "inet");
	assert_string_equal(str_at(o, "protocol"), "icmp");
	assert_string_equal(str_at(o, "netid"), "inet/dgram");
	assert_string_equal(str_at(o, "local"), "0.0.0.0:0");
	check_type(o, "remote", json_type_null);

	/* the listener open before the load */
	o = json_object_array_get_idx(socks, 4);
	assert_string_equal(str_at(o, "netid"), "tcp");
	assert_string_equal(str_at(o, "protocol"), "tcp");
	assert_string_equal(str_at(o, "state"), "listen");
	assert_string_equal(str_at(o, "local"), "0.0.0.0:80");
	assert_string_equal(str_at(o, "remote"), "0.0.0.0:0");
	assert_int_equal(json_object_array_length(at(o, "flags")), 1);
	assert_string_equal(json_object_get_string(flag_at(o, 0)), "approx");
	assert_true(json_object_get_double(at(o, "age_s")) == 7200.0);

	o = json_object_array_get_idx(socks, 5);
	assert_string_equal(str_at(o, "state"), "close_wait");
	assert_string_equal(str_at(o, "local"), "10.0.0.1:8080");
	assert_string_equal(str_at(o, "remote"), "10.0.0.9:40000");
	assert_true(json_object_get_double(at(o, "state_age_s")) == 300.0);

	o = json_object_array_get_idx(socks, 6);
	assert_string_equal(str_at(o, "family"), "inet6");
	assert_string_equal(str_at(o, "local"), "[2001:db8::1]:443");
	assert_string_equal(str_at(o, "remote"), "[2001:db8::2]:51000");
	assert_string_equal(json_object_get_string(flag_at(o, 0)), "accepted");
	assert_true(json_object_get_double(at(o, "age_s")) == 65.0);
	json_object_put(root);
}

/* A socket with its pid only: every key still there, null. */
static void answer_bare_socket(const struct nlmsghdr *req)
{
	struct nl_msg *msgs[1];

	(void)req;
	msgs[0] = fake_reply(KNMT_CMD_DUMP_SOCKETS);
	assert_int_equal(nla_put_u32(msgs[0], KNMT_A_SOCK_PID, 42), 0);
	assert_int_equal(nla_put_u8(msgs[0], KNMT_A_SOCK_STATE, 99), 0);
	fake_push_many(msgs, 1);
	fake_push_done(0, NULL);
}

static void test_sockets_json_bare(void **state)
{
	static const char *const nulls[] = {
		"comm", "inode", "family", "type", "protocol", "netid", "age_s",
		"state_age_s", "recv_q", "send_q", "rx_queued_bytes",
		"tx_queued_bytes", "mem_bytes", "skmem.r", "skmem.w", "local",
		"remote",
	};
	struct json_object *root, *o;
	size_t i;

	(void)state;
	fake_reset(answer_bare_socket);
	assert_int_equal(knmt("sockets", "--json"), CLI_EXIT_OK);
	root = parse_out();
	o = json_object_array_get_idx(at(root, "sockets"), 0);
	assert_int_equal(nkeys(o), N(sock_keys));
	assert_int_equal(int_at(o, "pid"), 42);
	/* a state of a newer kernel: its number */
	assert_string_equal(str_at(o, "state"), "99");
	check_type(o, "flags", json_type_array);
	assert_int_equal(json_object_array_length(at(o, "flags")), 0);
	for (i = 0; i < N(nulls); i++)
		check_type(o, nulls[i], json_type_null);
	json_object_put(root);

	assert_int_equal(knmt("sockets"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "\n 42  -     -      99          -       -  -      -       -         -    -      -\n"));
	/* a state filter does not match an unknown state */
	assert_int_equal(knmt("sockets", "--state", "listen"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "(none)\n"));
	/* nor an age filter a socket without an age */
	assert_int_equal(knmt("sockets", "--min-age", "0"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "(none)\n"));
}

static void test_sockets_usage(void **state)
{
	(void)state;
	fake_reset(answer_sockets);
	assert_int_equal(knmt("sockets", "--state", "bogus"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "knmt sockets: --state: unknown state 'bogus'"));
	/* the valid names are listed */
	assert_non_null(strstr(last.err, "(established, syn_sent, syn_recv, fin_wait_1, "
				"fin_wait_2, time_wait, closed, close_wait, last_ack, "
				"listen, closing, new_syn_recv;"));
	assert_non_null(strstr(last.err, "estab"));
	assert_non_null(strstr(last.err, "Usage: knmt sockets [-p PID]"));
	assert_int_equal(knmt("sockets", "--state", ""), CLI_EXIT_USAGE);
	assert_int_equal(knmt("sockets", "--state", "estab_"), CLI_EXIT_USAGE);
	assert_int_equal(knmt("sockets", "--state", "syn"), CLI_EXIT_USAGE);
	assert_int_equal(knmt("sockets", "--state"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "option '--state' needs a value"));

	assert_int_equal(knmt("sockets", "--min-age", "-5s"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "--min-age: '-5s': an age cannot be negative"));
	assert_int_equal(knmt("sockets", "--min-age", "5x"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "--min-age: '5x' is not a duration"));
	assert_non_null(strstr(last.err, "2h30m"));
	assert_int_equal(knmt("sockets", "--min-age", "1.5s"), CLI_EXIT_USAGE);
	assert_int_equal(knmt("sockets", "--min-age", "30m2h"), CLI_EXIT_USAGE);
	assert_int_equal(knmt("sockets", "--min-age", ""), CLI_EXIT_USAGE);
	assert_int_equal(knmt("sockets", "--min-age", "99999999999h"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "--min-age: '99999999999h' is too long"));
	assert_int_equal(knmt("sockets", "--min-age"), CLI_EXIT_USAGE);

	assert_int_equal(knmt("sockets", "-p", "0"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "'0' is not a pid"));
	assert_int_equal(knmt("sockets", "-p", "x"), CLI_EXIT_USAGE);
	assert_int_equal(knmt("sockets", "-p", "1", "-p", "2"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "one -p PID only"));
	assert_int_equal(knmt("sockets", "-n", "0"), CLI_EXIT_USAGE);
	assert_int_equal(knmt("sockets", "-n"), CLI_EXIT_USAGE);
	assert_int_equal(knmt("sockets", "tcp"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "unexpected argument 'tcp'"));
	assert_int_equal(knmt("sockets", "--bogus"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "unknown option '--bogus'"));
	assert_int_equal(knmt("sockets", "-s", "listen"), CLI_EXIT_USAGE);
	assert_int_equal(fake.nrequests, 0);
}

static void answer_eperm(const struct nlmsghdr *req)
{
	(void)req;
	fake_push_error(-EPERM, NULL, -1, false);
}

static void answer_eopnotsupp(const struct nlmsghdr *req)
{
	(void)req;
	fake_push_error(-EOPNOTSUPP, NULL, -1, true);
}

static void test_sockets_errors(void **state)
{
	(void)state;
	fake_reset(answer_sockets);
	assert_int_equal(knmt("sockets", "-p", "999"), CLI_EXIT_RUNTIME);
	assert_int_equal(sent_pid, 999);
	assert_string_equal(last.err, "knmt: no process 999\n");
	assert_string_equal(last.out, "");
	assert_int_equal(knmt("sockets", "-p", "998", "--json"), CLI_EXIT_RUNTIME);
	assert_string_equal(last.err, "knmt: process 998 is not tracked "
			    "(see the tracking filter: knmt config)\n");
	assert_string_equal(last.out, "");

	fake_reset(answer_eperm);
	assert_int_equal(knmt("sockets"), CLI_EXIT_PERM);
	assert_non_null(strstr(last.err, "CAP_NET_ADMIN"));
	fake_reset(answer_eopnotsupp);
	assert_int_equal(knmt("sockets"), CLI_EXIT_RUNTIME);
	assert_string_equal(last.err, "knmt: the loaded knmt module does not list "
			    "sockets: it is older than this knmt\n");
	assert_int_equal(knmt_with(fake_knmt_open_not_loaded, "sockets", (char *)NULL),
			 CLI_EXIT_NOT_LOADED);
}

static void answer_bad_address(const struct nlmsghdr *req)
{
	unsigned char a[5] = { 0 };
	struct nl_msg *msgs[1];

	(void)req;
	msgs[0] = fake_reply(KNMT_CMD_DUMP_SOCKETS);
	assert_int_equal(nla_put_u32(msgs[0], KNMT_A_SOCK_PID, 1), 0);
	assert_int_equal(nla_put(msgs[0], KNMT_A_SOCK_LOCAL_ADDR, 5, a), 0);
	fake_push_many(msgs, 1);
	fake_push_done(0, NULL);
}

static void test_sockets_malformed(void **state)
{
	(void)state;
	fake_reset(answer_bad_address);
	assert_int_equal(knmt("sockets"), CLI_EXIT_RUNTIME);
	assert_non_null(strstr(last.err, "malformed reply"));
	assert_non_null(strstr(last.err, "KNMT_A_SOCK_LOCAL_ADDR has 5 bytes"));
	assert_string_equal(last.out, "");
}

static void test_sockets_help(void **state)
{
	(void)state;
	assert_int_equal(knmt("help"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "  sockets "));
	assert_int_equal(knmt("help", "sockets"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "Usage: knmt sockets [-p PID] [--state STATE] "
				"[--min-age DURATION] [-n N] [--json]\n"));
	assert_non_null(strstr(last.out, "CLOSE-WAIT"));
	assert_non_null(strstr(last.out, "--min-age DURATION"));
	assert_int_equal(knmt("sockets", "--help"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "Usage: knmt sockets"));
	assert_int_equal(knmt("sockets", "--state", "bogus", "-h"), CLI_EXIT_OK);
	assert_int_equal(fake.nrequests, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_sockets_text, teardown),
		cmocka_unit_test_teardown(test_sockets_pid, teardown),
		cmocka_unit_test_teardown(test_sockets_state, teardown),
		cmocka_unit_test_teardown(test_sockets_min_age, teardown),
		cmocka_unit_test_teardown(test_sockets_top, teardown),
		cmocka_unit_test_teardown(test_sockets_json, teardown),
		cmocka_unit_test_teardown(test_sockets_json_bare, teardown),
		cmocka_unit_test_teardown(test_sockets_usage, teardown),
		cmocka_unit_test_teardown(test_sockets_errors, teardown),
		cmocka_unit_test_teardown(test_sockets_malformed, teardown),
		cmocka_unit_test_teardown(test_sockets_help, teardown),
	};

	return cmocka_run_group_tests_name("cli_sockets", tests, NULL, NULL);
}
