/// A mistake in the command's arguments, reported in one line (without the usage text
/// that ArgumentParser's own ValidationError adds).
struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
