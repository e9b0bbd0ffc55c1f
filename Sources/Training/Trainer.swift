// The training loop: seeded epoch order, batches of `batchSize` records split into micro-batches
// whose gradients add up to the batch's, clipping, the schedule and AdamW; validation loss at each
// epoch end (or every `evaluationInterval` steps) with early stopping; progress reports and
// cancellation between steps. Jobs, files and billing belong to the caller. How a batch's gradient
// is computed on two lanes: GradientLanes.swift. Checkpoints: Checkpoint.swift.
import Basics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bedrock's early stopping (Claude 3 Haiku, Cohere): stop when the validation loss has improved by
/// less than `threshold` for `patience` consecutive evaluations.
public struct EarlyStopping: Sendable, Equatable {
    public var threshold: Double
    public var patience: Int
    public init(threshold: Double, patience: Int) { self.threshold = threshold; self.patience = patience }
}

public struct TrainingHyperparameters: Sendable, Equatable {
    /// Passes over the training set (`epochCount`).
    public var epochs = 1
    /// Records per optimizer step (`batchSize`); the last batch of an epoch may be smaller.
    public var batchSize = 1
    /// Peak learning rate (`learningRate`, or the base rate × `learningRateMultiplier`).
    public var learningRate = 1e-5
    /// Linear warmup steps (`learningRateWarmupSteps`).
    public var warmupSteps = 0
    /// What follows warmup; see LearningRateSchedule.
    public var decay: LearningRateSchedule.Decay = .linear
    public var adamW = AdamWSettings()
    /// Global gradient-norm clip; nil disables clipping.
    public var maxGradientNorm: Double? = 1.0
    /// Sequences per forward/backward pass; nil packs up to `microBatchTokens` tokens instead.
    public var microBatchSize: Int?
    /// Token budget of a micro-batch when `microBatchSize` is nil (bounds activation memory).
    public var microBatchTokens = 512
    /// Early stopping on validation loss; needs validation data.
    public var earlyStopping: EarlyStopping?
    /// Steps between validation passes; nil evaluates at the end of each epoch.
    public var evaluationInterval: Int?
    /// Seeds the epoch order (the model's adapters are seeded when it is built).
    public var seed: UInt64 = 0
    public init() {}
}

/// One row of step_wise_training_metrics.csv (0-based step and epoch as Bedrock writes them).
public struct StepMetrics: Sendable, Equatable {
    public var step: Int, epoch: Int
    public var trainingLoss: Double
    public var perplexity: Double { exp(trainingLoss) }
    public var learningRate: Double, gradientNorm: Double
    public var tokens: Int
}

/// One row of validation_metrics.csv.
public struct ValidationMetrics: Sendable, Equatable {
    public var step: Int, epoch: Int
    public var validationLoss: Double
    public var perplexity: Double { exp(validationLoss) }
}

/// What the progress callback sees after every step.
public struct TrainingProgress: Sendable {
    public var step: Int, totalSteps: Int, epoch: Int, epochs: Int
    public var trainingLoss: Double
    public var validationLoss: Double?
    public var tokensPerSecond: Double
    public var elapsedSeconds: Double
    public var etaSeconds: Double
}

public enum TrainingOutcome: Sendable, Equatable {
    case completed
    /// Validation loss stopped improving; `atStep` steps were taken.
    case earlyStopped(atStep: Int)
    /// The caller cancelled; take `checkpoint()` to resume later.
    case stopped(atStep: Int)
}

public final class Trainer: @unchecked Sendable {
    public let model: TrainingModel
    public let hyperparameters: TrainingHyperparameters
    let train: [TrainingExample], validation: [TrainingExample]
    var optimizer: AdamW
    /// Optimizer steps taken so far.
    public internal(set) var stepsTaken = 0
    public internal(set) var stepMetrics: [StepMetrics] = []
    public internal(set) var validationMetrics: [ValidationMetrics] = []
    var bestValidation: Double?
    var staleEvaluations = 0
    private var cachedOrder: (epoch: Int, order: [Int])?

    public init(model: TrainingModel, training: [TrainingExample], validation: [TrainingExample] = [],
                hyperparameters: TrainingHyperparameters) {
        precondition(!training.isEmpty, "training needs at least one example")
        precondition(hyperparameters.batchSize >= 1 && hyperparameters.epochs >= 1, "batch size and epochs must be positive")
        self.model = model; self.train = training; self.validation = validation
        self.hyperparameters = hyperparameters
        optimizer = AdamW(count: model.trainableCount, settings: hyperparameters.adamW)
    }

