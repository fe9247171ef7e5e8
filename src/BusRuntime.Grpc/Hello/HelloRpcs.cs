using BusRuntime.Core.Hello;
using Grpc.Core;
using LayottoV1 = BusRuntime.Protos.Layotto.Runtime.V1;

namespace BusRuntime.Grpc.Hello;

/// <summary>SayHello on every gRPC API that has it (Layotto's): each call mapped onto <see cref="HelloManager"/>.</summary>
public sealed class HelloRpcs(HelloManager hello)
{
    /// <summary>The component's greeting; the request's data comes back as it was sent, as Layotto answers.</summary>
    public async Task<LayottoV1.SayHelloResponse> SayHello(LayottoV1.SayHelloRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var greeting = await hello.SayHelloAsync(request.ServiceName, request.Name, context.CancellationToken).ConfigureAwait(false);
        return new LayottoV1.SayHelloResponse { Hello = greeting, Data = request.Data };
    }
}
