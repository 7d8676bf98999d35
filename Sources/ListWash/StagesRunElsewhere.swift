import ListWashCore

/// Stands in for the first stages of a pipeline when another process already ran them (the Spark
/// job runs them on its executors): it declares their columns, so that batches keep the same
/// layout, and leaves every record as it is.
struct StagesRunElsewhere: Stage {
    /// The stages' names, joined.
    let name: String
    /// The stages' columns, in their order.
    let outputColumns: [String]
    var runsConcurrently: Bool { true }

    init(names: [String], outputColumns: [String]) {
        name = names.joined(separator: "+")
        self.outputColumns = outputColumns
    }

    func process(_ batch: inout RecordBatch) throws {}
}
