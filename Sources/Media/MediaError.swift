import Foundation

/// A failure that names the file involved and says what is wrong, in one line.
public struct MediaError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let problem: String

    public init(_ path: String, _ problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }

    /// Foundation's error from reading or writing a file (a full disk, a read-only folder met
    /// while saving JSON, weights or a report) as one line naming the file; nil for other errors.
    public init?(fileError error: Error) {
        let error = error as NSError
        guard error.domain == NSCocoaErrorDomain,
              let path = error.userInfo[NSFilePathErrorKey] as? String ?? (error.userInfo[NSURLErrorKey] as? URL)?.path else { return nil }
        let writing = (CocoaError.fileWriteUnknown.rawValue...CocoaError.fileWriteVolumeReadOnly.rawValue).contains(error.code)
        self.init(path, (writing ? "cannot write: " : "cannot read: ") + Self.reason(error))
    }

    /// The system's reason for a failed file operation ("No space left on device"), rather than
    /// Foundation's description of it.
    public static func reason(_ error: Error) -> String {
        let error = error as NSError
        if error.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(error.code))) }
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if error.code == CocoaError.fileWriteOutOfSpace.rawValue { return String(cString: strerror(ENOSPC)) }
        if error.code == CocoaError.fileWriteVolumeReadOnly.rawValue { return String(cString: strerror(EROFS)) }
        return error.localizedDescription.replacingOccurrences(of: "The operation could not be completed. ", with: "")
    }
}
