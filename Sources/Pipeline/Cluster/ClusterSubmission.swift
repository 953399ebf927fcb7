import Foundation

/// Runs a planned restore's tasks as separate processes: on Slurm (an adaptation array, a
/// render array whose task k starts once adaptation task k succeeded, and a join after every
/// render), or under GNU parallel on this machine. Both run WORK/cluster/task.sh, which retries
/// a failed task a bounded number of times and marks it failed for good after the last try.
public struct ClusterSubmission: Sendable {
    /// How compute nodes start filmsr: its absolute path by default, or a wrapper (modules,
    /// containers) that passes its arguments on.
    public var worker: [String]
    /// Attempts per task before it counts as failed (Slurm requeues a task whose node is lost,
    /// but not one that exits non-zero).
    public var attempts = 3
    /// Passed to every sbatch unchanged: partition, account, time, cpus-per-task, array throttle (%N).
    public var sbatchArguments: [String] = []

    public init(worker: [String]) {
        self.worker = worker
    }

    /// The job ids of one submission.
    public struct Jobs: Sendable, Equatable {
        public var adapt: String
        public var render: String
        public var join: String
    }

    /// Writes the task script into the work folder and returns its path.
    func writeTaskScript(_ folder: RestoreWorkFolder) throws -> String {
        let path = (folder.clusterFolder as NSString).appendingPathComponent("task.sh")
        let cluster = Self.quoted(folder.clusterFolder)
        let script = """
            #!/bin/bash
            # Written by filmsr submit: one task of the restore in \(folder.path).
            # Usage: task.sh adapt|render [UNIT] | task.sh join (UNIT defaults to SLURM_ARRAY_TASK_ID).
            stage=$1
            unit=${2:-${SLURM_ARRAY_TASK_ID:-}}
            [ "$stage" = join ] && unit=
            name=$stage${unit:+-$unit}
            rm -f \(cluster)/"$name".failed
            status=1
            for attempt in $(seq 1 \(attempts)); do
              echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) attempt $attempt on $(hostname)" >> \(cluster)/"$name".attempts
              \(worker.map(Self.quoted).joined(separator: " ")) worker \(Self.quoted(folder.path)) "$stage" $unit && exit 0
              status=$?
              echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) attempt $attempt exited $status" >> \(cluster)/"$name".attempts
            done
            touch \(cluster)/"$name".failed
            exit $status

            """
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        guard chmod(path, 0o755) == 0 else { throw PipelineError("\(path): cannot make the task script executable") }
        try FileManager.default.createDirectory(atPath: (folder.clusterFolder as NSString).appendingPathComponent("logs"),
                                                withIntermediateDirectories: true)
        return path
    }

    /// Submits the three jobs with sbatch; returns their ids.
    public func submitToSlurm(_ plan: RestorePlan, folder: RestoreWorkFolder) throws -> Jobs {
        let script = try writeTaskScript(folder)
        let logs = (folder.clusterFolder as NSString).appendingPathComponent("logs")
        let array = "--array=0-\(plan.units - 1)"
        // Tasks compute with the planning run's threads unless told otherwise: the same threads, the same bits.
        let cpus = sbatchArguments.contains { $0.hasPrefix("--cpus-per-task") || $0.hasPrefix("-c") } ? [] : ["--cpus-per-task=\(plan.threads)"]
        func sbatch(_ stage: String, _ options: [String]) throws -> String {
            let arguments = ["--parsable", "--job-name=filmsr-\(stage)", "--requeue", "--kill-on-invalid-dep=yes",
                             "--output=\(logs)/\(stage)-%a.log"] + cpus + options + sbatchArguments + [script, stage]
            let result = try Self.execute("sbatch", arguments)
            guard result.status == 0, let id = result.output.split(separator: ";").first.map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }),
                  !id.isEmpty else {
                throw PipelineError("sbatch refused the \(stage) job: " + (result.errors.split(separator: "\n").last.map(String.init) ?? "exit \(result.status)"))
            }
            return id
        }
        let adapt = try sbatch("adapt", [array])
        let render = try sbatch("render", [array, "--dependency=aftercorr:\(adapt)"])
        let join = try sbatch("join", ["--dependency=afterok:\(render)"])
        return Jobs(adapt: adapt, render: render, join: join)
    }

    /// Runs every task on this machine under GNU parallel, `jobs` at a time, stage after
    /// stage; throws when a task failed for good.
    public func runWithParallel(_ plan: RestorePlan, folder: RestoreWorkFolder, jobs: Int, events: JobEvents) throws {
        let script = try writeTaskScript(folder)
        for stage in ["adapt", "render"] {
            let result = try Self.execute("parallel", ["--will-cite", "--jobs", String(jobs), script, stage, ":::"] + (0..<plan.units).map(String.init),
                                          passingOutput: true)
            guard result.status == 0 else { throw PipelineError("\(folder.path): \(result.status) \(stage) tasks failed for good (see \(folder.clusterFolder))") }
            events(.message("\(stage): \(plan.units) units done"))
        }
        let join = try Self.execute(script, ["join"], passingOutput: true)
        guard join.status == 0 else { throw PipelineError("\(folder.path): the join failed (see \(folder.clusterFolder))") }
    }

    static func quoted(_ word: String) -> String { "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// Runs a program found on PATH; with `passingOutput`, its output goes to ours as it comes.
    static func execute(_ program: String, _ arguments: [String], passingOutput: Bool = false) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        let output = Pipe(), errors = Pipe()
        if !passingOutput {
            process.standardOutput = output
            process.standardError = errors
        }
        do {
            try process.run()
        } catch {
            throw PipelineError("cannot run \(program): \(error.localizedDescription)")
        }
        let errorText = passingOutput ? Data() : errors.fileHandleForReading.readDataToEndOfFile()
        let outputText = passingOutput ? Data() : output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationStatus == 127 { throw PipelineError("\(program) is not installed (not found on PATH)") }
        return (process.terminationStatus, String(decoding: outputText, as: UTF8.self), String(decoding: errorText, as: UTF8.self))
    }
}
