import Foundation
import ListWash

/// Generates a US lead list with known duplicates, for measuring dedupe accuracy and speed.
///
/// Each row carries `true_person` (the same value means the same person); the dedupe model never
/// reads it. Hard cases are built in: repeat responses with nicknames, typos, changed or
/// Gmail-dotted emails, reformatted phones and Excel-dropped ZIP zeros, swapped first and last
/// names; and different people who look alike: family members at one address and phone,
/// colleagues sharing a company phone, common names in one ZIP code.
struct LabeledLeadGenerator {
    private var random: SeededRandom
    private let givenNames: [(formal: String, nicknames: [String])]
    private let surnames: [String]
    private let places: [(zip: String, state: String, area: String)]
    /// Mailboxes are unique: a second person never gets an address already in use.
    private var usedEmails = Set<String>()

    init(seed: UInt64, nicknamesFile: String?, zipFile: String? = nil) {
        var places: [(zip: String, state: String, area: String)] = []
        if let zipFile, let text = try? String(contentsOfFile: zipFile, encoding: .utf8) {
            // zip,zip_type,active,city,state,county,lat,long,timezone,area_codes,...
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                guard fields.count > 9, fields[1] == "STANDARD", fields[2] == "true", let area = fields[9].split(separator: ";").first, area.count == 3 else { continue }
                places.append((String(fields[0]), String(fields[4]), String(area)))
            }
        }
        self.places = places.isEmpty ? Self.fallbackPlaces : places
        random = SeededRandom(seed: seed)
        var groups: [String: [String]] = [:]
        if let nicknamesFile, let text = try? String(contentsOfFile: nicknamesFile, encoding: .utf8) {
            for line in text.split(separator: "\n").dropFirst() {
                let parts = line.split(separator: ",")
                if parts.count == 2 { groups[String(parts[0]), default: []].append(String(parts[1])) }
            }
        }
        if groups.isEmpty { groups = ["robert": ["bob", "rob"], "william": ["bill"], "margaret": ["peggy"], "elizabeth": ["liz", "beth"]] }
        givenNames = groups.keys.sorted().map { ($0, groups[$0] ?? []) }
        // Common surnames first (Zipf-weighted below), then generated rare ones.
        let common = ["smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis", "rodriguez", "martinez",
                      "hernandez", "lopez", "gonzalez", "wilson", "anderson", "thomas", "taylor", "moore", "jackson", "martin",
                      "lee", "perez", "thompson", "white", "harris", "sanchez", "clark", "ramirez", "lewis", "robinson"]
        var generated = SeededRandom(seed: seed ^ 0xABCD)
        let onsets = ["b", "br", "c", "ch", "d", "f", "g", "gr", "h", "k", "kl", "l", "m", "n", "p", "r", "s", "sch", "st", "t", "v", "w", "z"]
        let vowels = ["a", "e", "i", "o", "u", "ei", "au", "ou"]
        let codas = ["n", "r", "s", "l", "m", "k", "nd", "rt", "ck", "tz", "ski", "sen", "son", "man", "berg", "wick"]
        var rare = Set<String>()
        while rare.count < 60_000 {
            let syllables = 2 + Int(generated.next() % 2)
            var name = ""
            for _ in 0..<syllables { name += onsets[Int(generated.next() % UInt64(onsets.count))] + vowels[Int(generated.next() % UInt64(vowels.count))] }
            name += codas[Int(generated.next() % UInt64(codas.count))]
            rare.insert(name)
        }
        surnames = common + rare.sorted()
    }

    private mutating func below(_ n: Int) -> Int { Int(random.next() % UInt64(max(n, 1))) }
    private mutating func chance(_ p: Double) -> Bool { Double(random.next() % 1_000_000) / 1_000_000 < p }
    private mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// A surname: a third of people get one of the 30 common names, Zipf-weighted.
    private mutating func surname() -> String {
        if chance(0.33) {
            let rank = Int(Double(30) * pow(Double(below(1000) + 1) / 1000, 2.5))
            return surnames[min(rank, 29)]
        }
        return surnames[30 + below(surnames.count - 30)]
    }

    struct Person {
        var id: Int
        var first: String, nickname: String?, last: String
        var email: String, phone: String, company: String, domain: String, zip: String, state: String
    }

    static let fallbackPlaces: [(zip: String, state: String, area: String)] = [
        ("02134", "MA", "617"), ("02139", "MA", "617"), ("10001", "NY", "212"), ("10016", "NY", "212"), ("94043", "CA", "650"),
        ("90210", "CA", "310"), ("78701", "TX", "512"), ("77002", "TX", "713"), ("60601", "IL", "312"), ("98052", "WA", "425"),
        ("07030", "NJ", "201"), ("33101", "FL", "305"), ("80202", "CO", "303"), ("30301", "GA", "404"), ("19103", "PA", "215"),
        ("85001", "AZ", "602"), ("97201", "OR", "503"), ("55401", "MN", "612"), ("48201", "MI", "313"), ("06103", "CT", "860"),
    ]
    static let free = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "aol.com", "icloud.com"]
    static let suffixes = ["Inc.", "LLC", "Corp.", "Corporation", "Co.", "Group", "Ltd", ""]

    private mutating func makePerson(id: Int, companies: [(name: String, domain: String, phone: String, place: Int)]) -> Person {
        let given = pick(givenNames)
        let last = surname()
        let company = pick(companies)
        let place = places[company.place]
        let first = given.formal
        let local = pick(["\(first).\(last)", "\(first.prefix(1))\(last)", "\(first)\(last.prefix(1))", "\(first)_\(last)\(below(99))"])
        let personal = chance(0.3)
        var email = "\(local)@\(personal ? pick(Self.free) : company.domain)"
        while !usedEmails.insert(email.lowercased()).inserted { email = "\(local)\(below(1000))@\(personal ? pick(Self.free) : company.domain)" }
        let phone = chance(0.25) ? company.phone : "\(place.area)\(200 + below(700))\(String(format: "%04d", below(10000)))"
        return Person(id: id, first: first, nickname: given.nicknames.isEmpty ? nil : pick(given.nicknames), last: last,
                      email: email, phone: phone, company: company.name, domain: company.domain, zip: place.zip, state: place.state)
    }

    private mutating func typo(_ text: String) -> String {
        var chars = Array(text)
        guard chars.count > 3 else { return text }
        let index = 1 + below(chars.count - 2)
        switch below(3) {
        case 0: chars.remove(at: index)
        case 1: chars.swapAt(index, index - 1)
        default: chars[index] = Character(Unicode.Scalar(UInt8(ascii: "a") + UInt8(below(26))))
        }
        return String(chars)
    }

    private mutating func formatPhone(_ digits: String) -> String {
        let chars = Array(digits)
        guard chars.count == 10 else { return digits }
        let a = String(chars[0..<3]), b = String(chars[3..<6]), c = String(chars[6..<10])
        return pick(["(\(a)) \(b)-\(c)", "\(a)-\(b)-\(c)", "\(a).\(b).\(c)", "+1 \(a) \(b) \(c)", "1-\(a)-\(b)-\(c)"])
    }

    private func cased(_ text: String, _ style: Int) -> String {
        switch style {
        case 0: return text.uppercased()
        case 1: return text.lowercased()
        default: return text.prefix(1).uppercased() + text.dropFirst()
        }
    }

    /// One row of `person`; `variant` > 0 makes a repeat response with realistic differences.
    private mutating func row(_ person: Person, variant: Int) -> [String] {
        var first = person.first, last = person.last, email = person.email, phone = person.phone, zip = person.zip
        var company = person.company + " " + pick(Self.suffixes)
        if variant > 0 {
            if let nickname = person.nickname, chance(0.3) { first = nickname }
            if chance(0.15) { last = typo(last) }
            if chance(0.1) { first = typo(first) }
            if chance(0.2) {   // a new address of their own
                email = "\(first).\(last)\(below(10_000))@\(pick(Self.free))".lowercased()
                if !usedEmails.insert(email).inserted { email = "" }
            }
            else if chance(0.2), email.hasSuffix("@gmail.com") { email = email.replacingOccurrences(of: ".", with: "", options: [], range: email.startIndex..<(email.firstIndex(of: "@") ?? email.endIndex)) }
            if chance(0.2) { phone = "" }
            if chance(0.3), zip.hasPrefix("0") { zip = String(zip.dropFirst()) }
            if chance(0.3) { company = person.company }
            if chance(0.03) { swap(&first, &last) }
            if chance(0.1) { email = "" }
        }
        let style = below(3)
        return [cased(first, style), cased(last, style), email, company.trimmingCharacters(in: .whitespaces),
                phone.isEmpty ? "" : formatPhone(phone), zip, person.state, String(person.id)]
    }

    /// Writes `rows` rows: about 70% of people appear once, the rest two to four times.
    mutating func write(to path: String, rows: Int) throws {
        let companyCount = max(50, rows / 40)
        var companies: [(name: String, domain: String, phone: String, place: Int)] = []
        for index in 0..<companyCount {
            let name = surnames[30 + (index * 7919) % (surnames.count - 30)].capitalized + pick([" Systems", " Labs", " Partners", " Industries", " Health", " Logistics", ""])
            let place = below(places.count)
            let domain = name.lowercased().replacingOccurrences(of: " ", with: "") + "\(index).com"
            companies.append((name, domain, "\(places[place].area)\(200 + below(700))\(String(format: "%04d", below(10000)))", place))
        }
        FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else { throw CocoaError(.fileWriteNoPermission) }
        var buffer = "First Name,Last Name,Email,Company,Phone,Zip Code,State,true_person\n"
        var written = 0, personID = 0
        var family: Person?
        while written < rows {
            personID += 1
            var person = makePerson(id: personID, companies: companies)
            // Hard negatives: a family member at the same address and phone, with their own email.
            if let relative = family, chance(0.05) {
                person.last = relative.last
                person.phone = relative.phone
                person.zip = relative.zip
                person.state = relative.state
                person.email = "\(person.first).\(person.last)\(below(10_000))@\(pick(Self.free))"
                if !usedEmails.insert(person.email).inserted { person.email = "" }
            }
            family = person
            let copies = chance(0.7) ? 1 : 2 + below(3)
            for variant in 0..<copies where written < rows {
                buffer += row(person, variant: variant).map(Self.quoted).joined(separator: ",") + "\n"
                written += 1
            }
            if buffer.utf8.count > 1 << 20 {
                try handle.write(contentsOf: Data(buffer.utf8))
                buffer = ""
            }
        }
        try handle.write(contentsOf: Data(buffer.utf8))
        try handle.close()
    }

    /// Writes a CRM export of `referenceRows` contacts (column `Contact ID` = `C<person>`) and an
    /// incoming list of `inputRows` rows: 70% are repeat responses of contacts (with the usual
    /// differences), 30% are new people. `true_person` tells which contact a row belongs to.
    mutating func writeLinkData(reference: String, input: String, referenceRows: Int, inputRows: Int) throws {
        let companyCount = max(50, referenceRows / 40)
        var companies: [(name: String, domain: String, phone: String, place: Int)] = []
        for index in 0..<companyCount {
            let name = surnames[30 + (index * 7919) % (surnames.count - 30)].capitalized + pick([" Systems", " Labs", " Partners", " Industries", " Health", " Logistics", ""])
            let place = below(places.count)
            companies.append((name, name.lowercased().replacingOccurrences(of: " ", with: "") + "\(index).com", "\(places[place].area)\(200 + below(700))\(String(format: "%04d", below(10000)))", place))
        }
        var people: [Person] = []
        people.reserveCapacity(referenceRows)
        FileManager.default.createFile(atPath: reference, contents: nil)
        FileManager.default.createFile(atPath: input, contents: nil)
        guard let referenceFile = FileHandle(forWritingAtPath: reference), let inputFile = FileHandle(forWritingAtPath: input) else { throw CocoaError(.fileWriteNoPermission) }
        var buffer = "Contact ID,First Name,Last Name,Email,Company,Phone,Zip Code,State\n"
        for id in 1...referenceRows {
            let person = makePerson(id: id, companies: companies)
            people.append(person)
            buffer += (["C\(id)"] + row(person, variant: 0).dropLast()).map(Self.quoted).joined(separator: ",") + "\n"
            if buffer.utf8.count > 1 << 20 { try referenceFile.write(contentsOf: Data(buffer.utf8)); buffer = "" }
        }
        try referenceFile.write(contentsOf: Data(buffer.utf8))
        try referenceFile.close()
        buffer = "First Name,Last Name,Email,Company,Phone,Zip Code,State,true_person\n"
        for index in 0..<inputRows {
            var fields: [String]
            if chance(0.7) {
                fields = row(pick(people), variant: 1)
                fields[7] = "C" + fields[7]
            } else {
                fields = row(makePerson(id: referenceRows + index + 1, companies: companies), variant: 0)
                fields[7] = ""
            }
            buffer += fields.map(Self.quoted).joined(separator: ",") + "\n"
            if buffer.utf8.count > 1 << 20 { try inputFile.write(contentsOf: Data(buffer.utf8)); buffer = "" }
        }
        try inputFile.write(contentsOf: Data(buffer.utf8))
        try inputFile.close()
    }

    static func quoted(_ field: String) -> String {
        field.contains(",") || field.contains("\"") ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }
}
