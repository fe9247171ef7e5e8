using BusRuntime.Contracts;
using MassTransit;

namespace BusRuntime.StackFloor;

/// <summary>
/// Answers the sidecars' invocation contract on the bus with the request's own bytes: the least a .NET service on the bus
/// can do for an invocation, so the invoke benchmark can put the sidecars' path beside the bus's own request and reply.
/// </summary>
public sealed class InvokeEchoConsumer : IConsumer<InvokeRequest>
{
    public async Task Consume(ConsumeContext<InvokeRequest> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await context.RespondAsync(new InvokeResponse { StatusCode = InvokeResponse.Ok, Data = context.Message.Data, ContentType = context.Message.ContentType });
    }
}
