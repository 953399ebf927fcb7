/// A network that does not fit together: wrong shapes or a malformed description.
public struct EngineError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }

    /// `text` from a file, in single quotes with its control characters (newlines) escaped, so
    /// that a message naming it stays on one line.
    public static func quoted(_ text: String) -> String {
        "'" + text.unicodeScalars.map { $0.properties.generalCategory == .control ? $0.escaped(asASCII: true) : String($0) }.joined() + "'"
    }
}
