import Foundation
import Media

/// The ways a scene list is written: a table to read, CSV for spreadsheets, JSON for programs
/// (the JSON also holds the options and every frame's score).
public enum SceneListFormat: String, CaseIterable, Sendable {
    case table, csv, json
}

extension SceneList {
    public func formatted(as format: SceneListFormat) throws -> String {
        switch format {
        case .table: table()
        case .csv: csv()
        case .json: try json()
        }
    }

    /// Writes the list to `path` under a temporary name, renamed into place when complete; never
    /// over the film it describes.
    public func write(to path: String, as format: SceneListFormat) throws {
        let destination = try OutputPath(path, inputs: [file])
        do {
            try Data(try formatted(as: format).utf8).write(to: URL(fileURLWithPath: destination.temporaryPath))
            try destination.commit()
        } catch {
            destination.discard()
            throw error
        }
    }

    /// Reads what `write(to:as: .json)` wrote; `file` names it in errors. The scenes must be what
    /// the detector makes, which the restore job relies on: numbered from 0, each at least one
    /// frame, each starting where the one before ended, from frame 0 to the film's last frame.
    public static func read(json: Data, file: String) throws -> SceneList {
        let list = try WorkFileDecoding.decode(SceneList.self, from: json, file: file, what: "a scene list")
        var next = 0
        for (position, scene) in list.scenes.enumerated() {
            guard scene.index == position, scene.firstFrame == next, scene.frameCount >= 1,
                  !scene.firstFrame.addingReportingOverflow(scene.frameCount).overflow else {
                throw PipelineError("\(file): scene \(position + 1) does not follow on from the one before (index \(scene.index), first frame \(scene.firstFrame), \(scene.frameCount) frames)")
            }
            next = scene.firstFrame + scene.frameCount
        }
        guard next == list.frameCount else { throw PipelineError("\(file): the scenes cover \(next) frames of \(list.frameCount)") }
        return list
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    static let csvHeader = "scene,first_frame,frame_count,start_seconds,end_seconds,start_timecode"

    func csv() -> String {
        let rows = scenes.map { scene in
            [String(scene.index), String(scene.firstFrame), String(scene.frameCount),
             String(format: "%.6f", scene.startTime), String(format: "%.6f", scene.endTime),
             Self.timecode(scene.startTime)].joined(separator: ",")
        }
        return ([Self.csvHeader] + rows).joined(separator: "\n") + "\n"
    }

    func table() -> String {
        var lines = [String(format: "%@: %d frames, %d scenes (threshold %g, minimum scene length %d)",
                            file, frameCount, scenes.count, options.threshold, options.minimumSceneLength),
                     "scene  first frame  frames  start (s)  start"]
        for scene in scenes {
            lines.append(String(format: "%5d  %11d  %6d  %9.3f  %@", scene.index, scene.firstFrame, scene.frameCount,
                                scene.startTime, Self.timecode(scene.startTime)))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// "h:mm:ss.mmm", rounded to the millisecond.
    public static func timecode(_ seconds: Double) -> String {
        let milliseconds = Int64((max(0, seconds) * 1000).rounded())
        return String(format: "%lld:%02lld:%02lld.%03lld", milliseconds / 3_600_000, milliseconds / 60_000 % 60,
                      milliseconds / 1000 % 60, milliseconds % 1000)
    }
}
