#!/usr/bin/env python3
"""Classes that grew between two `jcmd PID GC.class_histogram` outputs, per held connection.

Usage: histo_diff.py BEFORE AFTER CONNECTIONS
"""
import re
import sys


def read(path):
    rows = {}
    for line in open(path):
        m = re.match(r"\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)", line)
        if m:
            rows[m.group(3)] = (int(m.group(1)), int(m.group(2)))
    return rows


before, after, n = read(sys.argv[1]), read(sys.argv[2]), max(1, int(sys.argv[3]))
diff = []
for name, (count, size) in after.items():
    c0, s0 = before.get(name, (0, 0))
    diff.append((size - s0, count - c0, name))
diff.sort(reverse=True)
total = sum(d for d, _, _ in diff)
print(f"live heap grew by {total} bytes for {n} connections: {total / n:.0f} B each")
print(f"{'bytes/conn':>10} {'objs/conn':>9}  class")
for d, c, name in diff[:15]:
    print(f"{d / n:10.1f} {c / n:9.2f}  {name}")
