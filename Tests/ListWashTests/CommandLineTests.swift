import Foundation
import Testing

@Suite struct CommandLineTests {
    let scratch = Scratch()

    @Test func runPrintsASummaryAndExitsZero() throws {
        scratch.write("in.csv", "email,name\na@b.com,Ann\n")
        scratch.write("p.yaml", "inputs: [in.csv]\noutput: {folder: out}")
        let result = try listwash(["run", "p.yaml"], in: scratch.path)
        #expect(result.status == 0)
        #expect(result.out.hasPrefix("pipeline: 1 rows in from 1 file in "))
        #expect(result.out.contains("  load       1\n"))
        #expect(FileManager.default.fileExists(atPath: "\(scratch.path)/out/report.json"))
    }

    /// #18 item 5: a plain run replaces its output folder as a whole, keeps the user's other
    /// files in it, and removes the staging folder a killed run left beside it.
    @Test func aRunReplacesItsOutputFolderAsAWholeAndRemovesWhatAKilledRunLeft() throws {
        scratch.write("in.csv", "email\na@b.com\n")
        scratch.write("p.yaml", "inputs: [in.csv]\noutput: {folder: out}")
        scratch.write("out/load.jsonl", "{\"email\": \"old@b.com\"}\n")
        scratch.write("out/notes.txt", "mine")
        let killed = Process()
        killed.executableURL = URL(fileURLWithPath: "/bin/true")
        try killed.run()
        killed.waitUntilExit()
        scratch.write(".listwash-staging-\(killed.processIdentifier)-0-out/load.csv", "personal data of a killed run")
        let result = try listwash(["run", "p.yaml"], in: scratch.path)
        #expect(result.status == 0, "\(result.err)")
        #expect(scratch.contents("") == ["in.csv", "out", "p.yaml"])
        #expect(scratch.contents("out") == ["attach.csv", "duplicate.csv", "load.csv", "notes.txt", "rejected.csv", "report.html", "report.json", "review.csv", "suppressed.csv"])
        #expect(scratch.read("out/notes.txt") == "mine")
        // A run by hand has its page too: the funnel and the reasons, no scorecard (no history).
        let page = scratch.read("out/report.html")
        #expect(page.contains("run by hand") && page.contains("Funnel: from rows in to rows loaded") && !page.contains("scorecard"), "\(page.prefix(300))")

        // The working folder cannot be replaced: refused before anything is read.
        let here = try listwash(["run", "p.yaml", "--out", "."], in: scratch.path)
        #expect(here.status == 73)
        #expect(here.err == ".: error: the output folder . is the working folder or holds it; a run replaces its output folder as a whole: name a folder of its own with --out (or output: folder:)\n")
        #expect(scratch.contents("") == ["in.csv", "out", "p.yaml"])
    }

    /// A plain run killed with SIGKILL leaves the earlier run's outputs as they were, and the
    /// next run removes the personal data it had staged.
    @Test func aPlainRunKilledMidwayLeavesTheEarlierOutputsAndTheNextRunRemovesItsStaging() throws {
        scratch.write("small.csv", "email\nold@b.com\n")
        scratch.write("p.yaml", "inputs: [small.csv]\noutput: {folder: out}")
        #expect(try listwash(["run", "p.yaml"], in: scratch.path).status == 0)
        let before = scratch.contents("out").map { ($0, scratch.read("out/\($0)")) }
        var text = "Email,First Name,Last Name\n"
        for row in 0..<200_000 { text += "person\(row)@example.com,First\(row),Last\(row)\n" }
        scratch.write("big.csv", text)
        let started = try startListwash(["run", "p.yaml", "--input", "big.csv"], in: scratch.path)
        let deadline = Date().addingTimeInterval(30)
        var killed = false
        while Date() < deadline && started.process.isRunning {
            if let staging = scratch.contents("").first(where: { $0.hasPrefix(".listwash-staging-") }),
               let size = try? FileManager.default.attributesOfItem(atPath: "\(scratch.path)/\(staging)/load.csv")[.size] as? Int, size > 0 {
                kill(started.process.processIdentifier, SIGKILL)
                killed = true
                break
            }
            usleep(2_000)
        }
        started.process.waitUntilExit()
        #expect(killed, "the run finished before it could be killed")
        #expect(scratch.contents("out").map { ($0, scratch.read("out/\($0)")) }.elementsEqual(before, by: ==))
        #expect(scratch.contents("").contains { $0.hasPrefix(".listwash-staging-\(started.process.processIdentifier)-") })
        #expect(try listwash(["run", "p.yaml"], in: scratch.path).status == 0)
        #expect(!scratch.contents("").contains { $0.hasPrefix(".listwash-staging-") })
    }

    @Test func flagsOverrideThePipelineFile() throws {
        scratch.write("a.csv", "email\na@b.com\n")
        scratch.write("b.csv", "email\nb@c.com\nc@d.com\n")
        scratch.write("p.yaml", "inputs: [a.csv]\noutput: {folder: out}")
        let result = try listwash(["run", "p.yaml", "--input", "a.csv", "--input", "b.csv", "--out", "elsewhere", "--method", "unique"], in: scratch.path)
        #expect(result.status == 0)
        #expect(result.out.contains("3 rows in from 2 files"))
        #expect(result.out.contains("(unique, responses)"))
        #expect(FileManager.default.fileExists(atPath: "\(scratch.path)/elsewhere/load.csv"))
    }

