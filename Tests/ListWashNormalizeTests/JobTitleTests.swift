import Testing
import ListWashNormalize

@Suite struct JobTitleTests {
    @Test(arguments: [
        ("Chief Technology Officer", JobLevel.executive), ("CEO & Founder", .executive), ("Owner", .executive),
        ("Managing Director", .executive), ("President", .executive), ("Co-Founder", .executive),
        ("VP Marketing", .vicePresident), ("SVP, Sales", .vicePresident), ("V.P. of Engineering", .vicePresident),
        ("Vice President, Finance", .vicePresident), ("Director of IT", .director), ("Head of Growth", .director),
        ("Assistant Director of IT", .manager), ("Product Manager", .manager), ("Team Lead", .manager),
        ("Software Engineer", .individual), ("Special Agent", .individual), ("Assistant to the CEO", .individual),
        ("Executive Assistant", .individual), ("", .unknown), ("  - ", .unknown), ("N/A", .unknown),
    ])
    func levels(title: String, level: JobLevel) {
        #expect(JobLevel(title: title) == level, "\(title)")
    }

    @Test func buyingRoles() {
        #expect(BuyingRole(title: "CTO") == .decisionMaker)
        #expect(BuyingRole(title: "VP Marketing") == .decisionMaker)
        #expect(BuyingRole(title: "Director of Operations") == .influencer)
        #expect(BuyingRole(title: "Marketing Manager") == .influencer)
        #expect(BuyingRole(title: "Analyst") == .user)
        #expect(BuyingRole(title: "") == .unknown)
    }
}
