import Dispatch

/// A value worked out on another thread while the caller goes on with other work; ``value``
/// waits for it.
///
/// ```swift
/// let pending = Background { index(pendingLeads) }   // starts at once
/// let export = index(leadsExport)                     // meanwhile, here
/// use(export, pending.value)                          // waits if still under way
/// ```
public final class Background<Value: Sendable>: @unchecked Sendable {
    private var result: Value?
    private let finished = DispatchGroup()

    /// Starts `work` on a thread of the global queue.
    public init(_ work: @escaping @Sendable () -> Value) {
        finished.enter()
        DispatchQueue.global().async {
            self.result = work()
            self.finished.leave()
        }
    }

    /// The value, once worked out.
    public var value: Value {
        finished.wait()
        // `result` is set before `leave()`, and only once.
        guard let result else { preconditionFailure("background work ended without its value") }
        return result
    }
}
