import Foundation
import XCTest

/// Full disks and an output folder that turns read-only, on real file systems: the work folder
/// and the output's folder are each a small tmpfs, resized (`mount -o remount,size=`) and
/// remounted read-only between and during runs. Each fault gives one line naming the file,
/// leaves the earlier output as it was, and the job resumes once there is room.
final class RestoreFullDiskTests: RestoreTestCase {
    func testNoSpaceForWeightsSegmentOrFilmAndAReadOnlyOutputFolderEachGiveOneLineAndTheJobResumes() throws {
        // Mounting needs root (CI runs as root); root also ignores permission bits, so a
        // read-only mount is the only honest way to take the right to write away.
        guard getuid() == 0 else { throw XCTSkip("needs root to mount the small file systems (tmpfs) this test fills") }
        let folder = try temporaryDirectory()
        let clip = try smallReel(in: folder)
        let reference = folder + "/reference.mkv"
        try filmsrSucceeding(["restore", clip, reference] + quickJob)
        let weightsBytes = try fileSize(reference + ".work/adapted/unit-000.safetensors")

        let workDisk = folder + "/work-disk", outputDisk = folder + "/output-disk"
        try mountSmallDisk(workDisk, bytes: 1 << 20)
        try mountSmallDisk(outputDisk, bytes: 2 << 20)
        let work = workDisk + "/job", output = outputDisk + "/film.mkv"
        // An earlier output under the film's name: every failed run must leave it as it was.
        try FileManager.default.copyItem(atPath: clip, toPath: output)
        let earlier = try Data(contentsOf: URL(fileURLWithPath: output))
        let arguments = ["restore", clip, output, "--work", work] + quickJob
        func assertOneLine(_ result: (errors: String, status: Int32), naming file: String, _ reason: String, line: UInt = #line) throws {
            // Standard error also carries the job's messages (scenes found, units adapted): one line is the error.
            XCTAssertNotEqual(result.status, 0, line: line)
            let errorLines = result.errors.split(separator: "\n").filter { $0.hasPrefix("Error: ") }
            XCTAssertEqual(errorLines.count, 1, result.errors, line: line)
            XCTAssertTrue(errorLines.first.map { $0.hasPrefix("Error: \(file): cannot write") && $0.hasSuffix(reason) } ?? false, result.errors, line: line)
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: output)), earlier, "the earlier output changed", line: line)
        }

        // 1 MB: room for the scenes and sampled frames, not for the first unit's weights (2.5 MB).
        let noRoomForWeights = try filmsr(arguments)
        try assertOneLine((noRoomForWeights.errors, noRoomForWeights.status), naming: work + "/adapted/unit-000.safetensors", "No space left on device")
        XCTAssertFalse(FileManager.default.fileExists(atPath: work + "/adapted/unit-000.safetensors"))

        // Room for the three units' weights and 600 KB more: the first render segment (over 1 MB) does not fit.
        try resize(workDisk, to: try used(workDisk) + 3 * weightsBytes + 600_000)
        let noRoomForSegment = try filmsr(arguments)
        try assertOneLine((noRoomForSegment.errors, noRoomForSegment.status), naming: work + "/render/segment-00000.fsrseg", "No space left on device")
        XCTAssertTrue(FileManager.default.fileExists(atPath: work + "/adapted/unit-002.safetensors"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: work + "/render/segment-00000.fsrseg"))

        // Room to render; the output's folder turns read-only while the segments render.
        try resize(workDisk, to: try used(workDisk) + (16 << 20))
        var remounted = false
        let readOnly = try runKilled(arguments) { _ in
            if !remounted && FileManager.default.fileExists(atPath: work + "/render/segment-00000.fsrseg") {
                remounted = (try? self.executeSucceeding("/bin/mount", ["-o", "remount,ro", outputDisk])) != nil
            }
            return false
        }
        XCTAssertTrue(remounted)
        XCTAssertFalse(readOnly.killed)
        // The join checks its folder before writing: the line names the film and the folder.
        try assertOneLine((readOnly.errors, readOnly.status), naming: output, "directory '\(outputDisk)' is not writable")
        XCTAssertTrue(FileManager.default.fileExists(atPath: work + "/render/segment-00002.fsrseg"), "the segments rendered are kept")

        // Writable again, with 1 MB free: the film (4.6 MB) does not fit, and its partial file goes.
        try executeSucceeding("/bin/mount", ["-o", "remount,rw", outputDisk])
        try resize(outputDisk, to: try used(outputDisk) + (1 << 20))
        let noRoomForFilm = try filmsr(arguments)
        XCTAssertFalse(noRoomForFilm.errors.contains("adapted in"), noRoomForFilm.errors)
        try assertOneLine((noRoomForFilm.errors, noRoomForFilm.status), naming: output, "No space left on device")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outputDisk), ["film.mkv"], "a partial film left beside the output")

        // Room at last: the job resumes and ends with the film of a run that met no fault.
        try resize(outputDisk, to: try used(outputDisk) + (16 << 20))
        let resumed = try filmsrSucceeding(arguments)
        XCTAssertFalse(resumed.errors.contains("adapted in"), resumed.errors)
        XCTAssertEqual(try videoChecksums(output), try videoChecksums(reference))
        XCTAssertEqual(try audioPacketChecksums(output), try audioPacketChecksums(reference))
    }

    /// Mounts a tmpfs of `bytes` at `path` (made here), unmounted when the test ends; skips the
    /// test, saying why, where this machine refuses the mount (a container without the right).
    func mountSmallDisk(_ path: String, bytes: Int) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let mounted = try execute("/bin/mount", ["-t", "tmpfs", "-o", "size=\(bytes)", "tmpfs", path])
        guard mounted.status == 0 else { throw XCTSkip("cannot mount a tmpfs here: \(mounted.errors)") }
        addTeardownBlock { _ = try? self.execute("/bin/umount", ["-l", path]) }
    }

    func resize(_ disk: String, to bytes: Int) throws {
        try executeSucceeding("/bin/mount", ["-o", "remount,size=\(bytes)", disk])
    }

    /// Bytes in use on the file system at `path`.
    func used(_ path: String) throws -> Int {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { throw CommandFailure(description: "statvfs \(path): \(String(cString: strerror(errno)))") }
        return Int(info.f_blocks - info.f_bfree) * Int(info.f_frsize)
    }

    func fileSize(_ path: String) throws -> Int {
        try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
    }
}
