// The text engine's public face: a loaded model (weights + tokenizer + one KV-cache session) with
// token counting, chat rendering, generation (sampling, stop sequences, streaming deltas,
// cancellation, Bedrock stop reasons) and per-token log-probs. Every call starts from an empty cache,
// so a result depends only on its inputs and the seed, never on earlier calls or the thread count.
// Calls are serialized by a lock. Prices, access and request bodies belong to the platform.
import Foundation
import Numerics

/// Why generation ended, with Bedrock's names (plus `cancelled`, for a caller's interruption).
public enum StopReason: String, Sendable, Equatable {
    /// The model produced its end-of-turn token.
    case endTurn = "end_turn"
    /// maxTokens were generated.
    case maxTokens = "max_tokens"
    /// The text reached one of the stop sequences.
    case stopSequence = "stop_sequence"
    /// The sequence filled the context window.
    case contextWindowExceeded = "model_context_window_exceeded"
    /// The caller's cancellation check returned true (Ctrl-C); not a Bedrock value.
    case cancelled = "cancelled"
}

/// One streamed step: the new text (may be empty while a UTF-8 character or a possible stop
/// sequence is incomplete) and the token it came from.
public struct TextDelta: Sendable, Equatable {
    public let text: String
    public let tokenID: Int
}

/// The outcome of one generation.
public struct GenerationResult: Sendable, Equatable {
    /// Generated text, without the stop sequence or end-of-turn marker.
    public let text: String
    /// Generated token ids (including a final end-of-turn token when that was the reason).
    public let tokens: [Int]
    /// Tokens in the prompt.
    public let inputTokens: Int
    /// Tokens generated.
    public var outputTokens: Int { tokens.count }
    public let stopReason: StopReason
    /// The stop sequence matched, when stopReason is .stopSequence.
    public let stopSequence: String?
    /// Wall-clock seconds for the prompt and for generation (not reproducible; mask in notebooks).
    public let promptSeconds: Double, generationSeconds: Double
}

/// A token and its log-probability given the tokens before it.
public struct TokenLogProb: Sendable, Equatable {
    public let tokenID: Int
    public let text: String
    public let logProb: Float
}

public final class TextModel: @unchecked Sendable {
    public let tokenizer: Tokenizer
    public let weights: LlamaWeights
    public var config: LlamaConfig { weights.config }
    /// The context window in tokens.
    public var contextWindow: Int { session.capacity }
    /// Seconds the load took (mapping, metadata, tokenizer).
    public let loadSeconds: Double
    private let session: LlamaSession
    private let lock = NSLock()

    /// Loads a llama GGUF model. path nil = SmolLM2-135M-Instruct from the model cache.
    /// threads: kernel threads (results are identical for any count); contextWindow: KV-cache size.
    public init(path: String? = nil, threads: Int = 2, contextWindow: Int? = nil, isa: KernelISA? = nil) throws {
        let start = Date()
        let file = try GGUFFile(path: ModelLocator.existing(path ?? ModelLocator.smolLM2Path))
        weights = try LlamaWeights(gguf: file)
        tokenizer = try Tokenizer(gguf: file)
        session = LlamaSession(weights: weights, threads: threads, capacity: contextWindow, isa: isa)
        loadSeconds = Date().timeIntervalSince(start)
    }

    /// Kernel threads in use.
    public var threads: Int { session.threads }

    // MARK: tokens and chat

    /// Token ids of plain text (control-token texts are not special here).
    public func encode(_ text: String) -> [Int] { tokenizer.encode(text) }
    /// Text of token ids.
    public func decode(_ ids: [Int]) -> String { tokenizer.decode(ids) }
    /// Tokens in `text` as a prompt would count them (control markers count as one token each).
    public func countTokens(_ text: String) -> Int { tokenizer.count(text, allowSpecial: true) }
    /// The ChatML prompt for a conversation, ending with the assistant turn opener, for display.
    public func renderChat(_ messages: [ChatMessage]) -> String { ChatTemplate.render(messages) }

    // MARK: generation

    /// Continues `prompt` (rendered text; ChatML markers in it are control tokens).
    /// - Parameters: onToken: called after every token with the text delta; isCancelled: checked
    ///   between tokens. Throws SessionError.contextWindowExceeded when the prompt does not fit.
    public func generate(prompt: String, parameters: SamplingParameters,
                         onToken: ((TextDelta) -> Void)? = nil,
                         isCancelled: (() -> Bool)? = nil) throws -> GenerationResult {
        try generate(promptTokens: tokenizer.encode(prompt, allowSpecial: true), parameters: parameters,
                     onToken: onToken, isCancelled: isCancelled)
    }

