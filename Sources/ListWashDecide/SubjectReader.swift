import ListWashCore
import ListWashMatch
import ListWashNormalize

/// Reads a ``SuppressionSubject`` from each row of a batch (internal): the `listwash_*` columns
/// when the batch has them, else the raw field normalized here. Only the values some list can
/// use are read, and the columns are looked up once per batch.
struct SubjectReader {
    private let email, emailKey, domain, companyKey, phone, country, accountID: OutputLayout.Column?
    private let rawEmail, rawWebsite, rawCompany, rawPhone, rawMobile, rawCountry, rawState, rawAccountID: Int?
    private let needsEmail, needsHashes, needsDomains, needsCompany, needsAccount, needsPhone, needsCountry: Bool
    private let normalizer: Normalizer
    private let accounts: AccountIndex?

    init(batch: RecordBatch, lists: [SuppressionList], normalizer: Normalizer, accounts: AccountIndex?) {
        let kinds = lists.reduce(into: Set<SuppressionKind>()) { $0.formUnion($1.kinds) }
        let layout = batch.layout, schema = batch.schema
        email = layout.column("listwash_email")
        emailKey = layout.column("listwash_email_key")
        domain = layout.column("listwash_domain")
        companyKey = layout.column("listwash_company_key")
        phone = layout.column("listwash_phone")
        country = layout.column("listwash_country")
        accountID = layout.column("listwash_account_id")
        rawEmail = schema.column(.email)
        rawWebsite = schema.column(.website)
        rawCompany = schema.column(.company)
        rawPhone = schema.column(.phone)
        let mobile = schema.column(.mobile)
        rawMobile = mobile == rawPhone ? nil : mobile
        rawCountry = schema.column(.country)
        rawState = schema.column(.state)
        rawAccountID = schema.column(.accountID)
        needsHashes = kinds.contains(.emailSHA256)
        needsDomains = kinds.contains(.domain)
        needsEmail = needsHashes || needsDomains || kinds.contains(.email) || kinds.contains(.localPart)
        needsCompany = kinds.contains(.company)
        needsAccount = kinds.contains(.accountID) || (needsCompany && accounts != nil)
        needsPhone = kinds.contains(.phone)
        needsCountry = kinds.contains(.country)
        self.normalizer = normalizer
        self.accounts = accounts
    }

    private func raw(_ batch: RecordBatch, _ row: Int, _ column: Int?) -> String? {
        column.map { batch.value(row, column: $0) }
    }

    /// `text` without surrounding whitespace, lower-cased (bytes for ASCII, the standard
    /// library otherwise).
    static func trimmedLowercased(_ text: String) -> String {
        let utf8 = text.utf8
        guard utf8.allSatisfy({ $0 < 0x80 }) else { return text.trimmingCharacters().lowercased() }
        var start = utf8.startIndex, end = utf8.endIndex
        while start < end, utf8[start] <= 0x20 { start = utf8.index(after: start) }
        while end > start, utf8[utf8.index(before: end)] <= 0x20 { end = utf8.index(before: end) }
        return String(decoding: utf8[start..<end].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    /// Fills `subject` (empty) with record `row`'s values.
    func fill(_ subject: inout SuppressionSubject, _ batch: RecordBatch, row: Int) {
        if needsEmail {
            if let email {
                subject.email = batch[row, email]
                subject.emailKey = emailKey.map { batch[row, $0] } ?? subject.email
            } else if let text = raw(batch, row, rawEmail) {
                let result = normalizer.emails.normalize(text)
                subject.email = result.email
                subject.emailKey = result.key
            }
            if needsHashes {
                let written = raw(batch, row, rawEmail).map { $0 == subject.email ? $0 : Self.trimmedLowercased($0) } ?? ""
                subject.addDigests(written: written, email: subject.email, key: subject.emailKey)
            }
        }
        if needsDomains {
            let registrable = domain.map { batch[row, $0] } ?? ""
            if !registrable.isEmpty { subject.domains.append(registrable) }
            // The website's own host, when it is more than its registrable domain (a subdomain).
            if let website = raw(batch, row, rawWebsite), website != registrable, website.utf8.contains(where: { $0 > 0x20 }),
               let host = DomainNormalizer.host(from: website), host != registrable {
                subject.domains.append(host)
            }
        }
        if needsCompany {
            if let companyKey {
                subject.companyKey = batch[row, companyKey]
            } else if let text = raw(batch, row, rawCompany) {
                subject.companyKey = normalizer.companies.normalize(text).key
            }
        }
        if needsAccount {
            subject.accountID = (accountID.map { batch[row, $0] } ?? raw(batch, row, rawAccountID) ?? "").trimmingCharacters()
            if !subject.accountID.isEmpty, let accounts { subject.account = accounts.name(ofAccount: subject.accountID) }
        }
        if needsPhone {
            if let phone {
                subject.phones.append(batch[row, phone])
            } else if let text = raw(batch, row, rawPhone) {
                subject.phones.append(normalizer.phones.normalize(text).e164)
            }
            if let text = raw(batch, row, rawMobile), !text.isEmpty {
                subject.phones.append(normalizer.phones.normalize(text).e164)
            }
        }
        if needsCountry {
            if let country {
                subject.country = batch[row, country]
            } else if rawCountry != nil || rawState != nil {
                subject.country = normalizer.places.normalize(state: raw(batch, row, rawState), country: raw(batch, row, rawCountry)).country
            }
        }
    }
}
