using System.Security.Authentication;
using Npgsql;

namespace BusRuntime.Stores.Postgres;

/// <summary>Which PostgreSQL failures mean "the database cannot serve now" and which mean "run the transaction again".</summary>
public static class PostgresErrors
{
    /// <summary>
    /// No connection, a broken one, a timeout (NpgsqlException without a server error), or a server that
    /// refuses work for now: connection exceptions (08), insufficient resources (53), shutting down or
    /// starting up (57P01-57P03), a read-only standby after a failover (25006), or one that rejects the
    /// credentials or database (28, 3D000), which an operator fixes outside the sidecar.
    /// </summary>
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        PostgresException server => server.SqlState.StartsWith("08", StringComparison.Ordinal)
            || server.SqlState.StartsWith("53", StringComparison.Ordinal)
            || server.SqlState.StartsWith("28", StringComparison.Ordinal)
            || server.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
                or PostgresErrorCodes.InvalidCatalogName or PostgresErrorCodes.ReadOnlySqlTransaction,
        NpgsqlException => true,
        _ => false,
    };

    /// <summary>A serialization failure or deadlock: PostgreSQL rolled the transaction back, so running it again is safe.</summary>
    public static bool IsRetryable(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected };

    /// <summary>
    /// The SSL handshake failed (the certificate was refused) or the server answered that it has no SSL.
    /// </summary>
    public static bool IsSslFailure(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is AuthenticationException || current.Message.StartsWith("SSL connection requested", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What went wrong, for an operator: Npgsql's message and its cause's (a socket error, a timeout); never the connection string.</summary>
    public static string Reason(Exception exception) => exception switch
    {
        PostgresException server => $"{server.SqlState}: {server.MessageText}",
        { InnerException: { } inner } => $"{exception.Message} ({inner.Message})",
        _ => exception.Message,
    };
}
