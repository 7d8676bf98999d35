/// A source of record batches: a CSV or JSON Lines file.
public protocol RecordReader: AnyObject {
    /// The file's path.
    var path: String { get }
    /// The column names, in file order.
    var header: [String] { get }
    /// The number of records read so far.
    var recordsRead: Int { get }
    /// Bytes read so far.
    var bytesRead: Int { get }
    /// Reads the next batch, or `nil` at end of input.
    func nextBatch(schema: Schema, layout: OutputLayout) throws -> RecordBatch?
}
