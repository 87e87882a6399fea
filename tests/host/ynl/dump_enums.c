// SPDX-License-Identifier: GPL-2.0
/*
 * Print every enum constant and every #define of <linux/knmt.h> as
 * NAME=VALUE, one a line: numbers in decimal, strings as NAME="text".
 *
 * The names come from knmt-names.h, X(NAME) lines that tests/host/t-ynl.sh
 * has check_spec.py extract from the preprocessed header; the values come
 * from the compiler, so they are what C users of the header see.
 *
 * Build: gcc -std=c11 -I <dir of knmt-names.h> -I kmod/uapi dump_enums.c
 */
#include <stdio.h>
#include <linux/knmt.h>

static void put_str(const char *name, const char *v)
{
	printf("%s=\"%s\"\n", name, v);
}

static void put_int(const char *name, long long v)
{
	printf("%s=%lld\n", name, v);
}

static void put_uint(const char *name, unsigned long long v)
{
	printf("%s=%llu\n", name, v);
}

/* Pick the printer by the type of the constant: string, unsigned, signed. */
#define X(n) _Generic((n),						\
		char *: put_str,					\
		const char *: put_str,					\
		unsigned int: put_uint,					\
		unsigned long: put_uint,				\
		unsigned long long: put_uint,				\
		default: put_int)(#n, (n));

int main(void)
{
#include "knmt-names.h"
	return 0;
}
