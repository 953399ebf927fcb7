@testable import Engine
@testable import Media
@testable import Pipeline
import CFFmpeg
import Foundation

// Writes a small valid file for each fuzz target into FOLDER/TARGET/, made by FilmSR's own writers
// (so the seeds follow the formats as they are now): the fuzzer starts from files that read
// cleanly and mutates them. scripts/fuzz.sh adds slices of the real weights and assets beside them.
// Usage: WriteSeeds FOLDER

let folder = CommandLine.arguments[1]

func path(_ target: String, _ name: String) throws -> String {
    let directory = folder + "/" + target
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    return directory + "/" + name
}

// safetensors: the two parameters Fuzz/Safetensors.swift loads into, in both precisions.
let entries = [Safetensors.Entry(name: "a", shape: [1, 1, 1, 2], values: [1, -2]),
               Safetensors.Entry(name: "b", shape: [1, 2, 1, 3], values: [0.5, 1, 2, 3, 4, 5])]
try Safetensors.write(entries, metadata: ["format": "pt"], to: path("safetensors", "small-f32.safetensors"))
try Safetensors.write(entries, precision: .float16, to: path("safetensors", "small-f16.safetensors"))

// ncnn: a network with every layer type the loader knows, its .param, a NUL, then its .bin.
let param = """
    7767517
    10 11
    Input in 0 1 data
    Convolution conv 1 1 data c 0=2 1=3 4=1 5=1 6=54 9=2 -23310=1,0.1
    PReLU prelu 1 1 c p 0=2
    Split split 1 2 p s1 s2
    BinaryOp add 2 1 s1 s2 b 0=0
    Eltwise sum 2 1 b data e 0=1 -23301=2,1,0.5
    Concat cat 2 1 e data k 0=0
    PixelShuffle shuffle 1 1 k u 0=1
    Interp up 1 1 u i 0=2 1=2.0 2=2.0
    ReLU relu 1 1 i out 0=0.2
    """
var weights = [UInt8](repeating: 0, count: 4)  // storage tag 0: float32
for value in [Float](repeating: 0.1, count: 54 + 2 + 2) { withUnsafeBytes(of: value.bitPattern.littleEndian) { weights += $0 } }
try Data(Array(param.utf8) + [0] + weights).write(to: URL(fileURLWithPath: path("ncnn", "small.param+bin")))

// A render segment of three packets, written by the segment writer.
let segment = try path("segment", "small.fsrseg")
let writer = try VideoSegmentFile.Writer(path: segment, header: .init(width: 64, height: 48, timeBase: AVRational(num: 1, den: 25), extradata: [1, 2, 3]))
for index in 0..<3 {
    let packet = Packet()
    try check(av_new_packet(packet.pointer, Int32(5 + index)), segment, "out of memory for a packet")
    packet.pointer.pointee.pts = Int64(index)
    packet.pointer.pointee.dts = Int64(index - 1)
    packet.pointer.pointee.duration = 1
    packet.pointer.pointee.flags = index == 0 ? AV_PKT_FLAG_KEY : 0
    try writer.write(packet)
}
try writer.finish()

// The work folder's JSON files, for the three-scene film Fuzz/AdaptationUnits.swift checks against.
let scenes = (0..<3).map { Scene(index: $0, firstFrame: 10 * $0, frameCount: 10, startTime: Double($0), endTime: Double($0 + 1)) }
let frames = (0..<30).map { FrameScore(frame: $0, time: Double($0) / 10, brightness: 100, score: $0 == 0 ? nil : 3) }
try SceneList(file: "film.mp4", options: SceneDetectionOptions(), frameCount: 30, scenes: scenes, frames: frames)
    .write(to: path("scenes", "scenes.json"), as: .json)
let units = [AdaptationUnit(index: 0, scenes: [0, 1], frames: [2, 3, 12], evidence: [4]), AdaptationUnit(index: 1, scenes: [2], frames: [25], evidence: [])]
try JSONEncoder.sorted.encode(units).write(to: URL(fileURLWithPath: path("units", "units.json")))
try AdaptationUnitSummary(unit: 0, scenes: [0, 1], frames: [2, 3], seconds: 12.5, iterations: 40, firstLoss: 0.3, lastLoss: 0.2,
                          keptIteration: 30, pretrainedValidation: 0.31, keptValidation: 0.25, acceptance: nil)
    .write(to: path("summary", "unit-000.json"))
try JSONEncoder.sorted.encode(RestoreJobRecord(input: CommandLine.arguments[0], options: RestoreOptions(), filters: nil)).write(to: URL(fileURLWithPath: path("job", "job.json")))
