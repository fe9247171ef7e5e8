namespace BusRuntime.Core.State;

public enum StateExpiryKind
{
    Keep,
    Never,
    After,
}
