using BusRuntime.Core.Errors;
using BusRuntime.Core.Invoke;
using Grpc.Core;
using DaprInvokeResponse = BusRuntime.Protos.Dapr.Common.V1.InvokeResponse;
using DaprV1 = BusRuntime.Protos.Dapr.Runtime.V1;
using LayottoV1 = BusRuntime.Protos.Layotto.Runtime.V1;
using V1 = BusRuntime.Protos.V1;

namespace BusRuntime.Grpc.Invoke;

/// <summary>Service invocation on every gRPC API: each call mapped onto <see cref="ServiceInvoker"/>.</summary>
public sealed class InvokeRpcs(ServiceInvoker invoker)
{
    public async Task<V1.InvokeResponse> InvokeService(V1.InvokeServiceRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var response = await invoker.InvokeAsync(InvokeServiceMapping.ToCall(request), InvokeServiceMapping.Deadline(context), context.CancellationToken).ConfigureAwait(false);
        await ForwardHeadersAsync(response, context).ConfigureAwait(false);
        return InvokeServiceMapping.ToResponse(response);
    }

    public async Task<DaprInvokeResponse> InvokeService(DaprV1.InvokeServiceRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrEmpty(request.Id))
        {
            throw RuntimeException.InvalidArgument("id is empty; name the app to invoke.");
        }

        var message = request.Message
            ?? throw RuntimeException.InvalidArgument("message is missing; it names the method to invoke and carries its data.");
        var response = await invoker.InvokeAsync(DaprInvokeMapping.ToCall(request.Id, message, context.RequestHeaders), InvokeServiceMapping.Deadline(context), context.CancellationToken).ConfigureAwait(false);
        await ForwardHeadersAsync(response, context).ConfigureAwait(false);
        return DaprInvokeMapping.ToResponse(response);
    }

    public async Task<LayottoV1.InvokeResponse> InvokeService(LayottoV1.InvokeServiceRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrEmpty(request.Id))
        {
            throw RuntimeException.InvalidArgument("id is empty; name the app to invoke.");
        }

        var message = request.Message
            ?? throw RuntimeException.InvalidArgument("message is missing; it names the method to invoke and carries its data.");
        var response = await invoker.InvokeAsync(LayottoInvokeMapping.ToCall(request.Id, message, context.RequestHeaders), InvokeServiceMapping.Deadline(context), context.CancellationToken).ConfigureAwait(false);
        await ForwardHeadersAsync(response, context).ConfigureAwait(false);
        return LayottoInvokeMapping.ToResponse(response);
    }

    /// <summary>
    /// The target's headers become the call's response headers, its trailers the call's trailers; an HTTP app's status
    /// travels in the header dapr-http-status, as daprd sends it.
    /// </summary>
    private static async Task ForwardHeadersAsync(Contracts.InvokeResponse response, ServerCallContext context)
    {
        if (response.Headers.Count > 0 || response.HttpStatusCode != 0)
        {
            var headers = InvokeServiceMapping.ToMetadata(response.Headers);
            if (response.HttpStatusCode != 0)
            {
                headers.Add(InvokeServiceMapping.HttpStatusHeader, response.HttpStatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            await context.WriteResponseHeadersAsync(headers).ConfigureAwait(false);
        }

        foreach (var (key, value) in response.Trailers)
        {
            context.ResponseTrailers.Add(key, value);
        }
    }
}
