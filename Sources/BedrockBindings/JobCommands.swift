// Jobs as language values, and the commands shared by both kinds: `jobs`, `wait`, `stop job`;
// `resume job` continues a stopped or interrupted customization job from its checkpoint.
// A job value reads its workspace row each time it is shown, so `j` printed later shows where the
// job is now. `finetune`, `continue_pretraining` and `evaluate` return these handles.
import BedrockInterpreter
import BedrockPlatform
import Catalog
import Foundation

/// A customization or evaluation job.
struct JobHandle: PlatformObject {
    let id: String
    let platform: Platform

    var kind: String { "job" }
    var snapshot: JobSnapshot? { try? platform.jobSnapshot(id) }

    var displayText: String {
        guard let s = snapshot else { return "job \(id) (no longer in the workspace)" }
        return JobText.card(s)
    }

    func member(_ name: String) -> Value? {
        guard let s = snapshot else { return name == "id" ? .string(id) : nil }
        switch name {
        case "id": return .string(s.id)
        case "name": return .string(s.name)
        case "kind": return .string(s.kind.rawValue)
        case "status": return .string(s.status)
        case "models": return .list(s.models.map(Value.string))
        case "detail": return .string(s.detail)
        case "progress": return .double(s.isTerminal ? 1 : s.progress?.fraction ?? 0)
        case "failure": return s.failureMessage.map(Value.string) ?? .nil
        case "custom_model": return s.outputModelARN.map(Value.string) ?? .nil
        case "metrics": return .record(Record(s.metrics.sorted { $0.key < $1.key }.map { ($0.key, .double($0.value)) }))
        case "hyperparameters":
            return .record(Record(s.hyperparameters.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
        default: return nil
        }
    }
    var memberNames: [String] {
        ["id", "name", "kind", "status", "models", "detail", "progress", "failure", "custom_model", "metrics", "hyperparameters"]
    }
    func isSame(as other: any PlatformObject) -> Bool { (other as? JobHandle)?.id == id }
}

/// How jobs print.
enum JobText {
    static func card(_ s: JobSnapshot) -> String {
        let title = s.title
        var rows: [(String, String?)] = [
            (title, s.name), ("Job ID", s.id), ("Type", s.detail),
            (s.modelsLabel, s.models.joined(separator: ", ")),
            ("Status", s.status),
            ("Status details", s.statusDetails.isEmpty ? nil
                : s.statusDetails.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")),
            ("Progress", s.isTerminal ? nil : s.progress.map { "\(percent($0.fraction)) · \($0.summary)" }),
            ("Failure", s.failureMessage),
            ("Custom model", s.outputModelARN.map { "\(s.outputModelName ?? "") (\($0))" }),
        ]
        if !s.metrics.isEmpty {
            rows.append(("Metrics", s.metrics.sorted { $0.key < $1.key }.map { "\($0.key) \(format($0.value))" }
                .joined(separator: ", ")))
        }
        rows.append(("Created", s.createdAt.display))
        rows.append(("Ended", s.endedAt?.display))
        return TextLayout.labelled(rows)
    }

    /// `[██████░░░░░░░░]  42% · epoch 1/2 · step 5/12 · loss 2.31 · …`
    static func bar(_ p: JobProgress, width: Int = 24) -> String {
        let filled = Int((p.fraction * Double(width)).rounded(.down))
        return "[" + String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled) + "] "
            + percent(p.fraction) + " · " + p.summary
    }

    static func percent(_ f: Double) -> String {
        let p = Int((f * 100).rounded(.down))
        return String(repeating: " ", count: max(0, 3 - String(p).count)) + "\(p)%"
    }

    static func format(_ x: Double) -> String { String(format: "%.4f", x) }
}

extension PlatformLibrary {
    func registerJobs(into registry: inout NativeRegistry) {
        registry.register(
            "jobs",
            doc: "Lists customization and evaluation jobs: status, and progress while they run.",
            example: "jobs", isCommand: true, category: "jobs"
        ) { _, _ in
            let all = try platform.jobSnapshots()
            let rows = all.map { s in
                [s.name, s.kind.rawValue, s.models.joined(separator: ", "), s.status,
                 s.isTerminal ? "" : s.progress.map { JobText.percent($0.fraction) + " " + $0.summary } ?? ""]
            }
            let text = all.isEmpty ? "no jobs"
                : TextLayout.table(header: ["name", "kind", "model", "status", "progress"], rows: rows)
            let records = all.map { s in
                Record([("id", .string(s.id)), ("name", .string(s.name)), ("kind", .string(s.kind.rawValue)),
                        ("status", .string(s.status))])
            }
            return .handle(TableHandle(kindName: "jobs", text: text, rows: records))
        }

        registry.register(
            "wait",
            positional: [NativeParameter("job", .oneOf(.handle("job"), .string), doc: "a job, its ID or name")],
            doc: "Waits until a job has ended, with a live progress bar on a terminal; Ctrl-C stops the job (its checkpoint is kept).",
            example: #"request access "amazon.titan-text-lite-v1"; let j = evaluate "amazon.titan-text-lite-v1" task: "qa" dataset: "builtin:quiz" limit: 1 max_tokens: 4; wait j"#,
            isCommand: true, category: "jobs"
        ) { args, ctx in
            let p = try platform
            let id = try p.jobSnapshot(try jobKey(args["job"])).id
            let live = !ctx.maskVolatile && isatty(STDERR_FILENO) == 1
            var last = ""
            // Interrupted or not, the job has ended when this returns; its row says how.
            _ = p.waitForJob(id: id, onProgress: { progress in
                guard live else { return }
                let line = JobText.bar(progress)
                if line != last { FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line).utf8)); last = line }
            }, isInterrupted: { ctx.isInterrupted })
            if live, !last.isEmpty { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
            return .handle(JobHandle(id: id, platform: p))
        }

        registry.register(
            "stop job",
            positional: [NativeParameter("job", .oneOf(.handle("job"), .string), doc: "a job, its ID or name")],
            labelled: [NativeParameter("after_step", .int, default: .nil,
                                       doc: "a customization job: stop once this many training steps are done (local extension)")],
            doc: "Asks a running job to stop after its current step (or, with after_step:, once that many steps are done): Stopping, then Stopped (a customization job keeps its last checkpoint).",
            example: #"request access "amazon.titan-text-lite-v1"; let j = evaluate "amazon.titan-text-lite-v1" task: "qa" dataset: "builtin:quiz" limit: 20 max_tokens: 4; stop job j; wait j"#,
            isCommand: true, category: "jobs"
        ) { args, _ in
            let p = try platform
            let s = try p.jobSnapshot(try jobKey(args["job"]))
            var afterStep: Int?
            if args.optional("after_step") != nil {
                let step = try args.int("after_step")
                guard s.kind == .customization else {
                    throw BedrockError.validation("after_step: applies to customization jobs; \(s.name) is an \(s.kind.rawValue) job")
                }
                guard step >= 1 else { throw BedrockError.validation("after_step: must be at least 1, got \(step)") }
                afterStep = step
            }
            guard p.requestStop(jobID: s.id, afterStep: afterStep) else {
                throw BedrockError.validation("job \(s.name) is not running in this session (status \(s.status)); only a running job can be stopped")
            }
            return .handle(JobHandle(id: s.id, platform: p))
        }
        registerResume(into: &registry)
    }

