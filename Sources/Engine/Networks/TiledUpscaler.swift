import Foundation

/// Upscales pictures of any size in tiles, so that memory is bounded by the tile size and not
/// the frame size. Each tile is run with `overlap` extra input pixels of context on every side
/// (clipped at the picture's border) and only its centre is kept: with enough context the
/// network sees what it would see untiled, so there is no seam to blend away.
///
/// With at least as many tiles as threads, tiles run side by side, each whole on one thread
/// with its own copy of the network (`SRModel.replica`): splitting each layer between threads
/// instead left the threads waiting at every layer's end and ran the steps between layers on
/// one of them. With fewer tiles (a small picture, many cores), each layer is split as before,
/// so that no thread idles.
public struct TiledUpscaler {
    public let model: SRModel
    /// The most input pixels per tile side, context excluded (tiles are cut evenly: `spans`).
    public var tileSize: Int
    /// Input pixels of context on each side of a tile.
    public var overlap: Int
    private let workers = TileWorkers()

    public init(model: SRModel, tileSize: Int = 192, overlap: Int = 16) {
        precondition(tileSize > 0 && overlap >= 0)
        self.model = model
        self.tileSize = tileSize
        self.overlap = overlap
    }

    /// `image`: 1 x 3 x H x W. Returns 1 x 3 x (H * scale) x (W * scale).
    public func upscale(_ image: Tensor, progress: ((Int, Int) -> Void)? = nil) throws -> Tensor {
        let shape = image.shape
        let output = Tensor(Shape(1, shape.channels, shape.height * model.scale, shape.width * model.scale))
        try upscale(image, into: output.data, progress: progress)
        return output
    }

    /// The same, written to `output` (channels x (H * scale) x (W * scale) floats, every one of
    /// them written): a caller that keeps the picture in memory of its own skips a copy.
    public func upscale(_ image: Tensor, into output: UnsafeMutablePointer<Float>, progress: ((Int, Int) -> Void)? = nil) throws {
        let (height, width) = (image.shape.height, image.shape.width)
        let tiles = Self.spans(height, atMost: tileSize).flatMap { rows in
            Self.spans(width, atMost: tileSize).map { columns in
                Tile(top: rows.lowerBound, left: columns.lowerBound, bottom: rows.upperBound, right: columns.upperBound)
            }
        }
        let threads = BLASRuntime.threadCount
        let models = [model] + (tiles.count >= threads ? workers.replicas(of: model, count: threads - 1) : [])
        if models.count == 1 {
            for (index, tile) in tiles.enumerated() {
                try upscale(tile, of: image, worker: 0, with: model, into: output)
                progress?(index + 1, tiles.count)
            }
            return
        }
        let lock = NSLock()
        nonisolated(unsafe) var done = 0
        nonisolated(unsafe) var failure: Error?
        // Each thread runs whole tiles with OpenBLAS and the layers single-threaded; tiles write
        // disjoint parts of `output`.
        nonisolated(unsafe) let output = output
        BLASRuntime.withProductsOnCallingThread {
            ParallelLoop.items(tiles.count, workers: models.count) { worker, index in
                guard lock.withLock({ failure == nil }) else { return }
                do {
                    try upscale(tiles[index], of: image, worker: worker, with: models[worker], into: output)
                    lock.withLock {
                        done += 1
                        progress?(done, tiles.count)
                    }
                } catch {
                    lock.withLock { failure = failure ?? error }
                }
            }
        }
        if let failure { throw failure }
    }

    /// `length` cut into as few spans of at most `size` as it takes, as even as they can be:
    /// 720 in 200s gives four of 180, not three of 200 and one of 120. The pixels are the same,
    /// but a narrow remainder tile runs the Winograd of small outputs (F(4x4) under 160 pixels),
    /// which costs more per pixel (720x480 in 200s: 3% faster cut evenly).
    static func spans(_ length: Int, atMost size: Int) -> [Range<Int>] {
        let count = (length + size - 1) / size
        return (0..<count).map { index in index * length / count..<(index + 1) * length / count }
    }

    /// A tile's centre, in input pixels.
    private struct Tile {
        let top: Int, left: Int, bottom: Int, right: Int
    }

    private func upscale(_ tile: Tile, of image: Tensor, worker: Int, with model: SRModel, into output: UnsafeMutablePointer<Float>) throws {
        let (height, width, scale) = (image.shape.height, image.shape.width, model.scale)
        let channels = image.shape.channels
        let outputWidth = width * scale, outputPlane = height * scale * outputWidth
        // The tile with its context, clipped to the picture.
        let inTop = max(0, tile.top - overlap), inLeft = max(0, tile.left - overlap)
        let inBottom = min(height, tile.bottom + overlap), inRight = min(width, tile.right + overlap)
        let input = workers.input(Shape(1, channels, inBottom - inTop, inRight - inLeft), worker: worker)
        for c in 0..<channels {
            for y in inTop..<inBottom {
                (input.plane(0, c) + (y - inTop) * input.shape.width)
                    .update(from: image.plane(0, c) + y * width + inLeft, count: inRight - inLeft)
            }
        }
        let result = try model.upscale(input)
        // Copy back the centre.
        let rowOffset = (tile.top - inTop) * scale, columnOffset = (tile.left - inLeft) * scale
        let keepWidth = (tile.right - tile.left) * scale
        for c in 0..<channels {
            for y in 0..<((tile.bottom - tile.top) * scale) {
                (output + c * outputPlane + (tile.top * scale + y) * outputWidth + tile.left * scale)
                    .update(from: result.plane(0, c) + (rowOffset + y) * result.shape.width + columnOffset, count: keepWidth)
            }
        }
        model.graph.recycle([result])
    }
}

/// What each thread of a `TiledUpscaler` keeps between pictures: its copy of the model, built
/// once and handed the model's current weights each time (a restore loads other weights into the
/// model between scenes; copying them is a small fraction of a frame's work), and its tiles'
/// input tensors (a fresh one per tile cost a page fault per 4 KB).
private final class TileWorkers: @unchecked Sendable {
    private var built: [SRModel] = []
    private var unavailable = false
    private var inputs: [[Shape: Tensor]] = []
    private let lock = NSLock()

    /// Up to `count` copies of `model`, holding its weights now; none where it cannot be copied.
    func replicas(of model: SRModel, count: Int) -> [SRModel] {
        guard count > 0, !unavailable else { return [] }
        while built.count < count {
            guard let replica = try? model.replica() else {
                // The network cannot be rebuilt (built in code, or its files are gone): its
                // tiles run one after another instead.
                unavailable = true
                return []
            }
            built.append(replica)
        }
        let sources = model.graph.parameters
        for replica in built.prefix(count) {
            for (target, source) in zip(replica.graph.parameters, sources) { target.value.copy(from: source.value) }
        }
        return Array(built.prefix(count))
    }

    /// Thread `worker`'s input tensor of `shape` (contents unspecified).
    func input(_ shape: Shape, worker: Int) -> Tensor {
        lock.withLock {
            while inputs.count <= worker { inputs.append([:]) }
            if let kept = inputs[worker][shape] { return kept }
            let created = Tensor(shape)
            inputs[worker][shape] = created
            return created
        }
    }
}
