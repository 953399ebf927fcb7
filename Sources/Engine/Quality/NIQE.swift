import Foundation

/// NIQE, the Natural Image Quality Evaluator (Mittal et al. 2013, "Making a completely blind
/// image quality analyzer"): a no-reference score, lower is more natural. Computed as basicsr
/// 1.4.2's `calculate_niqe` does (scripts/reference/niqe_reference.py checks it): the Y channel
/// of BT.601 on 0-255 values, rounded; 96x96 blocks (the picture cropped to whole blocks); 18
/// features per block from its MSCN coefficients at full and half size (`NIQEFeatures`, the half
/// by MATLAB's bicubic imresize); a Gaussian fitted to the blocks' features and its distance to
/// the pristine model. The pristine model is basicsr's niqe_pris_params.npz, converted by
/// scripts/fetch-niqe.sh.
public struct NIQE: Sendable {
    /// basicsr's and the MATLAB release's block size; the pristine model was fitted with it.
    public static let blockSize = 96
    static let featureCount = 36

    let pristineMean: [Double]
    let pristineCovariance: [Double]
    /// The 7x7 Gaussian window (sigma 7/6) that gives each pixel's local mean and deviation.
    let window: [Double]

    /// $FILMSR_NIQE, else assets/niqe/niqe_pris_params.safetensors (see AssetLocation).
    public static var defaultParametersPath: String {
        AssetLocation.find("assets/niqe/niqe_pris_params.safetensors", environmentVariable: "FILMSR_NIQE")
    }

