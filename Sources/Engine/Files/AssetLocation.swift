import Foundation

/// Where set-up put an asset (weights, photographs): the path in `environmentVariable` when
/// set; else `relativePath` under the current folder; else under the checkout the running
/// program was built in (a build folder lies inside it); else `relativePath` as it is, so that
/// the error that follows names the expected place.
public enum AssetLocation {
    public static func find(_ relativePath: String, environmentVariable: String) -> String {
        if let configured = ProcessInfo.processInfo.environment[environmentVariable] { return configured }
        if FileManager.default.fileExists(atPath: relativePath) { return relativePath }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent(relativePath).path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return relativePath
    }
}
