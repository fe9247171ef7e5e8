using System.Text.Json;
using BusRuntime.Contracts;
using MassTransit;

namespace BusRuntime.Samples.BusService;

/// <summary>
/// Answers invocations of this service's app id straight from the bus, no sidecar and no gRPC server:
/// a sidecar's InvokeService(app_id, method) arrives as an <see cref="InvokeRequest"/> and the
/// <see cref="InvokeResponse"/> goes back to it. A failure is an answer with a gRPC status code, which
/// the calling app receives unchanged.
/// </summary>
public sealed class OrderInvokeConsumer(OrderLedger ledger, TimeProvider timeProvider, ILogger<OrderInvokeConsumer> logger) : IConsumer<InvokeRequest>
{
    private const int NotFound = 5;

    public async Task Consume(ConsumeContext<InvokeRequest> context)
    {
        var request = context.Message;

        // The caller stopped waiting: nobody would read the answer.
        if (request.ExpiresAt <= timeProvider.GetUtcNow())
        {
            return;
        }

        var response = request.Method switch
        {
            "orders/count" => new InvokeResponse
            {
                Data = JsonSerializer.SerializeToUtf8Bytes(new { received = ledger.Received }, JsonSerializerOptions.Web),
                ContentType = "application/json",
            },
            "echo" => new InvokeResponse
            {
                Data = request.Data,
                ContentType = request.ContentType,
                Headers = request.Metadata,
            },
            _ => new InvokeResponse { StatusCode = NotFound, StatusMessage = $"method '{request.Method}' is not one of: orders/count, echo." },
        };
        Log.Answered(logger, request.Method, request.Source, response.StatusCode);

        // Answers are not worth a disk write: the caller is waiting for them now or never.
        await context.RespondAsync(response, send => send.Durable = false);
    }
}
