#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The man pages man/knmt.8 (the command) and man/knmt.4 (the module) and
# the bash completion completion/knmt, against what they describe:
#
#  - both pages format without a warning (groff -ww, and man --warnings
#    as lintian runs it), have a NAME line whatis can read, and escape
#    every option dash (\-); their .TH carries the version of knmt;
#  - every command the built knmt lists (knmt --help) has its section in
#    knmt.8 with every option its parser accepts (the option tables and
#    getopt strings of userspace/cli/*.c) and every one its --help shows;
#    the global options are in OPTIONS;
#  - every module parameter of kmod/*.c (module_param*) is in knmt.4 with
#    its type and default, and knmt.4 lists no parameter that is gone;
#  - the completion, sourced with bash-completion and driven through
#    COMP_WORDS/COMP_CWORD, offers exactly the commands for "knmt ",
#    exactly each command's long options for "knmt CMD --" (and short
#    ones for "-"), a value rather than an option after an option that
#    takes one, pids for PID, files for FILE, directories for DIR, and
#    exactly the values of the sources' tables where an option takes one
#    of a fixed set (sort keys, categories, TCP states, event types,
#    timeline formats, config actions and writable settings).
#
# Builds the CLI (make userspace) when build/bin/knmt is missing.  Needs
# groff and man-db, and bash-completion (scripts/deps installs them).
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
failed=0
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; failed=1; }

knmt=$top/build/bin/knmt
man8=$top/man/knmt.8
man4=$top/man/knmt.4
comp=$top/completion/knmt
cli=$top/userspace/cli
bashcomp=/usr/share/bash-completion/bash_completion

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
: >"$tmp/alias"

if [ ! -x "$knmt" ]; then
	if ! (cd "$top" && make -s userspace) >"$tmp/build" 2>&1 || [ ! -x "$knmt" ]; then
		notok "man: build the CLI (make userspace)"
		sed 's/^/    /' "$tmp/build"
		exit 1
	fi
fi
for f in "$man8" "$man4" "$comp"; do
	[ -f "$f" ] || { notok "man: ${f#"$top"/} exists"; exit 1; }
done

# What is in $1 and not in $2 (files of sorted lines), on one line.
minus() { LC_ALL=C comm -23 "$1" "$2" | tr '\n' ' ' | sed 's/ $//'; }

# ---- the pages format cleanly ------------------------------------------------

version=$("$knmt" version --json 2>/dev/null |
	sed -n 's/^ *"cli_version": *"\([^"]*\)".*/\1/p')