    public var stepsPerEpoch: Int { (train.count + hyperparameters.batchSize - 1) / hyperparameters.batchSize }
    public var totalSteps: Int { stepsPerEpoch * hyperparameters.epochs }
    public var schedule: LearningRateSchedule {
        LearningRateSchedule(peak: hyperparameters.learningRate, warmupSteps: hyperparameters.warmupSteps,
                             totalSteps: totalSteps, decay: hyperparameters.decay)
    }
    public var isFinished: Bool { stepsTaken >= totalSteps }
    /// Tokens in one pass over the training set (Bedrock bills tokens × epochs).
    public var tokensPerEpoch: Int { train.reduce(0) { $0 + $1.tokens.count } }

    /// Example order of an epoch: a Fisher–Yates shuffle seeded by (seed, epoch), so resuming at any
    /// step reproduces it.
    func order(epoch: Int) -> [Int] {
        if let c = cachedOrder, c.epoch == epoch { return c.order }
        var idx = Array(train.indices)
        var rng = SplitMix64(seed: hyperparameters.seed &+ 0x5EED_0000 &+ UInt64(epoch) &* 0x9E37_79B9)
        shuffle(&idx, &rng)
        cachedOrder = (epoch, idx)
        return idx
    }

    /// One optimizer step over the next batch: mean loss over its counted tokens.
    @discardableResult
    public func step() -> StepMetrics {
        precondition(!isFinished, "training already finished")
        let h = hyperparameters, epoch = stepsTaken / stepsPerEpoch, b = stepsTaken % stepsPerEpoch
        let ord = order(epoch: epoch)
        let batch = ord[(b * h.batchSize)..<min(train.count, (b + 1) * h.batchSize)].map { train[$0] }
        let counted = batch.reduce(0) { $0 + $1.trainedTargets }
        let core = model.core
        let loss = accumulateGradients(batch, weight: 1 / Double(max(1, counted)))
        // Clipping's factor is applied inside the optimizer's pass (the same products, one pass fewer).
        let norm = globalNorm(core.grads, threads: core.threads)
        let scale = h.maxGradientNorm.flatMap { clipScale(norm: norm, maxNorm: $0) } ?? 1
        let lr = schedule.rate(atStep: stepsTaken + 1)
        optimizer.step(core.trainable, core.grads, learningRate: lr, gradientScale: scale, threads: core.threads)
        let row = StepMetrics(step: stepsTaken, epoch: epoch, trainingLoss: loss, learningRate: lr, gradientNorm: norm,
                              tokens: batch.reduce(0) { $0 + $1.tokens.count })
        stepsTaken += 1
        stepMetrics.append(row)
        return row
    }

    /// The second lane's model (GradientLanes.swift), made on first use and kept.
    var partner: Transformer<Float>?

    /// Validation loss now, recorded as a row; nil without validation data.
    @discardableResult
    public func evaluate() -> ValidationMetrics? {
        guard let loss = model.meanLoss(validation, microBatchTokens: hyperparameters.microBatchTokens) else { return nil }
        let row = ValidationMetrics(step: max(0, stepsTaken - 1), epoch: max(0, stepsTaken - 1) / stepsPerEpoch, validationLoss: loss)
        validationMetrics.append(row)
        return row
    }

    /// Trains until done, early-stopped or cancelled (checked between steps). `progress` runs after every step.
    public func run(isCancelled: () -> Bool = { false }, progress: (TrainingProgress) -> Void = { _ in }) -> TrainingOutcome {
        let clock = ContinuousClock(), start = clock.now
        var tokens = 0
        let firstStep = stepsTaken
        while !isFinished {
            if isCancelled() { return .stopped(atStep: stepsTaken) }
            let row = step()
            tokens += row.tokens
            var stop = false, validationLoss: Double?
            if dueForEvaluation, let v = evaluate() {
                validationLoss = v.validationLoss
                stop = noteValidation(v.validationLoss)
            }
            let elapsed = (clock.now - start).inSeconds, done = stepsTaken - firstStep
            progress(TrainingProgress(step: stepsTaken, totalSteps: totalSteps, epoch: row.epoch, epochs: hyperparameters.epochs,
                                      trainingLoss: row.trainingLoss, validationLoss: validationLoss,
                                      tokensPerSecond: elapsed > 0 ? Double(tokens) / elapsed : 0, elapsedSeconds: elapsed,
                                      etaSeconds: done > 0 ? elapsed / Double(done) * Double(totalSteps - stepsTaken) : 0))
            if stop { return .earlyStopped(atStep: stepsTaken) }
        }
        return .completed
    }

    private var dueForEvaluation: Bool {
        if validation.isEmpty { return false }
        if let k = hyperparameters.evaluationInterval { return stepsTaken % k == 0 || isFinished }
        return stepsTaken % stepsPerEpoch == 0
    }

    /// Updates the early-stopping state; true when training should stop.
    func noteValidation(_ loss: Double) -> Bool {
        guard let es = hyperparameters.earlyStopping else { return false }
        if let best = bestValidation, best - loss < es.threshold {
            staleEvaluations += 1
        } else {
            bestValidation = loss; staleEvaluations = 0
        }
        return staleEvaluations >= es.patience
    }
}
