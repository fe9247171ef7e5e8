using BusRuntime.Contracts;
using BusRuntime.LoadDriver.Load;
using MassTransit;

namespace BusRuntime.LoadDriver.Invoke;

/// <summary>
/// (c) What a .NET service on the bus does, and what the caller's sidecar does for every call, with no sidecar on either
/// side: send an <see cref="InvokeRequest"/> to the target app's exchange, non-persistent and mandatory, and await the
/// <see cref="InvokeResponse"/> of the stack floor, which answers with the request's bytes.
/// </summary>
public sealed class BusInvokeTarget(IRequestClient<InvokeRequest> client, string targetAppId, byte[] payload) : ILoadTarget
{
    private static readonly RequestTimeout Deadline = RequestTimeout.After(s: 10);

    public string Name => "(c) A->bus->B, no sidecars";

    public async Task CallAsync(CancellationToken cancellationToken)
    {
        var request = new InvokeRequest
        {
            AppId = targetAppId,
            Method = "echo",
            Source = "bench-driver",
            Data = payload,
            ContentType = "application/octet-stream",
            ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(10),
        };
        var response = await client.GetResponse<InvokeResponse>(request, pipe => pipe.UseExecute(NonPersistentAndRouted), cancellationToken, Deadline);
        if (response.Message.Data.Length != payload.Length)
        {
            throw new LoadDriverException($"{Name}: the echo answered {response.Message.Data.Length} bytes for {payload.Length}.");
        }
    }

    // As the caller's sidecar sends: not written to disk, and mandatory, so a request no queue is bound for comes back.
    private static void NonPersistentAndRouted(SendContext send)
    {
        send.Durable = false;
        if (send.TryGetPayload<RabbitMqSendContext>(out var rabbitMq))
        {
            rabbitMq.Mandatory = true;
        }
    }
}
