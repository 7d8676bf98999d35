import ListWashCore

/// The normalize stage: runs every normalizer on each open record and fills the
/// `listwash_*` columns with the normalized values and `listwash_flags` with what was found or
/// changed. The source columns stay as they were. It looks at one record at a time, so batches
/// go through it on all cores.
///
/// ```swift
/// var batch = RecordBatch(schema: schema, layout: Pipeline([NormalizeStage()]).layout, rows: rows)
/// try NormalizeStage().process(&batch)
/// ```
public struct NormalizeStage: Stage {
    public let name = "normalize"
    /// The normalizers and their reference data.
    public let normalizer: Normalizer

    /// The columns this stage fills, in order.
    public static let columns = [
        "listwash_first_name", "listwash_last_name", "listwash_email", "listwash_email_key", "listwash_phone",
        "listwash_phone_ext", "listwash_area_code_region", "listwash_zip", "listwash_city", "listwash_state",
        "listwash_country", "listwash_company", "listwash_company_key", "listwash_domain", "listwash_flags",
    ]

    public var outputColumns: [String] { Self.columns }
    public var runsConcurrently: Bool { true }

    /// A normalize stage over `normalizer` (the bundled reference data by default).
    public init(normalizer: Normalizer = Normalizer()) {
        self.normalizer = normalizer
    }

    public func process(_ batch: inout RecordBatch) throws {
        let outputs = Self.columns.map { batch.layout.column($0) }
        guard outputs.allSatisfy({ $0 != nil }) else { return }
        let columns = outputs.compactMap { $0 }
        let schema = batch.schema
        func role(_ role: FieldRole) -> Int? { schema.column(role) }
        let first = role(.firstName), last = role(.lastName), full = role(.fullName), email = role(.email)
        let phone = role(.phone) ?? role(.mobile), company = role(.company), website = role(.website)
        let city = role(.city), state = role(.state), postal = role(.zip), country = role(.country)
        for row in 0..<batch.count where batch.isOpen(row) {
            func value(_ column: Int?) -> String? { column.map { batch.value(row, column: $0) } }
            var raw = RawContact(
                firstName: value(first), lastName: value(last), fullName: value(full), email: value(email),
                phone: value(phone), company: value(company), website: value(website), city: value(city),
                state: value(state), zip: value(postal), country: value(country))
            if raw.phone?.isEmpty ?? true, let mobile = role(.mobile) { raw.phone = batch.value(row, column: mobile) }
            let contact = normalizer.normalize(raw)
            let values = [
                contact.firstName, contact.lastName, contact.email, contact.emailKey, contact.phone,
                contact.phoneExtension, contact.areaCodeRegion, contact.zip, contact.city, contact.state,
                contact.country, contact.company, contact.companyKey, contact.domain, contact.flagsText,
            ]
            for (column, text) in zip(columns, values) { batch[row, column] = text }
        }
    }
}
