/// What a source column means to ListWash, independent of how the export spells its header.
///
/// ```swift
/// FieldRole.recognizing("E-mail Address") // .email
/// FieldRole.recognizing("ZIP/Postal Code") // .zip
/// ```
public enum FieldRole: String, CaseIterable, Sendable, Codable {
    case recordID = "record_id"
    case firstName = "first_name"
    case lastName = "last_name"
    case fullName = "full_name"
    case email
    case phone
    case mobile
    case company
    case website
    case street
    case city
    case state
    case zip
    case country
    case title
    case campaign
    case responseDate = "response_date"
    case leadSource = "lead_source"
    case accountID = "account_id"

    /// Header spellings that real CRM and vendor exports use for this role, already folded by
    /// ``FieldRole/foldHeader(_:)`` (lower case, letters and digits only).
    public var headerSpellings: [String] {
        switch self {
        case .recordID: ["id", "recordid", "contactid", "leadid", "personid", "customerid", "externalid", "crmid"]
        case .firstName: ["firstname", "fname", "first", "givenname", "forename", "contactfirstname"]
        case .lastName: ["lastname", "lname", "last", "surname", "familyname", "contactlastname"]
        case .fullName: ["name", "fullname", "contactname", "contact", "leadname", "attendeename", "personname"]
        case .email: ["email", "emailaddress", "mail", "emailaddr", "workemail", "businessemail", "contactemail", "primaryemail"]
        case .phone: ["phone", "phonenumber", "telephone", "tel", "workphone", "businessphone", "officephone", "directphone", "primaryphone", "phone1"]
        case .mobile: ["mobile", "mobilephone", "cell", "cellphone", "mobilenumber", "cellnumber"]
        case .company: ["company", "companyname", "accountname", "organization", "organisation", "employer", "org", "account", "business"]
        case .website: ["website", "web", "url", "companywebsite", "homepage", "domain", "companydomain", "webaddress"]
        case .street: ["street", "address", "streetaddress", "address1", "addressline1", "mailingstreet", "street1"]
        case .city: ["city", "town", "mailingcity", "locality"]
        case .state: ["state", "stateprovince", "province", "region", "stateorprovince", "mailingstate", "st"]
        case .zip: ["zip", "zipcode", "postalcode", "postcode", "zippostalcode", "mailingzip", "mailingpostalcode", "postal", "zip5"]
        case .country: ["country", "countryname", "mailingcountry", "countrycode", "nation"]
        case .title: ["title", "jobtitle", "position", "role", "designation", "jobrole"]
        case .campaign: ["campaign", "campaignname", "campaignid", "event", "eventname", "program"]
        case .responseDate: ["responsedate", "date", "createddate", "submitted", "submittedat", "submissiondate", "registrationdate", "timestamp", "createdat", "scandate"]
        case .leadSource: ["leadsource", "source", "sourcelist", "listsource", "vendor"]
        case .accountID: ["accountid", "companyid", "orgid", "organizationid"]
        }
    }

    /// The role whose header spellings include `header`, or `nil` when none does.
    public static func recognizing(_ header: String) -> FieldRole? {
        byFoldedSpelling[foldHeader(header)]
    }

    /// Folds a header for comparison: lower-case ASCII letters and digits, everything else dropped
    /// (`"E-mail Address"` becomes `"emailaddress"`).
    public static func foldHeader(_ header: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(header.utf8.count)
        for byte in header.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): out.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): out.append(byte | 0x20)
            default: continue
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let byFoldedSpelling: [String: FieldRole] = {
        var table: [String: FieldRole] = [:]
        for role in FieldRole.allCases {
            for spelling in role.headerSpellings where table[spelling] == nil { table[spelling] = role }
        }
        return table
    }()
}
