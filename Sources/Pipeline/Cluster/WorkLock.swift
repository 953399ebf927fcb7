import Foundation

/// A lock on one piece of a work folder (the whole job, or one unit), held by an open file with
/// flock(2): the kernel drops it when its process ends however it ends (a crash, SIGKILL, a
/// node lost), so a dead holder never blocks the next run, and Linux's NFS client maps it to
/// locks the server sees, so it also guards workers on several hosts sharing the folder. The
/// file keeps the holder's host and process id for the message of whoever is refused.
public final class WorkLock {
    public let path: String
    private let descriptor: Int32

    public enum Mode: Sendable {
        /// One holder only: the job itself, or one unit.
        case exclusive
        /// Any number of holders, none while an exclusive one holds: the units of a job that a
        /// whole-job run must not overlap.
        case shared
    }

    /// Takes the lock at once or throws naming `what`, the folder and the holder.
    public init(_ path: String, _ mode: Mode = .exclusive, what: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw PipelineError("\(path): cannot open the lock file (\(String(cString: strerror(errno))))") }
        guard flock(descriptor, (mode == .exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(descriptor)
            throw PipelineError("\(what) is busy: held by \(holder.isEmpty ? "another process" : holder) (\(path))")
        }
        self.path = path
        self.descriptor = descriptor
        if mode == .exclusive {
            let holder = "process \(getpid()) on \(ProcessInfo.processInfo.hostName)\n"
            _ = ftruncate(descriptor, 0)
            _ = holder.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        }
    }

    /// Whether some process holds the lock at `path` now (a unit running), without taking it.
    public static func isHeld(_ path: String) -> Bool {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { return true }
        flock(descriptor, LOCK_UN)
        return false
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
