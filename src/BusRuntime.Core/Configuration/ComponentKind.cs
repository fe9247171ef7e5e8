namespace BusRuntime.Core.Configuration;

/// <summary>
/// A kind of component ("state", "lock", …) and the components a sidecar has when configuration declares
/// none of that kind: one for most kinds, two for secret stores (a file and the environment).
/// </summary>
public sealed record ComponentKind(string Kind, IReadOnlyList<DefaultComponent> Defaults)
{
    /// <summary>What its components are called in messages: "state" store, "secret" store.</summary>
    public string Noun { get; init; } = Kind;

    public static ComponentKind PubSub { get; } = new("pubsub", [new("pubsub", ComponentTypes.PubSubBus)]);

    public static ComponentKind State { get; } = new("state", [new("statestore", ComponentTypes.StateInMemory, ComponentTypes.StatePostgres)]);

    public static ComponentKind Lock { get; } = new("lock", [new("lockstore", ComponentTypes.LockInMemory, ComponentTypes.LockPostgres)]);

    public static ComponentKind Sequencer { get; } = new("sequencer", [new("sequencer", ComponentTypes.SequencerInMemory, ComponentTypes.SequencerPostgres)]);

    public static ComponentKind Configuration { get; } =
        new("configuration", [new("configstore", ComponentTypes.ConfigurationInMemory, ComponentTypes.ConfigurationPostgres)]);

    public static ComponentKind SecretStores { get; } =
        new("secretstores", [new("secretstore", ComponentTypes.SecretStoreLocalFile), new("envsecrets", ComponentTypes.SecretStoreLocalEnv)]) { Noun = "secret" };

    public static IReadOnlyList<ComponentKind> All { get; } = [PubSub, State, Lock, Sequencer, Configuration, SecretStores];

    public bool Includes(ComponentOptions component)
    {
        ArgumentNullException.ThrowIfNull(component);
        return ComponentTypes.KindOf(component.Type) == Kind;
    }
}
