import Dispatch

/// Maps batches on all cores, keeping their order.
enum ParallelBatches {
    static func map<Input, Output>(_ items: [Input], _ transform: (Input) -> Output) -> [Output] {
        var results = [Output?](repeating: nil, count: items.count)
        results.withUnsafeMutableBufferPointer { buffer in
            let out = UncheckedSendable(buffer)
            items.withUnsafeBufferPointer { input in
                let source = UncheckedSendable(input)
                withoutActuallyEscaping(transform) { transform in
                    let work = UncheckedSendable(transform)
                    DispatchQueue.concurrentPerform(iterations: items.count) { index in
                        out.value[index] = work.value(source.value[index])
                    }
                }
            }
        }
        return results.compactMap { $0 }
    }
}
