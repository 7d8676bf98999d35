/// A place in a file that a message is about: `file:line:column`.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The file's path as the user gave it.
    public var file: String
    /// 1-based line, when known.
    public var line: Int?
    /// 1-based column (a character position in the line, or a field number in a CSV record), when known.
    public var column: Int?

    /// Creates a location.
    public init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, leaving out what is unknown.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if line != nil, let column { text += ":\(column)" }
        return text
    }
}

/// A warning or error for the user, printed as `file:line:column: error: message`.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// How serious a diagnostic is.
    public enum Severity: String, Sendable { case warning, error, note }

    /// How serious it is.
    public var severity: Severity
    /// Where it is, when it is about a file.
    public var location: SourceLocation?
    /// What happened and, where it helps, what to do.
    public var message: String

    /// Creates a diagnostic.
    public init(_ severity: Severity, _ message: String, at location: SourceLocation? = nil) {
        self.severity = severity
        self.message = message
        self.location = location
    }

    /// The one line a user sees.
    public var description: String {
        if let location { return "\(location): \(severity.rawValue): \(message)" }
        return "\(severity.rawValue): \(message)"
    }
}

/// An error that stops a run, with the exit status the command reports for it.
///
/// Every error a user can see is made here or in ``ListWashError`` extensions so its wording
/// lives in one place.
public struct ListWashError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure stopped the run; each kind has its own exit status.
    public enum Kind: Sendable {
        /// Bad command line or a broken pipeline or rules file.
        case usage
        /// An input file that cannot be read, decoded or mapped.
        case input
        /// An output folder or file that cannot be written.
        case output
        /// A suppression or reference list that is missing, empty or malformed.
        case referenceData
        /// A bug: a broken invariant such as rows in differing from rows out.
        case `internal`
    }

    /// What kind of failure this is.
    public var kind: Kind
    /// The message, with its location.
    public var diagnostic: Diagnostic

    /// Creates an error of `kind` with `message` about `location`.
    public init(_ kind: Kind, _ message: String, at location: SourceLocation? = nil) {
        self.kind = kind
        self.diagnostic = Diagnostic(.error, message, at: location)
    }

    /// The process exit status for this error (documented in the README).
    public var exitStatus: Int32 { kind.exitStatus }

    public var description: String { diagnostic.description }
}

extension ListWashError.Kind {
    /// Exit statuses, after BSD `sysexits.h`: 64 usage, 65 input data, 66 reference data,
    /// 73 output, 70 internal.
    public var exitStatus: Int32 {
        switch self {
        case .usage: 64
        case .input: 65
        case .referenceData: 66
        case .output: 73
        case .internal: 70
        }
    }
}

/// Collects warnings from every stage and source of a run, thread-safely, in arrival order.
public final class DiagnosticLog: @unchecked Sendable {
    private let lock = Lock()
    private var entries: [Diagnostic] = []
    private let echo: (@Sendable (Diagnostic) -> Void)?

    /// Creates a log; `echo` (for example a print to standard error) sees each entry as it arrives.
    public init(echo: (@Sendable (Diagnostic) -> Void)? = nil) {
        self.echo = echo
    }

    /// Records a diagnostic.
    public func report(_ diagnostic: Diagnostic) {
        lock.withLock { entries.append(diagnostic) }
        echo?(diagnostic)
    }

    /// Records a warning about `location`.
    public func warn(_ message: String, at location: SourceLocation? = nil) {
        report(Diagnostic(.warning, message, at: location))
    }

    /// Everything recorded so far.
    public var all: [Diagnostic] { lock.withLock { entries } }
}
