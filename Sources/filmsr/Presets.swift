import ArgumentParser

/// `filmsr presets`: what each `--preset` of restore and submit stands for.
struct Presets: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the named sets of restore options (--preset NAME on restore and submit) with their options.")

    func run() throws {
        let width = Preset.all.map(\.name.count).max() ?? 0
        for preset in Preset.all {
            print(preset.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + preset.arguments.joined(separator: " "))
            print(String(repeating: " ", count: width + 2) + preset.why)
        }
    }
}
