import ListWashCore
import ListWashNormalize
import Testing
@testable import ListWashMatch

/// A lead list washed in memory as a run washes it: the CSV text's rows normalized by the
/// normalize stage, their features added, and the built-in lead-list model's dedupe run.
final class WashedList {
    /// The normalizer every list of the test process shares (its reference data loads once).
    static let normalizer = Normalizer()
    /// Random pairs for u values: fewer than a run's 100,000, so that a debug build estimates
    /// them in a fraction of a second (u's levels are still counted on thousands of pairs).
    static let uSampleSize = 20_000

    /// The records' features, in row order (record `i` is the `i`-th data line).
    let features: FeatureSet
    /// The deduplicator that ran.
    let deduplicator: Deduplicator
    /// What it found.
    let result: DedupeResult
    /// What it estimated, for explanations (estimation is seeded: the run estimated the same).
    private(set) lazy var estimate = deduplicator.estimate(features)

    /// Washes `csv`: a header line and one line per record, fields split at commas (no quoting).
    init(csv: String, model: MatchModel = .leadList) throws {
        let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines.first ?? []
        let schema = try ColumnMapping().resolve(header: header, source: "list.csv")
        let stage = NormalizeStage(normalizer: Self.normalizer)
        try stage.setUp()
        var batch = RecordBatch(schema: schema, layout: Pipeline([stage]).layout, rows: Array(lines.dropFirst()))
        try stage.process(&batch)
        var features = FeatureSet(model: model)
        features.add(batch, names: NameNormalizer())
        self.features = features
        deduplicator = Deduplicator(model: model, uSampleSize: Self.uSampleSize)
        result = deduplicator.run(features)
    }

    /// Whether records `a` and `b` ended in one cluster.
    func together(_ a: Int, _ b: Int) -> Bool {
        result.cluster[a] == result.cluster[b]
    }

    /// Whether records `a` and `b` ended in two clusters.
    func apart(_ a: Int, _ b: Int) -> Bool {
        !together(a, b)
    }

    /// Whether each of `records` ended in a cluster of its own among them.
    func allApart(_ records: [Int]) -> Bool {
        Set(records.map { result.cluster[$0] }).count == records.count
    }

    /// How the run scores records `a` and `b`.
    func explain(_ a: Int, _ b: Int) -> PairExplanation {
        deduplicator.explain(estimate, features: features, a, b)
    }

    /// Each pair of `records`, explained: for failure messages.
    func explainAll(_ records: [Int]) -> String {
        var text: [String] = []
        for (index, a) in records.enumerated() {
            for b in records[(index + 1)...] {
                text.append("records \(a) and \(b) (clusters \(result.cluster[a]), \(result.cluster[b])):\n" + explain(a, b).text)
            }
        }
        return text.joined(separator: "\n\n")
    }
}

/// Filler for lead lists: realistic, varied people generated from small arrays (no two share a
/// first and last name, an email or a direct line), with colleagues who share their company,
/// its ZIP code and its main number, and one person in ten who comes back later in the list
/// (so that the prior a run works out from its data is that of a list with repeats).
enum Filler {
    static let header = "First Name,Last Name,Email,Company,Phone,Zip Code"

