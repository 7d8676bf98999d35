import Foundation

/// Runs the built `listwash` executable as a user would, in `folder`: its exit status, standard
/// output and standard error.
public func listwash(_ arguments: [String], in folder: String) throws -> (status: Int32, out: String, err: String) {
    let process = try startListwash(arguments, in: folder)
    let outData = process.out.fileHandleForReading.readDataToEndOfFile()
    let errData = process.err.fileHandleForReading.readDataToEndOfFile()
    process.process.waitUntilExit()
    return (process.process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

/// Starts the built `listwash` executable in `folder` without waiting for it.
public func startListwash(_ arguments: [String], in folder: String) throws -> (process: Process, out: Pipe, err: Pipe) {
    let candidates = [
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("listwash").path,
        "\(packageRoot)/.build/debug/listwash",
    ]
    guard let executable = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: candidates.joined(separator: ", ")])
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: folder)
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    return (process, out, err)
}
