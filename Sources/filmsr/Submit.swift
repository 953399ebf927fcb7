import ArgumentParser
import Engine
import Foundation
import Pipeline

struct Submit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Restore a film on a Slurm cluster (or under GNU parallel): plan here, then one task per unit; prints the job ids.",
        discussion: """
            Plans the job in the work folder (scenes, sampled frames, units, render segments), then \
            submits an adaptation array, a render array whose task k starts once unit k is adapted, \
            and a join. The work folder must be on a file system every node sees. The film equals \
            what `filmsr restore` makes of the same input and options. Follow it with `filmsr status WORK`.
            """)

    @OptionGroup var job: RestoreJobArguments

    @Option(parsing: .unconditionalSingleValue, help: ArgumentHelp("An sbatch option for every job (repeatable): --sbatch --partition=long --sbatch --cpus-per-task=4.", valueName: "arg"))
    var sbatch: [String] = []

    @Option(help: "Run the tasks with slurm (sbatch) or parallel (GNU parallel on this machine, waiting for the film).")
    var via = "slurm"

    @Option(help: "Tasks at a time under GNU parallel (default: cores / threads per task).")
    var jobs: Int?

    @Option(help: "Attempts per task before it counts as failed.")
    var attempts = 3

    @Option(help: "How compute nodes start filmsr (default: this executable's path).")
    var worker: String?

    @Flag(help: "Plan, print the core-hours adaptation and rendering will take on this machine's measured speeds, and submit nothing.")
    var estimate = false

    func run() throws {
        guard ["slurm", "parallel"].contains(via) else { throw UsageError("--via \(via): choose slurm or parallel") }
        guard attempts >= 1 else { throw UsageError("--attempts must be at least 1") }
        guard !FilmBatch.isFolder(job.input) else { throw UsageError("\(job.input): submit takes one film; restore takes a folder of films") }
        let (options, resources) = try job.job()
        let plan: RestorePlan
        do {
            // Planning holds the whole job's lock, released at the end of this block: tasks take it shared.
            let planned = try RestoreJob.plan(input: job.input, output: job.output, options: options, resources: resources, events: TerminalEvents().handle)
            if estimate {
                try CostEstimate.measure(planned).lines.forEach { print($0) }
                return
            }
            plan = planned.plan
        }
        let folder = RestoreWorkFolder(plan.resources.workFolder!)
        var submission = ClusterSubmission(worker: [worker ?? URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path])
        submission.attempts = attempts
        submission.sbatchArguments = sbatch
        if via == "slurm" {
            let ids = try submission.submitToSlurm(plan, folder: folder)
            print("adapt \(ids.adapt) (\(plan.units) tasks)\nrender \(ids.render) (\(plan.units) tasks, each after its unit)\njoin \(ids.join)")
            print("follow with: filmsr status \(folder.path)")
        } else {
            let threads = BLASRuntime.threadCount
            try submission.runWithParallel(plan, folder: folder, jobs: jobs ?? max(1, ProcessInfo.processInfo.activeProcessorCount / max(1, threads)),
                                           events: TerminalEvents().handle)
            print(plan.output)
        }
    }
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a submitted restore's progress: units done, running and failed, with an ETA.",
        discussion: "Exits 0 once the film is complete, 3 while work remains, 1 when a task has failed for good.")

    @Argument(help: "The job's work folder.")
    var work: String

    func run() throws {
        let status = try RestoreStatus.read(work: work)
        status.lines.forEach { print($0) }
        if status.complete { return }
        throw ExitCode(status.hasFailed ? 1 : 3)
    }
}

/// What a cluster node runs (through WORK/cluster/task.sh): one task of a planned restore.
struct Worker: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one task of a planned restore: adapt UNIT, render UNIT or join.", shouldDisplay: false)

    @Argument(help: "The job's work folder.")
    var work: String

    @Argument(help: "adapt, render or join.")
    var stage: String

    @Argument(help: "The unit, for adapt and render.")
    var unit: Int?

    @Option(help: "Threads for the matrix products (default: SLURM_CPUS_PER_TASK, else the planning run's, which gives its results bit for bit).")
    var threads: Int?

    func run() throws {
        let plan = try RestorePlan.read(work: work)
        BLASRuntime.setThreadCount(threads ?? ProcessInfo.processInfo.environment["SLURM_CPUS_PER_TASK"].flatMap { Int($0) } ?? plan.threads)
        try RestoreWorker.run(try RestoreTask(stage: stage, unit: unit), work: work, events: TerminalEvents().handle)
    }
}
