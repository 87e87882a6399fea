// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The CLI's symbolizer on this very process: addresses of functions of
 * this program and of libc, anonymous memory, unmapped addresses and a
 * process that does not exist.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "symbolize.h"

/*
 * A function of this program, not inlined and kept under its name, long
 * enough for the offsets tried (a symbol covers its function's bytes
 * only).
 */
__attribute__((noinline, used)) int knmt_symbolize_marker(int x);

__attribute__((noinline, used)) int knmt_symbolize_marker(int x)
{
	volatile int acc = 0;
	int i;

	for (i = 0; i < x; i++)
		acc += i * x;
	return acc;
}

static char exe[PATH_MAX];

static int setup(void **state)
{
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	(void)state;
	if (n <= 0)
		return -1;
	exe[n] = '\0';
	return 0;
}

static void test_own_function(void **state)
{
	uint64_t addr = (uint64_t)(uintptr_t)&knmt_symbolize_marker;
	struct sym_ctx *ctx = sym_open((uint32_t)getpid());
	struct sym_info si;

	(void)state;
	assert_non_null(ctx);
	assert_true(sym_lookup(ctx, addr + 5, &si));
	assert_string_equal(si.function, "knmt_symbolize_marker");
	assert_int_equal(si.offset, 5);
	assert_non_null(si.object);
	assert_string_equal(si.object, exe);

	/* its first byte is offset 0 */
	assert_true(sym_lookup(ctx, addr, &si));
	assert_string_equal(si.function, "knmt_symbolize_marker");
	assert_int_equal(si.offset, 0);

	/* another function of this program */
	addr = (uint64_t)(uintptr_t)&test_own_function;
	assert_true(sym_lookup(ctx, addr + 1, &si));
	assert_string_equal(si.function, "test_own_function");
	assert_int_equal(si.offset, 1);
	sym_close(ctx);
	assert_int_equal(knmt_symbolize_marker(3), 9);
}

static void test_libc_function(void **state)
{
	/* a PIE's pointer to a library function is the function itself */
	uint64_t addr = (uint64_t)(uintptr_t)&strtoul;
	struct sym_ctx *ctx = sym_open((uint32_t)getpid());
	struct sym_info si;

	(void)state;
	assert_non_null(ctx);
	assert_true(sym_lookup(ctx, addr, &si));
	assert_non_null(strstr(si.object, "libc"));
	assert_non_null(si.function);
	assert_int_equal(si.offset, 0);
	sym_close(ctx);
}

static void test_anonymous_and_unmapped(void **state)
{
	size_t len = 1 << 20;
	char *anon = mmap(NULL, len, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct sym_ctx *ctx;
	struct sym_info si;

	(void)state;
	assert_true(anon != MAP_FAILED);
	ctx = sym_open((uint32_t)getpid());
	assert_non_null(ctx);
	assert_false(sym_lookup(ctx, (uint64_t)(uintptr_t)anon + 100, &si));
	assert_null(si.function);
	assert_null(si.object);		/* anonymous: no file */
	assert_false(sym_lookup(ctx, 0x1000, &si));
	assert_null(si.object);
	assert_false(sym_lookup(ctx, UINT64_MAX - 10, &si));
	sym_close(ctx);
	munmap(anon, len);
}

static void test_no_process(void **state)
{
	struct sym_info si;

	(void)state;
	/* above pid_max: no such process can exist */
	assert_null(sym_open(4194304 + 1));
	assert_false(sym_lookup(NULL, 0x401000, &si));
	assert_null(si.function);
	assert_null(si.object);
	sym_close(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_own_function),
		cmocka_unit_test(test_libc_function),
		cmocka_unit_test(test_anonymous_and_unmapped),
		cmocka_unit_test(test_no_process),
	};

	return cmocka_run_group_tests_name("symbolize", tests, setup, NULL);
}