    /// Given names that no hard pair uses, nor any of their nicknames.
    static let firstNames = [
        "Karen", "Luis", "Priya", "Omar", "Helen", "Tomas", "Aisha", "Greg", "Nina", "Victor", "Rachel", "Hiroshi",
        "Fatima", "Derek", "Olga", "Marcus", "Ingrid", "Raj", "Teresa", "Andre", "Yuki", "Brenda", "Kwame", "Sofia",
        "Neil", "Carmen", "Anton", "Leah", "Felipe", "Grace", "Tariq", "Monica", "Oscar", "Heather", "Dmitri", "Paula",
        "Jamal", "Irene", "Stefan", "Wendy", "Ahmed", "Gloria", "Boris", "Tanya", "Hugo", "Joyce", "Ravi", "Alma",
        "Vernon", "Esther", "Keith", "Nadia", "Gordon", "Lucia", "Roy", "Miriam", "Edwin", "Selma", "Arjun", "Beatrice",
        "Caleb", "Delia", "Emeka", "Freya", "Gustavo", "Hana", "Ismael", "Jolene", "Kenji", "Lorena", "Mateo", "Noor",
        "Orla", "Pablo", "Quentin", "Renata", "Soren", "Thalia", "Ulrich", "Valeria", "Wesley", "Ximena", "Yusuf", "Zara",
        "Adele", "Bruno", "Celeste", "Dario", "Elif", "Fabian", "Gemma", "Hector", "Imani", "Jasper", "Kira", "Lionel",
    ]
    /// Family names that no hard pair uses and that are not close to one.
    static let lastNames = [
        "Alvarez", "Becker", "Chandra", "Dubois", "Eriksen", "Fischer", "Gallagher", "Hoffman", "Ibarra", "Jensen",
        "Kowalski", "Lindqvist", "Morales", "Nakamura", "Okafor", "Petrov", "Quinn", "Romero", "Schneider", "Tanaka",
        "Underwood", "Vasquez", "Whitaker", "Xu", "Yamamoto", "Zimmerman", "Abbott", "Baxter", "Castillo", "Delgado",
        "Ellison", "Foster", "Gupta", "Harrington", "Iverson", "Jacobs", "Keller", "Lawson", "Mendoza", "Novak",
        "Ortega", "Patel", "Reyes", "Sullivan", "Thornton", "Vaughn", "Weber", "Yilmaz", "Zhou", "Bianchi",
        "Costa", "Duarte", "Fontaine", "Hughes", "Kaur", "Larsen", "Moreau", "Oliveira", "Rossi", "Sato",
        "Dimitrov", "Ferreira", "Gonzalez", "Haddad", "Jovanovic", "Kuznetsov", "Mahmoud", "Nowak", "Pereira", "Ramirez",
        "Achebe", "Bergstrom", "Cavanagh", "Dossou", "Esposito", "Falk", "Grünewald", "Halloran", "Ishikawa", "Jaramillo",
        "Kapoor", "Lombardi", "Mbeki", "Nilsson", "O'Connor", "Pacheco", "Quintero", "Rasmussen", "Sokolov", "Takahashi",
        "Urquhart", "Valdez", "Wojcik", "Yoshida", "Zamora", "Ahlgren", "Bhatt", "Coleman", "Dalton", "Eastwood",
        "Fitzgerald", "Gaines", "Holloway", "Ingram", "Jaffe", "Kimura", "Lindgren", "Macias", "Nakashima", "Osei",
        "Prentice", "Radcliffe", "Salazar", "Tremblay", "Upton", "Villanueva", "Winslow", "Yates", "Zelenko", "Arroyo",
    ]
    /// The hard pairs' given names: in the filler only with family names of ``lastNames``.
    static let pairFirstNames = ["John", "Robert", "Michael", "Linda", "David", "Christopher", "Crystal", "Wei", "Samantha", "Maria"]
    /// The hard pairs' family names: in the filler only with given names of ``firstNames``, so
    /// that they are about as common as in a real list without adding a namesake.
    static let pairLastNames = ["Smith", "Brown", "Kim", "Johnson", "Lee", "Nguyen", "Garcia", "Zhang"]

    /// Company names are a stem and a trade (25 × 8 companies).
    static let companyStems = [
        "Brightwater", "Copperline", "Northgate", "Bluefield", "Redwood", "Silverlake", "Ironbridge", "Clearpath", "Summit",
        "Harborview", "Greenleaf", "Stonecrest", "Westbrook", "Eastfield", "Highland", "Riverside", "Oakmont", "Pinecrest",
        "Lakeshore", "Granite", "Maplewood", "Crescent", "Falcon", "Meridian", "Keystone",
    ]
    static let trades = ["Analytics", "Logistics", "Software", "Health", "Capital", "Foods", "Robotics", "Media"]
    /// ZIP codes of the bundled ZIP table, spread over the country.
    static let zips = [
        "02559", "04657", "06706", "08848", "10509", "12512", "14120", "15670", "17325", "19152", "20773", "22847",
        "24574", "26534", "28320", "29673", "31126", "32855", "34139", "36278", "38052", "39756", "42123", "44135",
        "45833", "47519", "48871", "50249", "52624", "54703", "56137", "57738", "59846", "61482", "62950", "64834",
        "67025", "68856", "71303", "72918", "74953", "76436", "77984", "79517", "81433", "84535", "87301", "90278",
        "92583", "94543", "96023", "97464", "99124",
    ]
    static let areaCodes = ["617", "212", "415", "512", "312", "206", "404", "305", "303", "215", "602", "612", "713", "919", "503", "816"]
    /// Free-mail domains for personal addresses.
    static let freeMail = ["gmail.com", "yahoo.com", "outlook.com", "aol.com"]

