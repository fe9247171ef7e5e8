using System.Text;
using BusRuntime.Core.State.Query;
using BusRuntime.Core.Stores;
using Npgsql;
using NpgsqlTypes;

namespace BusRuntime.Stores.Postgres.State;

/// <summary>
/// A <see cref="StateQuery"/> as one parameterised SELECT over the state documents of one component (the tenant),
/// answering as <see cref="StateQuery"/> defines it. Only the statement's shape comes from the query; every key
/// member, value, prefix and bound is a parameter. A key's value is reached with <c>-&gt;</c> and a text member
/// per step, never <c>#&gt;</c>: <c>#&gt;</c> reads a member such as "0" of an array as its first element, and a
/// key passes through objects only. It selects one row past the limit, so the reader knows whether a page follows.
/// </summary>
internal sealed class StateQuerySql
{
    private readonly StringBuilder sql = new();
    private readonly List<NpgsqlParameter> parameters = [];

    private StateQuerySql()
    {
    }

    /// <summary>The columns each row holds: id, the value's text, the revision, the expiry.</summary>
    public static NpgsqlCommand Command(string schema, string tenant, StateQuery query, KeyScope scope)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(scope);
        var builder = new StateQuerySql();
        return builder.Build(schema, tenant, query, scope);
    }

    private NpgsqlCommand Build(string schema, string tenant, StateQuery query, KeyScope scope)
    {
        sql.Append($"SELECT id, data ->> '{nameof(StateDocument.Text)}', mt_version, expires_at FROM {schema}.{StateDocuments.Table} WHERE tenant_id = ")
            .Append(Add(new NpgsqlParameter<string> { TypedValue = tenant }))
            .Append(" AND (expires_at IS NULL OR expires_at > now())")
            .Append($" AND data ->> '{nameof(StateDocument.Text)}' IS NOT NULL AND ");
        AppendScope(scope);
        if (query.Filter is { } filter)
        {
            sql.Append(" AND ");
            AppendFilter(filter);
        }

        sql.Append(" ORDER BY ");
        foreach (var sort in query.Sort)
        {
            AppendSort(sort);
        }

        sql.Append("id COLLATE \"C\" OFFSET ")
            .Append(Add(new NpgsqlParameter<int> { TypedValue = query.Offset }))
            .Append(" LIMIT ")
            .Append(Add(new NpgsqlParameter<int> { TypedValue = query.Limit + 1 }));

        var command = new NpgsqlCommand(sql.ToString());
        command.Parameters.AddRange(parameters.ToArray());
        return command;
    }

    // KeyScope.Owns in SQL: the prefix and the separator then at least one character, or no separator at all.
    private void AppendScope(KeyScope scope)
    {
        if (scope.Prefix is { } prefix)
        {
            var start = Add(new NpgsqlParameter<string> { TypedValue = prefix + KeyScope.Separator });
            sql.Append($"starts_with(id, {start}) AND length(id) > length({start})");
        }
        else
        {
            sql.Append("strpos(id, ")
                .Append(Add(new NpgsqlParameter<string> { TypedValue = KeyScope.Separator }))
                .Append(") = 0");
        }
    }

    private void AppendFilter(QueryFilter filter)
    {
        switch (filter)
        {
            case LogicalFilter logical:
                sql.Append('(');
                for (var index = 0; index < logical.Filters.Count; index++)
                {
                    if (index > 0)
                    {
                        sql.Append(logical.Operator == QueryOperator.And ? " AND " : " OR ");
                    }

                    AppendFilter(logical.Filters[index]);
                }

                sql.Append(')');
                break;
            case InFilter @in:
                var value = Value(@in.Key);
                var values = Add(new NpgsqlParameter<string[]> { TypedValue = [.. @in.Values.Select(each => each.RawText)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
                sql.Append($"({value} = ANY({values}))");
                break;
            case ComparisonFilter comparison:
                AppendComparison(comparison);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(filter), filter.Operator, "A filter is a comparison, IN, AND or OR.");
        }
    }

    // A missing key is SQL NULL, which no comparison (NEQ included) matches; GT to LTE compare numbers only.
    private void AppendComparison(ComparisonFilter comparison)
    {
        var value = Value(comparison.Key);
        var operand = Add(new NpgsqlParameter<string> { TypedValue = comparison.Value.RawText, NpgsqlDbType = NpgsqlDbType.Jsonb });
        var op = comparison.Operator switch
        {
            QueryOperator.Eq => "=",
            QueryOperator.Neq => "<>",
            QueryOperator.Gt => ">",
            QueryOperator.Gte => ">=",
            QueryOperator.Lt => "<",
            QueryOperator.Lte => "<=",
            _ => throw new ArgumentOutOfRangeException(nameof(comparison), comparison.Operator, "A comparison is EQ, NEQ, GT, GTE, LT or LTE."),
        };
        sql.Append(comparison.Operator is QueryOperator.Eq or QueryOperator.Neq
            ? $"({value} {op} {operand})"
            : $"(jsonb_typeof({value}) = 'number' AND {value} {op} {operand})");
    }

    // jsonb's order, with strings by code point whatever the database's collation, and arrays and objects tied
    // (as the in-memory store ties them); a missing key last in either direction.
    private void AppendSort(QuerySort sort)
    {
        var value = Value(sort.Key);
        var direction = sort.Descending ? " DESC" : "";
        sql.Append($"({value} IS NULL), ")
            .Append($"CASE jsonb_typeof({value}) WHEN 'null' THEN 0 WHEN 'string' THEN 1 WHEN 'number' THEN 2 ")
            .Append($"WHEN 'boolean' THEN CASE WHEN {value} = 'true'::jsonb THEN 4 ELSE 3 END WHEN 'array' THEN 5 ELSE 6 END{direction}, ")
            .Append($"(CASE WHEN jsonb_typeof({value}) = 'string' THEN {value} #>> '{{}}' END) COLLATE \"C\"{direction}, ")
            .Append($"(CASE WHEN jsonb_typeof({value}) = 'number' THEN ({value})::numeric END){direction}, ");
    }

    /// <summary>The SQL of the value at <paramref name="key"/> of the entry's JSON: NULL when it lacks the key.</summary>
    private string Value(QueryPath key)
    {
        var path = new StringBuilder($"(data -> '{nameof(StateDocument.Json)}'");
        foreach (var segment in key.Segments)
        {
            path.Append(" -> ").Append(Add(new NpgsqlParameter<string> { TypedValue = segment, NpgsqlDbType = NpgsqlDbType.Text }));
        }

        return path.Append(')').ToString();
    }

    private string Add(NpgsqlParameter parameter)
    {
        parameters.Add(parameter);
        return $"${parameters.Count}";
    }
}
