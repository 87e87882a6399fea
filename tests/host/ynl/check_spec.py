#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Checks of the knmt YNL spec (kmod/uapi/linux/knmt.yaml), run by
tests/host/t-ynl.sh.  Prints "ok - ..." / "not ok - ..." lines, details
indented below a failure, and exits 1 if any check failed.

  check_spec.py validate SPEC SCHEMA
      SPEC against the YNL JSON schema, and the SPDX line YNL requires.
  check_spec.py names DEFINES PREPROCESSED
      X(NAME) lines for dump_enums.c: the object-like macros of DEFINES
      (the header's part of "gcc -dM -E") and the enum constants of
      PREPROCESSED ("gcc -E -P" of the header).
  check_spec.py compare SPEC VALUES HEADER
      the names and values YNL's C generator would derive from SPEC
      against VALUES (dump_enums output), both ways; attribute types
      against the type comments of HEADER; references inside SPEC.

The naming rules are those of the kernel's tools/net/ynl/pyynl/ynl_gen_c.py
(render_uapi) and lib/nlspec.py: attribute and operation values count
from 1 unless "value" says otherwise, enum entries from value-start (0),
flags are 1 << position.
"""
import os
import re
import sys

import yaml

SPDX = '# SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)'

failed = False


def ok(msg):
    print(f'ok - ynl: {msg}')


def not_ok(msg, details=()):
    global failed
    failed = True
    print(f'not ok - ynl: {msg}')
    for line in details:
        print(f'    {line}')


def c_upper(name):
    return name.upper().replace('-', '_')


def load(path):
    with open(path, encoding='utf-8') as f:
        return yaml.safe_load(f)


# ---------------------------------------------------------------- validate

def cmd_validate(spec_path, schema_path):
    try:
        import jsonschema
    except ImportError:
        not_ok('python3 module jsonschema is missing '
               '(Debian: apt-get install python3-yaml python3-jsonschema)')
        return
    schema = load(schema_path)
    spec = load(spec_path)
    jsonschema.Draft7Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(spec),
                    key=lambda e: list(e.path))
    if errors:
        not_ok(f'{os.path.basename(spec_path)} validates against '
               f'{os.path.basename(schema_path)}',
               [f"at {'/'.join(str(p) for p in e.path) or '(top)'}: {e.message}"
                for e in errors])
    else:
        ok(f'{os.path.basename(spec_path)} validates against '
           f'{os.path.basename(schema_path)}')

    with open(spec_path, encoding='utf-8') as f:
        first = f.readline().rstrip('\n')
    if first == SPDX:
        ok('spec starts with the SPDX line YNL requires')
    else:
        not_ok('spec starts with the SPDX line YNL requires',
               [f'found: {first}', f'wanted: {SPDX}'])


# ------------------------------------------------------------------- names

def cmd_names(defines_path, pre_path):
    names = []
    with open(defines_path, encoding='utf-8') as f:
        for line in f:
            m = re.match(r'#define\s+([A-Za-z_]\w*)(\(?)\s*(.*)$', line.rstrip('\n'))
            if not m:
                continue
            if m.group(2):          # function-like
                continue
            if not m.group(3).strip():  # the include guard
                continue
            names.append(m.group(1))

    with open(pre_path, encoding='utf-8') as f:
        text = f.read()
    enum_names = []
    for body in re.findall(r'\benum\b[^{};]*\{([^}]*)\}', text):
        for item in body.split(','):
            item = item.strip()
            if not item:
                continue
            name = item.split('=')[0].strip()
            if not re.fullmatch(r'[A-Za-z_]\w*', name):
                sys.exit(f'check_spec.py: cannot parse enum item {item!r}')
            enum_names.append(name)

    # Every KNMT name left in the preprocessed header is an enum constant
    # (macros are gone by then): a name the parser missed stops the test.
    missed = set(re.findall(r'\b_*KNMT_\w+', text)) - set(enum_names)
    if missed:
        sys.exit(f'check_spec.py: names not found in any enum: {sorted(missed)}')

    seen = set()
    for name in names + enum_names:
        if name in seen:
            sys.exit(f'check_spec.py: {name} defined twice')
        seen.add(name)
        print(f'X({name})')


# ----------------------------------------------------------------- compare

def derive(spec):
    """Map every C name the YNL C generator would render into the uAPI
    header to (value, where in the spec)."""
    exp = {}
    dups = []
    ident = spec['name'].replace('-', '_')

    def add(name, value, where):
        if name in exp:
            dups.append(f'{name}: {exp[name][1]} and {where}')
        exp[name] = (value, where)

    add(c_upper(spec.get('c-family-name', spec['name'] + '_FAMILY_NAME')),
        spec['name'], 'name')
    add(c_upper(spec.get('c-version-name', spec['name'] + '_FAMILY_VERSION')),
        spec.get('version', 1), 'version')

    for d in spec.get('definitions', []):
        if d.get('header'):
            continue
        where = f"definitions/{d['name']}"
        if d['type'] in ('enum', 'flags'):
            pfx = d.get('name-prefix', f"{ident}-{d['name']}-")
            start = d.get('value-start', 0)
            prev = None
            mask = 0
            for e in d['entries']:
                if isinstance(e, str):
                    e = {'name': e}
                if 'value' in e:
                    v = e['value']
                elif prev is not None:
                    v = prev + 1
                else:
                    v = start
                prev = v
                user = 1 << v if d['type'] == 'flags' else v
                mask += user
                add(c_upper(pfx + e['name']), user, f"{where}/{e['name']}")
            if d.get('render-max'):
                if d['type'] == 'flags':
                    add(c_upper(pfx + 'mask'), mask, f'{where} (render-max)')
                else:
                    cnt = d.get('enum-cnt-name') or f'__{pfx}max'
                    last = prev if prev is not None else -1
                    add(c_upper(cnt), last + 1, f'{where} (render-max)')
                    add(c_upper(pfx + 'max'), last, f'{where} (render-max)')
        elif d['type'] == 'const':
            pfx = d.get('name-prefix', f'{ident}-')
            add(c_upper(pfx + d['name']), d['value'], where)

    for s in spec['attribute-sets']:
        if 'subset-of' in s:
            continue
        where = f"attribute-sets/{s['name']}"
        if 'name-prefix' in s:
            pfx = s['name-prefix']
        elif s['name'] == spec['name']:
            pfx = f'{ident}-a-'
        else:
            pfx = f"{ident}-a-{s['name']}-"
        val = 1
        last = -1
        for a in s['attributes']:
            if 'value' in a:
                val = a['value']
            add(c_upper(a.get('name-prefix', pfx) + a['name']), val,
                f"{where}/{a['name']}")
            last = val
            val += 1
        # In C the count follows the last member, the max is count - 1.
        add(c_upper(s.get('attr-cnt-name', f'__{pfx}max')), last + 1, f'{where} (count)')
        add(c_upper(s.get('attr-max-name', f'{pfx}max')), last, f'{where} (max)')

    ops = spec['operations']
    if ops.get('enum-model', 'unified') != 'unified' or 'async-prefix' in ops:
        sys.exit('check_spec.py: only the unified operation model without '
                 'async-prefix is handled')
    op_pfx = ops.get('name-prefix', spec['name'] + '-cmd-')
    val = 1
    last = -1
    for op in ops['list']:
        if 'value' in op:
            val = op['value']
        add(c_upper(op_pfx + op['name']), val, f"operations/{op['name']}")
        last = val
        val += 1
    add(c_upper(spec.get('cmd-cnt-name', f'__{op_pfx}max')), last + 1, 'operations (count)')
    add(c_upper(spec.get('cmd-max-name', f'{op_pfx}max')), last, 'operations (max)')

    for g in spec.get('mcast-groups', {}).get('list', []):
        add(c_upper(g.get('c-define-name', f"{ident}-mcgrp-{g['name']}")),
            g['name'], f"mcast-groups/{g['name']}")
    return exp, dups


def definition(spec, name):
    for d in spec.get('definitions', []):
        if d['name'] == name:
            return d
    return None


def entry_count(spec, name):
    d = definition(spec, name)
    last = d.get('value-start', 0) - 1
    for e in d['entries']:
        last = e['value'] if isinstance(e, dict) and 'value' in e else last + 1
    return last + 1


# knmt.h names no spec can make YNL render, each checked another way.
# Keep in step with the comments at the top of knmt.yaml.
NOT_EXPRESSIBLE = {
    'KNMT_CAT_NR': ('the number of categories (definition "category")',
                    lambda spec: entry_count(spec, 'category')),
    'KNMT_SOCK_FAM_NR': ('the number of socket families (definition "sock-family")',
                         lambda spec: entry_count(spec, 'sock-family')),
    'KNMT_EV_NR': ('the number of event types (definition "event-type")',
                   lambda spec: entry_count(spec, 'event-type')),
}


def read_values(path):
    values = {}
    with open(path, encoding='utf-8') as f:
        for line in f:
            name, _, v = line.rstrip('\n').partition('=')
            if v.startswith('"'):
                values[name] = v[1:-1]
            else:
                values[name] = int(v)
    return values


def check_refs(spec):
    problems = []
    sets = {s['name']: s for s in spec['attribute-sets']}
    defs = {d['name']: d for d in spec.get('definitions', [])}
    consts = {n for n, d in defs.items() if d['type'] == 'const'}
    limit = re.compile(r'[su](8|16|32|64)-(min|max)')
    for s in spec['attribute-sets']:
        base = sets.get(s.get('subset-of', s['name']))
        if base is None:
            problems.append(f"{s['name']}: subset of unknown set {s['subset-of']}")
            continue
        for a in s['attributes']:
            where = f"{s['name']}/{a['name']}"
            if 'subset-of' in s and a['name'] not in {x['name'] for x in base['attributes']}:
                problems.append(f'{where}: not in {base["name"]}')
            if 'nested-attributes' in a and a['nested-attributes'] not in sets:
                problems.append(f"{where}: unknown set {a['nested-attributes']}")
            if a.get('type') in ('nest', 'nest-type-value') or \
               (a.get('type') == 'indexed-array' and a.get('sub-type') == 'nest'):
                if 'nested-attributes' not in a:
                    problems.append(f'{where}: nest without nested-attributes')
            if 'enum' in a and a['enum'] not in defs:
                problems.append(f"{where}: unknown enum {a['enum']}")
            for k in ('min', 'max'):
                v = a.get('checks', {}).get(k)
                if isinstance(v, str) and not limit.fullmatch(v) and v not in consts:
                    problems.append(f'{where}: checks {k} names unknown const {v}')
    for op in spec['operations']['list']:
        if 'attribute-set' not in op:
            if 'do' in op or 'dump' in op:
                problems.append(f"operation {op['name']}: no attribute-set")
            continue
        s = sets.get(op['attribute-set'])
        if s is None:
            problems.append(f"operation {op['name']}: unknown set {op['attribute-set']}")
            continue
        names = {a['name'] for a in s['attributes']}
        for mode in ('do', 'dump'):
            for direction in ('request', 'reply'):
                for n in op.get(mode, {}).get(direction, {}).get('attributes', []):
                    if n not in names:
                        problems.append(f"operation {op['name']} {mode} {direction}: "
                                        f"{n} not in set {s['name']}")
    groups = {g['name'] for g in spec.get('mcast-groups', {}).get('list', [])}
    for op in spec['operations']['list']:
        if 'mcgrp' in op and op['mcgrp'] not in groups:
            problems.append(f"operation {op['name']}: unknown group {op['mcgrp']}")
    return problems


TYPE_COMMENT = re.compile(
    r'^\s*(KNMT_A_\w+)\s*,\s*/\*\s*(u8|u16|u32|u64|s8|s16|s32|s64|string|nest|flag)\b(.*?)\*/')


def check_types(spec, header_path):
    """The attribute types written in knmt.h comments, e.g. "u8: enum
    knmt_category" or "nest (repeated): enum knmt_a_hook", against the spec."""
    ident = spec['name'].replace('-', '_')
    sets = {s['name']: s for s in spec['attribute-sets']}
    defs = {d['name']: d for d in spec.get('definitions', [])}

    def set_pfx(s):
        if 'name-prefix' in s:
            return s['name-prefix']
        if s['name'] == spec['name']:
            return f'{ident}-a-'
        return f"{ident}-a-{s['name']}-"

    def set_enum(s):
        return (s.get('enum-name') or f"{ident}-{s['name']}").replace('-', '_')

    def def_enum(d):
        return (d.get('enum-name') or f"{ident}-{d['name']}").replace('-', '_')

    attrs = {}
    for s in spec['attribute-sets']:
        if 'subset-of' in s:
            continue
        for a in s['attributes']:
            attrs[c_upper(a.get('name-prefix', set_pfx(s)) + a['name'])] = a

    problems = []
    checked = 0
    with open(header_path, encoding='utf-8') as f:
        for line in f:
            m = TYPE_COMMENT.match(line)
            if not m:
                continue
            name, ctype, rest = m.group(1), m.group(2), m.group(3)
            a = attrs.get(name)
            if a is None:
                continue        # reported by the name comparison
            checked += 1
            stype = a['type']
            if ctype == 'nest':
                if stype not in ('nest', 'indexed-array'):
                    problems.append(f'{name}: header says nest, spec {stype}')
            elif stype != ctype:
                problems.append(f'{name}: header says {ctype}, spec {stype}')
            repeated = '(repeated)' in rest
            if repeated != bool(a.get('multi-attr')):
                problems.append(f"{name}: header {'says' if repeated else 'does not say'} "
                                f"repeated, spec multi-attr is {bool(a.get('multi-attr'))}")
            em = re.search(r'\benum (knmt_\w+)', rest)
            if em:
                if stype == 'nest':
                    got = set_enum(sets[a['nested-attributes']]) \
                        if a.get('nested-attributes') in sets else None
                else:
                    got = def_enum(defs[a['enum']]) if a.get('enum') in defs else None
                if got != em.group(1):
                    problems.append(f'{name}: header says enum {em.group(1)}, spec gives {got}')
            fm = re.search(r'\b(KNMT_\w+_)\*', rest)
            if fm:
                d = defs.get(a.get('enum'))
                if d is None or d['type'] != 'flags' or \
                   c_upper(d.get('name-prefix', f"{ident}-{d['name']}-")) != fm.group(1):
                    problems.append(f'{name}: header says {fm.group(1)}*, spec enum is '
                                    f"{a.get('enum')}")
    return checked, problems


def cmd_compare(spec_path, values_path, header_path):
    spec = load(spec_path)
    values = read_values(values_path)
    exp, dups = derive(spec)

    if dups:
        not_ok('the spec gives every C name once', dups)
    else:
        ok(f'the spec gives {len(exp)} distinct C names')

    missing = []
    wrong = []
    for name, v in values.items():
        if name in NOT_EXPRESSIBLE:
            continue
        if name not in exp:
            missing.append(f'{name}={v!r}: not in the spec')
        elif exp[name][0] != v:
            wrong.append(f'{name}: knmt.h {v!r}, spec {exp[name][0]!r} ({exp[name][1]})')
    if missing or wrong:
        not_ok('every knmt.h name is in the spec with its value', missing + wrong)
    else:
        ok(f'every knmt.h name is in the spec with its value '
           f'({len(values) - len(NOT_EXPRESSIBLE)} names)')

    extra = [f'{n}={v!r} ({where})' for n, (v, where) in exp.items() if n not in values]
    if extra:
        not_ok('every spec entry is a knmt.h name', extra)
    else:
        ok('every spec entry is a knmt.h name')

    for name, (what, value_of) in NOT_EXPRESSIBLE.items():
        if name not in values:
            not_ok(f'{name} (not expressible in YNL) is still in knmt.h',
                   ['drop it from NOT_EXPRESSIBLE in check_spec.py and from knmt.yaml'])
        elif name in exp:
            not_ok(f'{name} is in NOT_EXPRESSIBLE but the spec gives it')
        elif values[name] != value_of(spec):
            not_ok(f'{name} is {what}',
                   [f'knmt.h {values[name]}, spec {value_of(spec)}'])
        else:
            ok(f'{name} (not expressible in YNL) is {what}: {values[name]}')

    checked, problems = check_types(spec, header_path)
    if problems:
        not_ok('attribute types agree with the type comments of knmt.h', problems)
    else:
        ok(f'attribute types agree with the type comments of knmt.h ({checked} attributes)')

    problems = check_refs(spec)
    if problems:
        not_ok('every reference inside the spec resolves', problems)
    else:
        ok('every reference inside the spec resolves')


def main(argv):
    cmds = {'validate': (cmd_validate, 2), 'names': (cmd_names, 2),
            'compare': (cmd_compare, 3)}
    if len(argv) < 2 or argv[1] not in cmds or len(argv) - 2 != cmds[argv[1]][1]:
        sys.exit(__doc__)
    fn, _ = cmds[argv[1]]
    fn(*argv[2:])
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
