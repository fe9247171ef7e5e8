using System.Globalization;
using BusRuntime.Core.Errors;

namespace BusRuntime.Core.State;

/// <summary>Etags on the wire: the decimal form of a store's positive version number.</summary>
public static class ETags
{
    public static string Format(long etag) => etag.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// What an etag asks of the current entry; INVALID_ARGUMENT names <paramref name="field"/> when it is not
    /// even shaped like one (a well-shaped etag the entry does not have is ABORTED, when the write runs).
    /// </summary>
    public static StatePrecondition PreconditionOf(string? etag, StateConcurrency concurrency, string field)
    {
        if (etag is null)
        {
            return concurrency == StateConcurrency.FirstWrite ? StatePrecondition.MustNotExist : StatePrecondition.None;
        }

        if (etag.Length == 0)
        {
            return StatePrecondition.MustNotExist;
        }

        return long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0
            ? StatePrecondition.MustMatch(version)
            : throw RuntimeException.InvalidArgument($"{field} {Quoted.Of(etag)} is not an etag (etags are the positive whole numbers reads return); pass the etag a read returned, or no etag.");
    }
}
