/// A code that says what a normalizer noticed or changed about one value.
///
/// Flags are stable, snake_case strings meant for output columns and reports
/// (`listwash_flags` joins them with `;`). Their declaration order is the order they are
/// written in, so a set of flags always prints the same way:
///
/// ```swift
/// NormalizationFlag.joined([.zipUnknown, .emailRole]) // "email_role;zip_unknown"
/// ```
///
/// Every code is described in `Docs/normalization.md`.
public enum NormalizationFlag: String, CaseIterable, Sendable, Hashable, Codable, Comparable {
    // Names
    case nameInvalid = "name_invalid"
    case nameCaseFixed = "name_case_fixed"
    case nameSplit = "name_split"
    case nameIncomplete = "name_incomplete"
    case nameSwapped = "name_swapped"
    case suffixFromEmail = "suffix_from_email"
    // Emails
    case emailInvalid = "email_invalid"
    case emailCleaned = "email_cleaned"
    case emailTypoCorrected = "email_typo_corrected"
    case emailIDN = "email_idn"
    case emailRole = "email_role"
    case emailFreemail = "email_freemail"
    case emailDisposable = "email_disposable"
    // ZIP and postal codes
    case zipInvalid = "zip_invalid"
    case zipLeadingZeroRestored = "zip_leading_zero_restored"
    case zipPlus4 = "zip_plus4"
    case zipUnknown = "zip_unknown"
    case zipInactive = "zip_inactive"
    case zipStateMismatch = "zip_state_mismatch"
    case cityFilledFromZIP = "city_filled_from_zip"
    case stateFilledFromZIP = "state_filled_from_zip"
    case postalCodeCA = "postal_code_ca"
    case postalCodeForeign = "postal_code_foreign"
    // Phones
    case phoneInvalid = "phone_invalid"
    case phoneForeign = "phone_foreign"
    case phoneVanity = "phone_vanity"
    case areaCodeUnknown = "area_code_unknown"
    // Places
    case stateUnknown = "state_unknown"
    case countryUnknown = "country_unknown"
    case countryInferred = "country_inferred"
    // Companies and domains
    case companyInvalid = "company_invalid"
    case domainInvalid = "domain_invalid"
    case domainFromEmail = "domain_from_email"
    // Reading
    /// A field of the record was not valid UTF-8 and was decoded as Windows-1252 on its own (the
    /// file's encoding was not declared); the other fields were read as UTF-8.
    case encodingRepaired = "encoding_repaired"

    /// Declaration order: the order flags are written in.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }

    /// The flags' raw values in declaration order, without duplicates, joined with `;`.
    ///
    /// ```swift
    /// NormalizationFlag.joined([.zipUnknown, .emailRole, .zipUnknown]) // "email_role;zip_unknown"
    /// ```
    /// - Complexity: O(*n* log *n*) for *n* flags.
    public static func joined<S: Sequence>(_ flags: S) -> String where S.Element == NormalizationFlag {
        ordered(flags).map(\.rawValue).joined(separator: ";")
    }

    /// The flags in declaration order, without duplicates.
    ///
    /// ```swift
    /// NormalizationFlag.ordered([.zipUnknown, .emailRole, .zipUnknown]) // [.emailRole, .zipUnknown]
    /// ```
    /// - Complexity: O(*n* + *k*) for *n* flags and *k* flag codes.
    public static func ordered<S: Sequence>(_ flags: S) -> [NormalizationFlag] where S.Element == NormalizationFlag {
        var mask: UInt64 = 0
        for flag in flags { mask |= 1 << UInt64(flag.rank) }
        var ordered: [NormalizationFlag] = []
        while mask != 0 {
            ordered.append(orderedCases[mask.trailingZeroBitCount])
            mask &= mask - 1
        }
        return ordered
    }

    /// The flag's position in declaration order (0-based).
    var rank: Int {
        switch self {
        case .nameInvalid: 0
        case .nameCaseFixed: 1
        case .nameSplit: 2
        case .nameIncomplete: 3
        case .nameSwapped: 4
        case .suffixFromEmail: 5
        case .emailInvalid: 6
        case .emailCleaned: 7
        case .emailTypoCorrected: 8
        case .emailIDN: 9
        case .emailRole: 10
        case .emailFreemail: 11
        case .emailDisposable: 12
        case .zipInvalid: 13
        case .zipLeadingZeroRestored: 14
        case .zipPlus4: 15
        case .zipUnknown: 16
        case .zipInactive: 17
        case .zipStateMismatch: 18
        case .cityFilledFromZIP: 19
        case .stateFilledFromZIP: 20
        case .postalCodeCA: 21
        case .postalCodeForeign: 22
        case .phoneInvalid: 23
        case .phoneForeign: 24
        case .phoneVanity: 25
        case .areaCodeUnknown: 26
        case .stateUnknown: 27
        case .countryUnknown: 28
        case .countryInferred: 29
        case .companyInvalid: 30
        case .domainInvalid: 31
        case .domainFromEmail: 32
        case .encodingRepaired: 33
        }
    }

    static let orderedCases = Array(allCases)
}

/// A set of flags as a bit mask over ``NormalizationFlag`` ranks (internal): cheap to build per
/// record, and written in declaration order by construction.
struct FlagSet: Hashable, Sendable {
    var mask: UInt64 = 0

    @inline(__always)
    mutating func insert(_ flag: NormalizationFlag) { mask |= 1 << UInt64(flag.rank) }

    @inline(__always)
    mutating func formUnion(_ other: FlagSet) { mask |= other.mask }

    @inline(__always)
    func contains(_ flag: NormalizationFlag) -> Bool { mask & (1 << UInt64(flag.rank)) != 0 }

    var isEmpty: Bool { mask == 0 }

    init() {}

    /// The flags whose bits are set in `mask`.
    init(mask: UInt64) { self.mask = mask }

    init<S: Sequence>(_ flags: S) where S.Element == NormalizationFlag {
        for flag in flags { insert(flag) }
    }

    /// The flags in declaration order.
    var flags: [NormalizationFlag] {
        var rest = mask
        var ordered: [NormalizationFlag] = []
        while rest != 0 {
            ordered.append(NormalizationFlag.orderedCases[rest.trailingZeroBitCount])
            rest &= rest - 1
        }
        return ordered
    }

    /// The flags' raw values in declaration order joined with `;` (`listwash_flags`).
    var text: String {
        guard mask != 0 else { return "" }
        var rest = mask
        var out = ""
        while rest != 0 {
            if !out.isEmpty { out.append(";") }
            out.append(NormalizationFlag.orderedCases[rest.trailingZeroBitCount].rawValue)
            rest &= rest - 1
        }
        return out
    }
}
