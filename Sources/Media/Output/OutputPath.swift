import Foundation

/// Where an output goes, checked before any work starts: never the input itself, in a directory
/// that exists; the file is written under a temporary name beside it and renamed when complete,
/// so a crash or a kill never leaves a half-written file under the real name.
public struct OutputPath: Sendable {
    public let path: String
    public let temporaryPath: String

    public init(_ path: String, inputs: [String]) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw MediaError(path, "cannot write: directory '\(directory)' does not exist")
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw MediaError(path, "cannot write: it is a directory")
        }
        for input in inputs where Self.sameFile(path, input) {
            throw MediaError(path, "output is the input file; choose another output path")
        }
        guard access(directory, W_OK) == 0 else {
            throw MediaError(path, "cannot write: directory '\(directory)' is not writable")
        }
        self.path = path
        let name = url.lastPathComponent
        temporaryPath = url.deletingLastPathComponent().appendingPathComponent(".\(name).\(getpid()).filmsr-tmp").path
    }

    /// True when both paths name one file (through symbolic or hard links too).
    static func sameFile(_ first: String, _ second: String) -> Bool {
        var a = stat(), b = stat()
        if stat(first, &a) == 0, stat(second, &b) == 0 {
            return a.st_dev == b.st_dev && a.st_ino == b.st_ino
        }
        return URL(fileURLWithPath: first).standardizedFileURL.resolvingSymlinksInPath()
            == URL(fileURLWithPath: second).standardizedFileURL.resolvingSymlinksInPath()
    }

    /// Moves the finished temporary file to its real name.
    public func commit() throws {
        guard rename(temporaryPath, path) == 0 else {
            let reason = String(cString: strerror(errno))
            throw MediaError(path, "cannot move the finished file into place: \(reason)")
        }
    }

    /// Removes what runs killed while writing this output left beside it: the temporary files of
    /// processes that no longer exist on this host. Only for a caller that alone writes this
    /// output (a restore holding its job's lock); a writer on another host sharing the folder
    /// would look dead from here.
    public func removeAbandonedTemporaries() {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let prefix = "." + url.lastPathComponent + ".", suffix = ".filmsr-tmp"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        where name.hasPrefix(prefix) && name.hasSuffix(suffix) {
            guard let process = Int32(name.dropFirst(prefix.count).dropLast(suffix.count)), process != getpid(),
                  kill(process, 0) != 0, errno == ESRCH else { continue }
            unlink((directory as NSString).appendingPathComponent(name))
        }
    }

    public func discard() {
        unlink(temporaryPath)
    }
}
