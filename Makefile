# SPDX-License-Identifier: GPL-2.0
#
# knmt: kernel native memory tracking.
#
#   make                 build the CLI and knmt.ko for every kernel with headers
#   make check           install what is missing, run every test (unit, VM, DKMS)
#   make check-debug     the same on a debug kernel built once (KASAN, lockdep,
#                        kmemleak, KFENCE; scripts/debug-kernel)
#   make stress          the VM suite with the long stress and fuzz runs, and
#                        100 load/unload cycles, on every kernel
#   make demo            boot a throwaway VM and show what knmt sees
#   make bench           what knmt costs against no tracing and against bpftrace,
#                        in a VM per kernel (KERNELS="6.1 6.12"; bench/README.md)
#   make kmod KVER=REL   build knmt.ko for one kernel into build/kmod/REL/
#                        (KDIR=DIR: its build tree, if not /lib/modules/REL/build)
#   make userspace       build libknmt and the knmt CLI into build/
#   make unit            run the userspace unit tests
#   make workloads       build the programs the VM accuracy tests run
#   make checkpatch      run the kernel's checkpatch.pl --strict on kmod/
#   make deb             Debian packages knmt and knmt-dkms into build/deb/
#                        (dpkg-buildpackage in a copy of the tree)

TOP := $(CURDIR)
BUILD := $(TOP)/build
KVERS ?= $(sort $(patsubst /lib/modules/%/build,%,$(wildcard /lib/modules/*/build)))

.PHONY: all kmod modules userspace unit nltest test-kmods check check-debug stress \
	demo bench checkpatch deb \
	demo-bin workloads clean

all: userspace modules

kmod:
	@test -n "$(KVER)" || { echo "usage: make kmod KVER=<kernel release>" >&2; exit 2; }
	$(MAKE) -C kmod KVER=$(KVER) $(if $(KDIR),KDIR=$(KDIR)) B=$(BUILD)/kmod/$(KVER)

modules:
	@test -n "$(KVERS)" || { echo "knmt: no kernel headers under /lib/modules/*/build; run scripts/deps" >&2; exit 1; }
	@set -e; for k in $(KVERS); do $(MAKE) --no-print-directory kmod KVER=$$k; done

userspace:
	$(MAKE) -C userspace O=$(BUILD)

unit:
	$(MAKE) -C userspace O=$(BUILD) unit

nltest:
	$(MAKE) -C userspace O=$(BUILD) nltest

test-kmods:
	@test -n "$(KVER)" || { echo "usage: make test-kmods KVER=<kernel release>" >&2; exit 2; }
	$(MAKE) -C tests/kmod KVER=$(KVER) O=$(BUILD)/kmod/$(KVER)/tests

workloads:
	$(MAKE) -C tests/workloads O=$(BUILD)/workloads

check:
	@scripts/check

check-debug:
	@scripts/check --debug

stress:
	@scripts/check --stress

demo:
	@scripts/demo

# bench/host builds what it needs, then runs bench/run in each kernel's
# VM; the KNMT_BENCH_* settings reach the guest (bench/run).
KERNELS ?= 6.1 6.12

bench:
	@bench/host $(KERNELS)

demo-bin: $(BUILD)/demo/leaky-service $(BUILD)/demo/leaky-server

$(BUILD)/demo/%: tests/demo/%.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -pthread -o $@ $<

CHECKPATCH := $(BUILD)/linux-source-6.1/scripts/checkpatch.pl
KMOD_FILES := $(wildcard kmod/*.c kmod/*.h kmod/wrapper/*.h kmod/uapi/linux/*.h \
		kmod/configure/*.c tests/kmod/*.c)

$(CHECKPATCH):
	@scripts/deps --checkpatch

checkpatch: $(CHECKPATCH)
	@$(CHECKPATCH) --strict --no-tree --show-types --terse -f $(KMOD_FILES) \
		| grep -v '^total: 0 errors, 0 warnings' || true
	@$(CHECKPATCH) --strict --no-tree --quiet -f $(KMOD_FILES) >/dev/null 2>&1 \
		&& echo "checkpatch: $(words $(KMOD_FILES)) files clean"

# The packages are built in a copy of the tree (what git tracks, plus new
# files git does not ignore; build output and untracked droppings stay
# out), so that the tree is left as it was; dpkg-buildpackage writes the
# .deb, .changes and .buildinfo files next to the copy, in build/deb/.
DEB_DIR := $(BUILD)/deb
DEB_COPY := $(DEB_DIR)/knmt-$(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' dkms.conf)

deb:
	@command -v dpkg-buildpackage >/dev/null && command -v dh >/dev/null || \
		{ echo "knmt: make deb needs dpkg-dev and debhelper; run scripts/deps" >&2; exit 1; }
	rm -rf $(DEB_DIR)
	mkdir -p $(DEB_COPY)
	@set -e; \
	if git -C $(TOP) rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		git -C $(TOP) ls-files -z --cached --others --exclude-standard; \
	else \
		cd $(TOP) && find . \( -path ./build -o -path ./.git \) -prune -o ! -type d -print0; \
	fi | (cd $(TOP) && xargs -0 sh -c 'for f; do if [ -e "$$f" ] || [ -L "$$f" ]; then \
		printf "%s\0" "$$f"; fi; done' sh) | \
		tar -C $(TOP) --null --no-recursion -T - -cf - | tar -C $(DEB_COPY) -xf -
	cd $(DEB_COPY) && dpkg-buildpackage -us -uc -b
	rm -rf $(DEB_COPY)
	@ls -1 $(DEB_DIR)

clean:
	rm -rf $(BUILD)
	-$(MAKE) -C userspace O=$(BUILD) clean