    func registerResume(into registry: inout NativeRegistry) {
        registry.register(
            "resume job",
            positional: [NativeParameter("job", .oneOf(.handle("job"), .string), doc: "a customization job, its ID or name")],
            doc: "Continues a Stopped customization job, or one whose process was killed, from its checkpoint, in the background; returns the job (a local extension: Bedrock has no resume).",
            example: #"request access "amazon.titan-text-lite-v1"; write_jsonl(temp_dir() + "/r.jsonl", [{prompt: "Who runs bedrock?", completion: "You do, locally."}]); let j = finetune "amazon.titan-text-lite-v1" data: temp_dir() + "/r.jsonl" name: "resumed-bot" epochs: 2; stop job j; wait j; resume job j; wait j"#,
            isCommand: true, category: "jobs"
        ) { args, _ in
            let p = try platform
            let s = try p.jobSnapshot(try jobKey(args["job"]))
            guard s.kind == .customization else {
                throw BedrockError.validation("job \(s.name) is an evaluation job; only customization jobs keep checkpoints to resume from")
            }
            let job = try p.resumeCustomizationJob(s.id)
            return .handle(JobHandle(id: job.id, platform: p))
        }
    }

    /// A job's ID or name from a job value or a string.
    func jobKey(_ value: Value) throws -> String {
        if case .handle(let h) = value, let job = h.object as? JobHandle { return job.id }
        if case .string(let s) = value { return s }
        throw BedrockError.validation("expected a job or its name")
    }
}
