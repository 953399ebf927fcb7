import Foundation

/// Paths inside the repository, for tests that read its samples, assets or committed files.
public enum Repository {
    /// The repository's root folder (this file is Tests/TestSupport/Repository.swift).
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// `relative` (e.g. "docs/studies") under the root.
    public static func path(_ relative: String) -> String { root + "/" + relative }

    /// A committed sample clip or image.
    public static func sample(_ name: String) -> String { path("samples/" + name) }
}
