namespace BusRuntime.Core.State;

/// <summary>What a write without an etag does when the key exists (Dapr's concurrency option).</summary>
public enum StateConcurrency
{
    /// <summary>Overwrite (the default, also when unspecified).</summary>
    LastWrite,

    /// <summary>Create only: fail when the key exists.</summary>
    FirstWrite,
}
