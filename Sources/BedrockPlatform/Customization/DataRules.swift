// What a base model accepts as training data: the JSONL record shapes (reference §4.3) and the size
// limits (§4.4) for one base model and customization type, plus the hyperparameter mapping from
// Bedrock's names onto Training's settings. Rules only: no files are read here.
import Catalog
import Training

enum DataRules {
    /// Record shapes a base model's jobs take, by request-body family (§4.3).
    static func shapes(_ card: ModelCard, _ type: CustomizationType) -> Set<RecordShape> {
        if type == .continuedPreTraining { return [.text] }
        switch card.bodyFamily {
        case .claudeMessages: return [.conversation]
        case .nova: return [.novaConversation]
        case .llama: return card.id.contains("llama3") ? [.promptCompletion, .conversation] : [.promptCompletion]
        default: return [.promptCompletion]
        }
    }

    /// The longest record trained here, in tokens. Attention keeps (heads, T, T) probabilities per
    /// layer for the backward pass (Training/README.md), so records are capped below Bedrock's 4,096
    /// to keep a job within a few GB; the report names whichever limit is lower.
    static let localMaxTokensPerRecord = 2048

    /// §4.4 limits. Titan's per-record token limit depends on the batch size; models the reference
    /// gives no figures for get Titan Express's (the most common base in the reference's examples).
    static func limits(_ card: ModelCard, _ type: CustomizationType, batchSize: Int, validation: Bool) -> DataLimits {
        let gb = 1 << 30, mb = 1 << 20
        var tokens = 4096
        var records: (min: Int?, max: Int?) = (nil, type == .continuedPreTraining ? 100_000 : 10_000)
        var fileBytes = type == .continuedPreTraining ? 10 * gb : gb
        if card.id.contains("titan-text-express"), batchSize >= 2 { tokens = 2048 }
        if card.id.contains("titan-text-lite"), batchSize >= 3 { tokens = 2048 }
        if card.hyperparameterSchema == "claude-3-haiku" {
            tokens = 32_000
            records = validation ? (nil, 1000) : (32, 10_000)
        }
        if validation { fileBytes = 100 * mb; if card.hyperparameterSchema != "claude-3-haiku" { records.max = nil } }
        let cap = min(tokens, localMaxTokensPerRecord)
        return DataLimits(maxFileBytes: fileBytes, minRecords: records.min, maxRecords: records.max,
                          maxTokensPerRecord: cap, maxCharactersPerRecord: tokens * 6)
    }

    /// The learning rate `learningRateMultiplier` scales (Claude 3 Haiku); Bedrock does not publish
    /// Claude's, so the local trainer uses LoRA's usual 1e-4.
    static let multiplierBaseRate = 1e-4

    /// Training's settings from resolved Bedrock hyperparameters.
    static func trainingSettings(_ h: ResolvedHyperparameters, seed: UInt64, hasValidation: Bool) -> TrainingHyperparameters {
        var t = TrainingHyperparameters()
        t.seed = seed
        if let v = h["epochCount"] { t.epochs = Int(v.doubleValue) }
        if let v = h["batchSize"] { t.batchSize = Int(v.doubleValue) }
        if let v = h["learningRate"] { t.learningRate = v.doubleValue }
        if let v = h["learningRateMultiplier"] { t.learningRate = multiplierBaseRate * v.doubleValue }
        if let v = h["learningRateWarmupSteps"] { t.warmupSteps = Int(v.doubleValue) }
        if hasValidation, let threshold = h["earlyStoppingThreshold"], let patience = h["earlyStoppingPatience"] {
            t.earlyStopping = EarlyStopping(threshold: threshold.doubleValue, patience: Int(patience.doubleValue))
        }
        return t
    }
}
