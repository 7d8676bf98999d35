import Testing
import ListWashNormalize

@Suite struct JobTitleTests {
    @Test(arguments: [
        ("Chief Executive Officer", JobLevel.cLevel), ("CEO", .cLevel), ("cto", .cLevel), ("Co-Founder", .cLevel),
        ("Founder & CEO", .cLevel), ("President", .cLevel), ("Owner", .cLevel), ("Managing Director", .cLevel), ("Chairman", .cLevel),
        ("VP Marketing", .vp), ("vp marketing", .vp), ("SVP, Sales", .vp), ("V.P. of Engineering", .vp), ("Vice President of IT", .vp),
        ("Executive Vice President", .vp), ("General Manager", .vp),
        ("Director of IT", .director), ("Sr. Director, Operations", .director), ("Head of Sales", .director), ("Executive Director", .director),
        ("Marketing Manager", .manager), ("Team Lead", .manager), ("Product Manager", .manager), ("Assistant Director of IT", .manager),
        ("Engineer", .individual), ("Analyst", .individual), ("Purchasing Agent", .individual), ("Special Agent", .individual),
        ("Executive Assistant", .individual), ("Assistant to the CEO", .individual), ("Consultant", .individual), ("Intern", .individual),
        ("", .unknown), ("   ", .unknown), ("N/A", .unknown), ("Ninja", .unknown), ("???", .unknown), ("Directeur général", .unknown),
    ])
    func levels(title: String, level: JobLevel) {
        #expect(JobLevel(title: title) == level, "\(title)")
    }

    /// One title written two ways has one matching form: abbreviations written out, small words
    /// and punctuation left out, case folded.
    @Test(arguments: [
        ("Sr. Dir., Marketing", "senior director marketing"), ("Senior Director of Marketing", "senior director marketing"),
        ("SENIOR SOFTWARE ENG.", "senior software engineer"), ("Senior Software Engineer", "senior software engineer"),
        ("Mgr., IT", "manager information technology"), ("VP Sales & Marketing", "vice president sales marketing"),
        ("Manager, Engineering", "manager engineer"), ("CFO", "chief financial officer"), ("", ""), (" - ", ""),
    ])
    func matchingForms(title: String, form: String) {
        #expect(JobTitle.matchingForm(title) == form, "\(title)")
    }

    @Test func buyingRoles() {
        #expect(BuyingRole(title: "CFO") == .decisionMaker)
        #expect(BuyingRole(title: "VP Finance") == .decisionMaker)
        #expect(BuyingRole(title: "Director of IT") == .influencer)
        #expect(BuyingRole(title: "IT Manager") == .influencer)
        #expect(BuyingRole(title: "Developer") == .user)
        #expect(BuyingRole(title: "") == .unknown)
    }

    /// A role column's value overrides the title's role; what it does not name leaves the title to decide.
    @Test func writtenRoles() {
        #expect(BuyingRole(written: "Decision Maker") == .decisionMaker)
        #expect(BuyingRole(written: "decision_maker") == .decisionMaker)
        #expect(BuyingRole(written: " ECONOMIC BUYER ") == .decisionMaker)
        #expect(BuyingRole(written: "Champion") == .influencer)
        #expect(BuyingRole(written: "End-User") == .user)
        #expect(BuyingRole(written: "") == nil)
        #expect(BuyingRole(written: "CFO") == nil, "a title in the role column is not a role")
        #expect(BuyingRole(written: "unknown") == nil)
    }

    @Test func neverCrashesOnOddText() {
        for title in ["\u{0}", "💼 CEO 💼", "Ａｎａｌｙｓｔ", String(repeating: "manager ", count: 1000), "VP\u{301}", "-"] {
            _ = JobLevel(title: title)
        }
        #expect(JobLevel(title: "💼 CEO 💼") == .cLevel)
    }
}
