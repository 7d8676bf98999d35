import Foundation
import Testing

@Suite struct NormalizeCommandTests {
    let scratch = Scratch()

    static let input = """
        First Name,Last Name,Email,Phone,Company,Zip,State
        JOHN,SMITH,John.Smith@GMIAL.com,(617) 253-1000 x12,"Acme, Inc.",2134,Mass.
        mary,o'brien,info@acme.com,555-555-5555,N/A,99999,
        ,,,,,,

        """

    static let expected = """
        First Name,Last Name,Email,Phone,Company,Zip,State,listwash_row,listwash_source,listwash_disposition,listwash_reason,listwash_cluster,listwash_match_id,listwash_match_score,listwash_first_name,listwash_last_name,listwash_name_suffix,listwash_email,listwash_email_key,listwash_phone,listwash_phone_ext,listwash_area_code_region,listwash_zip,listwash_city,listwash_state,listwash_country,listwash_company,listwash_company_key,listwash_domain,listwash_flags,listwash_salutation,listwash_middle_name,listwash_raw
        JOHN,SMITH,John.Smith@GMIAL.com,(617) 253-1000 x12,"Acme, Inc.",2134,Mass.,1,in.csv,load,,,,,John,Smith,,john.smith@gmail.com,johnsmith@gmail.com,+16172531000,12,Massachusetts,02134,Allston,MA,US,"Acme, Inc.",acme,,name_case_fixed;email_typo_corrected;email_freemail;zip_leading_zero_restored;city_filled_from_zip;country_inferred,,,
        mary,o'brien,info@acme.com,555-555-5555,N/A,99999,,2,in.csv,load,,,,,Mary,O'Brien,,info@acme.com,info@acme.com,,,,99999,,,,,,acme.com,name_case_fixed;email_role;zip_unknown;phone_invalid;company_invalid;domain_from_email,,,
        ,,,,,,,3,in.csv,load,,,,,,,,,,,,,,,,,,,,,,,

        """

    @Test func writesEveryRowWithNormalizedColumnsToStandardOutput() throws {
        scratch.write("in.csv", Self.input)
        let result = try listwash(["normalize", "in.csv"], in: scratch.path)
        #expect(result.status == 0)
        #expect(result.out == Self.expected)
        #expect(result.err.hasPrefix("normalize: 3 rows of "), "\(result.err)")
        #expect(result.err.hasSuffix("output: standard output\n"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == ["in.csv"])
    }

    @Test func writesAFileWithOut() throws {
        scratch.write("in.csv", Self.input)
        let result = try listwash(["normalize", "in.csv", "--out", "washed.csv"], in: scratch.path)
        #expect(result.status == 0)
        #expect(scratch.read("washed.csv") == Self.expected)
        #expect(result.out.hasPrefix("normalize: 3 rows of "), "\(result.out)")
        #expect(result.err.isEmpty)
    }

    @Test func missingInputExits65() throws {
        let result = try listwash(["normalize", "nothere.csv"], in: scratch.path)
        #expect(result.status == 65)
        #expect(result.out.isEmpty)
        #expect(result.err == "nothere.csv: error: cannot open nothere.csv: no such file\n")
    }

    /// A `listwash` copied away from its resource bundle stops with status 66 and says where it
    /// looked; `LISTWASH_DATA` points it at the data.
    @Test func missingReferenceDataExits66AndLISTWASH_DATAFindsIt() throws {
        let built = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("listwash").path
        let executable = [built, "\(packageRoot)/.build/debug/listwash"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let executable else { throw CocoaError(.fileNoSuchFile) }
        scratch.write("in.csv", Self.input)
        let copy = "\(scratch.path)/bin/listwash"
        try FileManager.default.createDirectory(atPath: "\(scratch.path)/bin", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: executable, toPath: copy)

        func run(_ environment: [String: String]) throws -> (status: Int32, out: String, err: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: copy)
            process.arguments = ["normalize", "in.csv"]
            process.currentDirectoryURL = URL(fileURLWithPath: scratch.path)
            process.environment = environment
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let outData = out.fileHandleForReading.readDataToEndOfFile()
            let errData = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
        }

        var environment = ProcessInfo.processInfo.environment
        environment["LISTWASH_DATA"] = nil
        let missing = try run(environment)
        #expect(missing.status == 66)
        #expect(missing.out.isEmpty)
        #expect(missing.err.contains("error: normalization reference data not found (zipcodes.csv, "))
        #expect(missing.err.contains("looked in \(scratch.path)/bin/ListWash_ListWashNormalize.resources/Resources"))
        #expect(missing.err.contains("LISTWASH_DATA"))

        environment["LISTWASH_DATA"] = "\(packageRoot)/Sources/ListWashNormalize/Resources"
        let found = try run(environment)
        #expect(found.status == 0)
        #expect(found.out == Self.expected)
    }
}
