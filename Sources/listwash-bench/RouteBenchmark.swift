import Foundation
import ListWash

/// `listwash-bench route [ROWS] [RUNS]`: the cost of the score and route stages. Generates ROWS
/// clean lead rows (random US ZIP codes, states, area codes, titles, products) and a rules file
/// with 1,000 territory rules (one per three-digit ZIP prefix, some with area codes, teams with
/// round robin, key accounts, scoring), then times the same run with `[normalize]` and with
/// `[normalize, score, route]`, alternating, RUNS times each, and reports the medians of wall and
/// CPU time and the overhead.
struct RouteBenchmark {
    let rows: Int
    let runs: Int
    let folder = NSTemporaryDirectory() + "listwash-bench-route-\(getpid())"

    static let states = ["CA", "NY", "TX", "MA", "IL", "WA", "NJ", "FL", "CO", "GA", "OR", "PA", "OH", "MI", "AZ", "NC", "VA", "MN", "WI", "MO"]
    static let titles = ["VP Marketing", "Director of IT", "CTO", "Chief Executive Officer", "Marketing Manager", "Engineer", "Analyst", "Head of Sales", "Purchasing Agent", "Consultant", ""]
    static let domains = ["acme.com", "globex.com", "initech.com", "gmail.com", "yahoo.com", "hooli.com", "stark.com", "outlook.com"]
    static let products = ["Analytics", "Data Platform", "Security", "", "Integration"]

    func generate() throws -> (input: String, rules: String) {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var random = SeededRandom(seed: 1000)
        func below(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }
        let input = "\(folder)/leads.csv"
        FileManager.default.createFile(atPath: input, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: input) else { throw CocoaError(.fileWriteNoPermission) }
        var buffer = "First Name,Last Name,Email,Company,Phone,ZIP,State,Country,Job Title,Campaign,Product Interest\n"
        for index in 0..<rows {
            let zip = String(format: "%05d", 501 + below(99_000))
            let area = 201 + below(780)
            let domain = Self.domains[below(Self.domains.count)]
            buffer += "Ann\(index % 97),Lee\(index % 89),ann\(index)@\(domain),Company \(index % 5000),+1\(area)555\(String(format: "%04d", below(10_000))),"
            buffer += "\(zip),\(Self.states[below(Self.states.count)]),US,\(Self.titles[below(Self.titles.count)]),Webinar \(below(12)),\(Self.products[below(Self.products.count)])\n"
            if buffer.utf8.count > 1 << 20 {
                try handle.write(contentsOf: Data(buffer.utf8))
                buffer = ""
            }
        }
        try handle.write(contentsOf: Data(buffer.utf8))
        try handle.close()

        var rules = """
        product_field: Product Interest
        scoring:
          seniority: {c_level: 30, vp: 25, director: 20, manager: 10}
          email_domain: {corporate: 10, free_mail: -10}
          completeness: {fields: [email, phone, company, title, listwash_zip], points: 2}
          matched_account: 15
          products: {Analytics: 15, Data Platform: 10}
          points:
            - {name: webinar, field: campaign, contains: [webinar], points: 5}
          grades: {hot: 60, warm: 30}
        routing:
          teams:

        """
        for team in 0..<20 { rules += "    team\(team): [\((0..<5).map { "rep\(team * 5 + $0)@example.com" }.joined(separator: ", "))]\n" }
        rules += """
          key_accounts:
            - {name: Company 7, company: Company 7, owner: rep0@example.com}
          rules:
            - {name: hot analytics, products: [Analytics], grades: [hot], owner: rep1@example.com}

        """
        for prefix in 0..<1000 {
            let zip = String(format: "%03d", prefix)
            let area = prefix % 10 == 0 ? ", area_codes: [\(200 + prefix / 10 * 7 % 780)]" : ""
            let target = prefix % 2 == 0 ? "team: team\(prefix % 20)" : "owner: rep\(prefix % 100)@example.com"
            rules += "    - {name: territory \(zip), zips: [\"\(zip)\"]\(area), \(target)}\n"
        }
        rules += "  default_queue: Unassigned Leads\n"
        let rulesPath = "\(folder)/rules.yaml"
        try rules.write(toFile: rulesPath, atomically: true, encoding: .utf8)
        return (input, rulesPath)
    }

