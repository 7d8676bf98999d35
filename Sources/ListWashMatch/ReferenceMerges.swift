import ListWashCore

/// The duplicates the CRM exports themselves hold (two leads of one person, a lead that
/// duplicates a contact), grouped for the CRM's merge tools: merge.csv.
///
/// ```yaml
/// references:
///   contacts: crm/contacts.csv
///   leads: crm/leads.csv
///   merge: true                # or {limit: 3}: records per merge, the master included
/// ```
/// The contacts and leads are deduplicated together with the pipeline's match model
/// (``Deduplicator``: blocking, scoring, coherent clusters); only confident matches count (at or
/// above the match threshold; possible matches are left alone), converted leads are left out
/// (their person is a contact already), and a record never merges with one of the same id (a
/// HubSpot record in both exports is one record). In each cluster the **master** is, in order:
/// a contact before a lead; the oldest record (the export's created date: `Created Date`,
/// `CreatedDate`, `createdate`; unknown dates last); the most complete (most filled fields);
/// the first in the export (contacts before leads). Salesforce merges at most three records at
/// once, the master and two duplicates: a cluster with more duplicates is split into groups
/// of `limit - 1` duplicates under the same master, merged one after the other.
public struct ReferenceMerges: Sendable {
    /// One row of merge.csv.
    public struct Merge: Sendable, Equatable {
        /// The merge it belongs to (`M1`, `M2`, ...): one CRM merge of the master and its group's duplicates.
        public var group: String
        /// The surviving record, and the one merged into it.
        public var masterID: String, masterObject: ReferenceIndex.Kind, duplicateID: String, duplicateObject: ReferenceIndex.Kind
        /// `merge` (two records of one object) or `convert_lead` (a lead whose person is a contact:
        /// convert it onto the contact).
        public var action: String
        /// The match probability, and what agrees.
        public var score: Double, reason: String
        /// For a cluster split over several merges: which merge must come first.
        public var note: String
    }

    /// The columns of merge.csv.
    public static let header = ["merge_group", "master_id", "master_object", "duplicate_id", "duplicate_object", "action", "score", "reason", "note"]

    /// Salesforce's limit: three records per merge, the master included.
    public static let salesforceLimit = 3

    /// The merges, cluster by cluster (in the order of their first record), master first.
    public private(set) var merges: [Merge] = []
    /// How many clusters of two or more records the exports hold.
    public private(set) var clusters = 0

    /// Finds the duplicates among the records of `indexes` (contacts and leads, read with
    /// ``request``), with `model` (the pipeline's, before any estimation), at most `limit`
    /// records per merge (2 or more).
    public init(indexes: [ReferenceIndex], model: MatchModel, limit: Int = salesforceLimit) {
        let offsets = indexes.reduce(into: [0]) { $0.append($0[$0.count - 1] + $1.features.count) }
        var parts = indexes.map(\.features)
        var features = FeatureSet(model: model)
        features.join(&parts)
        guard features.count > 1 else { return }
        let deduplicator = Deduplicator(model: model)
        let estimate = deduplicator.estimate(features)
        let result = deduplicator.run(features, estimate: estimate)
        func locate(_ record: Int) -> (index: ReferenceIndex, record: Int) {
            let position = offsets.lastIndex { $0 <= record } ?? 0
            return (indexes[position], record - offsets[position])
        }
        // The clusters' records, those that can merge (no converted lead), in record order.
        var members: [Int: [Int]] = [:]
        var order: [Int] = []
        for record in 0..<features.count where result.score[record] > 0 {
            let (index, local) = locate(record)
            if index.kind == .lead, case .converted = index.state(local).standing { continue }
            if members[result.cluster[record]] == nil { order.append(result.cluster[record]) }
            members[result.cluster[record], default: []].append(record)
        }
        var groups = 0
        for cluster in order {
            guard var records = members[cluster], records.count > 1 else { continue }
            // The master rule: contact, oldest, most complete, first.
            records.sort { a, b in
                let (x, y) = (locate(a), locate(b))
                let key = { (located: (index: ReferenceIndex, record: Int)) in
                    (located.index.kind == .contact ? 0 : 1, located.index.facts.createdDay(located.record), -located.index.facts.completeness(located.record))
                }
                let (kx, ky) = (key(x), key(y))
                return kx != ky ? kx < ky : a < b
            }
            let master = records[0], (masterIndex, masterRecord) = locate(master)
            let masterID = masterIndex.features.labels[masterRecord]
            var seen: Set<String> = [masterID]
            let duplicates = records.dropFirst().filter { seen.insert(locate($0).index.features.labels[locate($0).record]).inserted }
            guard !duplicates.isEmpty else { continue }
            clusters += 1
            let perMerge = max(1, limit - 1)
            var first = 0
            for (position, duplicate) in duplicates.enumerated() {
                if position % perMerge == 0 {
                    groups += 1
                    if position == 0 { first = groups }
                }
                let (index, record) = locate(duplicate)
                let explanation = deduplicator.explain(estimate, features: features, master, duplicate)
                var score = explanation.probability, reason = Self.agreements(explanation)
                if score < model.matchThreshold {
                    // Joined through another record of the cluster: say which.
                    let partner = result.partner[duplicate]
                    let (partnerIndex, partnerRecord) = partner >= 0 ? locate(partner) : (masterIndex, masterRecord)
                    score = result.score[duplicate]
                    reason = "same person as \(partnerIndex.kind.rawValue) \(partnerIndex.features.labels[partnerRecord]) of this group (p=\(ProbabilityText.text(score)))"
                }
                let action = masterIndex.kind == index.kind ? "merge" : "convert_lead"
                let note = position < perMerge ? "" : "after merge M\(first + position / perMerge - 1): Salesforce merges \(limit) records at most"
                merges.append(Merge(group: "M\(groups)", masterID: masterID, masterObject: masterIndex.kind, duplicateID: index.features.labels[record],
                                    duplicateObject: index.kind, action: action, score: score, reason: reason, note: note))
            }
        }
    }

    /// What the exports must keep for the master rule: the created dates and the fields filled.
    public static let request = ExportFacts.Request(dates: true, completeness: true)

    /// The comparisons that agree (a positive weight), as `email exact; first_name nickname`.
    static func agreements(_ explanation: PairExplanation) -> String {
        explanation.rows.filter { $0.weight + ($0.termFrequency ?? 0) > 0 }.map { "\($0.comparison) \($0.level)" }.joined(separator: "; ")
    }

    /// Writes merge.csv (``header``) to `path`.
    public func write(to path: String) throws {
        let writer = try CSVTableWriter(path: path, header: Self.header)
        for merge in merges {
            try writer.write([merge.group, merge.masterID, merge.masterObject.rawValue, merge.duplicateID, merge.duplicateObject.rawValue, merge.action,
                              ProbabilityText.text(merge.score), merge.reason, merge.note])
        }
        try writer.finish()
    }
}
