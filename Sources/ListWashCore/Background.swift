import Dispatch

/// A value worked out on another thread while the caller goes on with other work; ``value()``
/// waits for it (and throws what the work threw).
///
/// ```swift
/// let pending = Background { try index(readPendingLeads()) }   // starts at once
/// let export = try index(leadsExport)                           // meanwhile, here
/// use(export, try pending.value())                              // waits if still under way
/// ```
public final class Background<Value>: @unchecked Sendable {
    private var result: Result<Value, any Error>?
    private let finished = DispatchGroup()

    /// Starts `work` on a thread of the global queue.
    public init(_ work: @escaping @Sendable () throws -> Value) {
        finished.enter()
        DispatchQueue.global().async {
            self.result = Result(catching: work)
            self.finished.leave()
        }
    }

    /// The value, once worked out.
    ///
    /// - Throws: what the work threw.
    public func value() throws -> Value {
        finished.wait()
        // `result` is set before `leave()`, and only once.
        guard let result else { preconditionFailure("background work ended without its value") }
        return try result.get()
    }
}
