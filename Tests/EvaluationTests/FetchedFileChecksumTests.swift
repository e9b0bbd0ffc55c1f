// The checksum scripts/fetch-data records (from sha256sum) for a real data file, when it is fetched.
import Basics
import Foundation
import Testing
@testable import Evaluation

@Suite struct FetchedFileChecksumTests {
    /// The sum scripts/fetch-data records (from sha256sum) for a real file, when it is fetched.
    @Test func matchesSha256sumOnFetchedFile() throws {
        let url = DatasetCatalog().dataDirectory.appendingPathComponent("quiz/africa")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            print("skipped: \(url.path) not fetched; run scripts/fetch-data")
            return
        }
        #expect(sha256Hex(data) == "d01bb8d33ff5f33ddfaa056984d4fe64df9f7b0e2ba00b9b779fc24eba62c823")
    }
}
