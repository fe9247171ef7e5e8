using System.ComponentModel.DataAnnotations;

namespace BusRuntime.Core.Configuration;

/// <summary>Where the PostgreSQL-backed components keep their data (configuration section "BusRuntime").</summary>
public sealed class StoreOptions
{
    /// <summary>The metadata key of a postgresql component's own connection string.</summary>
    public const string ConnectionStringMetadataKey = "connectionString";

    /// <summary>The metadata key of a postgresql component's own schema.</summary>
    public const string SchemaMetadataKey = "schema";

    /// <summary>
    /// The PostgreSQL connection string (Npgsql syntax). When set, the default components (statestore,
    /// lockstore, sequencer) live on PostgreSQL; a postgresql component may name its own with the
    /// metadata key connectionString.
    /// </summary>
    public string? Postgres { get; set; }

    /// <summary>The schema that holds BusRuntime's tables; one per deployment. A component may override it with the metadata key schema.</summary>
    [RegularExpression(Names.SchemaPattern, ErrorMessage = "BusRuntime:PostgresSchema must match ^[a-z_][a-z0-9_]{{0,62}}$ (lower-case letters, digits and '_').")]
    public string PostgresSchema { get; set; } = "busruntime";

    /// <summary>How often expired state entries and locks are deleted (readers never see them either way).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "BusRuntime:ExpirySweepInterval must be between 00:00:01 and 1.00:00:00.")]
    public TimeSpan ExpirySweepInterval { get; set; } = TimeSpan.FromMinutes(1);
}
