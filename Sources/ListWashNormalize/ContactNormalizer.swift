/// One record's raw values by role, as read from a list (any may be missing).
public struct RawContact: Sendable, Hashable {
    /// The first-name column.
    public var firstName: String?
    /// The last-name column.
    public var lastName: String?
    /// A full-name column, split when first and last name are both missing.
    public var fullName: String?
    /// The email column.
    public var email: String?
    /// The phone column.
    public var phone: String?
    /// The company column.
    public var company: String?
    /// The website (or domain) column.
    public var website: String?
    /// The city column.
    public var city: String?
    /// The state or province column.
    public var state: String?
    /// The ZIP or postal code column.
    public var zip: String?
    /// The country column.
    public var country: String?

    /// A contact from its raw values.
    public init(
        firstName: String? = nil, lastName: String? = nil, fullName: String? = nil, email: String? = nil,
        phone: String? = nil, company: String? = nil, website: String? = nil, city: String? = nil,
        state: String? = nil, zip: String? = nil, country: String? = nil
    ) {
        self.firstName = firstName
        self.lastName = lastName
        self.fullName = fullName
        self.email = email
        self.phone = phone
        self.company = company
        self.website = website
        self.city = city
        self.state = state
        self.zip = zip
        self.country = country
    }
}

/// One record's normalized values, keys and flags (the `listwash_*` output columns).
public struct NormalizedContact: Sendable, Hashable {
    /// `listwash_first_name`.
    public var firstName = ""
    /// `listwash_last_name`.
    public var lastName = ""
    /// The full parsed name (prefix, middle, suffix too).
    public var name = PersonName()
    /// First and last name folded to ASCII: `"jose muller"`.
    public var nameKey = ""
    /// The first name's nickname-canonical key: `"robert"` for Bob.
    public var firstNameKey = ""
    /// The last name folded to ASCII.
    public var lastNameKey = ""
    /// `listwash_email`: lower case, domain in ASCII.
    public var email = ""
    /// `listwash_email_key`: the email after provider rules (Gmail dots, `+tags`).
    public var emailKey = ""
    /// `listwash_phone`: E.164, `"+16172531000"`.
    public var phone = ""
    /// `listwash_phone_ext`: the extension's digits.
    public var phoneExtension = ""
    /// `listwash_area_code_region`: the area code's state, province or country name: `"Massachusetts"`.
    public var areaCodeRegion = ""
    /// The area code's state or province code: `"MA"`.
    public var areaCodeRegionCode = ""
    /// `listwash_zip`: `"02134"` or `"02134-1234"`, `"K1A 0B1"`.
    public var zip = ""
    /// The 5-digit ZIP alone.
    public var zip5 = ""
    /// `listwash_city`: as given, or the ZIP's USPS city.
    public var city = ""
    /// `listwash_state`: USPS / Canada Post code.
    public var state = ""
    /// `listwash_country`: ISO 3166-1 alpha-2.
    public var country = ""
    /// `listwash_company`: the cleaned display name.
    public var company = ""
    /// `listwash_company_key`: the name without legal suffixes, folded.
    public var companyKey = ""
    /// `listwash_domain`: the registrable domain of the website, or of a business email's domain.
    public var domain = ""
    /// Every flag the normalizers raised, in declaration order, without duplicates.
    public var flags: [NormalizationFlag] = []

    /// `listwash_flags`: the flags joined with `;`.
    public var flagsText: String { flags.map(\.rawValue).joined(separator: ";") }

    /// An empty contact.
    public init() {}
}

