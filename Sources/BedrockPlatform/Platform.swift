// Platform: the one Swift API shaped like Bedrock's operations. Every front end calls it; every
// rule is enforced here (access, budgets, custom models only through provisioned throughput,
// throttling). State lives in the Workspace; prices and time come from Catalog and Billing.
// The operations are grouped in Account/, Runtime/ and Store/ extensions of this class.
import Billing
import Catalog
import Foundation
import Synchronization
import Workspace

/// Settings of the simulation that AWS does not publish (documented in Docs/architecture.md).
public struct PlatformPolicy: Sendable {
    /// How long an access request stays In progress on the virtual clock before it is granted.
    public var accessApprovalDelay: VirtualDuration = .minutes(2)
    /// The shortest Anthropic use-case description accepted (Bedrock's form needs 10 bytes or more).
    public var minimumUseCaseLength = 10
    public init() {}
}

public final class Platform: Sendable {
    public let catalog: Catalog
    public let workspace: Workspace
    /// Charges are tagged with it, so `cost` can show this session's spend beside the workspace's.
    public let sessionID: String
    public let policy: PlatformPolicy
    /// Price questions (they spend nothing, so no rule stands between a caller and them).
    public let pricing: Pricing
    /// Token buckets of the bookings in use, by booking ARN. Rate-limit windows last a minute of
    /// virtual time, so they are kept in memory rather than in the workspace.
    let limiters = Mutex<[String: ThroughputLimiter]>([:])
    /// SmolLM2, loaded on first use; it serves every text model.
    let textEngine = TextEngineHost()
    /// all-MiniLM-L6-v2, loaded on first use; it serves every embedding model.
    let embeddingEngine = EmbeddingEngineHost()
    /// Numbers the responses of this platform (response ids are `<prefix>-<n>`), so ids repeat run to run.
    let responseCounter = Mutex(0)
    /// Customization and evaluation jobs running on threads of this process.
    let jobRunner = JobRunner()

    public init(workspace: Workspace, catalog: Catalog, sessionID: String, policy: PlatformPolicy = PlatformPolicy()) {
        self.catalog = catalog
        self.workspace = workspace
        self.sessionID = sessionID
        self.policy = policy
        self.pricing = Pricing(policies: catalog.policies)
    }

    /// A platform on an in-memory workspace: tests, notebooks and `--ephemeral`.
    public static func ephemeral(sessionID: String = "session-1") throws -> Platform {
        Platform(workspace: try Workspace.ephemeral(), catalog: try Catalog.standard(), sessionID: sessionID)
    }

    // MARK: Time

    /// The virtual clock's time.
    public func now() throws -> Billing.VirtualTime {
        try workspace.read { try $0.now().billing }
    }

    /// Moves the virtual clock forward and bills what accrued meanwhile (provisioned throughput by
    /// the model-unit-hour). Returns the charges it recorded.
    @discardableResult
    public func advance(by duration: VirtualDuration) throws -> [ThroughputCharge] {
        guard duration.seconds >= 0 else {
            throw BedrockError.validation("the virtual clock only moves forward; got \(duration)")
        }
        return try workspace.write { tx in
            let now = try tx.advanceClock(seconds: duration.seconds).billing
            try accrueCustomModelStorage(through: now, in: tx)
            try accrueImportedModelStorage(through: now, in: tx)
            return try accrueThroughput(through: now, in: tx)
        }
    }
}
