#!/usr/bin/env python3
"""Markdown tables from a results folder of run.sh: throughput with Plinth's ratios, idle connections, and over
https what each server negotiated.

Usage: report.py RESULTS_DIR
"""
import csv
import os
import sys

out = sys.argv[1]
env_path = os.path.join(out, "env.txt")
env = dict(line.rstrip("\n").split(": ", 1) for line in open(env_path) if ": " in line) if os.path.exists(env_path) else {}
over = " over HTTPS" if env.get("scheme") == "https" else ""
names = {"a": "(a) /plaintext, 64 conns", "b": "(b) /4k.bin, 16 conns", "c": "(c) /1m.bin, 16 conns",
         "h": "(h) /plaintext with Connection: close (a new connection per request), 16 conns"}
path = os.path.join(out, "throughput.tsv")
if os.path.exists(path):
    rows = list(csv.DictReader(open(path), delimiter="\t"))
    for t in "abch":
        rs = [r for r in rows if r["test"] == t]
        if not rs:
            continue
        plinth = next((float(r["req_s"]) for r in rs if r["server"] == "plinth"), None)
        print(f"\n### {names[t]}{over}\n")
        extra = "wrk_cores" in rs[0]
        print("| server | req/s | p99 ms | MiB/s (body) | server CPU (cores) | CPU µs/req | "
              + ("wrk CPU | machine busy (of 2) | " if extra else "") + "peak RSS MiB | errors | Plinth ÷ server |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | " + ("---: | ---: | " if extra else "") + "---: | ---: | ---: |")
        for r in rs:
            ratio = f"{plinth / float(r['req_s']):.2f}×" if plinth and float(r["req_s"]) else ""
            more = f"| {r['wrk_cores']} | {r['busy_cores']} " if extra else ""
            us = 1e6 * float(r["cores"]) / float(r["req_s"]) if float(r["req_s"]) else 0
            print(f"| {r['server']} | {float(r['req_s']):,.0f} | {r['p99_ms']} | {r['mib_s']} | {r['cores']} | {us:.1f} "
                  + more + f"| {r['peak_rss_mib']} | {r['errors']} | {ratio} |")
path = os.path.join(out, "idle.tsv")
if os.path.exists(path):
    print("\n### Idle keep-alive connections (heap after a full GC)\n")
    print("| server | connections still open | heap used Δ (GC.heap_info) | B/conn | live bytes Δ (class histogram) | B/conn | RSS Δ B/conn |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in csv.DictReader(open(path), delimiter="\t"):
        print(f"| {r['server']} | {r['connections_open']} | {int(r['heap_used_delta_bytes']):,} | {r['bytes_per_conn_heap_info']} "
              f"| {int(r['live_bytes_delta']):,} | {r['bytes_per_conn_histogram']} | {r['rss_delta_per_conn']} |")
path = os.path.join(out, "tls.tsv")
if os.path.exists(path):
    print(f"\n### TLS negotiated with OpenSSL's defaults ({env.get('tls key', 'key not recorded')})\n")
    print("| server | protocol | cipher suite | key exchange | resumes a session |")
    print("| --- | --- | --- | --- | --- |")
    for r in csv.DictReader(open(path), delimiter="\t"):
        print(f"| {r['server']} | {r['protocol']} | {r['cipher']} | {r['key_exchange']} | {r['resumed']} |")
