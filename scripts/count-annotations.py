#!/usr/bin/env python3
"""An independent count of the examples in a folder of Markdown pages, to
check `exemplar extract` against: a plain regular-expression scan of the
annotation comments, no Markdown parsing.

    scripts/count-annotations.py ../shared/corpus

For every page it counts the request and response annotations and compares
them with what `exemplar extract --format json` found (request halves
announced by a request annotation, distinct response blocks announced by a
response annotation). It prints the totals, the pages that differ, and the
reason for each difference it can explain."""

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

COMMENT = re.compile(r"<!--(.*?)-->", re.S)
BLOCK_TYPE = re.compile(r'"blockType"\s*:\s*"(\w+)"')
FENCE_AFTER = re.compile(r"\A(?:[ \t]*\r?\n)*[ \t>]*(```|~~~)")


def scan(text):
    """(requests, responses, orphans) by annotation, from the raw text."""
    counts = Counter()
    for m in COMMENT.finditer(text):
        kind = BLOCK_TYPE.search(m.group(1))
        if not kind or kind.group(1) not in ("request", "response"):
            continue
        counts[kind.group(1)] += 1
        if not FENCE_AFTER.match(text[m.end():]):
            counts["orphan-" + kind.group(1)] += 1
    return counts


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus"
    exe = Path(__file__).resolve().parent.parent / "target/release/exemplar"
    out = subprocess.run([str(exe), "extract", "--format", "json", root], capture_output=True, check=True)
    doc = json.loads(out.stdout)
    found = {}
    for e in doc["examples"]:
        page = found.setdefault(e["path"], {"request": 0, "response": set(), "ignored": 0})
        req = e["request"]
        if req and (req.get("annotation") or {}).get("blockType") == "request":
            page["request"] += 1
        elif req:
            page["ignored"] += 1
        res = e["response"]
        if res and (res.get("annotation") or {}).get("blockType") == "response":
            page["response"].add(res["line"])
    totals = Counter()
    differ = []
    for p in doc["pages"]:
        path = p["path"]
        text = Path(path).read_text(encoding="utf-8", errors="replace")
        c = scan(text)
        mine = found.get(path, {"request": 0, "response": set(), "ignored": 0})
        totals["grep requests"] += c["request"]
        totals["grep responses"] += c["response"]
        totals["grep orphan annotations"] += c["orphan-request"] + c["orphan-response"]
        totals["exemplar requests"] += mine["request"]
        totals["exemplar responses"] += len(mine["response"])
        totals["exemplar ignored-request examples"] += mine["ignored"]
        expected_req = c["request"] - c["orphan-request"]
        expected_res = c["response"] - c["orphan-response"]
        if (expected_req, expected_res) != (mine["request"], len(mine["response"])):
            differ.append((path, c, mine))
    totals["pages"] = len(doc["pages"])
    totals["exemplar examples"] = len(doc["examples"])
    for k, v in totals.items():
        print(f"{k:40} {v}")
    print(f"{'pages whose counts differ':40} {len(differ)}")
    for path, c, mine in differ[:50]:
        print(f"  {path}: grep {c['request']} requests/{c['response']} responses "
              f"({c['orphan-request']}+{c['orphan-response']} orphans), exemplar {mine['request']}/{len(mine['response'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
