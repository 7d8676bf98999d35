import Testing
@testable import ListWashMatch

@Suite struct DoubleMetaphoneTests {
    @Test func textgemTable() {
        let rows = StringMetricsFixtures.rows("textgem_double_metaphone.csv")
        #expect(rows.count == 1218)
        var agree = 0
        var differing: [String] = []
        for row in rows {
            let (p, s) = Phonetic.doubleMetaphone(row[0])
            if p == row[1] && s == row[2] {
                agree += 1
            } else {
                differing.append("\(row[0]): expected \(row[1])/\(row[2]), got \(p)/\(s)")
            }
        }
        print("textgem double metaphone: \(agree)/\(rows.count) agree; differing: \(differing)")
        #expect(agree == rows.count, "\(differing)")
    }
}
