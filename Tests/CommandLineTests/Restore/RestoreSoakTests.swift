import Foundation
import XCTest

/// Kill anywhere: one restore killed with SIGKILL at 20 and more seeded moments spread over every
/// stage, resumed after each kill, ends with exactly the frames and sound of an uninterrupted run;
/// after every kill each file under its final name is whole.
final class RestoreSoakTests: RestoreTestCase {
    /// Where a job stands, read from its work folder and output alone (what a kill leaves behind).
    struct JobStages {
        let work: String
        let output: String
        /// Units and render segments, known once the plan is written.
        var units = 0, segments = 0

        var names: [String] {
            ["scene detection", "sampling"] + (0..<units).map { "adaptation of unit \($0 + 1)/\(units)" }
                + (0..<segments).map { "render of segment \($0 + 1)/\(segments)" } + ["join", "report"]
        }

        func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: work + "/" + path) }

        /// The stage the job is in: the first one whose result is not in place.
        mutating func current() -> Int {
            if FileManager.default.fileExists(atPath: output) { return 3 + units + segments }
            if !exists("scenes.json") { return 0 }
            if units == 0 {
                // Planning ends with plan.json; until then the job is still sampling (and forming units).
                guard let data = FileManager.default.contents(atPath: work + "/plan.json"),
                      let plan = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                      let units = plan["units"] as? Int, let segments = plan["segments"] as? [Any] else { return 1 }
                (self.units, self.segments) = (units, segments.count)
            }
            if let unit = (0..<units).first(where: { !exists(String(format: "adapted/unit-%03d.safetensors", $0)) }) { return 2 + unit }
            if let segment = (0..<segments).first(where: { !exists(String(format: "render/segment-%05d.fsrseg", $0)) }) {
                return 2 + units + segment
            }
            return 2 + units + segments
        }

        /// Whether a run started at `start` is past its start-up in `stage`: it has taken the job's
        /// lock (and written its name into it) for the scene detection and the sampling, and has
        /// rewritten plan.json (every run does once it has replanned) for the later stages.
        func begun(_ stage: Int, since start: Date) -> Bool {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: work + (stage < 2 ? "/locks/job.lock" : "/plan.json")),
                  let modified = attributes[.modificationDate] as? Date else { return false }
            return modified >= start
        }
    }

    /// A seeded generator (SplitMix64), so that the kill moments are the same on every run.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    func testTwentyKillsAtRandomMomentsOfEveryStageEndWithTheUninterruptedFilm() throws {
        let folder = try temporaryDirectory()
        let clip = try smallReel(in: folder)
        let options = quickJob

        // The uninterrupted run, and when it entered each stage.
        let reference = folder + "/reference.mkv"
        var referenceStages = JobStages(work: reference + ".work", output: reference)
        var entered: [Int: Double] = [:], lastSeen = 0.0
        let referenceStart = Date()
        let whole = try runKilled(["restore", clip, reference] + options) { elapsed in
            lastSeen = elapsed
            let stage = referenceStages.current()
            if referenceStages.begun(stage, since: referenceStart) {
                for earlier in 0...stage where entered[earlier] == nil { entered[earlier] = elapsed }
            }
            return false
        }
        XCTAssertFalse(whole.killed)
        XCTAssertEqual(whole.status, 0, whole.errors)
        let ended = lastSeen + 0.002
        let names = referenceStages.names
        XCTAssertEqual(referenceStages.units, 3)
        XCTAssertEqual(referenceStages.segments, 3)
        let durations = names.indices.map { stage in
            (entered[stage + 1] ?? ended) - (entered[stage] ?? ended)
        }
        print("uninterrupted run: " + zip(names, durations).map { String(format: "%@ %.2f s", $0.0, $0.1) }.joined(separator: ", "))
        let referenceVideo = try videoChecksums(reference), referenceSound = try audioPacketChecksums(reference)
        XCTAssertEqual(referenceVideo.count, 72)
        XCTAssertGreaterThan(referenceSound.count, 100)

        // The moments: one in every stage, then more drawn by each stage's share of the
        // uninterrupted run's time, each at a seeded fraction of its stage; the report's last.
        // The extra ones go to adaptation, render and join, the stages a run starts after
        // planning (timed from when this run has replanned, not from its start-up).
        var generator = SeededGenerator(state: 19)
        // Stages shorter than a quarter of a second (sampling, join, report: tens of milliseconds)
        // are hit in their first fifth: a loaded machine could otherwise finish them before the
        // moment comes.
        func fraction(_ stage: Int) -> Double {
            durations[stage] < 0.25 ? Double.random(in: 0..<0.2, using: &generator) : Double.random(in: 0.05..<0.9, using: &generator)
        }
        var moments = names.indices.map { (stage: $0, fraction: fraction($0)) }
        let longer = names.indices.dropFirst(2).dropLast()
        let total = longer.map { durations[$0] }.reduce(0, +)
        while moments.count < 24 {
            var draw = Double.random(in: 0..<total, using: &generator)
            let stage = longer.first { draw -= durations[$0]; return draw < 0 } ?? longer.last!
            moments.append((stage, fraction(stage)))
        }
        moments.sort { ($0.stage, $0.fraction) < ($1.stage, $1.fraction) }

        let output = folder + "/film.mkv", work = output + ".work"
        let arguments = ["restore", clip, output] + options
        var stages = JobStages(work: work, output: output)
        var kills: [Int] = [], startUps = 0, finished = false
        let report = names.count - 1
        for (number, moment) in moments.enumerated() {
            var started = Date()
            var hit = 0
            func runUntilTheMoment() throws -> (errors: String, killed: Bool, status: Int32, process: Int32) {
                started = Date()
                var entry: Double?
                return try runKilled(arguments) { elapsed in
                    let stage = stages.current()
                    if entry == nil, stage >= moment.stage, stages.begun(moment.stage, since: started) { entry = elapsed }
                    hit = stage
                    return entry.map { elapsed >= $0 + moment.fraction * durations[moment.stage] } ?? false
                }
            }
            var run = try runUntilTheMoment()
            // The report stage lasts tens of milliseconds, and a busy machine can keep this process
            // from looking in time. A finished job goes through it again on every run: try again.
            for _ in 0..<5 where !run.killed && moment.stage == report {
                XCTAssertEqual(run.status, 0, run.errors)
                print(String(format: "moment %d (report at %.0f%%): the job ended before it; running it again", number + 1, moment.fraction * 100))
                run = try runUntilTheMoment()
            }
            guard run.killed else {
                XCTAssertEqual(run.status, 0, run.errors)
                finished = true
                print(String(format: "moment %d (%@ at %.0f%%): the job ended before it", number + 1, names[moment.stage], moment.fraction * 100))
                break
            }
            hit = stages.current()
            // Before it took the job's lock (which then names it), a run was still starting.
            let lock = (try? String(contentsOfFile: work + "/locks/job.lock", encoding: .utf8)) ?? ""
            let startingUp = !lock.hasPrefix("process \(run.process) on ")
            if !startingUp { kills.append(hit) } else { startUps += 1 }
            print(String(format: "kill %d after %.2f s: %@ (planned: %@ at %.0f%%)", kills.count + startUps, Date().timeIntervalSince(started),
                         startingUp ? "start-up" : names[hit], names[moment.stage], moment.fraction * 100))
            try assertEveryFileIsWhole(work: work, segments: stages.segments, kill: kills.count + startUps)
            if FileManager.default.fileExists(atPath: output) {
                XCTAssertEqual(try videoChecksums(output), referenceVideo, "kill \(kills.count + startUps): an incomplete film under its final name")
            }
        }
        XCTAssertGreaterThanOrEqual(kills.count + startUps, 20)
        XCTAssertEqual(Set(kills), Set(names.indices), "stages no kill hit: \(Set(names.indices).subtracting(kills).sorted().map { names[$0] })")

        if !finished {
            let last = try filmsrSucceeding(arguments)
            XCTAssertEqual(last.output, output + "\n")
            XCTAssertFalse(last.errors.contains("adapted in"), "a finished unit was adapted again: \(last.errors)")
            // Killed after the join (the last moment is in the report), the job renders nothing again.
            if kills.last == names.count - 1 { XCTAssertTrue(last.errors.contains("complete, written by an earlier run"), last.errors) }
        }
        XCTAssertEqual(try videoChecksums(output), referenceVideo)
        XCTAssertEqual(try audioPacketChecksums(output), referenceSound)
        XCTAssertFalse(FileManager.default.fileExists(atPath: work + "/render"), "segments left behind once the film is complete")
        let leftovers = try leftoverFiles(in: [folder, work, work + "/frames", work + "/adapted"])
        XCTAssertEqual(leftovers, [], "temporary files left behind by the killed runs")
    }

    /// Hidden files (the temporary names writers use before renaming) in `folders`.
    func leftoverFiles(in folders: [String]) throws -> [String] {
        try folders.flatMap { folder in try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix(".") }.map { folder + "/" + $0 } }
    }

    /// Every file of the work folder under its final name (not hidden) is whole: JSON parses,
    /// a safetensors file holds all the bytes its header names, a PNG ends with its IEND chunk,
    /// a render segment holds every packet to its last byte and one per frame, the loss log and
    /// the report are ended.
    func assertEveryFileIsWhole(work: String, segments: Int, kill: Int) throws {
        let plan = (FileManager.default.contents(atPath: work + "/plan.json")).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        let planned = (plan?["segments"] as? [[Int]])?.map { $0[1] - $0[0] } ?? []
        guard let walker = FileManager.default.enumerator(atPath: work) else { return }
        while let name = walker.nextObject() as? String {
            let path = work + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            let file = (name as NSString).lastPathComponent
            // Temporary names, and the lock files (their holder line is a note for the refused, not a result).
            if file.hasPrefix(".") || name.hasPrefix("locks/") { continue }
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let bytes = [UInt8](data)
            let whole: Bool
            switch (file as NSString).pathExtension {
            case "json": whole = (try? JSONSerialization.jsonObject(with: data)) != nil
            case "safetensors":
                let length = bytes.count >= 8 ? Int(bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * $1.offset) }) : -1
                let header = length > 0 && 8 + length <= bytes.count
                    ? (try? JSONSerialization.jsonObject(with: data.subdata(in: 8..<8 + length))) as? [String: Any] : nil
                let end = header?.values.compactMap { ($0 as? [String: Any])?["data_offsets"] as? [Int] }.map { $0[1] }.max()
                whole = end.map { 8 + length + $0 == bytes.count } ?? false
            case "png":
                whole = bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) && bytes.suffix(12) == [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]
            case "fsrseg":
                let index = Int(file.dropFirst("segment-".count).prefix(5)) ?? -1
                whole = Self.segmentPackets(bytes).map { planned.indices.contains(index) && $0 == planned[index] } ?? false
            case "tsv": whole = bytes.last == 0x0A
            case "html": whole = String(decoding: bytes.suffix(16), as: UTF8.self).contains("</html>")
            default: whole = false
            }
            XCTAssertTrue(whole, "kill \(kill): \(name) is not whole under its final name (\(bytes.count) bytes)")
        }
    }

    /// The packets of a render segment read to its last byte (the format of VideoSegmentFile),
    /// or nil when it is cut short.
    static func segmentPackets(_ bytes: [UInt8]) -> Int? {
        func number(at offset: Int, _ width: Int) -> Int {
            (0..<width).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) }
        }
        // "FILMSRSG", version, width, height, time base (2), extradata size, then the extradata.
        guard bytes.count >= 32, bytes.starts(with: Array("FILMSRSG".utf8)) else { return nil }
        var offset = 32 + number(at: 28, 4), packets = 0
        while offset < bytes.count {
            guard offset + 32 <= bytes.count else { return nil }
            offset += 32 + number(at: offset + 28, 4)
            packets += 1
        }
        return offset == bytes.count ? packets : nil
    }
}
