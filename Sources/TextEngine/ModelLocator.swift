// Where model files live: $BEDROCK_MODELS, else $BEDROCK_HOME/models, else ~/.bedrock/models
// (ARCHITECTURE.md "Workspace"). Only finds paths; scripts/fetch-models puts the files there.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum ModelLocator {
    /// The model cache directory.
    public static var cacheDirectory: String {
        if let dir = env("BEDROCK_MODELS") { return dir }
        if let home = env("BEDROCK_HOME") { return home + "/models" }
        return (env("HOME") ?? "/root") + "/.bedrock/models"
    }

    /// Path of SmolLM2-135M-Instruct (Q4_1 GGUF) in the cache.
    public static var smolLM2Path: String { cacheDirectory + "/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf" }

    /// `path` if the file exists, else GGUFError.modelNotFound (whose message says to run scripts/fetch-models).
    public static func existing(_ path: String) throws(GGUFError) -> String {
        guard access(path, R_OK) == 0 else { throw .modelNotFound(path: path) }
        return path
    }

    private static func env(_ name: String) -> String? {
        guard let v = getenv(name) else { return nil }
        let s = String(cString: v)
        return s.isEmpty ? nil : s
    }
}
