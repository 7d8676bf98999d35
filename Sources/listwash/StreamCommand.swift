#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import ListWash
import ListWashMatch

struct StreamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stream",
        abstract: "Run a pipeline in pieces over batch lines on standard input and output (what the Spark job runs on its executors).",
        discussion: """
            --plan prints the stages and how many of the first ones can run on any share of the batches. \
            --split FILE reads one input and writes its header line, then its batches. \
            --from STAGE --through STAGE runs those stages over the batch lines of standard input. \
            --from STAGE --out DIR runs the rest of the pipeline over every batch (sorted by source and row) \
            and writes the output folder as `listwash run` does. \
            Dedupe sharded by blocking key: --from dedupe --estimate prints the list's statistics (every batch, sorted); \
            --from dedupe --keys writes each row's blocking keys with its features; --score-blocks --statistics FILE \
            scores blocks of key lines (grouped by key) into pairs; --cluster-components --statistics FILE clusters \
            components (lines grouped by component); --from dedupe --out DIR --clusters FILE --statistics FILE \
            runs the rest with those clusters. See Docs/spark.md.
            """
    )

    @Argument(help: "The pipeline file (YAML).")
    var pipeline: String

    @Flag(help: "Print the stages and how many of the first ones can run on any share of the batches (JSON).")
    var plan = false

    @Option(help: "Read this input file and write its header line and batch lines.")
    var split: String?

    @Option(help: "With --split: the input's path as the run names it (default: the file's).")
    var source: String?

    @Option(help: "With --split: the input's position among the run's inputs (its options are read from there).")
    var index = 0

    @Option(help: "The header lines --split wrote, one a line, for the batch lines read.")
    var headers: String?

    @Option(help: "The first stage to run.")
    var from: String?

    @Option(help: "The last stage to run (only stages that look at one record at a time).")
    var through: String?

    @Flag(help: "With --from dedupe: print the list's statistics (the estimated model, value counts) as JSON, from every batch in input order.")
    var estimate = false

    @Flag(help: "With --from dedupe: write a key line per row and blocking rule (the row's features with it).")
    var keys = false

    @Flag(help: "Score the blocks of the key lines of standard input (grouped by key) into pair lines (with --statistics).")
    var scoreBlocks = false

    @Flag(help: "Cluster the components of the component lines of standard input (grouped by component) (with --statistics).")
    var clusterComponents = false

    @Option(help: "The list's statistics, as --estimate printed them.")
    var statistics: String?

    @Option(help: "With --out: the clusters found elsewhere (cluster lines and pair lines), assigned by the dedupe stage (with --statistics).")
    var clusters: String?

    @OptionGroup var flags: PipelineFlags

    @Option(help: "The output folder: run the rest of the pipeline from --from and write it.")
    var out: String?

    func run() throws {
        try reportingErrors {
            let overrides = try flags.overrides(out: out)
            let configuration = try PipelineConfiguration.load(path: pipeline).applying(overrides)
            let stream = BatchStream(configuration: configuration, log: StandardError.log())
            let output = StandardOutputLines()
            if plan {
                print(try stream.plan())
            } else if scoreBlocks || clusterComponents {
                guard let statistics else { throw ListWashError(.usage, "--score-blocks and --cluster-components need --statistics FILE") }
                let read = try BatchStream.statistics(inFile: statistics)
                if scoreBlocks {
                    try BatchStream.scoreBlocks(statistics: read, lines: { readLine() }, write: output.write)
                } else {
                    try BatchStream.clusterComponents(statistics: read, lines: { readLine() }, write: output.write)
                }
            } else if let split {
                try stream.split(file: split, name: source ?? split, index: index, write: output.write)
            } else {
                guard let headers, let from else {
                    throw ListWashError(.usage, "name --plan, --split FILE, or --headers FILE with --from STAGE (and --through STAGE or --out DIR)")
                }
                let sources = try BatchStream.sources(inFile: headers)
                if estimate {
                    try output.write(try stream.estimate(from: from, sources: sources, lines: { readLine() }))
                } else if keys {
                    try stream.keys(from: from, sources: sources, lines: { readLine() }, write: output.write)
                } else if let through {
                    try stream.wash(from: from, through: through, sources: sources, lines: { readLine() }, write: output.write)
                } else if out != nil {
                    var assigned: ClusterAssignment?
                    if let clusters {
                        guard let statistics else { throw ListWashError(.usage, "--clusters needs --statistics FILE") }
                        assigned = try BatchStream.clusterAssignment(clusters: clusters, statistics: try BatchStream.statistics(inFile: statistics), sources: sources)
                    }
                    print(try stream.finish(from: from, sources: sources, lines: { readLine() }, assigned: assigned).summary)
                } else {
                    throw ListWashError(.usage, "with --from, name --through STAGE (batch lines out) or --out DIR (the output folder)")
                }
            }
            try output.flush()
        }
    }
}

/// Lines to standard output, written a few megabytes at a time.
private final class StandardOutputLines {
    private var buffer: [UInt8] = []

    func write(_ line: String) throws {
        buffer.append(contentsOf: line.utf8)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 4 << 20 { try flush() }
    }

    func flush() throws {
        var written = 0
        while written < buffer.count {
            let count = buffer[written...].withUnsafeBytes { Glibc.write(1, $0.baseAddress, $0.count) }
            guard count > 0 else { throw ListWashError(.output, "cannot write to standard output") }
            written += count
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
