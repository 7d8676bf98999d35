#!/usr/bin/env python3
"""Checks that the Spark job gives the answer `listwash run` gives on the same inputs.

    spark/check_same_answer.py --listwash BIN --bench BIN --spark-submit PATH [--rows 10000] [--keep DIR]

Generates a lead list with duplicates (`listwash-bench labeled`), runs the bundled pipeline
(pipelines/acquired-list.yaml) over it and the bundled acquired list with `listwash run` and with
the Spark job in local[2], and compares every row's disposition (by source and row) and the
clusters (pairwise F1 between the two runs' listwash_cluster). Exits 1 when fewer than 99.9% of
the rows have the same disposition, the F1 is below 0.999, or the row counts differ.
"""

import argparse
import csv
import glob
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read_rows(folder):
    """(source, row) -> (disposition, cluster) over every disposition file of an output folder."""
    rows = {}
    for path in sorted(glob.glob(os.path.join(folder, "*.csv"))):
        with open(path, newline="", encoding="utf-8") as file:
            reader = csv.DictReader(file)
            if reader.fieldnames is None or "listwash_disposition" not in reader.fieldnames:
                continue
            for record in reader:
                key = (record["listwash_source"], record["listwash_row"])
                if key in rows:
                    raise SystemExit(f"row {key} written twice in {folder}")
                rows[key] = (record["listwash_disposition"], record.get("listwash_cluster", ""))
    return rows


def same_cluster_pairs(rows):
    """The pairs of rows that share a cluster."""
    clusters = {}
    for key, (_, cluster) in rows.items():
        if cluster:
            clusters.setdefault(cluster, []).append(key)
    pairs = set()
    for members in clusters.values():
        pairs.update(itertools.combinations(sorted(members), 2))
    return pairs


def compare(expected, actual):
    """Share of rows with the same disposition, and the pairwise F1 of `actual`'s clusters
    against `expected`'s."""
    same = sum(1 for key, value in expected.items() if key in actual and actual[key][0] == value[0])
    left, right = same_cluster_pairs(expected), same_cluster_pairs(actual)
    both = len(left & right)
    precision = both / len(right) if right else 1.0
    recall = both / len(left) if left else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return same / max(len(expected), 1), f1, len(left), len(right)


def main(argv):
    arguments = parse_arguments(argv)
    work = arguments.keep or tempfile.mkdtemp(prefix="listwash-spark-check-")
    try:
        return check(arguments, work)
    finally:
        if not arguments.keep:
            shutil.rmtree(work, ignore_errors=True)


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--listwash", required=True)
    parser.add_argument("--bench", required=True, help="listwash-bench, to generate the list")
    parser.add_argument("--spark-submit", required=True)
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--keep", help="keep the inputs and outputs in this folder")
    return parser.parse_args(argv)


def check(arguments, work):
    """Runs both and compares them in `work`; 0 when they agree, else 1."""
    os.makedirs(work, exist_ok=True)
    listwash = os.path.abspath(arguments.listwash)
    generated = os.path.join(work, "labeled.csv")
    subprocess.run([os.path.abspath(arguments.bench), "labeled", generated, str(arguments.rows)], check=True, stdout=subprocess.DEVNULL)
    pipeline = os.path.join(ROOT, "pipelines", "acquired-list.yaml")
    inputs = ["--input", generated, "--input", os.path.join(ROOT, "examples", "acquired-list.csv")]
    one, spark = os.path.join(work, "one-machine"), os.path.join(work, "spark")

    started = time.monotonic()
    subprocess.run([listwash, "run", pipeline] + inputs + ["--out", one, "--no-progress"], check=True, stdout=subprocess.DEVNULL)
    one_seconds = time.monotonic() - started
    # A spark-submit of a virtual environment finds Spark through that environment's python.
    spark_submit = os.path.abspath(arguments.spark_submit)
    environment = dict(os.environ, PATH=os.path.dirname(spark_submit) + os.pathsep + os.environ.get("PATH", ""))
    started = time.monotonic()
    subprocess.run([spark_submit, "--master", "local[2]", os.path.join(ROOT, "spark", "listwash_spark.py"), pipeline]
                   + inputs + ["--out", spark, "--listwash", listwash], check=True, stdout=subprocess.DEVNULL,
                   stderr=open(os.path.join(work, "spark.log"), "w"), env=environment)
    spark_seconds = time.monotonic() - started

    expected, actual = read_rows(one), read_rows(spark)
    agreement, f1, pairs_one, pairs_spark = compare(expected, actual)
    print(f"rows: listwash run {len(expected)}, Spark job {len(actual)}")
    print(f"same disposition: {agreement:.4%} of rows")
    print(f"clusters: pairwise F1 {f1:.4f} ({pairs_one} same-person pairs in listwash run, {pairs_spark} in the Spark job)")
    print(f"time: listwash run {one_seconds:.1f} s, Spark job {spark_seconds:.1f} s (JVM start included)")
    failures = []
    if len(expected) != len(actual) or set(expected) != set(actual):
        failures.append("the two runs wrote different rows")
    if agreement < 0.999:
        failures.append(f"dispositions agree on {agreement:.4%} of rows (< 99.9%)")
    if f1 < 0.999:
        failures.append(f"pairwise F1 {f1:.4f} < 0.999")
    if pairs_one == 0:
        failures.append("the list has no duplicates: the check would prove nothing")
    for failure in failures:
        print("FAILED: " + failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
