/// Rejects records that lack what every record needs, or carry a flag that makes them
/// unusable, with the reason in words.
///
/// ```swift
/// let validate = ValidateStage(required: [.lastName], requiredAny: [[.email, .phone]])
/// ```
public struct ValidateStage: Stage {
    public let name = "validate"
    /// Roles that must be non-empty.
    public var required: [FieldRole]
    /// Groups of roles of which at least one must be non-empty (`[[.email, .phone]]`).
    public var requiredAny: [[FieldRole]]
    /// Normalization flags (in `listwash_flags`) that reject a record, such as `email_invalid`.
    public var rejectFlags: [String]

    public var runsConcurrently: Bool { true }

    /// A validator; with no arguments it rejects nothing.
    public init(required: [FieldRole] = [], requiredAny: [[FieldRole]] = [], rejectFlags: [String] = []) {
        self.required = required
        self.requiredAny = requiredAny
        self.rejectFlags = rejectFlags
    }

    public func process(_ batch: inout RecordBatch) throws {
        let flagsColumn = batch.layout.column("listwash_flags")
        for row in 0..<batch.count where batch.isOpen(row) {
            if let reason = problem(in: batch, row: row, flagsColumn: flagsColumn) {
                batch.settle(row, as: .rejected, reason: reason)
            }
        }
    }

    private func problem(in batch: RecordBatch, row: Int, flagsColumn: OutputLayout.Column?) -> String? {
        func isBlank(_ role: FieldRole) -> Bool {
            guard let column = batch.schema.column(role) else { return true }
            return batch.withField(row, column: column) { bytes in bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 } }
        }
        for role in required where isBlank(role) { return "missing \(role.rawValue)" }
        for group in requiredAny where group.allSatisfy(isBlank) {
            return "missing \(group.map(\.rawValue).joined(separator: " and "))"
        }
        if let flagsColumn, !rejectFlags.isEmpty {
            let flags = batch[row, flagsColumn].split(separator: ";")
            if let flag = rejectFlags.first(where: { flags.contains(Substring($0)) }) { return "flagged \(flag)" }
        }
        return nil
    }
}
