#!/usr/bin/env python3
"""Run a ListWash pipeline on Apache Spark.

    spark-submit [--master local[2]] spark/listwash_spark.py PIPELINE.yaml [--input FILE]... \
        [--contacts F] [--leads F] [--accounts F] [--suppression DIR] [--method M] --out DIR \
        [--listwash PATH] [--partitions N] [--dedupe-on-driver]

The Swift code washes, Spark moves the data (see Docs/spark.md):

1. each input file is read whole by one task (any path Spark reads) and split by
   `listwash stream --split` into batches, rejected lines settled as `listwash run` settles them;
2. the batches are spread over the executors, where `listwash stream --from FIRST --through LAST`
   runs the stages that look at one record at a time (normalize, validate) partition by partition;
3. when the next stage is dedupe, it runs sharded by blocking key: the list's statistics
   (`listwash stream --estimate`, on the driver) go to every executor; each row's blocking keys
   (`--keys`) are shuffled by key and each block scored (`--score-blocks`); the pairs at or above
   the match threshold are joined into connected components in Spark (an iterative join), and each
   component is clustered by `--cluster-components`;
4. the batches, sorted back into input order, go to one `listwash stream --from BARRIER --out DIR`
   on the driver (with the clusters, when found in step 3), which runs the stages from there and
   writes the output folder (one file per disposition, report.json) as `listwash run` does.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading

from pyspark import SparkFiles, StorageLevel
from pyspark.sql import SparkSession, Window, functions

HEADERS_FILE = "listwash-headers.jsonl"
STATISTICS_FILE = "listwash-statistics.json"
# A row's node in the pairs' graph: its source's position and row number in one integer.
ROW_BITS = 40


def parse_arguments(argv):
    parser = argparse.ArgumentParser(prog="listwash_spark.py", description="Run a ListWash pipeline on Apache Spark.")
    parser.add_argument("pipeline", help="the pipeline file (YAML)")
    parser.add_argument("--input", action="append", default=[], help="an input file (CSV or JSON Lines), any path Spark reads; repeat for several (default: the pipeline file's inputs)")
    parser.add_argument("--contacts", help="contacts exported from the CRM")
    parser.add_argument("--leads", help="leads exported from the CRM")
    parser.add_argument("--accounts", help="accounts exported from the CRM")
    parser.add_argument("--suppression", help="the suppression-list folder")
    parser.add_argument("--method", help="lead management method: poi, hybrid, unique or buying-group")
    parser.add_argument("--out", required=True, help="the output folder")
    parser.add_argument("--listwash", default=".build/release/listwash", help="the listwash binary (default: %(default)s)")
    parser.add_argument("--partitions", type=int, help="partitions for the stages run on executors (default: twice Spark's parallelism)")
    parser.add_argument("--dedupe-on-driver", action="store_true", help="run dedupe in the driver's listwash, not sharded by blocking key on the executors")
    return parser.parse_args(argv)


def overrides(arguments, absolute):
    """The flags `listwash stream` takes from `listwash run`'s; with `absolute`, their paths made
    absolute (for executors, which run in folders of their own)."""
    flags = []
    for path in arguments.input:
        flags += ["--input", path]
    for name in ("contacts", "leads", "accounts", "suppression", "method"):
        value = getattr(arguments, name)
        if value is not None:
            flags += ["--" + name, os.path.abspath(value) if absolute and name != "method" else value]
    return flags


class ListwashFailed(RuntimeError):
    """A `listwash` process that stopped with an error: its status and what it said."""

    MARK = "listwash stopped with status "

    def __init__(self, status, message):
        super().__init__(f"{self.MARK}{status}: {message.strip()}")

    @classmethod
    def status_in(cls, text):
        """The status of the first such failure named in `text` (a Spark error's text), or None."""
        start = text.find(cls.MARK)
        if start < 0:
            return None
        digits = text[start + len(cls.MARK):].split(":", 1)[0]
        return int(digits) if digits.isdigit() else None


def pipe(command, lines, rename=None):
    """Runs `command`, writing `lines` to its standard input on another thread, and yields the
    lines of its standard output; raises ``ListwashFailed`` when it fails. Its standard error is
    passed on, with `rename`'s (path, name) replaced (a task's copy of an input by the input)."""
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, bufsize=1 << 20)
    failure, said = [], []

    def listen():
        for line in process.stderr:
            line = line.replace(rename[0], rename[1]) if rename else line
            said.append(line)
            sys.stderr.write(line)

    def feed():
        try:
            for line in lines:
                process.stdin.write(line)
                process.stdin.write("\n")
        except BaseException as error:  # a broken pipe when listwash stopped: its status says why
            failure.append(error)
        finally:
            try:
                process.stdin.close()
            except OSError:
                pass

    writer, listener = threading.Thread(target=feed, daemon=True), threading.Thread(target=listen, daemon=True)
    writer.start()
    listener.start()
    for line in process.stdout:
        yield line.rstrip("\n")
    writer.join()
    listener.join()
    status = process.wait()
    if status != 0:
        raise ListwashFailed(status, "".join(said[-5:]) or " ".join(command))
    if failure:
        raise failure[0]


