#!/usr/bin/env python3
"""Counts real test cases from the JUnit XML every suite writes (GoogleTest, pytest, fuzzers),
adds one failure for each meson test that failed without reporting a failing case (a crash, a
timeout, a leak found at exit), and prints 'N passed, N failed'. Exit status 1 if anything
failed. Usage: summarize-tests.py BUILD_DIR [MORE_BUILD_DIRS...]"""
import glob
import json
import os
import sys
import xml.etree.ElementTree as ET

builds = sys.argv[1:] or ["build"]


def label_of(build, name):
    """Names from the first build stay as they are; others get their build dir as prefix."""
    return name if build == builds[0] else f"{os.path.basename(build)}:{name}"


def count_cases(build, counts, failed_cases, suites_with_failures):
    for path in sorted(glob.glob(os.path.join(build, "test-results", "*.xml"))):
        name = label_of(build, os.path.splitext(os.path.basename(path))[0])
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as e:
            counts["failed"] += 1
            failed_cases.append(f"{name}: unreadable results ({e})")
            suites_with_failures.add(name)
            continue
        for case in root.iter("testcase"):
            label = f"{name}: {case.get('classname', '')}.{case.get('name', '')}"
            if case.find("failure") is not None or case.find("error") is not None:
                counts["failed"] += 1
                failed_cases.append(label)
                suites_with_failures.add(name)
            elif case.find("skipped") is not None or case.get("result") == "skipped":
                counts["skipped"] += 1
            else:
                counts["passed"] += 1


def count_unreported(build, counts, failed_cases, suites_with_failures):
    log = os.path.join(build, "meson-logs", "testlog.json")
    if not os.path.exists(log):
        counts["failed"] += 1
        failed_cases.append(f"{build}: no meson test log: the tests did not run")
        return
    with open(log) as f:
        for line in f:
            t = json.loads(line)
            name = label_of(build, t["name"])
            if t["result"] not in ("OK", "EXPECTEDFAIL", "SKIP") and name not in suites_with_failures:
                counts["failed"] += 1
                failed_cases.append(f"{name}: {t['result']} (exit {t.get('returncode')})")


def main():
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    failed_cases = []
    suites_with_failures = set()
    for build in builds:
        count_cases(build, counts, failed_cases, suites_with_failures)
        count_unreported(build, counts, failed_cases, suites_with_failures)
    for c in failed_cases:
        print(f"FAILED {c}")
    line = f"{counts['passed']} passed, {counts['failed']} failed"
    if counts["skipped"]:
        line += f", {counts['skipped']} skipped"
    print(line)
    return 1 if counts["failed"] or counts["passed"] == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
