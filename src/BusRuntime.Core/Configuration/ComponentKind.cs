namespace BusRuntime.Core.Configuration;

/// <summary>
/// A kind of component ("state", "lock", …) and the components a sidecar has when configuration declares
/// none of that kind: one for most kinds, two for secret stores (a file and the environment).
/// </summary>
public sealed record ComponentKind(string Kind, IReadOnlyList<DefaultComponent> Defaults)
{
    /// <summary>What its components are called in messages: "state" store, "secret" store.</summary>
    public string Noun { get; init; } = Kind;

    /// <summary>What one of them is: a state "store", a binding "component".</summary>
    public string Thing { get; init; } = "store";

    /// <summary>The request field that names one of them: "store_name", or "name" for a binding.</summary>
    public string Field { get; init; } = "store_name";

    public static ComponentKind PubSub { get; } = new("pubsub", [new("pubsub", ComponentTypes.PubSubBus)]);

    public static ComponentKind State { get; } = new("state", [new("statestore", ComponentTypes.StateInMemory, ComponentTypes.StatePostgres)]);

    public static ComponentKind Lock { get; } = new("lock", [new("lockstore", ComponentTypes.LockInMemory, ComponentTypes.LockPostgres)]);

    public static ComponentKind Sequencer { get; } = new("sequencer", [new("sequencer", ComponentTypes.SequencerInMemory, ComponentTypes.SequencerPostgres)]);

    public static ComponentKind Configuration { get; } =
        new("configuration", [new("configstore", ComponentTypes.ConfigurationInMemory, ComponentTypes.ConfigurationPostgres)]);

    public static ComponentKind SecretStores { get; } =
        new("secretstores", [new("secretstore", ComponentTypes.SecretStoreLocalFile), new("envsecrets", ComponentTypes.SecretStoreLocalEnv)]) { Noun = "secret" };

    /// <summary>Files (Layotto's file API): a directory on the sidecar's machine unless configuration says otherwise.</summary>
    public static ComponentKind File { get; } = new("file", [new("file_demo", ComponentTypes.FileLocal)]);

    /// <summary>Output bindings: none unless configured.</summary>
    public static ComponentKind Bindings { get; } = new("bindings", []) { Noun = "binding", Thing = "component", Field = "name" };

    /// <summary>Greeting components (Layotto's SayHello), named as in Layotto's quickstart.</summary>
    public static ComponentKind Hello { get; } = new("hello", [new("quick_start_demo", ComponentTypes.HelloWorld)]) { Thing = "component", Field = "service_name" };

    public static IReadOnlyList<ComponentKind> All { get; } = [PubSub, State, Lock, Sequencer, Configuration, SecretStores, File, Bindings, Hello];

    public bool Includes(ComponentOptions component)
    {
        ArgumentNullException.ThrowIfNull(component);
        return ComponentTypes.KindOf(component.Type) == Kind;
    }
}
