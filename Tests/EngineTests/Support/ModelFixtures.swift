import Foundation
import XCTest
@testable import Engine
import TestSupport

let repositoryRoot = Repository.root
let modelsDirectory = repositoryRoot + "/assets/models"

/// The reference outputs of ncnn (scripts/reference/ncnn_outputs.py) and the crops they came from.
struct PeerReference {
    let record: [String: Any]

    init() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/Tests/EngineTests/Reference/reference.json"))
        record = try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    func crop(for model: String) throws -> Tensor {
        let origin = record["crop_origin_yx"] as! [Int]
        let size = ((record["cases"] as! [String: Any])[model] as! [String: Any])["crop"] as! Int
        let still = try rawRGB(repositoryRoot + "/samples/still.png", width: 128, height: 128)
        let crop = Tensor(Shape(1, 3, size, size))
        for c in 0..<3 { for y in 0..<size { for x in 0..<size { crop[0, c, y, x] = still[0, c, origin[0] + y, origin[1] + x] } } }
        return crop
    }

    func output(for model: String) throws -> Tensor {
        let file = ((record["cases"] as! [String: Any])[model] as! [String: Any])["file"] as! String
        let dims = file.split(separator: ".")[1].split(separator: "x").map { Int($0)! }
        let data = try Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/Tests/EngineTests/Reference/" + file))
        let values = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        return Tensor(Shape(1, dims[0], dims[1], dims[2]), values: values)
    }
}

/// An image decoded by the ffmpeg tool to rgb24, as a 1x3xHxW tensor in [0, 1].
func rawRGB(_ path: String, width: Int, height: Int) throws -> Tensor {
    let result = try ProcessRunner.run("/usr/bin/ffmpeg", ["-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
    let bytes = [UInt8](result.output)
    XCTAssertEqual(bytes.count, width * height * 3, result.errorText)
    let tensor = Tensor(Shape(1, 3, height, width))
    for y in 0..<height { for x in 0..<width { for c in 0..<3 { tensor[0, c, y, x] = Float(bytes[(y * width + x) * 3 + c]) / 255 } } }
    return tensor
}
