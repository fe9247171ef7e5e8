namespace BusRuntime.Stores.Postgres.Migrations;

/// <summary>
/// The history of BusRuntime's own tables in one schema, shared by every component (rows carry the component's
/// name in <c>store</c>): state, locks, sequences, configuration, files and the journal. Append new steps; never change one
/// that has shipped.
/// </summary>
internal static class StoreMigrations
{
    public static IReadOnlyList<PostgresMigration> All { get; } =
    [
        new("0001-stores", Stores),
        new("0002-journal", Journal),
        new("0003-journal-body-omitted-bytes", schema => [$"ALTER TABLE {schema}.journal ADD COLUMN IF NOT EXISTS body_omitted_bytes integer NULL"]),
        new("0004-journal-destination-app", JournalDestinationApp),
        new("0005-files", Files),
        new("0006-jobs", Jobs),
    ];

    // Jobs of Dapr's jobs API, one row per (app, name): the app's texts as written, and where the job is (its next tick,
    // when to try it, ticks delivered, failed tries, the lease of the sidecar delivering it). Due jobs are found by index.
    private static IEnumerable<string> Jobs(string schema)
    {
        yield return $"""
            CREATE TABLE IF NOT EXISTS {schema}.jobs (
                app_id text COLLATE "C" NOT NULL,
                name text COLLATE "C" NOT NULL,
                schedule text NULL,
                repeats bigint NULL,
                due_time text NULL,
                ttl text NULL,
                data_type text NULL,
                data bytea NULL,
                policy text NULL,
                policy_interval interval NULL,
                policy_max_retries bigint NULL,
                created_at timestamptz NOT NULL,
                tick timestamptz NOT NULL,
                due_at timestamptz NOT NULL,
                fired integer NOT NULL,
                failed_attempts integer NOT NULL,
                version uuid NOT NULL,
                leased_until timestamptz NULL,
                PRIMARY KEY (app_id, name))
            """;
        yield return $"CREATE INDEX IF NOT EXISTS jobs_due_at ON {schema}.jobs (app_id, due_at)";
    }

    // file.postgresql: a file's row points at the generation of content rows its last put wrote. Content is stored
    // as it is (STORAGE EXTERNAL): files are often compressed already, and compressing them again costs the put.
    private static IEnumerable<string> Files(string schema)
    {
        yield return $"""
            CREATE TABLE IF NOT EXISTS {schema}.files (
                store text COLLATE "C" NOT NULL,
                path text COLLATE "C" NOT NULL,
                generation uuid NOT NULL,
                size bigint NOT NULL,
                metadata jsonb NOT NULL,
                last_modified timestamptz NOT NULL,
                PRIMARY KEY (store, path))
            """;
        yield return $"""
            CREATE TABLE IF NOT EXISTS {schema}.file_chunks (
                store text COLLATE "C" NOT NULL,
                path text COLLATE "C" NOT NULL,
                generation uuid NOT NULL,
                chunk integer NOT NULL,
                data bytea NOT NULL,
                PRIMARY KEY (store, path, generation, chunk))
            """;
        yield return $"ALTER TABLE {schema}.file_chunks ALTER COLUMN data SET STORAGE EXTERNAL";
    }

    private static IEnumerable<string> Stores(string schema)
    {
        yield return $"CREATE SEQUENCE IF NOT EXISTS {schema}.state_etag";
        yield return $"""
            CREATE TABLE IF NOT EXISTS {schema}.state (
                store text COLLATE "C" NOT NULL,
                key text COLLATE "C" NOT NULL,
                value bytea NOT NULL,
                etag bigint NOT NULL,
                expires_at timestamptz NULL,
                PRIMARY KEY (store, key))
            """;
        yield return $"CREATE INDEX IF NOT EXISTS state_expires_at ON {schema}.state (store, expires_at) WHERE expires_at IS NOT NULL";
        yield return $"""
            CREATE TABLE IF NOT EXISTS {schema}.locks (
                store text COLLATE "C" NOT NULL,
                resource_id text COLLATE "C" NOT NULL,
                owner text NOT NULL,
                expires_at timestamptz NOT NULL,
                PRIMARY KEY (store, resource_id))
            """;
        yield return $"CREATE INDEX IF NOT EXISTS locks_expires_at ON {schema}.locks (store, expires_at)";
        yield return $"""
            CREATE TABLE IF NOT EXISTS {schema}.sequences (
                store text COLLATE "C" NOT NULL,
                key text COLLATE "C" NOT NULL,
                last_id bigint NOT NULL,
                PRIMARY KEY (store, key))
            """;
        yield return $"CREATE SEQUENCE IF NOT EXISTS {schema}.configuration_version";
        // A deleted item keeps its row with content NULL and a new version (a tombstone), so that a sidecar
        // that missed the delete's event learns of it when it reads the store again.
        yield return $"""
            CREATE TABLE IF NOT EXISTS {schema}.configuration (
                store text COLLATE "C" NOT NULL,
                app_id text COLLATE "C" NOT NULL,
                group_name text COLLATE "C" NOT NULL,
                label text COLLATE "C" NOT NULL,
                key text COLLATE "C" NOT NULL,
                content text NULL,
                tags jsonb NOT NULL,
                metadata jsonb NOT NULL,
                version bigint NOT NULL,
                PRIMARY KEY (store, app_id, group_name, label, key))
            """;
    }

    // The app whose queue received the message (JournalEntry.DestinationAppId), so that a sidecar finds the
    // deliveries to its app by index. Rows written before stay NULL: filling them would be one statement over the
    // whole journal, longer than a command may take on a large one; they age out within Journal:Retention.
    private static IEnumerable<string> JournalDestinationApp(string schema)
    {
        yield return $"ALTER TABLE {schema}.journal ADD COLUMN IF NOT EXISTS destination_app text COLLATE \"C\" NULL";
        yield return $"CREATE INDEX IF NOT EXISTS journal_destination_app ON {schema}.journal (destination_app, recorded_at)";
    }

    private static IEnumerable<string> Journal(string schema)
    {
        yield return $"""
            CREATE TABLE IF NOT EXISTS {schema}.journal (
                seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                message_id text COLLATE "C" NOT NULL,
                conversation_id text NULL,
                correlation_id text NULL,
                kind text NOT NULL,
                source_app text COLLATE "C" NULL,
                destination text NULL,
                topic text COLLATE "C" NULL,
                headers jsonb NOT NULL,
                body text NOT NULL,
                recorded_at timestamptz NOT NULL,
                outcome text COLLATE "C" NOT NULL,
                retries integer NOT NULL,
                reason text NULL)
            """;
        yield return $"CREATE INDEX IF NOT EXISTS journal_recorded_at ON {schema}.journal (recorded_at)";
        yield return $"CREATE INDEX IF NOT EXISTS journal_topic ON {schema}.journal (topic, recorded_at)";
        yield return $"CREATE INDEX IF NOT EXISTS journal_source_app ON {schema}.journal (source_app, recorded_at)";
        yield return $"CREATE INDEX IF NOT EXISTS journal_outcome ON {schema}.journal (outcome, recorded_at)";
        yield return $"CREATE INDEX IF NOT EXISTS journal_message_id ON {schema}.journal (message_id)";
    }
}