    /// One run: wall and CPU seconds.
    func time(stages: String, input: String) throws -> (wall: Double, cpu: Double, rows: Int) {
        let pipeline = "\(folder)/pipeline.yaml"
        try "stages: \(stages)\n".write(toFile: pipeline, atomically: true, encoding: .utf8)
        var configuration = try PipelineConfiguration.load(path: pipeline)
        configuration.inputs = [.init(path: input)]
        configuration.outputFolder = "\(folder)/out"
        let cpuBefore = Self.cpuSeconds()
        let clock = ContinuousClock()
        let start = clock.now
        let report = try Runner(configuration: configuration).run()
        let elapsed = clock.now - start
        let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return (wall, Self.cpuSeconds() - cpuBefore, report.totals.rowsIn)
    }

    /// The score and route stages alone, on one thread, over the first 100,000 rows already
    /// normalized in memory: what they cost per row without reading, normalizing or writing.
    func stagesAlone(input: String, rules: String) throws {
        let pipeline = "\(folder)/stages.yaml"
        try "stages: [normalize, {score: {rules: \(rules)}}, {route: {rules: \(rules)}}]\n".write(toFile: pipeline, atomically: true, encoding: .utf8)
        let configuration = try PipelineConfiguration.load(path: pipeline)
        let stages = try configuration.pipelineStages()
        let layout = Pipeline(stages).layout
        let reader = try CSVReader(path: input)
        let schema = try ColumnMapping().resolve(header: reader.header, source: input)
        var batches: [RecordBatch] = []
        var count = 0
        while count < 100_000, var batch = try reader.nextBatch(schema: schema, layout: layout) {
            try stages[0].process(&batch)
            count += batch.count
            batches.append(batch)
        }
        let cpuBefore = Self.cpuSeconds()
        let repeats = 5
        for _ in 0..<repeats {
            for index in batches.indices {
                for stage in stages.dropFirst() { try stage.process(&batches[index]) }
            }
        }
        let cpu = (Self.cpuSeconds() - cpuBefore) / Double(repeats)
        print(String(format: "score+route alone (one thread, %d normalized rows in memory): %.3f s CPU = %.0f ns a row", count, cpu, cpu / Double(count) * 1e9))
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    func run() throws {
        let (input, rules) = try generate()
        print("generated \(rows) rows and 1,000 territory rules in \(folder)")
        var base: [(Double, Double)] = [], routed: [(Double, Double)] = []
        for round in 0..<runs {
            let a = try time(stages: "[normalize]", input: input)
            let b = try time(stages: "[normalize, {score: {rules: \(rules)}}, {route: {rules: \(rules)}}]", input: input)
            base.append((a.wall, a.cpu))
            routed.append((b.wall, b.cpu))
            print(String(format: "run %d: normalize %.3f s wall, %.3f s CPU; normalize+score+route %.3f s wall, %.3f s CPU (%d rows)", round + 1, a.wall, a.cpu, b.wall, b.cpu, b.rows))
        }
        // A run fails on an orphan record, so every row above got an owner or a queue.
        try stagesAlone(input: input, rules: rules)
        try? FileManager.default.removeItem(atPath: folder)
        guard runs > 0 else { return }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        let (baseWall, baseCPU) = (median(base.map(\.0)), median(base.map(\.1)))
        let (routedWall, routedCPU) = (median(routed.map(\.0)), median(routed.map(\.1)))
        print(String(format: "median: normalize %.3f s wall / %.3f s CPU; with score+route %.3f s wall / %.3f s CPU", baseWall, baseCPU, routedWall, routedCPU))
        print(String(format: "overhead of score+route: wall %+.1f%%, CPU %+.1f%%", (routedWall / baseWall - 1) * 100, (routedCPU / baseCPU - 1) * 100))
    }
}
