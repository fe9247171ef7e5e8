namespace BusRuntime.Samples.BusService;

/// <summary>How many "orders" events this service has received; what it answers to "orders/count".</summary>
public sealed class OrderLedger
{
    private long received;

    public long Received => Interlocked.Read(ref received);

    public void Record() => Interlocked.Increment(ref received);
}
