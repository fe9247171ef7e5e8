using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BusRuntime.Core.Bindings;
using BusRuntime.Core.Errors;
using Npgsql;

namespace BusRuntime.Stores.Postgres.Bindings;

/// <summary>
/// bindings.postgresql, as Dapr's: operation <c>exec</c> runs the request metadata <c>sql</c> and answers metadata
/// <c>rows-affected</c>; <c>query</c> answers its rows as a JSON array of arrays (one per row, values in column order);
/// both with metadata <c>operation</c>, <c>sql</c>, <c>start-time</c>, <c>end-time</c> (RFC 3339) and <c>duration</c>
/// (Go's form). The statement's values come only from metadata <c>params</c>, a JSON array bound to <c>$1</c>, <c>$2</c>, …
/// as parameters, never written into its text. Each statement is bounded by the component's <c>timeout</c> (then
/// DEADLINE_EXCEEDED), a query's answer by <c>maxRows</c> and <c>maxResponseBytes</c> (then RESOURCE_EXHAUSTED).
/// <c>close</c> answers at once and closes nothing: the connection pool is the sidecar's, not one app call's to end.
/// A statement PostgreSQL refuses (syntax, a constraint, a bad value) is INVALID_ARGUMENT with its message.
/// </summary>
public sealed class PostgresOutputBinding(string name, NpgsqlDataSource dataSource, PostgresBindingSettings settings, TimeProvider timeProvider)
    : IOutputBinding, IAsyncDisposable
{
    public const string ExecOperation = "exec";
    public const string QueryOperation = "query";
    public const string CloseOperation = "close";

    /// <summary>The request metadata holding the statement (Dapr's key).</summary>
    public const string SqlKey = "sql";

    /// <summary>The request metadata holding the statement's parameters, a JSON array (Dapr's key).</summary>
    public const string ParamsKey = "params";

    private const int MaxParameters = 1000;

    public IReadOnlyList<string> Operations { get; } = [ExecOperation, QueryOperation, CloseOperation];

    public async Task<BindingResponse> InvokeAsync(BindingRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Operation == CloseOperation)
        {
            return new BindingResponse(ReadOnlyMemory<byte>.Empty, new Dictionary<string, string>(StringComparer.Ordinal));
        }

        var sql = request.Metadata.TryGetValue(SqlKey, out var text) && !string.IsNullOrWhiteSpace(text)
            ? text
            : throw RuntimeException.InvalidArgument($"metadata[sql] is not set; binding '{name}' runs the statement it names, such as \"SELECT id FROM orders WHERE id = $1\".");
        var parameters = Parameters(request.Metadata.TryGetValue(ParamsKey, out var json) ? json : null);
        var start = timeProvider.GetUtcNow();
        var clock = Stopwatch.StartNew();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["operation"] = request.Operation,
            ["sql"] = sql,
            ["start-time"] = start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        };
        ReadOnlyMemory<byte> data = ReadOnlyMemory<byte>.Empty;
        try
        {
            var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var command = new NpgsqlCommand(sql, connection) { CommandTimeout = (int)Math.Ceiling(settings.Timeout.TotalSeconds) };
                await using (command.ConfigureAwait(false))
                {
                    foreach (var parameter in parameters)
                    {
                        command.Parameters.Add(new NpgsqlParameter { Value = parameter });
                    }

                    if (request.Operation == ExecOperation)
                    {
                        var affected = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                        metadata["rows-affected"] = affected.ToString(CultureInfo.InvariantCulture);
                    }
                    else
                    {
                        data = await QueryAsync(command, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.QueryCanceled && !cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(exception);
        }
        catch (NpgsqlException exception) when (exception.InnerException is TimeoutException)
        {
            throw TimedOut(exception);
        }
        catch (PostgresException exception) when (!PostgresErrors.IsUnavailable(exception))
        {
            throw RuntimeException.InvalidArgument($"binding '{name}': PostgreSQL refused the statement: {exception.SqlState}: {exception.MessageText}");
        }
        catch (NpgsqlException exception)
        {
            throw RuntimeException.Unavailable($"binding '{name}': PostgreSQL is unreachable: {PostgresErrors.Reason(exception)}", exception);
        }

        clock.Stop();
        metadata["end-time"] = (start + clock.Elapsed).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
        metadata["duration"] = GoDurationText(clock.Elapsed);
        return new BindingResponse(data, metadata);
    }

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    private RuntimeException TimedOut(Exception exception) =>
        RuntimeException.DeadlineExceeded($"binding '{name}': the statement did not complete within {settings.Timeout:c} (its metadata timeout).", exception);

    /// <summary>The rows as Dapr answers them: [[v1, v2], …], bounded by maxRows and maxResponseBytes.</summary>
    private async Task<ReadOnlyMemory<byte>> QueryAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new Utf8JsonWriter(buffer);
        await using (writer.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                writer.WriteStartArray();
                var rows = 0;
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (++rows > settings.MaxRows)
                    {
                        throw RuntimeException.ResourceExhausted($"binding '{name}': the query returns more than {settings.MaxRows} rows (its metadata maxRows); limit it or page it.");
                    }

                    writer.WriteStartArray();
                    for (var column = 0; column < reader.FieldCount; column++)
                    {
                        WriteValue(writer, reader.GetValue(column));
                    }

                    writer.WriteEndArray();
                    if (writer.BytesCommitted + writer.BytesPending > settings.MaxResponseBytes)
                    {
                        throw RuntimeException.ResourceExhausted(
                            $"binding '{name}': the query's rows are over {settings.MaxResponseBytes} bytes (its metadata maxResponseBytes); select fewer columns or rows.");
                    }
                }

                writer.WriteEndArray();
            }
        }

        return buffer.WrittenMemory;
    }

    private static void WriteValue(Utf8JsonWriter writer, object value)
    {
        switch (value)
        {
            case DBNull:
                writer.WriteNullValue();
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case short or int or long or byte:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case float or double:
                writer.WriteNumberValue(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                break;
            case decimal number:
                writer.WriteNumberValue(number);
                break;
            case DateTime time:
                writer.WriteStringValue(time.ToString("O", CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset time:
                writer.WriteStringValue(time.ToString("O", CultureInfo.InvariantCulture));
                break;
            case byte[] bytes:
                writer.WriteBase64StringValue(bytes);
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>metadata[params] as parameter values: strings, numbers, booleans and nulls; objects and arrays as their JSON text.</summary>
    private static List<object> Parameters(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw RuntimeException.InvalidArgument($"metadata[params] is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}; it must be an array, such as [7, \"paid\"].");
            }

            if (document.RootElement.GetArrayLength() > MaxParameters)
            {
                throw RuntimeException.InvalidArgument($"metadata[params] has {document.RootElement.GetArrayLength()} values; a statement takes at most {MaxParameters}.");
            }

            return [.. document.RootElement.EnumerateArray().Select(element => element.ValueKind switch
            {
                JsonValueKind.String => (object)element.GetString()!,
                JsonValueKind.Number => element.TryGetInt64(out var whole) ? whole : element.GetDouble(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Null => DBNull.Value,
                _ => element.GetRawText(),
            })];
        }
        catch (JsonException exception)
        {
            throw RuntimeException.InvalidArgument($"metadata[params] is not JSON: {exception.Message}");
        }
    }

    /// <summary>A duration as Go's time.Duration prints it: 1.5s, 2.25ms, 40µs.</summary>
    private static string GoDurationText(TimeSpan duration) => duration.TotalSeconds >= 1
        ? duration.TotalSeconds.ToString("0.#########", CultureInfo.InvariantCulture) + "s"
        : duration.TotalMilliseconds >= 1
            ? duration.TotalMilliseconds.ToString("0.######", CultureInfo.InvariantCulture) + "ms"
            : (duration.Ticks / 10.0).ToString("0.###", CultureInfo.InvariantCulture) + "µs";
}