    /// Company `index`: its name, web domain, ZIP code and main number.
    static func company(_ index: Int) -> (name: String, domain: String, zip: String, phone: String) {
        let stem = companyStems[index % companyStems.count], trade = trades[(index / companyStems.count) % trades.count]
        let phone = "\(areaCodes[index % areaCodes.count])-253-\(4000 + index)"
        return ("\(stem) \(trade)", "\(stem.lowercased())\(trade.lowercased()).com", zips[(index * 7) % zips.count], phone)
    }

    /// `count` filler records as CSV lines (no header), the same for the same count.
    static func lines(_ count: Int) -> [String] {
        var lines: [String] = []
        var seen = Set<String>()
        var index = 0
        while lines.count < count {
            defer { index += 1 }
            // One person in ten comes back: the record of ten lines before, with its phone left out.
            if index % 10 == 7, lines.count >= 10 {
                var fields = lines[lines.count - 10].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                fields[4] = ""
                lines.append(fields.joined(separator: ","))
                continue
            }
            // One record in twenty has a hard pair's family name (with a filler given name), one
            // in twelve a hard pair's given name (with a filler family name): each about 1% of
            // the list or less, as common as Smith or John in a real one.
            let first: String, last: String
            if index % 20 == 3 {
                first = firstNames[(index * 13) % firstNames.count]
                last = pairLastNames[(index / 20) % pairLastNames.count]
            } else if index % 12 == 1 {
                first = pairFirstNames[(index / 12) % pairFirstNames.count]
                last = lastNames[(index * 17) % lastNames.count]
            } else {
                first = firstNames[(index * 7 + index / firstNames.count) % firstNames.count]
                last = lastNames[(index * 11 + index / lastNames.count) % lastNames.count]
            }
            guard seen.insert("\(first) \(last)").inserted else { continue }
            let company = company((index * 37) % (companyStems.count * trades.count))
            let email: String
            switch index % 10 {
            case 0, 1, 2, 3, 4, 5: email = "\(first.lowercased()).\(last.lowercased())@\(company.domain)"
            case 6, 8: email = "\(first.lowercased())\(last.lowercased())\(index % 97)@\(freeMail[index % freeMail.count])"
            default: email = ""
            }
            let phone: String
            switch index % 8 {
            case 0, 1, 2, 3, 4: phone = directLine(index)
            case 5: phone = company.phone  // the switchboard: several names give it
            default: phone = ""
            }
            lines.append([first, last, email, company.name, phone, company.zip].joined(separator: ","))
        }
        return lines
    }

    /// A direct line of its own for filler record `index` (valid North American numbers).
    static func directLine(_ index: Int) -> String {
        var exchange = 220 + (index * 7) % 600
        if exchange % 100 == 11 || exchange == 555 || exchange == 253 { exchange += 1 }
        return "\(areaCodes[index % areaCodes.count])-\(exchange)-\(1000 + index % 9000)"
    }

    /// A list of `count` filler records with `records` placed among them, spread out; returns
    /// the CSV text and the indexes the placed records got (in the order given).
    static func list(_ count: Int, with records: [String]) -> (csv: String, records: [Int]) {
        var lines = Self.lines(count)
        var placed: [Int] = []
        for (index, record) in records.enumerated() {
            let position = min(lines.count, (index + 1) * count / (records.count + 1) + index)
            lines.insert(record, at: position)
            placed.append(position)
        }
        return (([header] + lines).joined(separator: "\n") + "\n", placed)
    }
}

extension WashedList: CustomTestStringConvertible {
    /// Short, for failure messages (which show how the pair was scored instead).
    var testDescription: String { "a washed list of \(features.count) records" }
}
