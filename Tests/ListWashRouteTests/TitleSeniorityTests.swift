import Testing
@testable import ListWashRoute

@Suite struct TitleSeniorityTests {
    @Test(arguments: [
        ("Chief Executive Officer", TitleSeniority.cLevel), ("CEO", .cLevel), ("cto", .cLevel), ("Co-Founder", .cLevel),
        ("Founder & CEO", .cLevel), ("President", .cLevel), ("Owner", .cLevel), ("Managing Director", .cLevel), ("Chairman", .cLevel),
        ("VP Marketing", .vp), ("vp marketing", .vp), ("SVP, Sales", .vp), ("Vice President of IT", .vp), ("Executive Vice President", .vp),
        ("General Manager", .vp),
        ("Director of IT", .director), ("Sr. Director, Operations", .director), ("Head of Sales", .director), ("Executive Director", .director),
        ("Marketing Manager", .manager), ("Team Lead", .manager), ("Product Manager", .manager), ("Assistant Director", .manager),
        ("Engineer", .individual), ("Analyst", .individual), ("Purchasing Agent", .individual), ("Special Agent", .individual),
        ("Executive Assistant", .individual), ("Consultant", .individual), ("Intern", .individual),
        ("", .unknown), ("   ", .unknown), ("Ninja", .unknown), ("???", .unknown), ("Directeur général", .unknown),
    ])
    func classifiesTitles(title: String, expected: TitleSeniority) {
        #expect(TitleSeniority(title: title) == expected, "\(title)")
    }

    @Test func seniorityGivesBuyingRoles() {
        #expect(TitleSeniority(title: "CFO").buyingRole == .decisionMaker)
        #expect(TitleSeniority(title: "VP Finance").buyingRole == .decisionMaker)
        #expect(TitleSeniority(title: "Director of IT").buyingRole == .influencer)
        #expect(TitleSeniority(title: "IT Manager").buyingRole == .influencer)
        #expect(TitleSeniority(title: "Developer").buyingRole == .user)
        #expect(TitleSeniority(title: "").buyingRole == .unknown)
    }

    @Test func neverCrashesOnOddText() {
        for title in ["\u{0}", "💼 CEO 💼", "Ａｎａｌｙｓｔ", String(repeating: "manager ", count: 1000), "VP\u{301}", "-"] {
            _ = TitleSeniority(title: title)
        }
        #expect(TitleSeniority(title: "💼 CEO 💼") == .cLevel)
    }
}
