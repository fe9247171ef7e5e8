using System.ComponentModel.DataAnnotations;
using BusRuntime.Core.Errors;
using BusRuntime.Core.State.Query;

namespace BusRuntime.Core.Configuration;

/// <summary>Where the store components keep their data (configuration section "BusRuntime").</summary>
public sealed class StoreOptions : IValidatableObject
{
    /// <summary>The configuration key of <see cref="StateQueryIndexes"/>.</summary>
    public const string StateQueryIndexesKey = "BusRuntime:StateQueryIndexes";

    /// <summary>The most keys <see cref="StateQueryIndexes"/> may name.</summary>
    public const int MaxStateQueryIndexes = 16;

    /// <summary>The metadata key of a postgresql component's own connection string.</summary>
    public const string ConnectionStringMetadataKey = "connectionString";

    /// <summary>The metadata key of a postgresql component's own schema.</summary>
    public const string SchemaMetadataKey = "schema";

    /// <summary>
    /// The PostgreSQL connection string (Npgsql syntax). When set, the default components (statestore,
    /// lockstore, sequencer, configstore) live on PostgreSQL; a postgresql component may name its own with the
    /// metadata key connectionString.
    /// </summary>
    public string? Postgres { get; set; }

    /// <summary>The schema that holds BusRuntime's tables; one per deployment. A component may override it with the metadata key schema.</summary>
    [RegularExpression(Names.SchemaPattern, ErrorMessage = "BusRuntime:PostgresSchema must match ^[a-z_][a-z0-9_]{{0,62}}$ (lower-case letters, digits and '_').")]
    public string PostgresSchema { get; set; } = "busruntime";

    /// <summary>
    /// Whether the sidecar creates the Marten schema of the state store itself: CreateOrUpdate (the default, for
    /// development and embedded use) or None, for deployments that apply it ahead with <c>busruntime db migrate</c>;
    /// then a missing schema fails readiness naming that command.
    /// </summary>
    [RegularExpression("^(CreateOrUpdate|None)$", ErrorMessage = "BusRuntime:PostgresAutoCreate must be CreateOrUpdate or None.")]
    public string PostgresAutoCreate { get; set; } = "CreateOrUpdate";

    /// <summary>How often expired state entries and locks are deleted (readers never see them either way).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "BusRuntime:ExpirySweepInterval must be between 00:00:01 and 1.00:00:00.")]
    public TimeSpan ExpirySweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The JSON file of the secret stores of type secretstores.local.file that name none in their metadata
    /// secretsFile, the default "secretstore" among them. Without either such a store is empty and says so.
    /// </summary>
    public string? SecretsFile { get; set; }

    /// <summary>
    /// The directory of the file stores of type file.local that name none in their metadata rootPath, the default
    /// "file_demo" among them; without either, busruntime/files in the user's local data directory.
    /// </summary>
    public string? FilesDirectory { get; set; }

    /// <summary>
    /// Query keys (such as <c>person.org</c>) the state documents of every state.postgresql component in the schema
    /// get an index on, so that EQ and IN on them need not read every entry of the component.
    /// </summary>
    public IList<string> StateQueryIndexes { get; } = new List<string>();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        string? error = null;
        try
        {
            _ = ParseStateQueryIndexes(StateQueryIndexes);
        }
        catch (RuntimeException exception)
        {
            error = exception.Message;
        }

        return error is null ? [] : [new ValidationResult(error, [nameof(StateQueryIndexes)])];
    }

    /// <summary>
    /// The keys of <see cref="StateQueryIndexes"/>, each checked as a query key and named by its position in an error;
    /// at most <see cref="MaxStateQueryIndexes"/>, and none twice.
    /// </summary>
    public static IReadOnlyList<QueryPath> ParseStateQueryIndexes(IEnumerable<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var list = keys.ToList();
        if (list.Count > MaxStateQueryIndexes)
        {
            throw RuntimeException.InvalidArgument($"{StateQueryIndexesKey} names {list.Count} keys, over the maximum of {MaxStateQueryIndexes}.");
        }

        var paths = new List<QueryPath>(list.Count);
        for (var index = 0; index < list.Count; index++)
        {
            var path = StateQueryParser.ParseKey(list[index] ?? "", $"{StateQueryIndexesKey}:{index}");
            if (paths.Any(each => each.Text == path.Text))
            {
                throw RuntimeException.InvalidArgument($"{StateQueryIndexesKey}:{index} key {Quoted.Of(path.Text)} is named twice.");
            }

            paths.Add(path);
        }

        return paths;
    }
}
