/// The ListWash id of a lead that a run asks the CRM to create: `LW` and 26 Crockford base32
/// digits (128 bits), written in `listwash_external_id` of the creating row (map it to the CRM's
/// external-id field, the upsert key) and carried by every row that attaches to that lead
/// (`listwash_target_id` = `new:LW…`).
///
/// It is the SHA-256 of the creating row itself: its file's name, its record number and its
/// fields. So it never names two people (another row, another file or another night's file of
/// the same name gives another id), and it is the same when the same file is washed again:
/// loading it twice upserts the same leads instead of creating each person twice. It does not
/// depend on the run's cluster numbers, which start again at `C1` in every run.
///
/// ```swift
/// let key = LeadKey(batch, row: 0)
/// key.text  // "LW0K5X2M…" (28 characters)
/// ```
public struct LeadKey: Hashable, Sendable {
    /// The id's 128 bits.
    public let high: UInt64, low: UInt64

    /// The id of the lead that row `row` of `batch` creates.
    public init(_ batch: RecordBatch, row: Int) {
        var maker = Maker(batch)
        self = maker.key(batch, row: row)
    }

    /// Works out the ids of a batch's rows: the file's name once, one buffer for every row.
    public struct Maker {
        private let file: [UInt8]
        private var buffer: [UInt8] = []

        /// A maker for the rows of `batch`.
        public init(_ batch: RecordBatch) {
            let source = batch.schema.source
            file = Array("listwash-lead\u{1F}".utf8) + Array((source.split(separator: "/").last.map(String.init) ?? source).utf8) + [0x1F]
        }

        /// The id of the lead that row `row` of `batch` creates.
        public mutating func key(_ batch: RecordBatch, row: Int) -> LeadKey {
            buffer.removeAll(keepingCapacity: true)
            buffer += file
            buffer += String(batch.rows[row]).utf8
            for column in 0..<batch.fieldCount(row) {
                buffer.append(0x1F)
                batch.withField(row, column: column) { buffer.append(contentsOf: $0) }
            }
            let bytes = buffer.withUnsafeBytes { SHA256.hash($0) }.bytes
            return LeadKey(high: bytes[0..<8].reduce(0) { $0 << 8 | UInt64($1) }, low: bytes[8..<16].reduce(0) { $0 << 8 | UInt64($1) })
        }
    }

    /// The id with these bits.
    package init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The id `text` spells (`LW` and 26 base32 digits), or `nil` when it is not one.
    public init?(text: String) {
        let utf8 = text.utf8
        guard utf8.count == 28, text.hasPrefix(Self.prefix) else { return nil }
        var high: UInt64 = 0, low: UInt64 = 0
        for byte in utf8.dropFirst(2) {
            guard let digit = Self.digitValues[Int(byte)] else { return nil }
            // Shift the 128 bits left by 5 and add the digit.
            high = high << 5 | low >> 59
            low = low << 5 | UInt64(digit)
        }
        self.init(high: high, low: low)
    }

    /// The value of each byte as a base32 digit.
    private static let digitValues: [UInt8?] = {
        var values = [UInt8?](repeating: nil, count: 256)
        for (value, byte) in digits.enumerated() { values[Int(byte)] = UInt8(value) }
        return values
    }()

    /// Crockford's base32 digits (no I, L, O or U).
    private static let digits = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// The prefix of every ListWash lead id.
    public static let prefix = "LW"

    /// Whether `id` is a ListWash lead id (`LW` and 26 base32 digits), not a CRM's.
    public static func isLeadKey(_ id: String) -> Bool {
        LeadKey(text: id) != nil
    }

    /// `LW` and the 128 bits in 26 Crockford base32 digits (no I, L, O or U), most significant first.
    public var text: String {
        let digits = Self.digits
        var out = Array(Self.prefix.utf8)
        // 26 digits of 5 bits cover 130 bits: the first digit holds the top 3.
        for index in stride(from: 25, through: 0, by: -1) {
            let shift = index * 5
            let value: UInt64
            if shift >= 64 {
                value = (high >> UInt64(shift - 64)) & 31
            } else if shift > 59 {
                value = ((low >> UInt64(shift)) | (high << UInt64(64 - shift))) & 31
            } else {
                value = (low >> UInt64(shift)) & 31
            }
            out.append(digits[Int(value)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
