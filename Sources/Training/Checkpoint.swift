// Save and restore a training run as bytes: the trained tensors (adapters or all weights), AdamW's
// moments and step count, the loop position, early-stopping state and every metric row, so a stopped
// job resumes and continues exactly as if it had not stopped. The caller writes the bytes
// atomically. Layout (little-endian):
//   "BDRKCKPT" · u32 version (1) · u32 header length · header (UTF-8 "key=value" lines)
//   · f32 × n trained values · f32 × n first moments · f32 × n second moments · u64 FNV-1a of all before
// (n = trainable count; under full fine-tuning that is 3 × 537 MB for SmolLM2-135M: stream it).
// Doubles in the header are written as hex bit patterns so they round-trip exactly.

public enum CheckpointError: Error, Equatable, CustomStringConvertible {
    case notACheckpoint
    case unsupportedVersion(UInt32)
    case truncated
    case checksumMismatch
    case mismatch(field: String, checkpoint: String, trainer: String)
    case malformedHeader(line: String)

    public var description: String {
        switch self {
        case .notACheckpoint: "not a bedrock training checkpoint (bad magic bytes)"
        case .unsupportedVersion(let v): "checkpoint format version \(v) is not supported (expected 1)"
        case .truncated: "checkpoint is truncated"
        case .checksumMismatch: "checkpoint is corrupt (checksum mismatch)"
        case let .mismatch(field, c, t): "checkpoint was made with \(field) \(c), but this trainer has \(t)"
        case .malformedHeader(let line): "malformed checkpoint header line '\(line)'"
        }
    }
}

#if !_endian(little)
#error("checkpoints assume a little-endian host")
#endif

private let magic = Array("BDRKCKPT".utf8)

extension Trainer {
    /// Header fields that must match between the checkpoint and the trainer restoring it.
    private var identity: [(String, String)] {
        let c = model.config, h = hyperparameters
        var mode = "full"
        if case .lora(let lc) = model.mode {
            mode = "lora rank \(lc.rank) alpha \(hex(lc.alpha)) targets \(lc.targets.sorted().map(\.rawValue).joined(separator: ","))"
        }
        return [("mode", mode),
                ("config", "\(c.vocabSize) \(c.dim) \(c.ffnDim) \(c.layers) \(c.heads) \(c.kvHeads) \(hex(c.ropeBase)) \(hex(c.normEps))"),
                ("trainable", "\(model.trainableCount)"),
                ("data", "\(train.count) \(validation.count)"),
                ("batch", "\(h.batchSize) \(h.epochs) \(h.seed)")]
    }

    /// The whole state as one byte array (fine for adapters; for full fine-tuning prefer `writeCheckpoint`).
    public func checkpoint() -> [UInt8] {
        var out: [UInt8] = []
        writeCheckpoint { out += $0 }
        return out
    }

    /// Streams the checkpoint through `write` in a few large pieces, so a full fine-tuning state
    /// (3 × 537 MB for SmolLM2-135M) never needs a second copy in memory.
    public func writeCheckpoint(_ write: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        var lines = identity.map { "\($0.0)=\($0.1)" }
        lines.append("step=\(stepsTaken) \(optimizer.t)")
        lines.append("early=\(bestValidation.map(hex) ?? "none") \(staleEvaluations)")
        for r in stepMetrics {
            lines.append("metric=\(r.step) \(r.epoch) \(hex(r.trainingLoss)) \(hex(r.learningRate)) \(hex(r.gradientNorm)) \(r.tokens)")
        }
        for r in validationMetrics { lines.append("validation=\(r.step) \(r.epoch) \(hex(r.validationLoss))") }
        let header = Array(lines.joined(separator: "\n").utf8)
        var head = magic
        append(UInt32(1), to: &head); append(UInt32(header.count), to: &head)
        head += header
        var hash = fnv1aOffset
        try head.withUnsafeBytes { hash = fnv1a($0, hash); try write($0) }
        // Every supported host is little-endian (x86_64, arm64), so the floats are written as they lie.
        for buffer in [model.core.trainable, optimizer.m, optimizer.v] {
            let raw = UnsafeRawBufferPointer(start: buffer.p, count: 4 * buffer.count)
            hash = fnv1a(raw, hash)
            try write(raw)
        }
        var tail: [UInt8] = []
        append(hash, to: &tail)
        try tail.withUnsafeBytes { try write($0) }
    }

