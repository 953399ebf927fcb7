import ArgumentParser

/// Named sets of restore options for common archival sources (`--preset NAME`). A preset stands
/// for its options; any of them also given on the command line is taken from there instead.
struct Preset {
    let name: String
    let arguments: [String]
    let why: String

    static let all = [
        Preset(
            name: "dvd", arguments: ["--deinterlace", "auto", "--scale", "2"],
            why: "interlaced or telecined SD video: fields measured and deinterlaced when idet finds them; x2 (720x576 becomes 1440x1152)"),
        Preset(
            name: "vhs", arguments: ["--deinterlace", "auto", "--deflicker", "9", "--scale", "2"],
            why: "interlaced tape with unsteady brightness: deinterlaced when measured so, deflickered scene by scene, x2"),
        Preset(
            name: "16mm-scan", arguments: ["--deinterlace", "off", "--deflicker", "9", "--codec", "ffv1"],
            why: "progressive film scan: never deinterlaced, printer-light and exposure flicker smoothed scene by scene, a lossless FFV1 master")
    ]

    /// `--preset` in the help: every preset with its options.
    static var help: String {
        "Start from a named set of options (an option also given here wins): "
            + all.map { "\($0.name) (\($0.arguments.joined(separator: " ")): \($0.why))" }.joined(separator: "; ") + "."
    }

    /// The command line with each `--preset NAME` (or `--preset=NAME`) replaced by its options,
    /// for `restore` and `submit`; other commands' lines come back as they were.
    static func expand(_ arguments: [String]) throws -> [String] {
        guard let command = arguments.first, ["restore", "submit"].contains(command) else { return arguments }
        var expanded: [String] = []
        var presets: [Preset] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let name: String?
            if argument == "--preset" {
                guard index + 1 < arguments.count else { throw UsageError("--preset needs a name: \(all.map(\.name).joined(separator: ", "))") }
                name = arguments[index + 1]
                index += 2
            } else if argument.hasPrefix("--preset=") {
                name = String(argument.dropFirst("--preset=".count))
                index += 1
            } else {
                name = nil
                expanded.append(argument)
                index += 1
            }
            if let name {
                guard let preset = all.first(where: { $0.name == name }) else {
                    throw UsageError("--preset \(name): choose one of \(all.map(\.name).joined(separator: ", "))")
                }
                presets.append(preset)
            }
        }
        // Every preset option is a flag and its value; one the line gives itself is left out.
        let given = Set(expanded.filter { $0.hasPrefix("--") }.map { String($0.split(separator: "=")[0]) })
        for preset in presets {
            for pair in stride(from: 0, to: preset.arguments.count, by: 2) where !given.contains(preset.arguments[pair]) {
                expanded += preset.arguments[pair...(pair + 1)]
            }
        }
        return expanded
    }
}

/// `--preset` as the help lists it; the name never reaches parsing, since `Preset.expand` has
/// replaced it by its options.
struct PresetOption: ParsableArguments {
    @Option(help: ArgumentHelp(Preset.help, valueName: "name"))
    var preset: String?
}
