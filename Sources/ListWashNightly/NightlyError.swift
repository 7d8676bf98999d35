import ListWash

/// An error that stops a nightly run or a history command, with its own exit status.
///
/// Errors that other runs share (a broken pipeline file, an unreadable input) stay
/// ``ListWashError``s with their statuses; these are the ones only nightly operation has.
public struct NightlyError: Error, Sendable, CustomStringConvertible {
    /// What went wrong; each kind has its own exit status.
    public enum Kind: Sendable {
        /// Another run holds the lock on the output root (exit status 75, try again later).
        case locked
        /// The run-history database cannot be opened, read or written (exit status 74).
        case history
    }

    /// What went wrong.
    public var kind: Kind
    /// The message, with its location.
    public var diagnostic: Diagnostic

    /// Creates an error of `kind` with `message` about `location`.
    public init(_ kind: Kind, _ message: String, at location: SourceLocation? = nil) {
        self.kind = kind
        self.diagnostic = Diagnostic(.error, message, at: location)
    }

    /// The process exit status, after BSD `sysexits.h`: 75 (`EX_TEMPFAIL`) for a held lock,
    /// 74 (`EX_IOERR`) for the history database.
    public var exitStatus: Int32 {
        switch kind {
        case .locked: 75
        case .history: 74
        }
    }

    public var description: String { diagnostic.description }
}
