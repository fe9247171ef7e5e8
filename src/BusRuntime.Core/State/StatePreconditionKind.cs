namespace BusRuntime.Core.State;

public enum StatePreconditionKind
{
    None,
    MustNotExist,
    MustMatch,
}