def split_files(files, binary, pipeline, index, name, flags):
    """Runs `listwash stream --split` over each (path, content) of `files` (one input file)."""
    for path, content in files:
        suffix = os.path.splitext(path)[1]
        with tempfile.TemporaryDirectory(prefix="listwash-split-") as folder:
            local = os.path.join(folder, "input" + suffix)
            with open(local, "wb") as file:
                file.write(content)
            del content
            command = [binary, "stream", pipeline, "--split", local, "--source", name, "--index", str(index)] + flags
            yield from pipe(command, iter(()), rename=(local, name))


def wash_partition(lines, binary, pipeline, first, last, flags):
    """Runs the stages `first` through `last` over one partition's batch lines."""
    command = [binary, "stream", pipeline, "--headers", SparkFiles.get(HEADERS_FILE), "--from", first, "--through", last] + flags
    return pipe(command, lines)


def stream_partition(lines, binary, pipeline, arguments):
    """Runs `listwash stream PIPELINE ARGUMENTS` over one partition's lines ((key, value) pairs
    become `KEY<TAB>VALUE`)."""
    text = (line if isinstance(line, str) else f"{line[0]}\t{line[1]}" for line in lines)
    return pipe([binary, "stream", pipeline] + arguments, text)


def node(source, row):
    """A row's node in the pairs' graph."""
    return (int(source) << ROW_BITS) | int(row)


def row_text(node):
    """A node's `SOURCE<TAB>ROW`."""
    return f"{node >> ROW_BITS}\t{node & ((1 << ROW_BITS) - 1)}"


def parse_pair(line):
    """A pair line's ((left node, right node), probability)."""
    left_source, left_row, right_source, right_row, probability = line.split("\t")
    return ((node(left_source, left_row), node(right_source, right_row)), float(probability))


def components(edges, partitions):
    """Each node of `edges` (pairs of nodes) with its component: the smallest node of its
    connected component, by label propagation (an iterative join, one round per step of the
    longest path from a component's smallest node). Every shuffle keeps `partitions` partitions
    (a union's partitions add up, and would double each round)."""
    both = edges.flatMap(lambda edge: [edge, (edge[1], edge[0])]).partitionBy(partitions).persist(StorageLevel.MEMORY_AND_DISK)
    labels = both.map(lambda edge: (edge[0], min(edge))).reduceByKey(min, partitions).persist(StorageLevel.MEMORY_AND_DISK)
    while True:
        offered = both.join(labels, partitions).map(lambda item: (item[1][0], item[1][1]))
        updated = offered.union(labels).reduceByKey(min, partitions).persist(StorageLevel.MEMORY_AND_DISK)
        changed = updated.join(labels, partitions).filter(lambda item: item[1][0] != item[1][1]).count()
        labels.unpersist()
        labels = updated
        if changed == 0:
            both.unpersist()
            return labels


