import Foundation
import ListWash

/// Generates realistic lead lists with a fixed seed, for benchmarks.
struct LeadListGenerator {
    private var random: SeededRandom

    init(seed: UInt64) {
        random = SeededRandom(seed: seed)
    }

    private mutating func next() -> UInt64 { random.next() }

    private mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
    private mutating func number(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }

    static let firstNames = ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "William", "Elizabeth", "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen", "José", "Zoë", "Priya", "Wei", "Fatima", "Olga", "Liam", "Noah", "Emma", "Olivia"]
    static let lastNames = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "O'Brien", "McDonald", "Müller", "Nguyen", "Patel", "Kowalski", "Szczepanski", "Van der Berg"]
    static let companies = ["Acme, Inc.", "Globex Corporation", "Initech LLC", "Umbrella Corp.", "Hooli", "Vandelay Industries", "Stark Industries", "Wayne Enterprises", "Cyberdyne Systems", "Soylent Corp", "Tyrell Corporation", "Massive Dynamic", "Initrode", "Pendant Publishing", "Dunder Mifflin, Inc."]
    static let domains = ["acme.com", "globex.com", "initech.com", "umbrella-corp.com", "hooli.com", "gmail.com", "yahoo.com", "outlook.com", "vandelay.com", "stark.com"]
    static let places = [("02134", "MA", "617"), ("10001", "NY", "212"), ("94043", "CA", "650"), ("78701", "TX", "512"), ("60601", "IL", "312"), ("98052", "WA", "425"), ("07030", "NJ", "201"), ("33101", "FL", "305"), ("80202", "CO", "303"), ("30301", "GA", "404")]
    static let titles = ["VP Marketing", "Director of IT", "CTO", "Chief Executive Officer", "Marketing Manager", "Engineer", "Analyst", "Head of Sales", "Purchasing Agent", "Consultant"]

    static func quoted(_ field: String) -> String {
        field.contains(",") || field.contains("\"") ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }

    /// An 8-column CSV of about 100 bytes a row, with quoted fields.
    mutating func writeSimpleCSV(to path: String, rows: Int) throws {
        guard let handle = FileHandle(forWritingAtPath: path) ?? { FileManager.default.createFile(atPath: path, contents: nil); return FileHandle(forWritingAtPath: path) }() else {
            throw CocoaError(.fileWriteNoPermission)
        }
        try handle.truncate(atOffset: 0)
        var buffer = "id,first_name,last_name,email,company,phone,zip,note\n"
        for index in 1...rows {
            let first = pick(Self.firstNames), last = pick(Self.lastNames)
            let place = pick(Self.places)
            let note = next() % 4 == 0 ? "said \"call me\", later" : "met at booth \(number(1...99))"
            let fields = [String(index), first, last, "\(first.lowercased()).\(last.lowercased())@\(pick(Self.domains))", pick(Self.companies),
                          "(\(place.2)) 555-\(String(format: "%04d", number(0...9999)))", place.0, note]
            buffer += fields.map(Self.quoted).joined(separator: ",") + "\n"
            if buffer.utf8.count > 1 << 20 {
                try handle.write(contentsOf: Data(buffer.utf8))
                buffer = ""
            }
        }
        try handle.write(contentsOf: Data(buffer.utf8))
        try handle.close()
    }

    /// A lead list as vendors send it: messy case and spacing, Excel-dropped ZIP zeros, phones in
    /// every format, states spelled out.
    mutating func writeLeadList(to path: String, rows: Int) throws {
        FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else { throw CocoaError(.fileWriteNoPermission) }
        var buffer = "First Name,Last Name,E-mail Address,Company,Phone Number,ZIP/Postal Code,State,Country,Job Title,Website\n"
        let stateNames = ["MA": "Massachusetts", "NY": "N.Y.", "CA": "Calif.", "TX": "Texas", "IL": "Ill.", "WA": "Washington", "NJ": "New Jersey", "FL": "Fla.", "CO": "Colorado", "GA": "Georgia"]
        for _ in 1...rows {
            var first = pick(Self.firstNames), last = pick(Self.lastNames)
            let place = pick(Self.places)
            let domain = pick(Self.domains)
            var email = "\(first.lowercased()).\(last.lowercased().replacingOccurrences(of: " ", with: ""))@\(domain)"
            switch next() % 6 {
            case 0: first = first.uppercased(); last = last.uppercased()
            case 1: first = " \(first.lowercased()) "; last = last.lowercased()
            case 2: email = email.uppercased()
            default: break
            }
            let line = String(format: "%04d", number(0...9999))
            let phone = pick(["(\(place.2)) 555-\(line)", "\(place.2).555.\(line)", "+1 \(place.2) 555 \(line)", "1-\(place.2)-555-\(line) x\(number(10...999))"])
            let zip = place.0.hasPrefix("0") && next() % 2 == 0 ? String(place.0.drop(while: { $0 == "0" })) : place.0
            let state = next() % 2 == 0 ? place.1 : stateNames[place.1] ?? place.1
            let fields = [first, last, email, pick(Self.companies), phone, zip, state, pick(["USA", "US", "United States", ""]), pick(Self.titles), "https://www.\(domain)/"]
            buffer += fields.map(Self.quoted).joined(separator: ",") + "\n"
            if buffer.utf8.count > 1 << 20 {
                try handle.write(contentsOf: Data(buffer.utf8))
                buffer = ""
            }
        }
        try handle.write(contentsOf: Data(buffer.utf8))
        try handle.close()
    }
}
