#!/usr/bin/env python3
"""Counts real test cases from the JUnit XML every suite writes (GoogleTest, pytest), adds one
failure for each meson test that failed without reporting a failing case (a crash, a timeout,
a leak found at exit), and prints 'N passed, N failed'. Exit status 1 if anything failed."""
import glob
import json
import os
import sys
import xml.etree.ElementTree as ET

build = sys.argv[1] if len(sys.argv) > 1 else "build"
passed = failed = skipped = 0
failed_cases = []
suites_with_failures = set()
for path in sorted(glob.glob(os.path.join(build, "test-results", "*.xml"))):
    name = os.path.splitext(os.path.basename(path))[0]
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        failed += 1
        failed_cases.append(f"{name}: unreadable results ({e})")
        suites_with_failures.add(name)
        continue
    for case in root.iter("testcase"):
        label = f"{name}: {case.get('classname', '')}.{case.get('name', '')}"
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
            failed_cases.append(label)
            suites_with_failures.add(name)
        elif case.find("skipped") is not None or case.get("result") == "skipped":
            skipped += 1
        else:
            passed += 1

log = os.path.join(build, "meson-logs", "testlog.json")
ran = set()
if os.path.exists(log):
    with open(log) as f:
        for line in f:
            t = json.loads(line)
            ran.add(t["name"])
            if t["result"] not in ("OK", "EXPECTEDFAIL", "SKIP") and t["name"] not in suites_with_failures:
                failed += 1
                failed_cases.append(f"{t['name']}: {t['result']} (exit {t.get('returncode')})")
else:
    failed += 1
    failed_cases.append("no meson test log: the tests did not run")

for c in failed_cases:
    print(f"FAILED {c}")
line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(1 if failed or passed == 0 else 0)
