import Foundation

extension JSONEncoder {
    /// Stable output: the same value always gives the same bytes.
    package static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
