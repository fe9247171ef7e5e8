namespace BusRuntime.Core.Configuration;

/// <summary>
/// The component types a configuration may declare. A type is "{kind}.{implementation}", with Dapr's
/// implementation names where Dapr has one, so that Dapr component habits carry over.
/// </summary>
public static class ComponentTypes
{
    /// <summary>Pub/sub on the sidecar's bus, whichever transport it uses.</summary>
    public const string PubSubBus = "pubsub.bus";

    public const string StateInMemory = "state.in-memory";
    public const string StatePostgres = "state.postgresql";
    public const string LockInMemory = "lock.in-memory";
    public const string LockPostgres = "lock.postgresql";
    public const string SequencerInMemory = "sequencer.in-memory";
    public const string SequencerPostgres = "sequencer.postgresql";

    public static IReadOnlyList<string> All { get; } =
        [PubSubBus, StateInMemory, StatePostgres, LockInMemory, LockPostgres, SequencerInMemory, SequencerPostgres];

    /// <summary>The kind of a type: "state" for "state.postgresql".</summary>
    public static string KindOf(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var dot = type.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? type : type[..dot];
    }
}
