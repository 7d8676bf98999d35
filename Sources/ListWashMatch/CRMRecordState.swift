import Dispatch
import Synchronization
import ListWashCore

/// What a CRM export says of a record besides who it is: its owner and, for a lead, whether it
/// is still open, converted or closed. Read from the usual columns of Salesforce and HubSpot
/// exports (see ``CRMStateColumns``).
public struct CRMRecordState: Sendable, Equatable {
    /// Where a lead stands.
    public enum Standing: Sendable, Equatable {
        /// Open (or no status column): responses attach to it.
        case open
        /// Converted: the person is now a contact (its id, when the export gives it).
        case converted(contactID: String)
        /// Closed without conversion (disqualified, unqualified, junk, ...), with the status as written.
        case closed(String)
    }

    /// The record's owner (an email, a name or a CRM user id, as the export writes it).
    public var owner = ""
    /// Where the lead stands (contacts are always `open`).
    public var standing = Standing.open
    /// For a lead ListWash created in an earlier run that the CRM export does not show yet: the
    /// run that created it (a `Created By Run` column).
    public var createdBy = ""

    /// An open record without an owner.
    public init(owner: String = "", standing: Standing = .open, createdBy: String = "") {
        self.owner = owner
        self.standing = standing
        self.createdBy = createdBy
    }
}

/// The owner and status columns of a CRM export, found by their headers (case, spaces and
/// punctuation ignored): `Owner Email`, `Owner`, `Owner ID`, `Lead Owner`, `Contact Owner`,
/// `HubSpot Owner`, `hubspot_owner_id`; `Lead Status`, `Status`, `hs_lead_status`; `Is Converted`
/// (`IsConverted`); `Converted Contact ID` (`ConvertedContactId`); `Lifecycle Stage`
/// (`lifecyclestage`).
struct CRMStateColumns: Sendable {
    let owner, status, isConverted, convertedContact, lifecycle, createdBy: Int?

    /// The columns of `header`; only a leads export's status columns are read.
    init(header: [String], kind: ReferenceIndex.Kind) {
        let folded = header.map(FieldRole.foldHeader)
        func find(_ spellings: [String]) -> Int? {
            spellings.lazy.compactMap { folded.firstIndex(of: $0) }.first
        }
        owner = find(["owneremail", "leadowneremail", "contactowneremail", "owner", "leadowner", "contactowner", "recordowner",
                      "ownerid", "hubspotowner", "hubspotownerid", "contactownerid"])
        let lead = kind == .lead
        status = lead ? find(["leadstatus", "status", "hsleadstatus"]) : nil
        isConverted = lead ? find(["isconverted", "converted"]) : nil
        convertedContact = lead ? find(["convertedcontactid", "convertedcontact"]) : nil
        lifecycle = lead ? find(["lifecyclestage", "lifecycle"]) : nil
        createdBy = lead ? find(["createdbyrun"]) : nil
    }

    /// Whether the export has none of these columns (every record is open and unowned).
    var isEmpty: Bool { [owner, status, isConverted, convertedContact, lifecycle, createdBy].allSatisfy { $0 == nil } }

    /// Record `row`'s state; `id` is its CRM id.
    func state(_ batch: RecordBatch, row: Int, id: String) -> CRMRecordState {
        func value(_ column: Int?) -> String {
            column.map { batch.value(row, column: $0).trimmingSpaces } ?? ""
        }
        return CRMRecordState(owner: value(owner), standing: Self.standing(status: value(status), isConverted: value(isConverted),
                                                                           convertedContact: value(convertedContact), lifecycle: value(lifecycle), id: id),
                              createdBy: value(createdBy))
    }

    /// Salesforce: `Is Converted` true or a status such as "Closed - Converted" is converted
    /// (to `Converted Contact ID`); "Closed - Not Converted", "Disqualified", "Unqualified",
    /// "Junk", "Dead", "Lost", "Recycled" and other "Closed ..." statuses are closed. HubSpot: a
    /// lifecycle stage of customer or evangelist is converted (the record is itself the contact),
    /// a lead status of UNQUALIFIED or BAD_TIMING is closed.
    static func standing(status: String, isConverted: String, convertedContact: String, lifecycle: String, id: String) -> CRMRecordState.Standing {
        let written = status, status = FieldRole.foldHeader(status)
        let converted = ["true", "1", "yes", "y", "x"].contains(isConverted.lowercased())
            || (status.contains("converted") && !status.contains("notconverted") && !status.contains("unconverted"))
        if converted { return .converted(contactID: convertedContact) }
        if ["customer", "evangelist"].contains(FieldRole.foldHeader(lifecycle)) { return .converted(contactID: convertedContact.isEmpty ? id : convertedContact) }
        let closedWords = ["closed", "notconverted", "disqualified", "unqualified", "junk", "dead", "lost", "recycled", "badtiming"]
        if closedWords.contains(where: status.contains) { return .closed(written) }
        return .open
    }
}

/// The leads an earlier run created (pending in the nightly ledger) that the CRM's leads export
/// shows after all, found by matching them against it: the export need not carry the ListWash id.
/// The match stage fills it on another thread from the end of its set-up; the nightly run
/// confirms them in its ledger.
public final class PendingLeadMatches: Sendable {
    private let found = Mutex<[String: String]>([:])
    /// The searches under way (see ``searchBegins()``).
    private let searches = DispatchGroup()

    /// None found yet.
    public init() {}

    /// The pending leads found in the export: ListWash id → CRM lead id, once every search
    /// begun has ended (it waits for them).
    public var confirmed: [String: String] {
        searches.wait()
        return found.withLock { $0 }
    }

    /// Says that a search for pending leads the export shows is under way: ``confirmed`` waits
    /// until ``searchEnds()`` is called as often.
    public func searchBegins() {
        searches.enter()
    }

    /// Says that a search ``searchBegins()`` announced has ended (found all it could, or failed).
    public func searchEnds() {
        searches.leave()
    }

    /// Records that the export shows pending lead `key` as CRM lead `crmID`.
    public func add(_ key: String, crmID: String) {
        found.withLock { $0[key] = crmID }
    }
}
