#!/usr/bin/env python3
"""Where a run's instructions go, by stage (issue 17's breakdown).

    benches/breakdown.py CALLGRIND_OUT [CALLGRIND_OUT_B]

Reads a callgrind output file (`benches/breakdown.sh` makes them:
`valgrind --tool=callgrind --dump-instr=no --callgrind-out-file=FILE
exemplar check ...`, from a `--profile profiling` build, whose symbols
survive) and prints the instructions of each stage: walking and reading
the files, the Markdown reader, tables and resource pages, JSON parsing,
HTTP parsing, the page rules, locale pairing, the type model and checks,
the report, and the rest (threads, start-up, the commands' glue). With
two files it prints them side by side, with the change.

Every instruction is counted once, in the innermost stage on its call
path: a function matching a stage's pattern starts that stage for
everything it calls, until a function of another stage starts that one.
callgrind keeps caller-callee pairs, not whole stacks, so a function
called from two stages (the allocator, memchr) is split between them in
proportion to the calls' costs; totals are exact, the split is the usual
profiler's estimate. `callgrind_annotate` cannot do this sum: its
inclusive figures count a nested stage twice.
"""

import re
import sys
from collections import defaultdict

# (stage, pattern on the function's name): the first match names the stage.
# The page's stages are named by their entry points only, so that a helper
# of theirs that a later stage calls (a resource page's plain text, for the
# type model) counts in that later stage.
END = r"('\d+)?$"
STAGES = [
    # Every function of the parser: its entry is inlined into some callers.
    ("JSON parsing", r"exemplar::json::parse::"),
    ("HTTP parsing", r"exemplar::http::parse(_expecting)?" + END),
    ("tables and resource pages", r"exemplar::page::(tables|resource)::read" + END),
    ("Markdown reader", r"exemplar::page::Page::analyse" + END),
    ("walking and reading files", r"exemplar::discover::|exemplar::page::Page::from_bytes" + END),
    ("page rules", r"exemplar::rules::"),
    ("locale pairing", r"exemplar::locale::"),
    ("type model and checks", r"exemplar::types::"),
    ("report", r"exemplar::report::"),
]
COMPILED = [(name, re.compile(p)) for name, p in STAGES]
OTHER = "the rest"


def stage_of(name):
    for stage, pattern in COMPILED:
        if pattern.search(name):
            return stage
    return None


def read(path):
    """Self cost per function and inclusive cost per call edge."""
    names = {}
    self_cost = defaultdict(int)
    edges = defaultdict(int)
    fn = None
    callee = None
    pending_call = False
    total = None

    def name_of(value):
        m = re.match(r"\((\d+)\)(?: (.*))?$", value)
        if not m:
            return value
        if m.group(2) is not None:
            names[m.group(1)] = m.group(2)
        return names.get(m.group(1), value)

    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            c = line[0]
            if c.isdigit() or c in "+-*":
                parts = line.split()
                cost = int(parts[1]) if len(parts) > 1 else 0
                if pending_call:
                    edges[(fn, callee)] += cost
                    pending_call = False
                else:
                    self_cost[fn] += cost
            elif line.startswith("fn="):
                fn = name_of(line[3:])
            elif line.startswith("cfn="):
                callee = name_of(line[4:])
            elif line.startswith("calls="):
                pending_call = True
            elif line.startswith("summary:") or line.startswith("totals:"):
                total = int(line.split()[1])
    return self_cost, edges, total


def breakdown(path):
    self_cost, edges, total = read(path)
    into = defaultdict(list)
    called = defaultdict(int)
    fns = set(self_cost) | {a for a, _ in edges} | {b for _, b in edges}
    out = defaultdict(int)
    for (a, b), cost in edges.items():
        out[a] += cost
        if a != b and cost > 0:
            into[b].append((a, cost))
            called[b] += cost
    incl = {f: self_cost[f] + out[f] for f in fns}
    # What a function's instructions belong to: its own stage when its
    # name matches one, else its callers' stages, weighed by what each
    # call cost, plus "the rest" for the part no call seen accounts for
    # (a thread's first frame). Solved by iteration: call cycles (rayon's
    # join, recursion) settle as a weighted average does.
    fixed = {f: stage_of(f) for f in fns}
    dist = {f: {fixed[f] or OTHER: 1.0} for f in fns}
    for _ in range(60):
        for f in fns:
            if fixed[f]:
                continue
            entry = max(incl[f] - called[f], 0)
            weight = entry + called[f]
            if weight == 0:
                continue
            d = defaultdict(float)
            if entry:
                d[OTHER] += entry / weight
            for c, cost in into[f]:
                for s, x in dist[c].items():
                    d[s] += x * cost / weight
            dist[f] = d
    result = defaultdict(float)
    for f in fns:
        for s, x in dist[f].items():
            result[s] += x * self_cost[f]
    return result, total


def main():
    files = sys.argv[1:]
    if not files or len(files) > 2:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        sys.exit(2)
    runs = [breakdown(p) for p in files]
    order = [name for name, _ in STAGES] + [OTHER]
    head = "stage".ljust(28) + "".join(f"{'M Ir':>10}{'%':>7}" for _ in runs)
    if len(runs) == 2:
        head += f"{'change':>10}"
    print(head)
    for stage in order:
        row = stage.ljust(28)
        for result, total in runs:
            v = result.get(stage, 0.0)
            row += f"{v / 1e6:10.1f}{100 * v / total:7.1f}"
        if len(runs) == 2:
            a, b = runs[0][0].get(stage, 0.0), runs[1][0].get(stage, 0.0)
            row += f"{(b - a) / 1e6:+10.1f}"
        print(row)
    row = "total".ljust(28)
    for result, total in runs:
        row += f"{total / 1e6:10.1f}{100.0:7.1f}"
    if len(runs) == 2:
        row += f"{(runs[1][1] - runs[0][1]) / 1e6:+10.1f}"
    print(row)


if __name__ == "__main__":
    main()
