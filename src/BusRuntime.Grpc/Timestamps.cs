using BusRuntime.Core.Errors;
using Google.Protobuf.WellKnownTypes;

namespace BusRuntime.Grpc;

internal static class Timestamps
{
    // What google.protobuf.Timestamp allows: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z.
    private const long MinSeconds = -62135596800;
    private const long MaxSeconds = 253402300799;

    /// <summary>A request's timestamp as a time, or null when it has none; one out of Timestamp's range is INVALID_ARGUMENT naming <paramref name="field"/>.</summary>
    public static DateTimeOffset? ToTime(Timestamp? timestamp, string field) => timestamp switch
    {
        null => null,
        { Seconds: < MinSeconds or > MaxSeconds } or { Nanos: < 0 or > 999_999_999 } => throw RuntimeException.InvalidArgument(
            $"{field} is not a time: seconds must be between {MinSeconds} and {MaxSeconds} (years 1 to 9999) and nanos between 0 and 999999999, not {timestamp.Seconds} and {timestamp.Nanos}."),
        _ => timestamp.ToDateTimeOffset(),
    };
}
