using BusRuntime.Core.Security;
using BusRuntime.Sidecar.Commands;
using Grpc.Core;

namespace BusRuntime.Sidecar.WebConsole;

/// <summary>
/// What a page shows when the sidecar did not give it what it asked for: a page that says why and what to do, with the
/// matching HTTP status — never an empty table, never exception text.
/// </summary>
internal static class ConsoleErrors
{
    public static async Task<IResult> PageAsync(ConsoleSidecar sidecar, string section, Func<Task<IResult>> page)
    {
        try
        {
            return await page();
        }
        catch (RpcException exception)
        {
            var (status, title, text) = Explain(sidecar, exception);
            return Layout.Page(sidecar, section, title, $"<div role=\"alert\" class=\"problem\"><p>{Html.Text(text)}</p></div>", status);
        }
    }

    /// <summary>The HTTP status, the page's title and what it says about a call the sidecar refused or could not answer.</summary>
    public static (int Status, string Title, string Text) Explain(ConsoleSidecar sidecar, RpcException exception)
    {
        var address = sidecar.Address;
        var hint = sidecar.Tokens.OperatorToken is null ? " " + SidecarCall.OperatorTokenHint : "";
        return exception.StatusCode switch
        {
            StatusCode.Unauthenticated when exception.Status.Detail.Contains(OperatorTokenGuard.HeaderName, StringComparison.Ordinal) => (
                StatusCodes.Status401Unauthorized,
                "Not authorised",
                $"The sidecar at {address} refused the console's operator token: {exception.Status.Detail} "
                + $"Start the console with {OperatorTokenGuard.EnvironmentVariable} set to the sidecar's BusRuntime:OperatorToken, or unset to work with the sidecar's own app."),
            StatusCode.Unauthenticated => (
                StatusCodes.Status401Unauthorized,
                "Not authorised",
                $"The sidecar at {address} wants its API token, and the console has none it accepts: start the console with DAPR_API_TOKEN (or BusRuntime__ApiToken) set to it."),
            StatusCode.PermissionDenied => (StatusCodes.Status403Forbidden, "Not authorised", $"Not allowed: {exception.Status.Detail}{hint}"),
            StatusCode.NotFound => (StatusCodes.Status404NotFound, "Not found", $"Not found: {exception.Status.Detail}{hint}"),
            StatusCode.Unavailable or StatusCode.DeadlineExceeded when exception.Status.DebugException is not null => (
                StatusCodes.Status502BadGateway,
                "Sidecar unreachable",
                $"The console cannot reach the sidecar at {address}. Is it running? Start the console with --sidecar URL to pick another."),
            StatusCode.Internal when exception.Status.DebugException is HttpRequestException => (
                StatusCodes.Status502BadGateway,
                "Sidecar unreachable",
                $"{address} did not answer as a sidecar's gRPC port. Is it the gRPC port (50001 by default), not the HTTP one?"),
            StatusCode.Unimplemented => (
                StatusCodes.Status502BadGateway,
                "Sidecar of another version",
                $"The server at {address} does not serve this page's rpc of busruntime.v1.Operations: is it a BusRuntime sidecar of this version?"),
            StatusCode.InvalidArgument => (StatusCodes.Status400BadRequest, "Invalid request", $"Invalid argument: {exception.Status.Detail}"),
            StatusCode.FailedPrecondition => (StatusCodes.Status409Conflict, "Not possible", $"Not possible: {exception.Status.Detail}"),
            _ => (StatusCodes.Status502BadGateway, "The sidecar could not answer", $"{SidecarCall.Describe(exception.StatusCode)}: {exception.Status.Detail}"),
        };
    }
}
