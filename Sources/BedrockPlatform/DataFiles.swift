// The data cache that scripts/fetch-data fills from Debian and PyPI packages (quiz files, fortunes,
// VADER ratings, the Jargon File), and the model cache that scripts/fetch-models fills. Scripts
// reach their files by name, so notebooks that build their own training or evaluation sets from
// packaged text, or import a cached model file, run the same on every machine.
import Catalog
import Evaluation
import Foundation
import TextEngine

extension Platform {
    /// The absolute path of `relative` (e.g. "jargon/jargon.txt") inside the data cache:
    /// $BEDROCK_DATA, else $BEDROCK_HOME/data, else ~/.bedrock/data.
    public func dataFile(_ relative: String) throws -> String {
        let root = DatasetCatalog.defaultDataDirectory()
        guard !relative.hasPrefix("/"), !relative.split(separator: "/").contains("..") else {
            throw BedrockError.validation("data_file takes a path inside the data cache such as \"jargon/jargon.txt\", got \(relative)")
        }
        let url = root.appendingPathComponent(relative)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            let folders = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? [])
                .filter { !$0.hasPrefix(".") && $0 != "packages" }.sorted()
            throw BedrockError.resourceNotFound("no file \(relative) in the data cache \(root.path)"
                + (folders.isEmpty ? " (it is empty: run scripts/fetch-data)" : " (it has \(folders.joined(separator: ", ")); scripts/fetch-data fills it)"))
        }
        return url.path
    }

    /// The absolute path of `relative` (e.g. "smollm2/SmolLM2-135M-Instruct.Q4_1.gguf") inside the
    /// model cache: $BEDROCK_MODELS, else $BEDROCK_HOME/models, else ~/.bedrock/models.
    public func modelFile(_ relative: String) throws -> String {
        let root = URL(fileURLWithPath: ModelLocator.cacheDirectory)
        guard !relative.hasPrefix("/"), !relative.split(separator: "/").contains("..") else {
            throw BedrockError.validation("model_file takes a path inside the model cache such as \"smollm2/SmolLM2-135M-Instruct.Q4_1.gguf\", got \(relative)")
        }
        let url = root.appendingPathComponent(relative)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            let files = ((FileManager.default.subpaths(atPath: root.path)) ?? []).filter { !$0.hasPrefix(".") && $0.contains(".") }.sorted()
            let near = ClosestNames.suggest(relative, among: files, limit: 1)
            throw BedrockError.resourceNotFound("no file \(relative) in the model cache \(root.path)"
                + (near.first.map { "; did you mean \"\($0)\"?" } ?? (files.isEmpty ? " (it is empty: run scripts/fetch-models)" : "")))
        }
        return url.path
    }
}
