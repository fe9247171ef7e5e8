using BusRuntime.Core.Secrets;
using Grpc.Core;
using DaprV1 = BusRuntime.Protos.Dapr.Runtime.V1;
using LayottoV1 = BusRuntime.Protos.Layotto.Runtime.V1;
using V1 = BusRuntime.Protos.V1;

namespace BusRuntime.Grpc.Secrets;

/// <summary>Secrets on every gRPC API: each call mapped onto <see cref="SecretManager"/>.</summary>
public sealed class SecretRpcs(SecretManager secrets)
{
    public async Task<V1.GetSecretResponse> GetSecret(V1.GetSecretRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var secret = await secrets.GetAsync(request.StoreName, request.Key, context.CancellationToken).ConfigureAwait(false);
        var response = new V1.GetSecretResponse();
        response.Data.AddAll(secret);
        return response;
    }

    public async Task<DaprV1.GetSecretResponse> GetSecret(DaprV1.GetSecretRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var secret = await secrets.GetAsync(request.StoreName, request.Key, context.CancellationToken).ConfigureAwait(false);
        var response = new DaprV1.GetSecretResponse();
        response.Data.AddAll(secret);
        return response;
    }

    public async Task<V1.GetBulkSecretResponse> GetBulkSecret(V1.GetBulkSecretRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var all = await secrets.GetBulkAsync(request.StoreName, context.CancellationToken).ConfigureAwait(false);
        var response = new V1.GetBulkSecretResponse();
        foreach (var (key, value) in all)
        {
            response.Data[key] = new V1.SecretResponse { Secrets = { [key] = value } };
        }

        return response;
    }

    public async Task<DaprV1.GetBulkSecretResponse> GetBulkSecret(DaprV1.GetBulkSecretRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var all = await secrets.GetBulkAsync(request.StoreName, context.CancellationToken).ConfigureAwait(false);
        var response = new DaprV1.GetBulkSecretResponse();
        foreach (var (key, value) in all)
        {
            response.Data[key] = new DaprV1.SecretResponse { Secrets = { [key] = value } };
        }

        return response;
    }

    public async Task<LayottoV1.GetSecretResponse> GetSecret(LayottoV1.GetSecretRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var secret = await secrets.GetAsync(request.StoreName, request.Key, context.CancellationToken).ConfigureAwait(false);
        var response = new LayottoV1.GetSecretResponse();
        response.Data.AddAll(secret);
        return response;
    }

    public async Task<LayottoV1.GetBulkSecretResponse> GetBulkSecret(LayottoV1.GetBulkSecretRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var all = await secrets.GetBulkAsync(request.StoreName, context.CancellationToken).ConfigureAwait(false);
        var response = new LayottoV1.GetBulkSecretResponse();
        foreach (var (key, value) in all)
        {
            response.Data[key] = new LayottoV1.SecretResponse { Secrets = { [key] = value } };
        }

        return response;
    }
}
