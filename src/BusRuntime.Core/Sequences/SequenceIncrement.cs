namespace BusRuntime.Core.Sequences;

/// <summary>How ids are handed out (Layotto's AutoIncrement).</summary>
public enum SequenceIncrement
{
    /// <summary>Unique, increasing per sidecar; may come from a segment the sidecar reserved.</summary>
    Weak,

    /// <summary>Strictly increasing across every sidecar: one store round trip per id.</summary>
    Strong,
}
