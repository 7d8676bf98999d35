import Testing
@testable import ListWashCore

@Suite struct ColumnMappingTests {
    @Test(arguments: [
        ("E-mail Address", FieldRole.email), ("Email", .email), ("ZIP/Postal Code", .zip), ("Zip Code", .zip),
        ("First Name", .firstName), ("FName", .firstName), ("Company Name", .company), ("Account Name", .company),
        ("Mobile", .mobile), ("Phone Number", .phone), ("Website", .website), ("Lead Source", .leadSource),
        ("Contact ID", .recordID), ("Lead ID", .recordID), ("Record ID", .recordID), ("Id", .recordID),
        ("State/Province", .state), ("Job Title", .title), ("last_name", .lastName),
    ])
    func recognizesRealExportHeaders(_ header: String, _ role: FieldRole) {
        #expect(FieldRole.recognizing(header) == role)
    }

    @Test func explicitMappingWinsAndTheFirstRecognizedColumnTakesARole() throws {
        let mapping = ColumnMapping(explicit: [.email: "Work Mail"])
        let schema = try mapping.resolve(header: ["Email", "Work Mail", "Phone", "Telephone"], source: "x.csv")
        #expect(schema.column(.email) == 1)
        #expect(schema.column(.phone) == 2)
        #expect(schema.mapping.first == ColumnMapping.Entry(role: .email, column: "Work Mail", explicit: true))
    }

    @Test func aMissingRequiredColumnListsTheHeadersAndSuggestsTheNearest() {
        do {
            _ = try ColumnMapping().resolve(header: ["Name", "E_mial", "Phone"], source: "list.csv", required: [.email])
            Issue.record("expected an error")
        } catch let error as ListWashError {
            #expect(error.description == "list.csv:1: error: no column for required field 'email' in list.csv; its columns are: Name, E_mial, Phone. Did you mean 'E_mial'? Map it in the pipeline file under columns: email: \"E_mial\"")
            #expect(error.exitStatus == 65)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func anExplicitColumnThatDoesNotExistIsAUsageError() {
        let location = SourceLocation(file: "p.yaml", line: 7, column: 10)
        let mapping = ColumnMapping(explicit: [.zip: "Postcde"], locations: [.zip: location])
        do {
            _ = try mapping.resolve(header: ["Postcode", "Name"], source: "list.csv")
            Issue.record("expected an error")
        } catch let error as ListWashError {
            #expect(error.description == "p.yaml:7:10: error: column 'Postcde' mapped to zip is not in list.csv; its columns are: Postcode, Name. Did you mean 'Postcode'?")
            #expect(error.exitStatus == 64)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func duplicateHeaderNamesAreKeptWithAWarning() throws {
        let log = DiagnosticLog()
        let schema = try ColumnMapping().resolve(header: ["Email", "Email"], source: "d.csv", log: log)
        #expect(schema.columns == ["Email", "Email"])
        #expect(schema.column(.email) == 0)
        #expect(log.all.map(\.description) == ["d.csv:1:2: warning: duplicate header name 'Email' in columns 1 and 2; roles use column 1, both are kept in the output"])
    }
}
