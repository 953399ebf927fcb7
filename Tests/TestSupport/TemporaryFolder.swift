import Foundation

/// A new empty folder under the system's temporary directory, for one test's files.
public func temporaryFolder() throws -> String {
    let path = NSTemporaryDirectory() + "filmsr-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
