namespace BusRuntime.LoadDriver.Reporting;

/// <summary>One round: both modes' throughput, in the order they ran, and their ratio.</summary>
public sealed record RoundResult(int Round, string Order, double DirectMessagesPerSecond, double SidecarMessagesPerSecond)
{
    public double Ratio => SidecarMessagesPerSecond / DirectMessagesPerSecond;
}