/// Runs every normalizer on one record's raw values.
///
/// ```swift
/// let normalizer = Normalizer()
/// let contact = normalizer.normalize(RawContact(
///     fullName: "DR. JANE A. DOE, PHD", email: "Jane.Doe@acme.com", phone: "(617) 253-1000 x204",
///     company: "Acme, Inc.", state: "Mass.", zip: "2134"))
/// // contact.firstName "Jane", contact.phone "+16172531000", contact.zip "02134",
/// // contact.state "MA", contact.country "US", contact.companyKey "acme", contact.domain "acme.com"
/// ```
/// Order: state and country first (the ZIP check needs the state, the phone check the
/// country), then ZIP, city and state fill-in, names, email, phone, company, domain. The domain
/// comes from the website when it has one; otherwise from the email's domain unless that is a
/// free-mail or disposable domain (flagged `domain_from_email`).
/// The value is `Sendable` and holds only immutable tables: share one across threads.
public struct Normalizer: Sendable {
    /// The name normalizer in use.
    public let names: NameNormalizer
    /// The email normalizer in use.
    public let emails: EmailNormalizer
    /// The ZIP and postal code normalizer in use.
    public let postalCodes: PostalCodeNormalizer
    /// The phone normalizer in use.
    public let phones: PhoneNormalizer
    /// The state and country normalizer in use.
    public let places: PlaceNormalizer
    /// The company normalizer in use.
    public let companies: CompanyNormalizer
    /// The domain normalizer in use.
    public let domains: DomainNormalizer

    /// A normalizer over the given reference data.
    public init(data: ReferenceData = .shared) {
        names = NameNormalizer(data: data)
        emails = EmailNormalizer(data: data)
        postalCodes = PostalCodeNormalizer(data: data)
        phones = PhoneNormalizer(data: data)
        places = PlaceNormalizer(data: data)
        companies = CompanyNormalizer()
        domains = DomainNormalizer(data: data)
    }

    /// Normalizes one record.
    /// - Returns: the normalized values and every flag raised. Never throws.
    /// - Complexity: O(*n*) in the total length of the values.
    public func normalize(_ raw: RawContact) -> NormalizedContact {
        var out = NormalizedContact()
        var flags: [NormalizationFlag] = []

        let place = places.normalize(state: raw.state, country: raw.country)
        flags += place.flags
        out.country = place.country
        let postal = postalCodes.normalize(
            zip: raw.zip, state: place.state.isEmpty ? nil : place.state, city: raw.city, country: place.country)
        flags += postal.flags
        out.zip = postal.zip
        out.zip5 = postal.zip5
        out.city = postal.city
        out.state = postal.state
        if out.country.isEmpty && postal.flags.contains(.stateFilledFromZIP) {
            out.country = "US"
            flags.append(.countryInferred)
        } else if out.country.isEmpty && postal.flags.contains(.postalCodeCA) {
            out.country = "CA"
            flags.append(.countryInferred)
        }

        let name = names.normalize(first: raw.firstName, last: raw.lastName, full: raw.fullName)
        flags += name.flags
        out.name = name.name
        out.firstName = name.name.first
        out.lastName = name.name.last
        out.nameKey = name.nameKey
        out.firstNameKey = name.firstNameKey
        out.lastNameKey = name.lastNameKey

        let email = emails.normalize(raw.email)
        flags += email.flags
        out.email = email.email
        out.emailKey = email.key

        let phone = phones.normalize(raw.phone)
        flags += phone.flags
        out.phone = phone.e164
        out.phoneExtension = phone.phoneExtension
        out.areaCodeRegion = phone.region
        out.areaCodeRegionCode = phone.regionCode

        let company = companies.normalize(raw.company)
        flags += company.flags
        out.company = company.name
        out.companyKey = company.key

        if let website = raw.website, website.utf8.contains(where: { $0 > TextCleaning.space }) {
            if let domain = domains.registrableDomain(from: website) {
                out.domain = domain
            } else {
                flags.append(.domainInvalid)
            }
        }
        if out.domain.isEmpty, !email.domain.isEmpty, !email.isFreemail, !email.isDisposable,
            let domain = domains.registrableDomain(from: email.domain)
        {
            out.domain = domain
            flags.append(.domainFromEmail)
        }
        out.flags = NormalizationFlag.ordered(flags)
        return out
    }
}
