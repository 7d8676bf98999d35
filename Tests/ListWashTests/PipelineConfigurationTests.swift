import Testing
@testable import ListWash

@Suite struct PipelineConfigurationTests {
    @Test func readsEverySection() throws {
        let configuration = try PipelineConfiguration.parse("""
            name: trade-show
            inputs:
              - path: in/list.csv
                delimiter: ";"
                list: Expo
              - other.jsonl
            columns:
              email: Work Mail
            required: [email]
            references:
              contacts: { path: crm/contacts.csv, id: Contact ID }
              leads: crm/leads.csv
            suppression:
              folder: lists
              lists: [competitors.csv]
            method: point-of-interest
            rows: records
            stages:
              - validate: { required_any: [email, phone], reject_flags: [email_invalid] }
            output: { folder: ../out, format: jsonl }
            """, file: "pipes/p.yaml")
        #expect(configuration.name == "trade-show")
        #expect(configuration.inputs.map(\.path) == ["pipes/in/list.csv", "pipes/other.jsonl"])
        #expect(configuration.inputs[0].csv.delimiter == UInt8(ascii: ";"))
        #expect(configuration.inputs[0].list == "Expo")
        #expect(configuration.columns.explicit == [.email: "Work Mail"])
        #expect(configuration.required == [.email])
        #expect(configuration.contacts == .init(path: "pipes/crm/contacts.csv", idColumn: "Contact ID"))
        #expect(configuration.leads == .init(path: "pipes/crm/leads.csv"))
        #expect(configuration.suppressionFolder == "pipes/lists")
        #expect(configuration.suppressionLists == ["competitors.csv"])
        #expect(configuration.method == .pointOfInterest)
        #expect(configuration.rows == .records)
        #expect(configuration.stages.map(\.name) == ["validate"])
        #expect(configuration.outputFolder == "out")
        #expect(configuration.outputFormat == .jsonl)
    }

    @Test(arguments: [
        ("stges: []", "p.yaml:1:1: error: unknown key 'stges' in the pipeline. Did you mean 'stages'?"),
        ("stages:\n  - validat", "p.yaml:2:5: error: unknown stage 'validat' in stages. Did you mean 'validate'?"),
        ("method: hybird", "p.yaml:1:9: error: unknown method 'hybird' in the pipeline. Did you mean 'hybrid'?"),
        ("rows: response", "p.yaml:1:7: error: unknown value 'response' in rows. Did you mean 'responses'?"),
        ("columns:\n  emial: Mail", "p.yaml:2:3: error: unknown field 'emial' in the pipeline. Did you mean 'email'?"),
        ("inputs:\n  - pth: a.csv", "p.yaml:2:5: error: unknown key 'pth' in an input. Did you mean 'path'?"),
        ("inputs:\n  - path: a.csv\n    delimiter: ab", "p.yaml:3:16: error: delimiter must be one character (or 'tab' or 'auto'), not 'ab'"),
        ("inputs:\n  - path: a.csv\n    encoding: utf8", "p.yaml:3:15: error: unknown encoding 'utf8' in an input. Did you mean 'utf-8'?"),
        ("inputs:\n  - path: a.csv\n    encoding: latin-9", "p.yaml:3:15: error: unknown encoding 'latin-9' in an input; expected one of: auto, utf-8, windows-1252"),
        ("stages:\n  - validate: {required: [emal]}", "p.yaml:2:27: error: unknown field 'emal' in validate. Did you mean 'email'?"),
        ("name: [a", "p.yaml:2:1: error: YAML: did not find expected ',' or ']' (while parsing a flow sequence)"),
        ("output: {format: xlsx}", "p.yaml:1:18: error: unknown format 'xlsx' in output; expected one of: csv, jsonl"),
        ("stages: [validate, validate]", "p.yaml:1:20: error: stage 'validate' appears twice"),
    ])
    func reportsMistakesWithFileLineColumnAndSuggestion(_ yaml: String, _ message: String) {
        #expect(errorText { _ = try PipelineConfiguration.parse(yaml, file: "p.yaml") } == message)
    }

    @Test func anInputsEncodingIsAutoUnlessDeclared() throws {
        let configuration = try PipelineConfiguration.parse("inputs:\n  - a.csv\n  - {path: b.csv, encoding: Windows-1252}\n  - {path: c.csv, encoding: utf-8}\n  - {path: d.csv, encoding: auto}\n", file: "p.yaml")
        #expect(configuration.inputs.map(\.csv.encoding) == [nil, .windows1252, .utf8, nil])
    }

    @Test func aMissingPipelineFileIsAUsageError() {
        do {
            _ = try PipelineConfiguration.load(path: "/nonexistent/p.yaml")
            Issue.record("expected an error")
        } catch let error as ListWashError {
            #expect(error.exitStatus == 64)
            #expect(error.description == "/nonexistent/p.yaml: error: cannot open /nonexistent/p.yaml: no such file")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func commandLineOverridesReplaceTheFilesSettings() throws {
        var overrides = RunOverrides()
        overrides.inputs = ["a.csv", "b.csv"]
        overrides.method = .unique
        overrides.out = "elsewhere"
        overrides.contacts = "c.csv"
        let configuration = try PipelineConfiguration.parse("inputs: [x.csv]\nmethod: poi\nreferences: {contacts: {path: k.csv, id: CID}}", file: "p.yaml").applying(overrides)
        #expect(configuration.inputs.map(\.path) == ["a.csv", "b.csv"])
        #expect(configuration.method == .unique)
        #expect(configuration.outputFolder == "elsewhere")
        #expect(configuration.contacts == .init(path: "c.csv", idColumn: "CID"))
    }

    @Test func theBundledPipelinesAreValid() throws {
        for name in ["acquired-list.yaml", "nightly.yaml"] {
            let configuration = try PipelineConfiguration.load(path: "\(packageRoot)/pipelines/\(name)")
            #expect(!configuration.inputs.isEmpty || configuration.inbox != nil)
        }
    }
}

@Suite struct ReadTimeoutConfigurationTests {
    @Test func theReadTimeoutIsReadFromThePipelineFile() throws {
        #expect(try PipelineConfiguration.parse("read_timeout_seconds: 30", file: "p.yaml").readTimeoutSeconds == 30)
        #expect(try PipelineConfiguration.parse("name: x", file: "p.yaml").readTimeoutSeconds == 300)
        #expect(errorText { _ = try PipelineConfiguration.parse("read_timeout_seconds: 0", file: "p.yaml") } == "p.yaml:1:23: error: read_timeout_seconds must be more than 0")
    }
}
