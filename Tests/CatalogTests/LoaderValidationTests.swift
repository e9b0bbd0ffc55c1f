// The loader rejects broken catalog data with every issue located by record and field.
// Each test edits a copy of the shipped file (as JSON) to break exactly one invariant.
import Foundation
import Testing
@testable import Catalog

@Suite struct LoaderValidationTests {
    /// The shipped file as a mutable JSON tree.
    func shipped() throws -> [String: Any] {
        let text = try #require(EmbeddedCatalogData.files[Catalog.dataFileName])
        return try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func load(_ tree: [String: Any]) throws -> CatalogDataError? {
        let data = try JSONSerialization.data(withJSONObject: tree)
        do { _ = try Catalog(json: data, file: "test.json"); return nil } catch { return error }
    }

    func editModel(_ index: Int, _ edit: (inout [String: Any]) -> Void) throws -> [String: Any] {
        var tree = try shipped()
        var models = tree["models"] as! [[String: Any]]
        edit(&models[index])
        tree["models"] = models
        return tree
    }

    func index(of id: String) throws -> Int {
        let models = try shipped()["models"] as! [[String: Any]]
        return try #require(models.firstIndex { $0["id"] as? String == id })
    }

    @Test func shippedDataLoadsClean() throws {
        #expect(try load(try shipped()) == nil)
    }

    @Test func duplicateIDIsReportedWithBothRecords() throws {
        let i = try index(of: "amazon.titan-text-lite-v1")
        let err = try #require(try load(try editModel(i) { $0["id"] = "amazon.titan-text-express-v1" }))
        let express = try index(of: "amazon.titan-text-express-v1")
        #expect(err.issues == [CatalogDataIssue(record: express, modelID: "amazon.titan-text-express-v1", field: "id",
                                                problem: "\"amazon.titan-text-express-v1\" is already used by record \(i)")])
        #expect(err.description.contains("test.json"))
    }

    @Test func customizableModelWithoutSchemaIsRejected() throws {
        let i = try index(of: "amazon.titan-text-express-v1")
        let err = try #require(try load(try editModel(i) { $0.removeValue(forKey: "hyperparameterSchema") }))
        #expect(err.issues == [CatalogDataIssue(record: i, modelID: "amazon.titan-text-express-v1", field: "hyperparameterSchema",
                                                problem: "a customizable model needs a hyperparameter schema (§4.2)")])
    }

    @Test func missingPricesAreEachReported() throws {
        let i = try index(of: "amazon.titan-text-express-v1")
        let err = try #require(try load(try editModel(i) { m in
            var prices = m["prices"] as! [String: Any]
            prices.removeValue(forKey: "onDemand")
            prices.removeValue(forKey: "provisioned")
            m["prices"] = prices
        }))
        #expect(Set(err.issues.map(\.field)) == ["prices.onDemand", "prices.provisioned"])
        #expect(err.issues.allSatisfy { $0.record == i })
    }

    @Test func defaultOutsideRangeIsRejected() throws {
        var tree = try shipped()
        var schemas = tree["hyperparameterSchemas"] as! [String: [[String: Any]]]
        schemas["llama"]![0]["default"] = 11
        tree["hyperparameterSchemas"] = schemas
        let err = try #require(try load(tree))
        #expect(err.issues.map(\.field) == ["hyperparameterSchemas.llama.epochCount"])
        #expect(err.issues[0].problem.contains("[1–10]"))
    }

    @Test func badPriceTextNamesRecordAndField() throws {
        let i = try index(of: "ai21.j2-mid-v1")
        let err = try #require(try load(try editModel(i) { m in
            var prices = m["prices"] as! [String: Any]
            var od = prices["onDemand"] as! [String: Any]
            var input = od["inputPer1K"] as! [String: Any]
            input["usd"] = "twelve"
            od["inputPer1K"] = input
            prices["onDemand"] = od
            m["prices"] = prices
        }))
        #expect(err.issues.count == 1)
        #expect(err.issues[0].record == i)
        #expect(err.issues[0].field == "prices.onDemand.inputPer1K.usd")
        #expect(err.issues[0].problem.contains("\"twelve\""))
    }

    @Test func unknownEnumValueNamesTheField() throws {
        let i = try index(of: "cohere.command-r-v1:0")
        let err = try #require(try load(try editModel(i) { $0["provider"] = "Cohere Inc" }))
        #expect(err.issues.count == 1)
        #expect(err.issues[0].record == i && err.issues[0].field == "provider")
    }
}
