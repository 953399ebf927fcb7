import Foundation
import Media

/// A restore job's work folder: everything needed to resume, and to inspect what each stage did.
///
///     job.json                  the input and the options (a resume must match them)
///     plan.json                 what the plan stage decided: units, render segments (RestorePlan)
///     locks/                    who works on the job and on each unit now (WorkLock)
///     cluster/                  the scripts, logs and attempt records of a submitted job
///     scenes.json               the detected scenes
///     frames/NNNNNN.png         the frames sampled for adaptation (16-bit)
///     units.json                which scenes share an adaptation, and its frames
///     adapted/unit-NNN.safetensors   adapted weights (written last: their presence means done)
///     adapted/unit-NNN.loss.tsv      the loss per iteration
///     adapted/unit-NNN.json          what the adaptation took and reached (written before the weights)
///     dump/frame_NNNNNN.KIND.png     pictures of the frames chosen with --dump (KIND: see DumpedPicture)
///     render/segment-NNNNN.fsrseg    the encoded video, a piece at a time (SegmentedRender); removed
///                                    once the film is complete
///     film.json                      the film the join wrote (FinishedFilm): while the output is
///                                    still that file, the job is done
///     report.html                    the job's report for a restorer, rewritten by every run
public struct RestoreWorkFolder: Sendable {
    public let path: String

    public init(_ path: String) { self.path = path }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
    public var job: String { file("job.json") }
    public var plan: String { file("plan.json") }
    /// Held exclusively by a whole-job run (restore, or submit while it plans), shared by every unit worker.
    public var jobLock: String { file("locks/job.lock") }
    public func stageLock(_ stage: String) -> String { file("locks/\(stage).lock") }
    public var clusterFolder: String { file("cluster") }
    /// Seconds a render task took, kept for the report and the status's ETA.
    public func renderSeconds(unit: Int) -> String { file("cluster/render-\(unit).seconds") }
    func recordedRenderSeconds(unit: Int) -> Double? {
        (try? String(contentsOfFile: renderSeconds(unit: unit), encoding: .utf8)).flatMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
    /// Left by a cluster task that failed every attempt (and removed when it starts again).
    public func failedMarker(_ task: RestoreTask) -> String { file("cluster/\(task.name).failed") }
    public var scenes: String { file("scenes.json") }
    public var units: String { file("units.json") }
    public var framesFolder: String { file("frames") }
    public var adaptedFolder: String { file("adapted") }
    /// Relative to the work folder, as the report links it.
    static func frameName(_ index: Int) -> String { String(format: "frames/%06d.png", index) }
    public func frame(_ index: Int) -> String { file(Self.frameName(index)) }
    public func weights(unit: Int) -> String { file(String(format: "adapted/unit-%03d.safetensors", unit)) }
    public func lossLog(unit: Int) -> String { file(String(format: "adapted/unit-%03d.loss.tsv", unit)) }
    public func unitSummary(unit: Int) -> String { file(String(format: "adapted/unit-%03d.json", unit)) }
    public var dumpFolder: String { file("dump") }
    public var renderFolder: String { file("render") }
    /// Relative to the work folder, as the report links it.
    public static func dumpName(frame: Int, _ picture: DumpedPicture) -> String {
        String(format: "dump/frame_%06d.", frame) + picture.rawValue + ".png"
    }
    public func dump(frame: Int, _ picture: DumpedPicture) -> String { file(Self.dumpName(frame: frame, picture)) }
    public var report: String { file("report.html") }
    public var finishedFilm: String { file("film.json") }

    /// The scenes the plan stage detected.
    public func readScenes() throws -> [Scene] {
        guard let data = FileManager.default.contents(atPath: scenes) else { throw PipelineError("\(scenes): missing: plan the job first") }
        let list = try SceneList.read(json: data, file: scenes)
        guard !list.scenes.isEmpty else { throw PipelineError("\(scenes): holds no scene; delete the work folder") }
        return list.scenes
    }

    /// The adaptation units the plan stage formed.
    public func readUnits() throws -> [AdaptationUnit] {
        guard let data = FileManager.default.contents(atPath: units) else { throw PipelineError("\(units): missing: plan the job first") }
        return try AdaptationUnit.readList(json: data, file: units, scenes: try readScenes())
    }

    /// Removes the temporary files of writers killed before they renamed them (hidden names:
    /// FilmSR's `.NAME.PID.filmsr-tmp`, Foundation's `.dat.nosync*`). Only while holding the
    /// job's lock exclusively: then no process writes here.
    package func removeAbandonedTemporaries() {
        for folder in [path, framesFolder, adaptedFolder, dumpFolder, renderFolder, clusterFolder] {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            where name.hasPrefix(".") && (name.hasSuffix(".filmsr-tmp") || name.hasPrefix(".dat.nosync")) {
                try? FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(name))
            }
        }
    }

    package func prepare() throws {
        for folder in [path, framesFolder, adaptedFolder, clusterFolder] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
    }
}

/// What a work folder was made for: a resumed job must be the same job.
struct RestoreJobRecord: Codable, Equatable {
    var input: String
    var inputBytes: Int64
    var inputModified: Double
    var options: RestoreOptions
    /// The archival filters asked for: a resume with others would mix two films' frames.
    var filters: ArchivalFilters?

    init(input: String, options: RestoreOptions, filters: ArchivalFilters?) throws {
        let attributes = try FileManager.default.attributesOfItem(atPath: input)
        self.input = URL(fileURLWithPath: input).standardizedFileURL.path
        inputBytes = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        inputModified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        self.options = options
        self.filters = filters
    }

    /// Reads job.json; `file` names it in errors.
    static func read(json: Data, file: String) throws -> RestoreJobRecord {
        try WorkFileDecoding.decode(RestoreJobRecord.self, from: json, file: file, what: "a restore job record")
    }
}
