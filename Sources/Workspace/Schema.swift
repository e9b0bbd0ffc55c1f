// Schema: the workspace's tables as named, append-only GRDB migrations.
// A migration, once shipped, is never edited: later changes are new migrations at the end, so a
// workspace made by any older bedrock migrates forward and keeps its data. Conventions: money is
// TEXT (exact Decimal), virtual times are INTEGER seconds since 1970-01-01T00:00:00Z, maps are JSON.
import GRDB

enum Schema {
    /// `PRAGMA application_id` of every bedrock workspace ("BDRK"): tells ours from other SQLite files.
    static let applicationID: Int32 = 0x4244_524B

    /// Migration identifiers, oldest first. Their count is the schema version.
    static var identifiers: [String] { steps.map(\.id) }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for step in steps { migrator.registerMigration(step.id) { db in try db.execute(sql: step.sql) } }
        return migrator
    }

    static let steps: [(id: String, sql: String)] = [
        ("v1-account", v1Account),
        ("v2-customization", v2Customization),
        ("v3-evaluation", v3Evaluation),
        ("v4-model-import", v4ModelImport),
    ]

    /// Access, pricing state, provisioned throughput, the ledger, the clock and the invocation log.
    static let v1Account = """
        PRAGMA application_id = \(applicationID);
        CREATE TABLE setting (
            key TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL);
        CREATE TABLE clock (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            now INTEGER NOT NULL);
        INSERT INTO clock (id, now) VALUES (1, \(VirtualTime.workspaceStart.seconds));
        CREATE TABLE model_access (
            model_id TEXT PRIMARY KEY NOT NULL,
            state TEXT NOT NULL CHECK (state IN
                ('AVAILABLE_TO_REQUEST', 'IN_PROGRESS', 'GRANTED', 'DENIED')),
            use_case TEXT,
            requested_at INTEGER,
            decided_at INTEGER);
        CREATE TABLE commitment_quota (
            model_id TEXT PRIMARY KEY NOT NULL,
            units INTEGER NOT NULL CHECK (units >= 0));
        CREATE TABLE provisioned_throughput (
            arn TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL UNIQUE,
            model_id TEXT NOT NULL,
            units INTEGER NOT NULL CHECK (units > 0),
            term TEXT NOT NULL CHECK (term IN ('NoCommitment', 'OneMonth', 'SixMonths')),
            state TEXT NOT NULL CHECK (state IN ('Creating', 'InService', 'Updating', 'Failed')),
            created_at INTEGER NOT NULL,
            expires_at INTEGER,
            billed_through INTEGER NOT NULL,
            deleted_at INTEGER);
        CREATE TABLE ledger (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            model_id TEXT,
            quantities TEXT NOT NULL,
            amount TEXT NOT NULL,
            time INTEGER NOT NULL,
            note TEXT NOT NULL,
            session_id TEXT NOT NULL,
            origin TEXT);
        CREATE INDEX ledger_by_session ON ledger (session_id, id);
        CREATE INDEX ledger_by_time ON ledger (time);
        CREATE TABLE invocation (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            model_id TEXT NOT NULL,
            input_tokens INTEGER NOT NULL CHECK (input_tokens >= 0),
            output_tokens INTEGER NOT NULL CHECK (output_tokens >= 0),
            latency_ms INTEGER NOT NULL CHECK (latency_ms >= 0),
            cost TEXT NOT NULL,
            stop_reason TEXT,
            time INTEGER NOT NULL,
            booking_arn TEXT REFERENCES provisioned_throughput (arn),
            session_id TEXT NOT NULL,
            ledger_id INTEGER REFERENCES ledger (id));
        CREATE INDEX invocation_by_session ON invocation (session_id, id);
        """

    /// Model customization jobs and the private custom models they register.
    static let v2Customization = """
        CREATE TABLE customization_job (
            id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL UNIQUE,
            base_model_id TEXT NOT NULL,
            customization_type TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN
                ('InProgress', 'Completed', 'Failed', 'Stopping', 'Stopped')),
            status_details TEXT NOT NULL,
            hyperparameters TEXT NOT NULL,
            training_data_path TEXT NOT NULL,
            validation_data_path TEXT,
            output_model_name TEXT NOT NULL,
            output_model_arn TEXT,
            metrics TEXT NOT NULL,
            failure_message TEXT,
            created_at INTEGER NOT NULL,
            ended_at INTEGER);
        CREATE TABLE custom_model (
            arn TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL UNIQUE,
            base_model_id TEXT NOT NULL,
            base_file_sha256 TEXT NOT NULL,
            weights_path TEXT NOT NULL,
            customization_type TEXT NOT NULL,
            hyperparameters TEXT NOT NULL,
            job_id TEXT REFERENCES customization_job (id),
            created_at INTEGER NOT NULL);
        """

    /// Evaluation jobs, their per-metric results, and human ratings.
    static let v3Evaluation = """
        CREATE TABLE evaluation_job (
            id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL UNIQUE,
            job_type TEXT NOT NULL CHECK (job_type IN ('Automated', 'Human')),
            task_type TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN
                ('InProgress', 'Completed', 'Failed', 'Stopping', 'Stopped', 'Deleting')),
            model_ids TEXT NOT NULL,
            dataset TEXT NOT NULL,
            metrics TEXT NOT NULL,
            judge_model_id TEXT,
            report_path TEXT,
            failure_message TEXT,
            created_at INTEGER NOT NULL,
            ended_at INTEGER);
        CREATE TABLE evaluation_result (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            job_id TEXT NOT NULL REFERENCES evaluation_job (id) ON DELETE CASCADE,
            model_id TEXT NOT NULL,
            metric TEXT NOT NULL,
            category TEXT NOT NULL,
            value REAL NOT NULL,
            item_count INTEGER NOT NULL CHECK (item_count >= 0),
            UNIQUE (job_id, model_id, metric, category));
        CREATE TABLE human_rating (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            job_id TEXT REFERENCES evaluation_job (id) ON DELETE CASCADE,
            item_id TEXT NOT NULL,
            rater TEXT NOT NULL,
            method TEXT NOT NULL CHECK (method IN ('ThumbsUpDown', 'IndividualLikertScale',
                'ComparisonLikertScale', 'ComparisonChoice', 'ComparisonRank')),
            value TEXT NOT NULL,
            model_ids TEXT NOT NULL,
            time INTEGER NOT NULL);
        CREATE INDEX human_rating_by_job ON human_rating (job_id, id);
        """

    /// Custom Model Import: import jobs and the imported models they register. `process_id` lets a
    /// later process tell a job whose process died (it is then marked Failed) from a running one.
    static let v4ModelImport = """
        CREATE TABLE model_import_job (
            id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL UNIQUE,
            model_name TEXT NOT NULL,
            source_path TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('InProgress', 'Completed', 'Failed')),
            imported_model_arn TEXT,
            failure_message TEXT,
            process_id INTEGER,
            created_at INTEGER NOT NULL,
            ended_at INTEGER);
        CREATE TABLE imported_model (
            arn TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL UNIQUE,
            job_id TEXT REFERENCES model_import_job (id),
            file_path TEXT NOT NULL,
            file_sha256 TEXT NOT NULL,
            file_bytes INTEGER NOT NULL CHECK (file_bytes > 0),
            custom_model_units INTEGER NOT NULL CHECK (custom_model_units > 0),
            info TEXT NOT NULL,
            created_at INTEGER NOT NULL);
        """
}