    /// `dedupe` and `link` say what they did (people, repeats, links), not the dispositions of `run`.
    @Test func dedupeAndLinkSummariesSayWhatTheyDid() throws {
        let dedupe = try listwash(["dedupe", "examples/acquired-list.csv", "--out", "\(scratch.path)/d.csv"], in: packageRoot)
        #expect(dedupe.status == 0, "\(dedupe.err)")
        #expect(dedupe.out.hasPrefix("dedupe: 25 rows of examples/acquired-list.csv in "), "\(dedupe.out)")
        #expect(dedupe.out.contains(" s: 18 people; 4 rows repeat another row's person, 0 possible duplicates to review, 3 rejected ("), "\(dedupe.out)")
        #expect(dedupe.out.hasSuffix("output: \(scratch.path)/d.csv\n"))
        let link = try listwash(["link", "examples/crm/contacts.csv", "examples/acquired-list.csv", "--out", "\(scratch.path)/l.csv"], in: packageRoot)
        #expect(link.status == 0, "\(link.err)")
        #expect(link.out.hasPrefix("link: 25 rows of examples/acquired-list.csv against examples/crm/contacts.csv in "), "\(link.out)")
        // Every row is linked, to review, not found or rejected; the linked ones carry a match id.
        let (header, rows) = try readCSV("\(scratch.path)/l.csv")
        let matchID = try #require(header.firstIndex(of: "listwash_match_id"))
        let linked = rows.filter { !$0[matchID].isEmpty }.count
        #expect(link.out.contains(" s: \(linked) linked to a row of examples/crm/contacts.csv, 0 possible matches to review, \(22 - linked) not found, 3 rejected ("), "\(link.out)")
    }

    /// `listwash help NAME` for a command that does not exist is a mistake (64), not the overview.
    @Test func helpForAnUnknownCommandIsAnError() throws {
        let result = try listwash(["help", "bogus"], in: scratch.path)
        #expect(result.status == 64)
        #expect(result.err.hasPrefix("Error: unknown command 'bogus'; the commands are: run, check, dedupe, normalize, link"), "\(result.err)")
        #expect(try listwash(["help", "dedupe"], in: scratch.path).status == 0)
    }

    @Test func exitStatusesAreDistinct() throws {
        scratch.write("in.csv", "email\na@b.com\n")
        scratch.write("good.yaml", "inputs: [in.csv]\noutput: {folder: out}")
        scratch.write("broken.yaml", "inputs: [in.csv]\nstagse: []")
        scratch.write("missing.yaml", "inputs: [nothere.csv]")
        scratch.write("utf16.csv", "\u{FEFF}x")
        scratch.write("utf16.csv", bytes: [0xFF, 0xFE, 0x61, 0x00])
        scratch.write("u.yaml", "inputs: [utf16.csv]")
        scratch.write("blocker", "x")

        let broken = try listwash(["check", "broken.yaml"], in: scratch.path)
        #expect(broken.status == 64)
        #expect(broken.err == "broken.yaml:2:1: error: unknown key 'stagse' in the pipeline. Did you mean 'stages'?\n")

        let missing = try listwash(["run", "missing.yaml"], in: scratch.path)
        #expect(missing.status == 65)
        #expect(missing.err == "nothere.csv: error: cannot open nothere.csv: no such file\n")

        #expect(try listwash(["run", "u.yaml"], in: scratch.path).status == 65)
        #expect(try listwash(["run", "good.yaml", "--out", "blocker/out"], in: scratch.path).status == 73)
        #expect(try listwash(["run", "good.yaml", "--method", "hybird"], in: scratch.path).status == 64)
        #expect(try listwash(["run"], in: scratch.path).status == 64)
        #expect(try listwash(["check", "good.yaml"], in: scratch.path).status == 0)

        // A named pipe as an input or a list is refused at once (it could block the run forever).
        #expect(mkfifo("\(scratch.path)/pipe.csv", 0o600) == 0)
        let piped = try listwash(["normalize", "pipe.csv"], in: scratch.path)
        #expect(piped.status == 65)
        #expect(piped.err.contains("pipe.csv is a named pipe (FIFO), not a regular file"), "\(piped.err)")
        scratch.write("in.csv", "Email\nann@acme.com\n")
        scratch.write("lists/competitors.csv", "domain\nglobex.com\n")
        #expect(mkfifo("\(scratch.path)/lists/do-not-contact.csv", 0o600) == 0)
        scratch.write("fifo-list.yaml", "inputs: [in.csv]\nsuppression: {folder: lists, lists: [competitors.csv, do-not-contact.csv]}\nstages: [normalize, suppress]\noutput: {folder: out}\n")
        let list = try listwash(["run", "fifo-list.yaml"], in: scratch.path)
        #expect(list.status == 66)
        #expect(list.err.contains("do-not-contact.csv is a named pipe (FIFO)"), "\(list.err)")

        // EM over one list's pairs cannot train a match against exports: said, not ignored.
        scratch.write("contacts.csv", "Contact ID,First Name,Last Name,Email\nC1,Ann,Lee,ann@acme.com\n")
        scratch.write("train.yaml", "inputs: [in.csv]\nreferences: {contacts: contacts.csv}\nstages:\n  - normalize\n  - match: {train: true}\n")
        let train = try listwash(["check", "train.yaml"], in: scratch.path)
        #expect(train.status == 64)
        #expect(train.err.hasPrefix("train.yaml:5:5: error: train: true applies to dedupe"), "\(train.err)")
    }
}
