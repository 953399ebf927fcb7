/// One layer line of an ncnn .param file: type, name, blob names and numbered parameters.
public struct NCNNLayerDescription: Sendable {
    /// The .param file it was read from, which errors name.
    public var file: String
    public var type: String
    public var name: String
    public var inputs: [String]
    public var outputs: [String]
    public var parameters: [Int: NCNNParameterValue]

    func int(_ key: Int, default value: Int) throws -> Int {
        guard let parameter = parameters[key] else { return value }
        guard case .int(let number) = parameter else { throw EngineError("\(file): layer \(name): parameter \(key) is not an integer") }
        return number
    }

    func float(_ key: Int, default value: Float) throws -> Float {
        switch parameters[key] {
        case nil: value
        case .float(let number)?: number
        case .int(let number)?: Float(number)
        case .array?: throw EngineError("\(file): layer \(name): parameter \(key) is not a number")
        }
    }

    func floats(_ key: Int) throws -> [Float] {
        switch parameters[key] {
        case nil: []
        case .array(let values)?: values
        default: throw EngineError("\(file): layer \(name): parameter \(key) is not a list")
        }
    }
}

public enum NCNNParameterValue: Equatable, Sendable {
    case int(Int)
    case float(Float)
    case array([Float])
}

/// Reads ncnn's text network description ("7767517", counts, then a line per layer with
/// `key=value` parameters; keys -23300-k hold lists for parameter k).
public enum NCNNParamParser {
    public static func parse(_ text: String, file: String) throws -> [NCNNLayerDescription] {
        var lines = text.split(whereSeparator: \.isNewline).map { $0.split(separator: " ", omittingEmptySubsequences: true) }
            .filter { !$0.isEmpty }
        guard let magic = lines.first, magic == ["7767517"] else {
            throw EngineError("\(file): not an ncnn .param file (no 7767517 magic number)")
        }
        lines.removeFirst()
        guard let counts = lines.first, counts.count == 2, let layerCount = Int(counts[0]), let blobCount = Int(counts[1]),
              layerCount >= 0, blobCount >= 0 else {
            throw EngineError("\(file): line 2 must hold the layer and blob counts")
        }
        lines.removeFirst()
        guard lines.count == layerCount else {
            throw EngineError("\(file): declares \(layerCount) layers but has \(lines.count) layer lines")
        }
        return try lines.enumerated().map { number, fields in
            let lineNumber = number + 3
            // Compared by subtraction: counts read from the file may be as large as Int allows.
            guard fields.count >= 4, let inputCount = Int(fields[2]), let outputCount = Int(fields[3]),
                  inputCount >= 0, outputCount >= 0, inputCount <= fields.count - 4, outputCount <= fields.count - 4 - inputCount else {
                throw EngineError("\(file): line \(lineNumber) is not 'type name inputs outputs blobs... params...'")
            }
            let blobs = fields[4..<(4 + inputCount + outputCount)].map(String.init)
            var parameters: [Int: NCNNParameterValue] = [:]
            for field in fields[(4 + inputCount + outputCount)...] {
                let pair = field.split(separator: "=", maxSplits: 1)
                guard pair.count == 2, let key = Int(pair[0]) else {
                    throw EngineError("\(file): line \(lineNumber): parameter '\(field)' is not key=value")
                }
                if key <= -23300 {
                    let items = pair[1].split(separator: ",")
                    guard let count = items.first.flatMap({ Int($0) }), count == items.count - 1 else {
                        throw EngineError("\(file): line \(lineNumber): list '\(field)' has a wrong length")
                    }
                    let values = try items.dropFirst().map { item -> Float in
                        guard let value = Float(item) else { throw EngineError("\(file): line \(lineNumber): '\(item)' is not a number") }
                        return value
                    }
                    parameters[-23300 - key] = .array(values)
                } else if let integer = Int(pair[1]) {
                    parameters[key] = .int(integer)
                } else if let real = Float(pair[1]) {
                    parameters[key] = .float(real)
                } else {
                    throw EngineError("\(file): line \(lineNumber): '\(pair[1])' is not a number")
                }
            }
            return NCNNLayerDescription(file: file, type: String(fields[0]), name: String(fields[1]),
                                        inputs: Array(blobs[0..<inputCount]), outputs: Array(blobs[inputCount...]),
                                        parameters: parameters)
        }
    }
}
