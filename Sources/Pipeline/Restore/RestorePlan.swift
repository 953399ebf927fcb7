import Engine
import Foundation
import Media

/// WORK/plan.json: what the plan stage decided, so that a worker process given only the work
/// folder can run any later stage: adapt unit k, render unit k's segments, join the film.
public struct RestorePlan: Codable, Equatable, Sendable {
    public var input: String
    /// What every stage reads the input through (deinterlacing, inverse telecine, deflicker).
    public var filters: FilterPlan?
    public var output: String
    public var options: RestoreOptions
    public var resources: RestoreJob.Resources
    public var outputScale: Int
    /// The matrix threads of the planning process: results are bit for bit the same at the same
    /// thread count, so tasks run with it unless told otherwise.
    public var threads: Int
    public var inputWidth: Int
    public var inputHeight: Int
    public var frames: Int
    /// The last frame of every scene.
    public var sceneEnds: [Int]
    public var units: Int
    /// The render pieces: consecutive runs of frames from frame 0, a scene or part of a long one.
    public var segments: [Range<Int>]
    /// Which segments each unit's weights render: its scenes' (unit k's render needs only unit
    /// k's adaptation, so a cluster can start it as soon as that one is done).
    public var segmentsOfUnit: [[Int]]

    public var outputWidth: Int { inputWidth * outputScale }
    public var outputHeight: Int { inputHeight * outputScale }

    init(input: String, output: String, filters: FilterPlan?, options: RestoreOptions, resources: RestoreJob.Resources, outputScale: Int,
         scenes: [Scene], units: [AdaptationUnit], segmentFrames: Int) throws {
        self.input = input
        self.filters = filters
        self.output = output
        self.options = options
        self.resources = resources
        self.outputScale = outputScale
        threads = BLASRuntime.threadCount
        let reader = try VideoFrameReader(path: input, filters: filters)
        inputWidth = reader.width
        inputHeight = reader.height
        frames = scenes.last.map { $0.lastFrame + 1 } ?? 0
        sceneEnds = scenes.map(\.lastFrame)
        self.units = units.count
        var segments: [Range<Int>] = [], segmentsOfScene: [[Int]] = []
        for scene in scenes {
            let pieces = stride(from: scene.firstFrame, through: scene.lastFrame, by: segmentFrames).map {
                $0..<min($0 + segmentFrames, scene.lastFrame + 1)
            }
            segmentsOfScene.append(Array(segments.count..<segments.count + pieces.count))
            segments += pieces
        }
        self.segments = segments
        segmentsOfUnit = units.map { unit in unit.scenes.flatMap { segmentsOfScene[$0] }.sorted() }
    }

    /// The unit of every frame; frames past the detected end (a stream that grew) keep the last scene's.
    func unitOfFrame(scenes: [Scene], units: [AdaptationUnit]) -> [Int] {
        var unitOfFrame = [Int](repeating: 0, count: frames)
        for unit in units {
            for scene in unit.scenes { for frame in scenes[scene].firstFrame...scenes[scene].lastFrame { unitOfFrame[frame] = unit.index } }
        }
        return unitOfFrame
    }

    func write(to path: String) throws {
        try JSONEncoder.sorted.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// The plan of the work folder at `work`, or one line saying why there is none.
    public static func read(work: String) throws -> RestorePlan {
        let path = RestoreWorkFolder(work).plan
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PipelineError("\(work): not a planned restore work folder (no plan.json): run filmsr submit or restore first")
        }
        do {
            return try JSONDecoder().decode(RestorePlan.self, from: data)
        } catch {
            throw PipelineError("\(path): not a restore plan")
        }
    }
}

extension SegmentedRender {
    /// The render of a planned restore.
    init(_ plan: RestorePlan, folder: RestoreWorkFolder) throws {
        try self.init(input: plan.input, output: plan.output, folder: folder.renderFolder, segments: plan.segments,
                      options: plan.resources.transcode, filters: plan.filters)
    }
}
