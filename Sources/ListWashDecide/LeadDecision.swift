import ListWashCore

/// The lead management table of ../shared/DESIGN.md, as a function: what the CRM does with one
/// response, given what the person already is.
///
/// | person already in CRM as | poi | hybrid | unique |
/// | --- | --- | --- | --- |
/// | nothing | create lead | create lead | create lead |
/// | a lead | create lead | attach to that lead | attach to that lead |
/// | a contact (no lead) | create lead | create lead (later responses attach to it) | attach to that contact |
///
/// "The lead the first response created" counts as a lead: a repeat response within a run
/// follows the table against it. A person who is both a lead and a contact is treated as a lead
/// (the lead is the open record a response belongs to).
///
/// ```swift
/// let person = LeadDecision.Person(leadID: "", contactID: "003A1", createdLead: "")
/// LeadDecision.decide(.hybrid, for: person)   // (.createLead, "")
/// LeadDecision.decide(.unique, for: person)   // (.attachToContact, "003A1")
/// ```
public enum LeadDecision {
    /// What is known of a person when one of their responses is decided.
    public struct Person: Sendable, Equatable {
        /// The CRM id of their lead, or empty.
        public var leadID: String
        /// The CRM id of their contact, or empty.
        public var contactID: String
        /// `new:<cluster>` when an earlier response in this run created a lead for them, or empty.
        public var createdLead: String

        /// A person with the given ids (empty strings for none).
        public init(leadID: String = "", contactID: String = "", createdLead: String = "") {
            self.leadID = leadID
            self.contactID = contactID
            self.createdLead = createdLead
        }
    }

    /// The action for one response of `person` under `method`, and the id it attaches to (empty
    /// for ``CRMAction/createLead``). The buying group decides per account (see ``DecideStage``);
    /// for one person it follows `unique`.
    public static func decide(_ method: LeadMethod, for person: Person) -> (action: CRMAction, target: String) {
        switch method {
        case .pointOfInterest:
            return (.createLead, "")
        case .hybrid:
            if !person.leadID.isEmpty { return (.attachToLead, person.leadID) }
            if !person.createdLead.isEmpty { return (.attachToLead, person.createdLead) }
            return (.createLead, "")
        case .unique, .buyingGroup:
            if !person.leadID.isEmpty { return (.attachToLead, person.leadID) }
            if !person.contactID.isEmpty { return (.attachToContact, person.contactID) }
            if !person.createdLead.isEmpty { return (.attachToLead, person.createdLead) }
            return (.createLead, "")
        }
    }
}
