import Testing
@testable import ListWashMatch

/// The share of an incoming list's rows that are records of an export, learned from the rows'
/// candidates (``Training/customerShare(logOdds:rows:share:)``).
@Suite struct CustomerShareTests {
    /// `customers` rows whose candidates say "this contact" (+20 bits) among `rows` rows, the
    /// others without candidates, learned from the share 0.3.
    func share(customers: Int, rows: Int) -> Double {
        Training.customerShare(logOdds: [Double](repeating: 20, count: customers), rows: rows, share: 0.3)
    }

    /// A newsletter export is mostly customers, a bought list mostly new people: each learns
    /// its own share, whatever the share it started from.
    @Test func aListOfCustomersLearnsAHighShareAndAListOfStrangersALowOne() {
        let customers = share(customers: 8_000, rows: 10_000), strangers = share(customers: 100, rows: 10_000)
        #expect(customers > 0.78 && customers < 0.81, "\(customers)")
        #expect(strangers > 0.01 && strangers < 0.015, "\(strangers)")
    }

    /// A few rows say little about a list: they keep about the share they started from.
    @Test func aFewRowsKeepAboutTheStartingShare() {
        let few = share(customers: 3, rows: 3)
        #expect(few > 0.3 && few < 0.35, "\(few)")
        #expect(Training.customerShare(logOdds: [], rows: 0, share: 0.3) == 0.3)
    }

    /// A row whose best candidate is as likely as not counts for its chance, which grows with
    /// the share: rows of middling evidence among many customers count more than among few.
    @Test func undecidedRowsCountForTheirChanceUnderTheShare() {
        let clear = share(customers: 5_000, rows: 10_000)
        let withUndecided = Training.customerShare(logOdds: [Double](repeating: 20, count: 5_000) + [Double](repeating: 0, count: 2_000), rows: 10_000, share: 0.3)
        #expect(withUndecided > clear + 0.05 && withUndecided < clear + 0.2, "\(clear) \(withUndecided)")
    }

    /// However many rows look like customers, a row may always be somebody new.
    @Test func theShareStaysBelowTheMaximum() {
        #expect(share(customers: 10_000, rows: 10_000) <= ReferenceIndex.maximumCustomerShare)
    }
}