    /// Answers a conversation in the model's chat template.
    public func chat(_ messages: [ChatMessage], parameters: SamplingParameters,
                     onToken: ((TextDelta) -> Void)? = nil,
                     isCancelled: (() -> Bool)? = nil) throws -> GenerationResult {
        try generate(promptTokens: tokenizer.encode(ChatTemplate.pieces(messages)), parameters: parameters,
                     onToken: onToken, isCancelled: isCancelled)
    }

    /// Generation from token ids.
    public func generate(promptTokens: [Int], parameters: SamplingParameters,
                         onToken: ((TextDelta) -> Void)? = nil,
                         isCancelled: (() -> Bool)? = nil) throws -> GenerationResult {
        lock.lock(); defer { lock.unlock() }
        let t0 = Date()
        session.reset()
        if promptTokens.count >= session.capacity {
            throw SessionError.contextWindowExceeded(needed: promptTokens.count + 1, limit: session.capacity)
        }
        var logits = try session.append(promptTokens)
        let t1 = Date()
        var sampler = Sampler(parameters)
        var stream = TextStream(stopSequences: parameters.stopSequences)
        var tokens: [Int] = [], reason = StopReason.maxTokens, stopText: String?
        let endIDs = tokenizer.endOfTurnIDs
        while true {
            if tokens.count >= parameters.maxTokens { reason = .maxTokens; break }
            if isCancelled?() == true { reason = .cancelled; break }
            if session.position >= session.capacity { reason = .contextWindowExceeded; break }
            let next = sampler.sample(logits)
            tokens.append(next)
            if endIDs.contains(next) {   // <|im_end|> or <|endoftext|>
                reason = .endTurn
                onToken?(TextDelta(text: stream.flush(), tokenID: next))
                break
            }
            let (delta, stop) = stream.push(tokenizer.bytes(of: next))
            onToken?(TextDelta(text: delta, tokenID: next))
            if let stop { reason = .stopSequence; stopText = stop; break }
            logits = try session.append([next])
        }
        if reason != .stopSequence && reason != .endTurn {
            let rest = stream.flush()
            if !rest.isEmpty { onToken?(TextDelta(text: rest, tokenID: tokens.last ?? -1)) }
        }
        return GenerationResult(text: stream.text, tokens: tokens, inputTokens: promptTokens.count,
                                stopReason: reason, stopSequence: stopText,
                                promptSeconds: t1.timeIntervalSince(t0), generationSeconds: Date().timeIntervalSince(t1))
    }

    // MARK: scoring

    /// The k most likely next tokens after `prompt` (rendered text), with log-probs, most likely first.
    public func topNextTokens(prompt: String, k: Int) throws -> [TokenLogProb] {
        lock.lock(); defer { lock.unlock() }
        session.reset()
        let lp = logSoftmax(try session.append(tokenizer.encode(prompt, allowSpecial: true)))
        let top = lp.indices.sorted { lp[$0] != lp[$1] ? lp[$0] > lp[$1] : $0 < $1 }.prefix(k)
        return top.map { TokenLogProb(tokenID: $0, text: tokenizer.decode([$0]), logProb: lp[$0]) }
    }

    /// Log-probability of every token of `tokens` after the first, given all tokens before it.
    /// Sequences longer than `window` (default: the context window) are scored with a sliding window
    /// that advances by half a window, each token scored once with at least half a window of context.
    public func logProbs(tokens: [Int], window: Int? = nil) throws -> [TokenLogProb] {
        lock.lock(); defer { lock.unlock() }
        let w = max(2, min(window ?? session.capacity, session.capacity))
        var out: [TokenLogProb] = []
        var begin = 0, scored = 1
        while scored < tokens.count {
            let end = min(begin + w, tokens.count)
            session.reset()
            try session.appendAll(Array(tokens[begin..<end])) { first, logits in
                for row in 0..<min(session.maxBatch, end - begin - first) {
                    let p = begin + first + row + 1      // the token this row predicts
                    guard p >= scored, p < end else { continue }
                    let lp = logSoftmax(logits.row(row))
                    out.append(TokenLogProb(tokenID: tokens[p], text: tokenizer.decode([tokens[p]]), logProb: lp[tokens[p]]))
                }
            }
            scored = end
            begin = end - w / 2
        }
        return out
    }

    /// Log-probs of `text`'s tokens, each given the ones before it (the first token is conditioned
    /// on `context`, by default <|endoftext|>, so every token of the text is scored).
    public func logProbs(of text: String, context: [Int] = [0], window: Int? = nil) throws -> [TokenLogProb] {
        let lps = try logProbs(tokens: context + tokenizer.encode(text), window: window)
        return Array(lps.dropFirst(max(0, context.count - 1)))
    }
}
