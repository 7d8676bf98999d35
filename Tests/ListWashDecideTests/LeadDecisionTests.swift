import ListWashCore
import Testing
@testable import ListWashDecide

@Suite struct LeadDecisionTests {
    typealias Person = LeadDecision.Person

    static let nothing = Person()
    static let lead = Person(leadID: "00Q1")
    static let contact = Person(contactID: "0031")
    static let both = Person(leadID: "00Q1", contactID: "0031")

    @Test func pointOfInterestAlwaysCreates() {
        for person in [Self.nothing, Self.lead, Self.contact, Self.both, Person(createdLead: "new:C1")] {
            #expect(LeadDecision.decide(.pointOfInterest, for: person) == (.createLead, ""))
        }
    }

    @Test func hybridTable() {
        #expect(LeadDecision.decide(.hybrid, for: Self.nothing) == (.createLead, ""))
        #expect(LeadDecision.decide(.hybrid, for: Self.lead) == (.attachToLead, "00Q1"))
        #expect(LeadDecision.decide(.hybrid, for: Self.contact) == (.createLead, ""))
        #expect(LeadDecision.decide(.hybrid, for: Person(contactID: "0031", createdLead: "new:C4")) == (.attachToLead, "new:C4"))
        #expect(LeadDecision.decide(.hybrid, for: Self.both) == (.attachToLead, "00Q1"))
    }

    @Test func uniqueTable() {
        #expect(LeadDecision.decide(.unique, for: Self.nothing) == (.createLead, ""))
        #expect(LeadDecision.decide(.unique, for: Self.lead) == (.attachToLead, "00Q1"))
        #expect(LeadDecision.decide(.unique, for: Self.contact) == (.attachToContact, "0031"))
        #expect(LeadDecision.decide(.unique, for: Person(createdLead: "new:C4")) == (.attachToLead, "new:C4"))
        #expect(LeadDecision.decide(.unique, for: Self.both) == (.attachToLead, "00Q1"), "a lead wins over a contact")
    }
}
