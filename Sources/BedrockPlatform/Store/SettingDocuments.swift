// Platform state kept as one JSON document under a key of the workspace settings: provisioned
// throughput, custom and imported models' billed storage months, imported models' billed windows.
// Written with sorted keys, so the same state is the same text.
import Foundation
import Workspace

extension Platform {
    /// The document stored under `key`, or `empty` when there is none yet.
    func settingDocument<T: Decodable>(_ key: String, default empty: T, in tx: WorkspaceTransaction) throws -> T {
        guard let json = try tx.setting(key) else { return empty }
        return try JSONDecoder().decode(T.self, from: Data(json.utf8))
    }

    /// Stores `value` under `key`.
    func saveSettingDocument<T: Encodable>(_ value: T, _ key: String, in tx: WorkspaceTransaction) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try tx.setSetting(key, to: String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
