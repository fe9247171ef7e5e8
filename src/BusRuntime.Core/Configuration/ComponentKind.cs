namespace BusRuntime.Core.Configuration;

/// <summary>
/// A kind of component ("state", "lock", …): the name it has when configuration declares none of its
/// kind, and its type in memory and on PostgreSQL.
/// </summary>
public sealed record ComponentKind(string Kind, string DefaultName, string InMemoryType, string? PostgresType)
{
    public static ComponentKind PubSub { get; } = new("pubsub", "pubsub", ComponentTypes.PubSubBus, null);

    public static ComponentKind State { get; } = new("state", "statestore", ComponentTypes.StateInMemory, ComponentTypes.StatePostgres);

    public static ComponentKind Lock { get; } = new("lock", "lockstore", ComponentTypes.LockInMemory, ComponentTypes.LockPostgres);

    public static ComponentKind Sequencer { get; } = new("sequencer", "sequencer", ComponentTypes.SequencerInMemory, ComponentTypes.SequencerPostgres);

    public static IReadOnlyList<ComponentKind> All { get; } = [PubSub, State, Lock, Sequencer];

    public bool Includes(ComponentOptions component)
    {
        ArgumentNullException.ThrowIfNull(component);
        return ComponentTypes.KindOf(component.Type) == Kind;
    }
}