    /// Reads the pristine model written by scripts/fetch-niqe.sh.
    public init(parametersPath path: String = NIQE.defaultParametersPath) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw EngineError("\(path): NIQE parameters are missing; run scripts/setup.sh (or scripts/fetch-niqe.sh)")
        }
        try self.init(parameters: FileBytes.read(path), file: path)
    }

    /// The pristine model from the bytes of `file`.
    init(parameters data: Data, file path: String) throws {
        func damaged(_ reason: String) -> EngineError {
            EngineError("\(path): damaged NIQE parameters (\(reason)); run scripts/setup.sh (or scripts/fetch-niqe.sh) to fetch them again")
        }
        let entries: [(name: String, shape: [Int], values: [Double])]
        do {
            entries = try Safetensors.readDoubles(data, file: path).entries
        } catch let error as EngineError {
            // The reader's messages start with the path: keep one line that names it once.
            throw damaged(error.description.hasPrefix(path + ": ") ? String(error.description.dropFirst(path.count + 2)) : error.description)
        }
        func values(_ name: String, count: Int) throws -> [Double] {
            guard let entry = entries.first(where: { $0.name == name }) else { throw damaged("no tensor '\(name)'") }
            guard entry.values.count == count else { throw damaged("'\(name)' has shape \(entry.shape), \(count) values expected") }
            guard entry.values.allSatisfy(\.isFinite) else { throw damaged("'\(name)' holds a value that is not finite") }
            return entry.values
        }
        pristineMean = try values("mu_pris_param", count: Self.featureCount)
        pristineCovariance = try values("cov_pris_param", count: Self.featureCount * Self.featureCount)
        window = try values("gaussian_window", count: 49)
    }

    /// The NIQE of a 1 x 3 x H x W RGB picture in [0, 1] (an 8-bit picture read as v / 255 gives
    /// exactly basicsr's numbers), without `cropBorder` pixels at each edge. It needs at least
    /// two whole 96x96 blocks after the crop (a covariance of one block is undefined).
    public func score(_ image: Tensor, cropBorder: Int = 0) throws -> Double {
        let shape = image.shape
        guard shape.batch == 1, shape.channels == 3 else { throw EngineError("NIQE needs one RGB picture (1 x 3 x H x W), got \(shape)") }
        let height = shape.height - 2 * cropBorder, width = shape.width - 2 * cropBorder
        let blockRows = max(height, 0) / Self.blockSize, blockColumns = max(width, 0) / Self.blockSize
        guard cropBorder >= 0, blockRows * blockColumns >= 2 else {
            throw EngineError("NIQE needs at least two \(Self.blockSize)x\(Self.blockSize) blocks, got a \(shape.width)x\(shape.height) picture with a border of \(cropBorder) cropped")
        }
        // Only the whole blocks are used, from the top left corner.
        var plane = NIQEPlane(width: blockColumns * Self.blockSize, height: blockRows * Self.blockSize,
                              values: roundedLuma(image, from: cropBorder, width: blockColumns * Self.blockSize, height: blockRows * Self.blockSize))
        var rows = [[Double]](repeating: [], count: blockRows * blockColumns)
        for scale in [1, 2] {
            let coefficients = NIQEFeatures.mscn(plane, window: window)
            let side = Self.blockSize / scale
            for column in 0..<blockColumns {
                for row in 0..<blockRows {
                    let block = coefficients.crop(x: column * side, y: row * side, width: side, height: side)
                    rows[column * blockRows + row] += NIQEFeatures.blockFeatures(block)
                }
            }
            if scale == 1 {
                // basicsr resizes 0-1 values in float32 and scales back.
                let shrunk = MatlabResize.shrink(plane.values.map { $0 / 255 }, width: plane.width, height: plane.height, scale: 0.5)
                plane = NIQEPlane(width: shrunk.width, height: shrunk.height, values: shrunk.values.map { $0 * 255 })
            }
        }
        return try distance(rows)
    }

    /// basicsr's to_y_channel on v / 255 values (float64 dot product, float32 result), times 255
    /// and rounded half to even as numpy does.
    private func roundedLuma(_ image: Tensor, from border: Int, width: Int, height: Int) -> [Float] {
        let red = image.plane(0, 0), green = image.plane(0, 1), blue = image.plane(0, 2), stride = image.shape.width
        var luma = [Float](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let i = (y + border) * stride + x + border
                let value = Double(blue[i]) * 24.966 + Double(green[i]) * 128.553 + Double(red[i]) * 65.481 + 16.0
                luma[y * width + x] = (Float(value / 255) * 255).rounded(.toNearestOrEven)
            }
        }
        return luma
    }

    /// The multivariate Gaussian of the blocks' features (mean ignoring NaN features, covariance
    /// over the blocks without any) against the pristine one: sqrt(d' pinv((C1 + C2) / 2) d).
    private func distance(_ rows: [[Double]]) throws -> Double {
        let n = Self.featureCount
        var mean = [Double](repeating: 0, count: n)
        for feature in 0..<n {
            let finite = rows.map { $0[feature] }.filter { !$0.isNaN }
            mean[feature] = finite.reduce(0, +) / Double(finite.count)
        }
        let complete = rows.filter { !$0.contains(where: \.isNaN) }
        guard complete.count >= 2 else { throw EngineError("NIQE: fewer than two blocks have finite features (flat picture?)") }
        var completeMean = [Double](repeating: 0, count: n)
        for row in complete { for feature in 0..<n { completeMean[feature] += row[feature] } }
        completeMean = completeMean.map { $0 / Double(complete.count) }
        var average = pristineCovariance.map { $0 / 2 }
        for row in complete {
            for i in 0..<n {
                let di = row[i] - completeMean[i]
                for j in 0..<n { average[i * n + j] += di * (row[j] - completeMean[j]) / Double(complete.count - 1) / 2 }
            }
        }
        let inverse = SymmetricPseudoInverse.of(average, size: n)
        let difference = (0..<n).map { pristineMean[$0] - mean[$0] }
        var quality = 0.0
        for i in 0..<n {
            var sum = 0.0
            for j in 0..<n { sum += difference[j] * inverse[j * n + i] }
            quality += sum * difference[i]
        }
        return quality.squareRoot()
    }
}