def sharded_dedupe(spark, batches, binary, pipeline, flags, headers_path, work, partitions):
    """Dedupe on the executors (see the module's step 3): writes the clusters file and the
    statistics file the driver's `listwash` assigns, and returns their paths."""
    context = spark.sparkContext
    statistics_path = os.path.join(work, STATISTICS_FILE)
    ordered = batches.sortBy(batch_key, numPartitions=max(1, batches.count() // 8)).toLocalIterator()
    with open(statistics_path, "w") as file:
        for line in pipe([binary, "stream", pipeline, "--headers", headers_path, "--from", "dedupe", "--estimate"] + flags, ordered):
            file.write(line + "\n")
    with open(statistics_path) as file:
        match_threshold = json.load(file)["model"]["matchThreshold"]
    context.addFile(statistics_path)

    # Each row's key under each blocking rule, with its features: RULE:KEY<TAB>SOURCE<TAB>ROW<TAB>FEATURES.
    keys = batches.mapPartitions(lambda part: stream_partition(part, binary, pipeline,
                                 ["--headers", SparkFiles.get(HEADERS_FILE), "--from", "dedupe", "--keys"] + flags))
    keys = keys.persist(StorageLevel.DISK_ONLY)
    # Blocks: the rows of one key together (shuffled and sorted by key in the JVM, as a data frame:
    # sorting millions of lines in the Python workers is several times slower), without the keys
    # only one row has (most of them: they make no pair); a pair several rules give is scored the
    # same by each.
    frame = spark.createDataFrame(keys.map(lambda line: (line[:line.index("\t")], line)), "key string, line string")
    blocks = (frame.repartition(partitions, "key")
              .withColumn("rows", functions.count(functions.lit(1)).over(Window.partitionBy("key")))
              .filter("rows > 1").sortWithinPartitions("key").rdd.map(lambda row: row[1]))
    pairs = blocks.mapPartitions(
        lambda part: stream_partition(part, binary, pipeline, ["--score-blocks", "--statistics", SparkFiles.get(STATISTICS_FILE)]))
    pairs = pairs.map(parse_pair).reduceByKey(max, partitions).persist(StorageLevel.MEMORY_AND_DISK)
    matched = pairs.filter(lambda pair: pair[1] >= match_threshold)
    labels = components(matched.keys(), partitions)

    # Each component's rows (features) and pairs, clustered as on one machine.
    features = keys.map(lambda line: line.split("\t", 3)).map(lambda f: (node(f[1], f[2]), f"{f[1]}\t{f[2]}\t{f[3]}"))
    rows = features.reduceByKey(lambda first, _: first, partitions).join(labels, partitions).map(lambda item: (item[1][1], "R\t" + item[1][0]))
    edges = matched.map(lambda pair: (pair[0][0], (pair[0][1], pair[1]))).join(labels, partitions).map(
        lambda item: (item[1][1], f"P\t{row_text(item[0])}\t{row_text(item[1][0][0])}\t{item[1][0][1]!r}"))
    clustered = rows.union(edges).repartitionAndSortWithinPartitions(partitions).mapPartitions(
        lambda part: stream_partition(part, binary, pipeline, ["--cluster-components", "--statistics", SparkFiles.get(STATISTICS_FILE)]))
    below = pairs.filter(lambda pair: pair[1] < match_threshold).map(
        lambda pair: f"P\t{row_text(pair[0][0])}\t{row_text(pair[0][1])}\t{pair[1]!r}")
    clusters_path = os.path.join(work, "listwash-clusters.txt")
    with open(clusters_path, "w") as file:
        for line in clustered.union(below).toLocalIterator():
            file.write(line + "\n")
    keys.unpersist()
    pairs.unpersist()
    return clusters_path, statistics_path


def batch_key(line):
    """A batch line's source position and first row."""
    source, row, _ = line.split("\t", 2)
    return (int(source), int(row))


def main(argv):
    arguments = parse_arguments(argv)
    binary = os.path.abspath(arguments.listwash)
    pipeline = os.path.abspath(arguments.pipeline)
    flags = overrides(arguments, absolute=True)
    # The plan is read in the user's folder, so that the inputs are named as `listwash run` names them.
    planned = subprocess.run([binary, "stream", arguments.pipeline, "--plan"] + overrides(arguments, absolute=False),
                             capture_output=True, text=True)
    if planned.returncode != 0:
        sys.stderr.write(planned.stderr)
        sys.exit(planned.returncode)
    plan = json.loads(planned.stdout)
    stages, distributed, inputs = plan["stages"], plan["distributed"], plan["inputs"]
    if not inputs:
        sys.exit("listwash_spark: no input: name one under inputs: in the pipeline file or with --input FILE")
    if any(character in path for path in inputs for character in "*?["):
        sys.exit("listwash_spark: each input must name one file (no wildcards): " + ", ".join(inputs))
    # The driver's listwash needs at least one stage to run (and write the output).
    distributed = min(distributed, len(stages) - 1)

    # Batches held between steps are compressed (their offsets and value spans compress well).
    spark = SparkSession.builder.appName("listwash").config("spark.rdd.compress", "true").getOrCreate()
    context = spark.sparkContext
    work = tempfile.mkdtemp(prefix="listwash-spark-")
    try:
        # 1. One task per input file: header line, then batch lines.
        pieces = []
        for index, path in enumerate(inputs):
            files = context.binaryFiles(path, minPartitions=1)
            pieces.append(files.mapPartitions(lambda files, index=index, name=path: split_files(files, binary, pipeline, index, name, flags)))
        lines = context.union(pieces).persist(StorageLevel.DISK_ONLY)
        headers = lines.filter(lambda line: line.startswith("{")).collect()
        found = sorted(json.loads(header)["index"] for header in headers)
        if found != list(range(len(inputs))):
            wrong = [path for index, path in enumerate(inputs) if found.count(index) != 1]
            raise SystemExit(f"listwash_spark: {', '.join(wrong)}: each --input must name one file (no wildcards, no folders)")
        headers_path = os.path.join(work, HEADERS_FILE)
        with open(headers_path, "w") as file:
            file.write("\n".join(headers) + "\n")
        context.addFile(headers_path)
        batches = lines.filter(lambda line: not line.startswith("{"))

        # 2. The stages that look at one record at a time, partition by partition on the executors.
        partitions = arguments.partitions or 2 * context.defaultParallelism
        if distributed > 0:
            first, last = stages[0], stages[distributed - 1]
            batches = batches.repartition(partitions).mapPartitions(
                lambda part: wash_partition(part, binary, pipeline, first, last, flags))

        # 3. Input order again, then the rest on the driver: dedupe, match, suppress, decide, score, route, output.
        # sortBy samples the batches first; small partitions keep what the driver fetches at a
        # time small (toLocalIterator holds one partition).
        batches = batches.persist(StorageLevel.DISK_ONLY)
        sharded = []
        if stages[distributed] == "dedupe" and not arguments.dedupe_on_driver:
            clusters_path, statistics_path = sharded_dedupe(spark, batches, binary, pipeline, flags, headers_path, work, partitions)
            sharded = ["--clusters", clusters_path, "--statistics", statistics_path]
        count = batches.count()
        ordered = batches.sortBy(batch_key, numPartitions=max(1, count // 8)).toLocalIterator()
        # The driver runs in the user's folder: paths as given, so that reasons name the exports
        # and lists as `listwash run` would.
        command = [binary, "stream", arguments.pipeline, "--headers", headers_path, "--from", stages[distributed],
                   "--out", arguments.out] + sharded + overrides(arguments, absolute=False)
        for line in pipe(command, ordered):
            print(line)
        lines.unpersist()
    finally:
        spark.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except Exception as error:  # a task's failure reaches the driver as Spark's error, with listwash's words in it
        status = ListwashFailed.status_in(str(error))
        if status is None:
            raise
        print(f"listwash_spark: {str(error)[str(error).find(ListwashFailed.MARK):].splitlines()[0]}", file=sys.stderr)
        sys.exit(status)
