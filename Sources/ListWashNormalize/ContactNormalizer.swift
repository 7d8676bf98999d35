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
    /// `listwash_name_suffix`: the generational suffix, `"Jr"`, `"Sr"`, `"II"`, `"III"` or
    /// `"IV"` (see ``PersonName/generationalSuffix``).
    public var nameSuffix = ""
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

    /// The reference tables the normalizers look values up in.
    public let referenceData: ReferenceData

    /// A normalizer over the given reference data.
    public init(data: ReferenceData = .shared) {
        referenceData = data
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
        var flags = FlagSet()

        let place = placeAndPostal(state: raw.state, country: raw.country, zip: raw.zip, city: raw.city)
        flags.formUnion(place.flags)
        out.country = place.country
        out.zip = place.zip
        out.zip5 = place.zip5
        out.city = place.city
        out.state = place.state

        let name = names.normalize(first: raw.firstName, last: raw.lastName, full: raw.fullName)
        flags.formUnion(FlagSet(name.flags))
        out.name = name.name
        out.firstName = name.name.first
        out.lastName = name.name.last
        out.nameSuffix = name.name.generationalSuffix
        out.nameKey = name.nameKey
        out.firstNameKey = name.firstNameKey
        out.lastNameKey = name.lastNameKey

        let email = emails.normalize(raw.email)
        flags.formUnion(FlagSet(email.flags))
        out.email = email.email
        out.emailKey = email.key
        if out.nameSuffix.isEmpty {
            out.nameSuffix = Self.generation(inMailbox: out.emailKey, lastName: out.lastName, flags: &flags)
        }

        let phone = phones.normalize(raw.phone)
        flags.formUnion(FlagSet(phone.flags))
        out.phone = phone.e164
        out.phoneExtension = phone.phoneExtension
        out.areaCodeRegion = phone.region
        out.areaCodeRegionCode = phone.regionCode

        let company = companies.normalize(raw.company)
        flags.formUnion(FlagSet(company.flags))
        out.company = company.name
        out.companyKey = company.key

        if let website = raw.website {
            let site = websiteDomain(website)
            out.domain = site.domain
            if site.invalid { flags.insert(.domainInvalid) }
        }
        if out.domain.isEmpty, !email.domain.isEmpty, let domain = employerDomain(email.domain, isFreemail: email.isFreemail, isDisposable: email.isDisposable) {
            out.domain = domain
            flags.insert(.domainFromEmail)
        }
        out.flags = flags.flags
        return out
    }

    /// The generation the mailbox `emailKey` gives after `lastName` (see
    /// ``NameNormalizer/generation(inMailbox:lastName:)``), raising `suffix_from_email` when there is one.
    static func generation(inMailbox emailKey: String, lastName: String, flags: inout FlagSet) -> String {
        var email = emailKey, last = lastName
        let generation = email.withUTF8 { email in last.withUTF8 { NameNormalizer.generation(inMailbox: email, lastName: $0) } }
        if !generation.isEmpty { flags.insert(.suffixFromEmail) }
        return generation
    }

    /// State, country, ZIP and city worked out together (internal; the normalize stage caches them).
    struct PlaceAndPostal: Sendable {
        var zip = ""
        var zip5 = ""
        var city = ""
        var state = ""
        var country = ""
        var flags = FlagSet()
    }

    /// State and country first (the ZIP check needs the state), then the ZIP, city and state
    /// fill-in, then the country a ZIP or Canadian postal code implies.
    func placeAndPostal(state: String?, country: String?, zip: String?, city: String?) -> PlaceAndPostal {
        var out = PlaceAndPostal()
        let place = places.normalize(state: state, country: country)
        out.flags = FlagSet(place.flags)
        out.country = place.country
        let postal = postalCodes.normalize(
            zip: zip, state: place.state.isEmpty ? nil : place.state, city: city, country: place.country)
        out.flags.formUnion(FlagSet(postal.flags))
        out.zip = postal.zip
        out.zip5 = postal.zip5
        out.city = postal.city
        out.state = postal.state
        if out.country.isEmpty && postal.flags.contains(.stateFilledFromZIP) {
            out.country = "US"
            out.flags.insert(.countryInferred)
        } else if out.country.isEmpty && postal.flags.contains(.postalCodeCA) {
            out.country = "CA"
            out.flags.insert(.countryInferred)
        }
        return out
    }

    /// The registrable domain of a website value; `invalid` when it was given but holds none.
    func websiteDomain(_ website: String) -> (domain: String, invalid: Bool) {
        guard website.utf8.contains(where: { $0 > TextCleaning.space }) else { return ("", false) }
        if let domain = domains.registrableDomain(from: website) { return (domain, false) }
        return ("", true)
    }

    /// The registrable domain of a business email's domain (`nil` for free-mail and disposable
    /// domains, or when there is none).
    func employerDomain(_ emailDomain: String, isFreemail: Bool, isDisposable: Bool) -> String? {
        guard !isFreemail, !isDisposable else { return nil }
        return domains.registrableDomain(from: emailDomain)
    }
}
