using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using BusRuntime.Core.Configuration;
using MassTransit;

namespace BusRuntime.Stores.Postgres.Sagas;

/// <summary>
/// Where and how the PostgreSQL saga repository keeps the instances of <typeparamref name="TSaga"/>: one table
/// per saga type (<see cref="Schema"/>.<see cref="Table"/>), the saga as JSON, and its state in a column of
/// its own so that operators can list instances by state.
/// </summary>
public sealed partial class PostgresSagaRepositoryOptions<TSaga>
    where TSaga : class, ISagaVersion
{
    /// <summary>Table names leave room for the index names derived from them within PostgreSQL's 63 characters.</summary>
    public const string TablePattern = "^[a-z_][a-z0-9_]{0,48}$";

    /// <summary>The schema of the table (created when missing); BusRuntime's stores use "busruntime" too.</summary>
    public string Schema { get; set; } = "busruntime";

    /// <summary>The table, by default "saga_" and the saga type's name in snake case (WorkflowState: saga_workflow_state).</summary>
    public string Table { get; set; } = DefaultTable();

    /// <summary>
    /// What goes into the current_state column. By default the saga's CurrentState property (a state machine's
    /// InstanceState), as text; null when the saga has none.
    /// </summary>
    public Func<TSaga, string?> CurrentState { get; set; } = DefaultCurrentState();

    /// <summary>How the saga is written to the data column (System.Text.Json); its public properties with setters round-trip.</summary>
    public JsonSerializerOptions SerializerOptions { get; set; } = new(JsonSerializerDefaults.General);

    /// <summary>Throws naming the setting when a value cannot work.</summary>
    internal void Validate()
    {
        if (Schema is null || !SchemaRegex().IsMatch(Schema))
        {
            throw new InvalidOperationException(
                $"The saga repository of {typeof(TSaga).Name}: Schema '{Schema}' must match {Names.SchemaPattern} (lower-case letters, digits and '_').");
        }

        if (Table is null || !TableRegex().IsMatch(Table))
        {
            throw new InvalidOperationException(
                $"The saga repository of {typeof(TSaga).Name}: Table '{Table}' must match {TablePattern} (lower-case letters, digits and '_', at most 49).");
        }

        if (CurrentState is null || SerializerOptions is null)
        {
            throw new InvalidOperationException(
                $"The saga repository of {typeof(TSaga).Name}: {(CurrentState is null ? nameof(CurrentState) : nameof(SerializerOptions))} must not be null.");
        }
    }

    private static string DefaultTable()
    {
        var name = typeof(TSaga).Name;
        var table = new StringBuilder("saga_", name.Length + 10);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && table[^1] != '_')
            {
                table.Append('_');
            }

            table.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_');
        }

        return table.ToString();
    }

    private static Func<TSaga, string?> DefaultCurrentState()
    {
        var property = typeof(TSaga).GetProperty("CurrentState", BindingFlags.Public | BindingFlags.Instance);
        if (property is null || property.GetMethod is null)
        {
            return static _ => null;
        }

        return saga => property.GetValue(saga) switch
        {
            null => null,
            string state => state,
            IFormattable state => state.ToString(null, CultureInfo.InvariantCulture),
            var state => state.ToString(),
        };
    }

    [GeneratedRegex(Names.SchemaPattern)]
    private static partial Regex SchemaRegex();

    [GeneratedRegex(TablePattern)]
    private static partial Regex TableRegex();
}
