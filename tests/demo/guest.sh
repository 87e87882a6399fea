#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What `make demo` shows inside the VM.
set -euo pipefail

say() { printf '\n\033[1m%s\033[0m\n' "$*"; }

say "\$ uname -r"
uname -r
say "\$ knmt --version"
knmt --version
say "\$ knmt status     # the module, the kernel, and every hook knmt attached"
knmt status
say "\$ knmt config"
knmt config
