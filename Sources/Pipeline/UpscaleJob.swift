import Engine
import Foundation
import Media

/// `filmsr upscale`: the plain, unadapted upscaler, for a still image or a whole video.
public enum UpscaleJob {
    public struct Options {
        public var model: String
        public var modelsDirectory: String
        public var tileSize: Int
        /// Context pixels around each tile; nil picks what the model needs to leave no seams.
        public var overlap: Int?
        public var transcode: TranscodeOptions

        public init(model: String = "compact-x4", modelsDirectory: String = ModelLocation.defaultDirectory,
                    tileSize: Int = 192, overlap: Int? = nil, transcode: TranscodeOptions = TranscodeOptions()) {
            self.model = model
            self.modelsDirectory = modelsDirectory
            self.tileSize = tileSize
            self.overlap = overlap
            self.transcode = transcode
        }
    }

    /// Context that keeps tiled output within 50 dB of untiled (measured in the tiling tests):
    /// the compact net sees 18 pixels around, RRDBNet far more.
    package static func defaultOverlap(_ model: String) -> Int {
        model == "x4plus" ? 32 : 16
    }

    /// The filters applied before upscaling and why, when the options ask for any.
    @discardableResult
    public static func run(input: String, output: String, options: Options, events: JobEvents = { _ in }) throws -> FilterPlan? {
        // Refuse a bad output before minutes of work, not after.
        _ = try OutputPath(output, inputs: [input])
        let model = try SRModelSpec.named(options.model).load(from: options.modelsDirectory)
        guard options.tileSize >= 8 else { throw MediaError(output, "--tile must be at least 8 pixels") }
        let upscaler = TiledUpscaler(model: model, tileSize: options.tileSize,
                                     overlap: options.overlap ?? defaultOverlap(options.model))
        let processor = SuperResolutionProcessor(upscaler: upscaler)
        if output.lowercased().hasSuffix(".png") {
            let reader = try VideoFrameReader(path: input)
            guard let frame = try reader.next() else { throw MediaError(input, "has no picture") }
            try PNGWriter.write(try processor.upscale(frame.image), to: output, protecting: [input])
            return nil
        }
        return try TranscodeJob.run(input: input, output: output, options: options.transcode, processor: processor, stage: "upscale", events: events).filters
    }
}
