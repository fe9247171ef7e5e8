using BusRuntime.Core.Security;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace BusRuntime.Sidecar.Commands;

/// <summary>
/// The tokens an operator's tool (the commands, the web console) sends to a sidecar: the API token, when the
/// environment has one (BusRuntime__ApiToken or DAPR_API_TOKEN, read as the sidecar reads them), and the operator
/// token, when it has one (BusRuntime__OperatorToken or BUSRUNTIME_OPERATOR_TOKEN). They are never flags, so they
/// stay out of shell history and process lists.
/// </summary>
public sealed record SidecarTokens(string? ApiToken, string? OperatorToken)
{
    public static SidecarTokens FromEnvironment() => new(
        Variable("BusRuntime__ApiToken", "DAPR_API_TOKEN"),
        Variable("BusRuntime__OperatorToken", OperatorTokenGuard.EnvironmentVariable));

    /// <summary>Calls on <paramref name="channel"/> that carry these tokens.</summary>
    public CallInvoker Invoker(GrpcChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return ApiToken is null && OperatorToken is null
            ? channel.CreateCallInvoker()
            : channel.Intercept(headers =>
            {
                if (ApiToken is not null)
                {
                    headers.Add(ApiTokenGuard.HeaderName, ApiToken);
                }

                if (OperatorToken is not null)
                {
                    headers.Add(OperatorTokenGuard.HeaderName, OperatorToken);
                }

                return headers;
            });
    }

    /// <summary>The tokens themselves are never shown: a record's generated text would print them.</summary>
    public override string ToString() => $"SidecarTokens {{ ApiToken = {(ApiToken is null ? "none" : "set")}, OperatorToken = {(OperatorToken is null ? "none" : "set")} }}";

    /// <summary>The first of the variables that is set and not empty, else null.</summary>
    private static string? Variable(string preferred, string fallback) =>
        Environment.GetEnvironmentVariable(preferred) is { Length: > 0 } own ? own
        : Environment.GetEnvironmentVariable(fallback) is { Length: > 0 } other ? other
        : null;
}
