using System.Globalization;
using BusRuntime.Core.Bindings;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Resources;

namespace BusRuntime.Stores.Postgres.Bindings;

/// <summary>A bindings.postgresql component's settings, read from its metadata; a bad value throws naming its key, never showing a password.</summary>
public sealed record PostgresBindingSettings(string ConnectionString, TimeSpan Timeout, int MaxRows, int MaxResponseBytes)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(10);
    public const int DefaultMaxRows = 1000;

    public static PostgresBindingSettings For(ComponentOptions component, string? sidecarPostgres, int maxPayloadBytes)
    {
        ArgumentNullException.ThrowIfNull(component);
        var key = ComponentMetadata.KeyOf(component, StoreOptions.ConnectionStringMetadataKey);
        var given = ComponentMetadata.GetString(component, StoreOptions.ConnectionStringMetadataKey) ?? sidecarPostgres
            ?? throw new InvalidOperationException($"{key} is not set, nor is BusRuntime:Postgres; a bindings.postgresql component needs a database, such as postgres://user:password@host:5432/db.");
        string connectionString;
        try
        {
            connectionString = PostgresConnectionStrings.ToNpgsql(given);
            _ = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (FormatException exception)
        {
            throw new InvalidOperationException($"{key} {exception.Message}", exception);
        }
        catch (ArgumentException exception)
        {
            throw new InvalidOperationException($"{key} cannot be read: {exception.Message}", exception);
        }

        var timeout = DefaultTimeout;
        if (ComponentMetadata.GetString(component, BindingMetadata.Timeout) is { } text && !TryParseTimeout(text, out timeout))
        {
            throw new InvalidOperationException($"{ComponentMetadata.KeyOf(component, BindingMetadata.Timeout)} '{text}' must be a time between 1s and {MaxTimeout:c}, as 00:00:30 or 30s.");
        }

        return new PostgresBindingSettings(
            connectionString,
            timeout,
            ComponentMetadata.GetInt32(component, BindingMetadata.MaxRows, DefaultMaxRows, 1, 1_000_000),
            ComponentMetadata.GetInt32(component, BindingMetadata.MaxResponseBytes, maxPayloadBytes, 1, 64 * 1024 * 1024));
    }

    /// <summary>BusRuntime's 00:00:30, or Dapr's whole seconds 30s.</summary>
    private static bool TryParseTimeout(string text, out TimeSpan timeout)
    {
        timeout = TimeSpan.Zero;
        var parsed = text.EndsWith('s') && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) ? span : TimeSpan.Zero;
        if (parsed < TimeSpan.FromSeconds(1) || parsed > MaxTimeout)
        {
            return false;
        }

        timeout = parsed;
        return true;
    }
}
