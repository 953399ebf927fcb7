import Foundation

/// A super-resolution network: RGB in [0, 1] at low resolution -> RGB at `scale` times the size.
public final class SRModel {
    public let name: String
    public let scale: Int
    public let graph: Graph
    /// Builds the same network again (its own layers and memory), for a thread of its own;
    /// nil where the network cannot be rebuilt.
    private let rebuild: (() throws -> Graph)?

    public init(name: String, scale: Int, graph: Graph, rebuild: (() throws -> Graph)? = nil) {
        self.name = name
        self.scale = scale
        self.graph = graph
        self.rebuild = rebuild
    }

    /// Another instance of this network, to run beside this one on another thread (layers keep
    /// scratch memory, so one instance runs one pass at a time), holding whatever weights it
    /// was built with: `TiledUpscaler` copies this model's into it before each use.
    func replica() throws -> SRModel? {
        guard let rebuild else { return nil }
        return SRModel(name: name, scale: scale, graph: try rebuild(), rebuild: rebuild)
    }

    /// Upscales a whole batch in one pass (no tiling).
    public func upscale(_ input: Tensor) throws -> Tensor {
        try graph.forward([input])[0]
    }
}

/// The published models FilmSR knows, by the names users type.
public struct SRModelSpec: Sendable {
    public let name: String
    public let scale: Int
    /// File stem in the assets' models folder (.param and .bin).
    public let stem: String
    public let summary: String

    public static let all: [SRModelSpec] = [
        SRModelSpec(name: "compact-x2", scale: 2, stem: "REALESRGAN_ANIMAVIDEOV3_UP2X",
                    summary: "SRVGGNetCompact realesr-animevideov3, x4 net + bicubic to x2 (0.62 M parameters)"),
        SRModelSpec(name: "compact-x3", scale: 3, stem: "REALESRGAN_ANIMAVIDEOV3_UP3X",
                    summary: "SRVGGNetCompact realesr-animevideov3, x4 net + bicubic to x3"),
        SRModelSpec(name: "compact-x4", scale: 4, stem: "REALESRGAN_ANIMAVIDEOV3_UP4X",
                    summary: "SRVGGNetCompact realesr-animevideov3 x4"),
        SRModelSpec(name: "x4plus", scale: 4, stem: "REALESRGAN_X4PLUS_UP4X",
                    summary: "RRDBNet RealESRGAN_x4plus (16.7 M parameters)"),
    ]

    public static func named(_ name: String) throws -> SRModelSpec {
        guard let spec = all.first(where: { $0.name == name }) else {
            throw EngineError("unknown model '\(name)': choose one of \(all.map(\.name).joined(separator: ", "))")
        }
        return spec
    }

    /// Loads the network from `modelsDirectory` (set up by scripts/fetch-assets.sh).
    public func load(from modelsDirectory: String) throws -> SRModel {
        let base = (modelsDirectory as NSString).appendingPathComponent(stem)
        guard FileManager.default.fileExists(atPath: base + ".param") else {
            throw EngineError("\(base).param: model '\(name)' is not installed; run scripts/setup.sh (or scripts/fetch-assets.sh)")
        }
        let rebuild = { try NCNNModel.load(param: base + ".param", weights: base + ".bin") }
        return SRModel(name: name, scale: scale, graph: try rebuild(), rebuild: rebuild)
    }
}