    /// Restores a checkpoint made by a trainer with the same model shape, mode, data sizes and batch settings.
    public func restore(from bytes: [UInt8]) throws(CheckpointError) {
        var failure: CheckpointError?
        bytes.withUnsafeBytes { raw in
            do throws(CheckpointError) { try restore(from: raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Restores from memory the caller owns (for example a mapped file).
    public func restore(from bytes: UnsafeRawBufferPointer) throws(CheckpointError) {
        guard bytes.count >= 16, Array(bytes[0..<8]) == magic else { throw .notACheckpoint }
        let version: UInt32 = read(bytes, 8)
        guard version == 1 else { throw .unsupportedVersion(version) }
        let headerLength = Int(read(bytes, 12) as UInt32), n = model.trainableCount
        let end = 16 + headerLength + 12 * n
        guard bytes.count == end + 8 else { throw .truncated }
        guard fnv1a(UnsafeRawBufferPointer(rebasing: bytes[0..<end]), fnv1aOffset) == read(bytes, end) as UInt64 else {
            throw .checksumMismatch
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[16..<(16 + headerLength)]), as: UTF8.self)
        var fields: [(String, String)] = []
        for line in text.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { throw .malformedHeader(line: String(line)) }
            fields.append((String(line[..<eq]), String(line[line.index(after: eq)...])))
        }
        for (key, mine) in identity {
            let theirs = fields.first { $0.0 == key }?.1 ?? "nothing"
            if theirs != mine { throw .mismatch(field: key, checkpoint: theirs, trainer: mine) }
        }
        try restoreState(fields)
        var offset = 16 + headerLength
        for buffer in [model.core.trainable, optimizer.m, optimizer.v] {
            UnsafeMutableRawPointer(buffer.p).copyMemory(from: bytes.baseAddress! + offset, byteCount: 4 * n)
            offset += 4 * n
        }
    }

    private func restoreState(_ fields: [(String, String)]) throws(CheckpointError) {
        var metrics: [StepMetrics] = [], validations: [ValidationMetrics] = []
        for (key, value) in fields {
            let v = value.split(separator: " ").map(String.init)
            let bad = CheckpointError.malformedHeader(line: "\(key)=\(value)")
            switch key {
            case "step":
                guard v.count == 2, let s = Int(v[0]), let t = Int(v[1]) else { throw bad }
                stepsTaken = s; optimizer.t = t
            case "early":
                guard v.count == 2, let stale = Int(v[1]) else { throw bad }
                bestValidation = v[0] == "none" ? nil : unhex(v[0]); staleEvaluations = stale
            case "metric":
                guard v.count == 6, let s = Int(v[0]), let e = Int(v[1]), let l = unhex(v[2]), let lr = unhex(v[3]),
                      let g = unhex(v[4]), let t = Int(v[5]) else { throw bad }
                metrics.append(StepMetrics(step: s, epoch: e, trainingLoss: l, learningRate: lr, gradientNorm: g, tokens: t))
            case "validation":
                guard v.count == 3, let s = Int(v[0]), let e = Int(v[1]), let l = unhex(v[2]) else { throw bad }
                validations.append(ValidationMetrics(step: s, epoch: e, validationLoss: l))
            default: break
            }
        }
        stepMetrics = metrics; validationMetrics = validations
    }
}

/// What a checkpoint's header says, read without its tensors: enough to tell a user which step a job
/// would resume from, and to catch a truncated file before a job is restarted on it.
public struct CheckpointSummary: Sendable, Equatable {
    /// Optimizer steps taken when it was written; training resumes with step `step + 1` (1-based).
    public var step: Int
    /// Trained values (adapters, or every weight).
    public var trainableCount: Int
    /// The length the whole file must have.
    public var fileLength: Int

    /// Bytes to read from the start of a file before `init(prefix:)`: call with the first 16 bytes.
    public static func prefixLength(_ first16: [UInt8]) throws(CheckpointError) -> Int {
        guard first16.count >= 16, Array(first16[0..<8]) == magic else { throw .notACheckpoint }
        let version = first16.withUnsafeBytes { read($0, 8) as UInt32 }
        guard version == 1 else { throw .unsupportedVersion(version) }
        return 16 + Int(first16.withUnsafeBytes { read($0, 12) as UInt32 })
    }

    /// Parses the header from the file's first `prefixLength` bytes.
    public init(prefix: [UInt8]) throws(CheckpointError) {
        let length = try Self.prefixLength(Array(prefix.prefix(16)))
        guard prefix.count >= length else { throw .truncated }
        let text = String(decoding: prefix[16..<length], as: UTF8.self)
        var step: Int?, trainable: Int?
        for line in text.split(separator: "\n") {
            if line.hasPrefix("step=") { step = line.dropFirst(5).split(separator: " ").first.flatMap { Int($0) } }
            if line.hasPrefix("trainable=") { trainable = Int(line.dropFirst(10)) }
        }
        guard let step, let trainable else { throw .malformedHeader(line: "step= or trainable= missing") }
        self.step = step; trainableCount = trainable
        fileLength = length + 12 * trainable + 8
    }
}

private func hex(_ d: Double) -> String { String(d.bitPattern, radix: 16) }
private func unhex(_ s: String) -> Double? { UInt64(s, radix: 16).map(Double.init(bitPattern:)) }

private func append<I: FixedWidthInteger>(_ v: I, to out: inout [UInt8]) {
    withUnsafeBytes(of: v.littleEndian) { out += $0 }
}

private func read<I: FixedWidthInteger>(_ bytes: UnsafeRawBufferPointer, _ at: Int) -> I {
    I(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: I.self))
}

private let fnv1aOffset: UInt64 = 0xCBF2_9CE4_8422_2325

/// 64-bit FNV-1a continued from `h`: catches truncation and bit rot; not a defence against tampering.
private func fnv1a(_ bytes: UnsafeRawBufferPointer, _ h: UInt64) -> UInt64 {
    var h = h
    for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    return h
}
