import Foundation

/// Saving and restoring a set of parameters by name: FilmSR's checkpoints.
public enum Checkpoint {
    public static func save(_ parameters: [Parameter], metadata: [String: String] = [:], to path: String) throws {
        try Safetensors.write(parameters.map(\.entry), metadata: metadata, to: path)
    }

    /// Loads values into `parameters` by name; every parameter must be present with the same size.
    @discardableResult
    public static func load(_ path: String, into parameters: [Parameter]) throws -> [String: String] {
        try load(FileBytes.read(path), file: path, into: parameters)
    }

    /// `load` of a file's bytes already in memory; `file` names it in errors.
    @discardableResult
    static func load(_ data: Data, file: String, into parameters: [Parameter]) throws -> [String: String] {
        let (entries, metadata) = try Safetensors.read(data, file: file)
        try assign(entries, readFrom: file, to: parameters)
        return metadata
    }

    /// Copies entries already read from `path` into `parameters` by name, sizes checked.
    public static func assign(_ entries: [Safetensors.Entry], readFrom path: String, to parameters: [Parameter]) throws {
        let byName = Dictionary(entries.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for parameter in parameters {
            guard let entry = byName[parameter.name] else {
                throw EngineError("\(path): has no tensor '\(parameter.name)': it was saved from another network")
            }
            guard entry.values.count == parameter.value.count else {
                throw EngineError("\(path): tensor '\(parameter.name)' has shape \(entry.shape), the network needs \(parameter.shape)")
            }
            parameter.value.copy(from: Tensor(parameter.shape, values: entry.values))
        }
    }
}

extension Parameter {
    /// The current values as a safetensors entry named after the parameter.
    public var entry: Safetensors.Entry {
        Safetensors.Entry(name: name, shape: shape.dimensions, values: value.values)
    }
}