kversion=$(sed -n 's/^#define KNMT_VERSION "\(.*\)"$/\1/p' "$top/kmod/knmt.h")
for page in "$man8" "$man4"; do
	name=${page#"$top"/}
	sec=${page##*.}
	if ! command -v groff >/dev/null || ! command -v man >/dev/null; then
		notok "$name: groff and man are installed (run scripts/deps)"
		continue
	fi
	groff -man -ww -z "$page" >"$tmp/out" 2>&1
	LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 \
		man --warnings -E UTF-8 -l -Tutf8 -Z "$page" >/dev/null 2>>"$tmp/out"
	if [ -s "$tmp/out" ]; then
		notok "$name: groff -ww and man --warnings are silent"
		sed 's/^/    /' "$tmp/out"
	else
		ok "$name: groff -ww and man --warnings are silent"
	fi
	if lexgrog "$page" 2>&1 | grep -q ': "knmt - '; then
		ok "$name: NAME is a whatis entry"
	else
		notok "$name: NAME is a whatis entry ($(lexgrog "$page" 2>&1))"
	fi
	want=$version
	[ "$sec" = 4 ] && want=$kversion
	th=$(grep -m1 '^\.TH ' "$page")
	if [[ $th =~ ^\.TH\ KNMT\ $sec\ [0-9]{4}-[0-9]{2}-[0-9]{2}\ \"knmt\ $want\"\ \" ]]; then
		ok "$name: .TH KNMT $sec DATE \"knmt $want\""
	else
		notok "$name: .TH KNMT $sec DATE \"knmt $want\" (found: $th)"
	fi
	# an option dash is \- : a '-' that starts a word is one
	grep -nE '(^|[[:space:]([|,"])-+[[:alnum:]]' "$page" | grep -v '^[0-9]*:\.\\"' >"$tmp/out"
	if [ -s "$tmp/out" ]; then
		notok "$name: option dashes are escaped (\\-)"
		sed 's/^/    /' "$tmp/out"
	else
		ok "$name: option dashes are escaped (\\-)"
	fi
done

# ---- the commands and their options, from the sources and from --help ------

# The sources: per function, its option table (name, has_arg), getopt
# string and whether it parses the common options; per command, its run
# function.
awk '
/^(static )?int [a-z_0-9]+\(/ {
	fn = $0; sub(/^(static )?int /, "", fn); sub(/\(.*/, "", fn)
}
/struct option opts\[\] = \{/ { inopts = 1; next }
inopts && /^[ \t]*\};/ { inopts = 0 }
inopts && /\{ "[a-z][a-z0-9-]*", *[a-z]+_argument/ {
	s = $0; sub(/^[^"]*"/, "", s); name = s; sub(/".*/, "", name)
	val = s; sub(/.*_argument, *NULL, */, "", val); sub(/ *\}.*/, "", val)
	sub(/^[^,]*, */, "", s); sub(/_argument.*/, "", s)
	print "opt", fn, name, s, val
}
/getopt_long\(argc, argv, "/ {
	s = $0; sub(/.*getopt_long\(argc, argv, "/, "", s); sub(/".*/, "", s)
	print "optstring", fn, s
}
/cli_parse_common\(cli,/ { print "common", fn }
/^CLI_COMMAND\(/ { incmd = 1; cname = ""; crun = "" }
incmd && /\.name *= *"/ { s = $0; sub(/.*\.name *= *"/, "", s); sub(/".*/, "", s); cname = s }
incmd && /\.run *= */ { s = $0; sub(/.*\.run *= */, "", s); sub(/[,; ].*/, "", s); crun = s }
incmd && /^\};/ { print "cmd", cname, crun; incmd = 0 }
' "$cli"/*.c >"$tmp/src"

# src_opts FN: "--name" and "-x" lines, with " arg" when they take a value.
src_opts() {
	local fn=$1 s i c
	# a long option and its short one, in $tmp/alias
	awk -v fn="$fn" '$1 == "opt" && $2 == fn && $5 ~ /^\x27.\x27$/ {
		print "--" $3, "-" substr($5, 2, 1) }' "$tmp/src" >>"$tmp/alias"
	awk -v fn="$fn" '$1 == "opt" && $2 == fn {
		print "--" $3 ($4 == "no" ? "" : " arg") }' "$tmp/src"
	s=$(awk -v fn="$fn" '$1 == "optstring" && $2 == fn { print $3 }' "$tmp/src")
	s=${s#+} s=${s#:}
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		[ "$c" = : ] && continue
		if [ "${s:i+1:1}" = : ]; then echo "-$c arg"; else echo "-$c"; fi
	done
}

# help_opts TEXT: the options of the option lines of a --help ("  -p, --pid
# PID  text"), with the name of their value.
help_opts() {
	local line spec tok opts val
	local -
	set -f
	while IFS= read -r line; do
		[[ $line =~ ^\ +- ]] || continue
		spec=${line#"${line%%[! ]*}"}
		spec=${spec%%  *}
		opts=() val=
		for tok in ${spec//,/ }; do
			case $tok in
			--[a-z]* | -[A-Za-z]) opts+=("$tok") ;;
			*) [ -z "$val" ] && val=$tok ;;
			esac
		done
		for tok in "${opts[@]}"; do
			echo "$tok${val:+ $val}"
		done
	done
}

"$knmt" --help >"$tmp/help" 2>&1
sed -n '/^Commands:/,/^$/p' "$tmp/help" | awk 'NF && !/^Commands:/ { print $1 }' |
	LC_ALL=C sort -u >"$tmp/cmds"
awk '$1 == "cmd" { print $2 }' "$tmp/src" | LC_ALL=C sort -u >"$tmp/src-cmds"
if [ ! -s "$tmp/cmds" ]; then
	notok "knmt --help lists the commands"
	sed 's/^/    /' "$tmp/help"
	exit 1
fi
if cmp -s "$tmp/cmds" "$tmp/src-cmds"; then
	ok "knmt --help lists the $(wc -l <"$tmp/cmds") commands of the sources"
else
	notok "knmt --help lists the commands of the sources (help only: $(minus "$tmp/cmds" "$tmp/src-cmds"); sources only: $(minus "$tmp/src-cmds" "$tmp/cmds"))"
fi

# Per command: $tmp/opts.CMD, every option ("--name" or "-x", " KIND" when
# it takes a value: pid, file, dir or arg): what its parser accepts, what
# its --help shows, and -h/--help, which every command takes (main.c).
optfiles() {	# CMD FN
	local cmd=$1 fn=$2
	{
		src_opts "$fn"
		if grep -q "^common $fn\$" "$tmp/src"; then
			src_opts cli_parse_common
		fi
	} >"$tmp/srcopts.$cmd"
	awk '{ print; print $2, $1 }' "$tmp/alias" >"$tmp/alias.$cmd"
	: >"$tmp/alias"
	if [ "$cmd" = global ]; then
		help_opts <"$tmp/help"
	else
		"$knmt" "$cmd" --help </dev/null 2>&1 | help_opts
	fi >"$tmp/helpopts.$cmd"
	# documented but not accepted: --help saying what the parser refuses
	awk '{ print $1 }' "$tmp/helpopts.$cmd" | LC_ALL=C sort -u >"$tmp/a"
	awk '{ print $1 }' "$tmp/srcopts.$cmd" | LC_ALL=C sort -u >"$tmp/b"
	extra=$(minus "$tmp/a" "$tmp/b" | sed 's/\(^\| \)-h\b//; s/\(^\| \)--help\b//')
	[ -z "$extra" ] || notok "knmt $cmd --help shows options its parser does not accept: $extra"
	{
		awk '{ print $1 }' "$tmp/srcopts.$cmd" "$tmp/helpopts.$cmd"
		echo -h
		echo --help
	} | LC_ALL=C sort -u >"$tmp/names.$cmd"
	# KIND: from the name --help gives the value (of the option or of its
	# other name), else "arg" or nothing
	while read -r o; do
		k=$(awk -v o="$o" 'FNR == NR { if ($1 == o) alias = $2; next }
			($1 == o || $1 == alias) && NF > 1 { print $2; exit }' \
			"$tmp/alias.$cmd" "$tmp/helpopts.$cmd")
		case $k in
		PID) k='pid' ;;
		FILE | OUT) k='file' ;;
		DIR) k='dir' ;;
		'') k=$(awk -v o="$o" '$1 == o && NF > 1 { print "arg"; exit }' "$tmp/srcopts.$cmd") ;;
		*) k=arg ;;
		esac
		echo "$o${k:+ $k}"
	done <"$tmp/names.$cmd" >"$tmp/opts.$cmd"
	grep -- '^--' "$tmp/names.$cmd" >"$tmp/long.$cmd"
	grep -v -- '^--' "$tmp/names.$cmd" >"$tmp/short.$cmd"
}
optfiles global cli_main
while read -r cmd; do
	fn=$(awk -v c="$cmd" '$1 == "cmd" && $2 == c { print $3 }' "$tmp/src")
	if [ -z "$fn" ]; then
		notok "the run function of knmt $cmd is found in userspace/cli"
		: >"$tmp/opts.$cmd"
		continue
	fi
	optfiles "$cmd" "$fn"
done <"$tmp/cmds"

# ---- knmt.8 ---------------------------------------------------------------------

# section TITLE_REGEX [PAGE]: the lines of a .SH/.SS section of knmt.8
section() {
	awk -v re="$1" '
	/^\.S[HS] / { on = ($0 ~ re) ; next }
	on' "${2:-$man8}"
}
# roff LONG_OR_SHORT: the option as knmt.8 writes it (every '-' as \-), as
# an ERE
roffre() {
	local o=$1 r
	r=${o//-/\\\\-}
	if [[ $o == --* ]]; then
		printf '%s%s\n' "$r" '([^A-Za-z0-9\\]|\\[^-]|$)'
	else
		printf '%s%s%s\n' '(^|[^-])' "$r" '([^A-Za-z0-9]|$)'
	fi
}
mancheck() {	# NAME SECTION_TEXT_FILE OPTIONS_FILE
	local missing=() o
	while read -r o; do
		[ "$o" = -h ] || [ "$o" = --help ] && [ "$1" != global ] && continue
		grep -qE "$(roffre "$o")" "$2" || missing+=("$o")
	done <"$3"
	if [ ${#missing[@]} -eq 0 ]; then
		ok "knmt.8: $1: $(wc -l <"$3") options"
	else
		notok "knmt.8: $1: every option is described (missing: ${missing[*]})"
	fi
}
section '^\.SH OPTIONS' >"$tmp/man.global"
mancheck global "$tmp/man.global" "$tmp/names.global"
section '^\.SH SYNOPSIS' >"$tmp/man.synopsis"
while read -r cmd; do
	section '^\.SS "knmt '"$cmd"'"$' >"$tmp/man.$cmd"
	if [ ! -s "$tmp/man.$cmd" ]; then
		notok "knmt.8: knmt $cmd has a section (.SS \"knmt $cmd\")"
		continue
	fi
	grep -q "^\.B knmt $cmd\\b" "$tmp/man.synopsis" ||
		notok "knmt.8: knmt $cmd is in the SYNOPSIS"
	mancheck "knmt $cmd" "$tmp/man.$cmd" "$tmp/names.$cmd"
done <"$tmp/cmds"
# no section of a command that is gone
grep '^\.SS "knmt ' "$man8" | sed 's/^\.SS "knmt \([^"]*\)"$/\1/' |
	LC_ALL=C sort -u >"$tmp/man-cmds"
gone=$(minus "$tmp/man-cmds" "$tmp/cmds")
if [ -z "$gone" ]; then
	ok "knmt.8: no section of a command knmt does not have"
else
	notok "knmt.8: no section of a command knmt does not have ($gone)"
fi

# ---- knmt.4 ---------------------------------------------------------------------

# name type var perm of every module_param*(...) of kmod/*.c
cat "$top"/kmod/*.c | tr '\n' ' ' | grep -oE 'module_param[a-z_]*\([^)]*\)' |
	sed -E 's/^module_param([a-z_]*)\(//; s/\)$//; s/[[:space:]]*,[[:space:]]*/ /g' |
	while read -r a b c d; do
		if [ -n "$d" ]; then echo "$a $c $b $d"; else echo "$a $b $a $c"; fi
	done >"$tmp/params"
section '^\.SH PARAMETERS' "$man4" >"$tmp/man.params"
if [ ! -s "$tmp/params" ]; then
	notok "knmt.4: module parameters found in kmod/*.c"
fi
# the value of a macro or a number
value() {
	local v=$1
	if [[ ! $v =~ ^[0-9] ]]; then
		v=$(grep -rhE "^#define[[:space:]]+${v}[[:space:]]" "$top/kmod" | awk '{ print $3; exit }')
	fi
	[[ $v =~ ^([0-9]+)[uUlL]*$ ]] && v=${BASH_REMATCH[1]}
	echo "$v"
}
while read -r name type var perm; do
	init=$(grep -hE "^[a-z0-9_ ]*[[:space:]]$var( = [^;]*)?;" "$top"/kmod/*.c |
		sed -n 's/.* = \([^;]*\);.*/\1/p' | head -n 1)
	def=$(value "${init:-0}")
	entry=$(grep -E "^\.BR? $name \"" "$tmp/man.params")
	if [ -z "$entry" ]; then
		notok "knmt.4: parameter $name is described"
	elif [[ $entry != *"($type, default $def)"* ]]; then
		notok "knmt.4: parameter $name is ($type, default $def) (found: $entry)"
	elif ! grep -q "mode $perm" "$tmp/man.params"; then
		notok "knmt.4: parameter $name has mode $perm"
	else
		ok "knmt.4: parameter $name ($type, default $def, mode $perm)"
	fi
done <"$tmp/params"
awk '{ print $1 }' "$tmp/params" | LC_ALL=C sort -u >"$tmp/a"
sed -nE 's/^\.BR? ([a-z_0-9]+) "\(.*/\1/p' "$tmp/man.params" | LC_ALL=C sort -u >"$tmp/b"
gone=$(minus "$tmp/b" "$tmp/a")
if [ -z "$gone" ]; then
	ok "knmt.4: no parameter the module does not have"
else
	notok "knmt.4: no parameter the module does not have ($gone)"
fi

# ---- the completion -------------------------------------------------------------

if bash -n "$comp" 2>"$tmp/out"; then
	ok "completion: bash -n"
else
	notok "completion: bash -n"
	sed 's/^/    /' "$tmp/out"
	exit 1
fi
if [ ! -r "$bashcomp" ]; then
	notok "completion: $bashcomp (bash-completion; run scripts/deps)"
	exit 1
fi

# The queries, one command line a line (the word completed is the last);
# answers in $tmp/ans.N, one word a line, in the order of the queries.
queries=()
q() { queries+=("$1"); }
ans() {		# QUERY: the file of its answer
	local i
	for i in "${!queries[@]}"; do
		[ "${queries[i]}" = "$1" ] && { echo "$tmp/ans.$i"; return; }
	done
}
q 'knmt '
q 'knmt -'
q 'knmt --json summary --'
q 'knmt help '
while read -r cmd; do
	q "knmt $cmd --"
	q "knmt $cmd -"
	while read -r o k; do
		case $o in -h | --help) continue ;; esac
		if [ -n "$k" ]; then q "knmt $cmd $o "; else q "knmt $cmd $o --"; fi
	done <"$tmp/opts.$cmd"
	usage=$("$knmt" help "$cmd" 2>/dev/null | sed -n '1s/^Usage: knmt [a-z-]* //p')
	[ "${usage%% *}" = FILE ] && q "knmt $cmd "
done <"$tmp/cmds"
q 'knmt watch --events exec,'
q 'knmt config '
q 'knmt config set '
q 'knmt config set filter_pid='
printf '%s\n' "${queries[@]}" >"$tmp/queries"

mkdir "$tmp/cwd" "$tmp/cwd/sub"
: >"$tmp/cwd/rec.jsonl"
cat >"$tmp/driver" <<'EOF'
# Runs each query of $1 through the completion of knmt, as readline would
# call it: COMP_WORDS split at blanks and at the word breaks = and :.
source "$BASHCOMP" || exit 1
source "$COMP" || exit 1
fn=$(complete -p knmt 2>/dev/null | sed -n 's/.*-F \([^ ]*\) .*/\1/p')
[ -n "$fn" ] || { echo "no completion registered for knmt" >&2; exit 1; }
split() {
	local line=$1 i c w='' kind=''
	COMP_WORDS=()
	for ((i = 0; i < ${#line}; i++)); do
		c=${line:i:1}
		if [[ $c == [[:blank:]] ]]; then
			[[ -n $w ]] && COMP_WORDS+=("$w")
			w='' kind=''
		elif [[ $c == [=:] ]]; then
			if [[ $kind == b ]]; then w+=$c; else
				[[ -n $w ]] && COMP_WORDS+=("$w")
				w=$c kind=b
			fi
		elif [[ $kind == w ]]; then
			w+=$c
		else
			[[ -n $w ]] && COMP_WORDS+=("$w")
			w=$c kind=w
		fi
	done
	COMP_WORDS+=("$w")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE=$line COMP_POINT=${#line}
}
n=0
while IFS= read -r line; do
	split "$line"
	COMPREPLY=()
	"$fn" knmt "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" 2>/dev/null
	if ((${#COMPREPLY[@]})); then printf '%s\n' "${COMPREPLY[@]}"; fi >"$OUT/ans.$n"
	n=$((n + 1))
done <"$1"
EOF
if ! (cd "$tmp/cwd" && BASHCOMP=$bashcomp COMP=$comp OUT=$tmp \
	bash --norc --noprofile "$tmp/driver" "$tmp/queries") >"$tmp/out" 2>&1; then
	notok "completion: sourced with bash-completion and driven"
	sed 's/^/    /' "$tmp/out"
	exit 1
fi

# same QUERY EXPECTED_FILE WHAT: the answer is exactly the expected words
same() {
	local a
	a=$(ans "$1")
	LC_ALL=C sort -u "$a" >"$tmp/got"
	if cmp -s "$tmp/got" "$2"; then
		ok "completion: '$1' offers $3"
	else
		notok "completion: '$1' offers $3 (missing: $(minus "$2" "$tmp/got"); extra: $(minus "$tmp/got" "$2"))"
	fi
}
# sources ARRAY FILE: the strings of a C array of strings, [X] = "s" or "s"
cstrings() {
	awk -v a="$1" '
	index($0, a) && /=.*\{/ { on = 1 }
	on { s = $0; while (match(s, /"[^"]*"/)) { print substr(s, RSTART + 1, RLENGTH - 2); s = substr(s, RSTART + RLENGTH) } }
	on && /\};/ { exit }' "$2" | LC_ALL=C sort -u
}

same 'knmt ' "$tmp/cmds" "every command"
same 'knmt help ' "$tmp/cmds" "every command"
grep -- '^-' "$tmp/names.global" >"$tmp/exp"
same 'knmt -' "$tmp/exp" "the global options"
same 'knmt --json summary --' "$tmp/long.summary" "summary's long options after a global option"

while read -r cmd; do
	same "knmt $cmd --" "$tmp/long.$cmd" "the long options of $cmd"
	grep -- '^-[^-]' "$(ans "knmt $cmd -")" | LC_ALL=C sort -u >"$tmp/got-short"
	if cmp -s "$tmp/got-short" "$tmp/short.$cmd"; then
		ok "completion: 'knmt $cmd -' offers the short options of $cmd"
	else
		notok "completion: 'knmt $cmd -' offers the short options of $cmd (missing: $(minus "$tmp/short.$cmd" "$tmp/got-short"); extra: $(minus "$tmp/got-short" "$tmp/short.$cmd"))"
	fi
	bad=()
	while read -r o k; do
		case $o in -h | --help) continue ;; esac
		if [ -z "$k" ]; then
			# takes no value: the options come next
			grep -qx -- --help "$(ans "knmt $cmd $o --")" ||
				bad+=("$o (takes no value, options should follow)")
			continue
		fi
		a=$(ans "knmt $cmd $o ")
		if grep -q -- '^-' "$a"; then
			bad+=("$o (takes a value, options offered)")
		fi
		case $k in
		pid)
			grep -qx 1 "$a" && ! grep -qvx '[0-9]*' "$a" ||
				bad+=("$o (pids)")
			;;
		file)
			grep -qx rec.jsonl "$a" || bad+=("$o (files)")
			;;
		dir)
			grep -qx sub "$a" && ! grep -qx rec.jsonl "$a" ||
				bad+=("$o (directories)")
			;;
		esac
	done <"$tmp/opts.$cmd"
	if [ ${#bad[@]} -eq 0 ]; then
		ok "completion: the values of $cmd's options"
	else
		notok "completion: the values of $cmd's options: ${bad[*]}"
	fi
	usage=$("$knmt" help "$cmd" 2>/dev/null | sed -n '1s/^Usage: knmt [a-z-]* //p')
	if [ "${usage%% *}" = FILE ]; then
		if grep -qx rec.jsonl "$(ans "knmt $cmd ")"; then
			ok "completion: 'knmt $cmd ' offers files"
		else
			notok "completion: 'knmt $cmd ' offers files"
		fi
	fi
done <"$tmp/cmds"

# the fixed sets, from the tables the parsers look values up in
awk '/sort_keys\[\] = \{/ { on = 1; next } on && /^\};/ { exit }
	on && /\{ "/ { s = $0; sub(/^[^"]*"/, "", s); sub(/".*/, "", s); print s }' \
	"$cli/summary.c" | LC_ALL=C sort -u >"$tmp/exp"
same 'knmt summary --sort ' "$tmp/exp" "the sort keys of summary.c"
same 'knmt summary -s ' "$tmp/exp" "the sort keys of summary.c"
cstrings 'category_names[' "$top/userspace/lib/proc.c" >"$tmp/exp"
same 'knmt regions --category ' "$tmp/exp" "the categories of libknmt"
same 'knmt regions -c ' "$tmp/exp" "the categories of libknmt"
cstrings 'tcp_state_names[' "$top/userspace/lib/socket.c" >"$tmp/exp"
same 'knmt sockets --state ' "$tmp/exp" "the TCP states of libknmt"
cstrings 'event_type_names[' "$top/userspace/lib/events.c" >"$tmp/exp"
same 'knmt watch --events ' "$tmp/exp" "the event types of libknmt"
grep -vx exec "$tmp/exp" | sed 's/^/exec,/' >"$tmp/exp2"
same 'knmt watch --events exec,' "$tmp/exp2" "the other event types after a comma"
cstrings 'formats[' "$cli/timeline.c" >"$tmp/exp"
same 'knmt timeline --format ' "$tmp/exp" "the formats of timeline.c"
same 'knmt timeline -f ' "$tmp/exp" "the formats of timeline.c"
# config: its actions (config_run) and what 'config set' takes: the
# writable settings (settings[], writable true) and the filter ones
sed -n '/^static int config_run(/,/^}/p' "$cli/config.c" |
	grep -o 'strcmp(argv\[argi\], "[a-z-]*")' | sed 's/.*"\(.*\)")/\1/' |
	LC_ALL=C sort -u >"$tmp/exp"
same 'knmt config ' "$tmp/exp" "the actions of config.c"
{
	awk '/^static const struct setting settings\[\] = \{/ { on = 1; next }
		on && /^\};/ { exit }
		on && /\{ "[a-z_]+", [A-Z_]+, [A-Z_]+, true,/ {
			s = $0; sub(/^[^"]*"/, "", s); sub(/".*/, "", s); print s "=" }' "$cli/config.c"
	cstrings 'filter_settings[' "$cli/config.c" | sed 's/$/=/'
} | LC_ALL=C sort -u >"$tmp/exp"
same 'knmt config set ' "$tmp/exp" "the writable settings of config.c"
a=$(ans 'knmt config set filter_pid=')
if grep -qx 1 "$a" && ! grep -qvxE '[0-9]+|none' "$a"; then
	ok "completion: 'knmt config set filter_pid=' offers pids"
else
	notok "completion: 'knmt config set filter_pid=' offers pids ($(tr '\n' ' ' <"$a" | cut -c1-80))"
fi

exit $failed
