import Foundation

/// The inputs kept in Fuzz/Regression/TARGET (see its README), for tests that require each to be
/// a thrown one-line error naming the file rather than a crash.
public enum FuzzRegression {
    public static func inputs(_ target: String) throws -> [(name: String, data: Data)] {
        let folder = Repository.path("Fuzz/Regression/" + target)
        return try FileManager.default.contentsOfDirectory(atPath: folder).sorted().map { name in
            (name, try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)))
        }
    }

    /// nil when `read` throws one line starting with "FILE: " for one of `files`; else what it did instead.
    public static func failure(files: String..., read: () throws -> Void) -> String? {
        do {
            try read()
            return "read without an error"
        } catch {
            let message = String(describing: error)
            guard files.contains(where: { message.hasPrefix($0 + ": ") }), !message.contains(where: \.isNewline) else {
                return "error is not one line naming \(files.joined(separator: " or ")): \(message)"
            }
            return nil
        }
    }
}
