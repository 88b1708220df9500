#!/usr/bin/env python3
"""Aggregates a JFR recording made with settings=profile (or run.sh's finer copy of it): where Plinth's threads spend their CPU samples,
what they allocate, where they park. Uses the `jfr` tool of the JDK on PATH.

Usage: jfr_top.py RECORDING.jfr [REQUESTS_DURING_RECORDING]
"""
import collections
import os
import re
import subprocess
import sys

rec = sys.argv[1]
requests = int(sys.argv[2]) if len(sys.argv) > 2 else 0


def events(kind):
    out = subprocess.run([os.environ.get("JFR_TOOL", "jfr"), "print", "--stack-depth", "64", "--events", kind, rec],
                         capture_output=True, text=True, check=True).stdout
    for block in re.split(r"\n(?=jdk\.\w+ \{)", out):
        if "{" not in block:
            continue
        fields, frames, in_stack = {}, [], False
        for line in block.splitlines()[1:]:
            s = line.strip()
            if s.startswith("stackTrace = ["):
                in_stack = True
                continue
            if in_stack:
                if s == "]" or s.startswith("]"):
                    in_stack = False
                elif s != "...":
                    frames.append(re.sub(r"\s+line: \d+.*$", "", s))
                continue
            m = re.match(r"(\w+) = (.*)", s)
            if m:
                fields[m.group(1)] = m.group(2)
        yield fields, frames


def thread_group(name):
    name = re.sub(r'^"|"\s*\(.*$', "", name or "")
    return re.sub(r"[-#]?\d+$", "", name)


def method(frame):
    return re.sub(r"\(.*", "", frame)


def show(title, counter, total, n=15):
    print(f"\n## {title}")
    for key, count in counter.most_common(n):
        print(f"{100.0 * count / max(1, total):6.1f}%  {count:6d}  {key}")


SAMPLE = os.environ.get("SAMPLE_EVENT", "jdk.ExecutionSample")
samples = list(events(SAMPLE))
total = len(samples)
print(f"# {rec}: {total} {SAMPLE} events" + (f", {requests} requests" if requests else ""))
threads = collections.Counter(thread_group(f.get("sampledThread") or f.get("eventThread")) for f, _ in samples)
show("samples by thread (numbers stripped)", threads, total)
top = collections.Counter(method(fr[0]) for _, fr in samples if fr)
show("top frames (self time)", top, total, 25)
incl = collections.Counter()
for _, fr in samples:
    for m in {method(x) for x in fr}:
        incl[m] += 1
show("inclusive (method anywhere on the stack), Plinth's and JDK I/O methods",
     collections.Counter({k: v for k, v in incl.items()
                          if k.startswith("dev.plinth") or k.startswith("sun.nio") or k.startswith("java.util.concurrent")}),
     total, 40)
native = list(events("jdk.NativeMethodSample"))
show(f"threads in native code ({len(native)} jdk.NativeMethodSample): thread and native frame",
     collections.Counter(f"{thread_group(f.get('sampledThread'))}: {method(fr[0]) if fr else '?'}" for f, fr in native),
     len(native), 12)
first_plinth = collections.Counter()
for _, fr in samples:
    for x in fr:
        if x.startswith("dev.plinth"):
            first_plinth[method(x)] += 1
            break
show("self time attributed to the nearest Plinth frame", first_plinth, total, 25)

alloc = list(events("jdk.ObjectAllocationSample"))
by_class, by_site = collections.Counter(), collections.Counter()
weight_total = 0
seen_threads = set()
for f, fr in alloc:
    # a thread's first sample weighs everything it allocated since it started (warm-up included): skip it
    thread = f.get("eventThread", "?")
    if thread not in seen_threads:
        seen_threads.add(thread)
        continue
    m = re.match(r"([\d.]+)\s*(\w*)", f.get("weight", "0"))
    w = float(m.group(1)) if m else 0.0
    w *= {"bytes": 1, "byte": 1, "kB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3}.get(m.group(2) if m else "", 1)
    weight_total += w
    cls = f.get("objectClass", "?").split(" ")[0]
    by_class[cls] += w
    site = next((method(x) for x in fr if x.startswith("dev.plinth")), method(fr[0]) if fr else "?")
    by_site[f"{cls} <- {site}"] += w
print(f"\n## allocation (jdk.ObjectAllocationSample, weighted): {weight_total / 1048576:.1f} MiB"
      + (f", {weight_total / requests:.0f} B per request" if requests else ""))
for k, w in by_class.most_common(15):
    print(f"{100.0 * w / max(1, weight_total):6.1f}%  " + (f"{w / requests:8.1f} B/req  " if requests else "") + k)
print("\n## allocation by class and nearest Plinth frame")
for k, w in by_site.most_common(20):
    print(f"{100.0 * w / max(1, weight_total):6.1f}%  " + (f"{w / requests:8.1f} B/req  " if requests else "") + k)

parks = collections.Counter()
park_n = 0
for kind in ("jdk.ThreadPark", "jdk.JavaMonitorWait", "jdk.JavaMonitorEnter"):
    for f, fr in events(kind):
        park_n += 1
        site = next((method(x) for x in fr if x.startswith("dev.plinth")), method(fr[0]) if fr else "?")
        parks[f"{kind.split('.')[1]} {thread_group(f.get('eventThread'))} @ {site}"] += 1
show(f"parks/waits over 20 ms threshold ({park_n} events)", parks, park_n, 15)
