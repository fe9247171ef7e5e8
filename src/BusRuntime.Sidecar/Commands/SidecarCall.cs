using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.Json;
using BusRuntime.Core.Security;
using Grpc.Core;
using Grpc.Net.Client;
using Spectre.Console;

namespace BusRuntime.Sidecar.Commands;

/// <summary>
/// Runs an operator command against a sidecar's gRPC port: failures become one line on stderr and exit
/// code 1, never a stack trace.
/// </summary>
internal static class SidecarCall
{
    public const string DefaultSidecar = "http://127.0.0.1:50001";

    public static Option<Uri> SidecarOption() => new("--sidecar")
    {
        Description = $"The sidecar's gRPC address. Default: {DefaultSidecar}.",
        DefaultValueFactory = _ => new Uri(DefaultSidecar),
        CustomParser = Url,
        Recursive = true,
    };

    /// <summary>Reads an http:// or https:// address; anything else is a parse error naming the option.</summary>
    public static Uri? Url(ArgumentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
        {
            return url;
        }

        var option = result.Parent is OptionResult parent ? parent.Option.Name : "the address";
        result.AddError($"{option} '{text}' is not an address like http://127.0.0.1:50001.");
        return null;
    }

    public static Option<bool> JsonOption() => new("--json") { Description = "Print JSON for scripts instead of a table." };

    /// <summary>How --json output is written.</summary>
    public static JsonSerializerOptions ScriptJson { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>What a refusal for want of the operator token adds: the operator token unlocks the deployment's view.</summary>
    public const string OperatorTokenHint =
        "Without an operator token the sidecar shows and acts on its own app's messages, dead letters and workflows only; "
        + "set " + OperatorTokenGuard.EnvironmentVariable + " to its operator token (BusRuntime:OperatorToken) for the whole deployment's.";

    /// <summary>
    /// Calls the sidecar through <paramref name="action"/>, with the <see cref="SidecarTokens"/> of the environment.
    /// </summary>
    public static async Task<int> RunAsync(ParseResult result, Uri sidecar, Func<CallInvoker, IAnsiConsole, CancellationToken, Task<int>> action, CancellationToken cancellationToken)
    {
        var error = result.InvocationConfiguration.Error;
        var console = Console(result.InvocationConfiguration.Output);
        var tokens = SidecarTokens.FromEnvironment();
        try
        {
            using var channel = GrpcChannel.ForAddress(sidecar);
            return await action(tokens.Invoker(channel), console, cancellationToken);
        }
        catch (RpcException exception) when (exception.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded && exception.Status.DebugException is not null)
        {
            await error.WriteLineAsync($"busruntime: cannot reach the sidecar at {sidecar} ({exception.Status.DebugException.Message}). Is it running? Pick another with --sidecar URL.");
            return 1;
        }
        catch (RpcException exception) when (exception.StatusCode == StatusCode.Internal && exception.Status.DebugException is HttpRequestException transport)
        {
            await error.WriteLineAsync($"busruntime: {sidecar} did not answer as a sidecar's gRPC port ({transport.Message}). Is it the gRPC port (50001 by default), not the HTTP one?");
            return 1;
        }
        catch (RpcException exception) when (exception.StatusCode == StatusCode.Unimplemented)
        {
            await error.WriteLineAsync($"busruntime: the server at {sidecar} does not serve this command's rpc of busruntime.v1.Operations: is it a BusRuntime sidecar of this version?");
            return 1;
        }
        catch (RpcException exception) when (exception.StatusCode == StatusCode.Unauthenticated && exception.Status.Detail.Contains(OperatorTokenGuard.HeaderName, StringComparison.Ordinal))
        {
            await error.WriteLineAsync(
                $"busruntime: the sidecar at {sidecar} refused the operator token: {exception.Status.Detail} "
                + $"Set {OperatorTokenGuard.EnvironmentVariable} to its BusRuntime:OperatorToken, or unset it to work with the sidecar's own app.");
            return 1;
        }
        catch (RpcException exception) when (exception.StatusCode == StatusCode.Unauthenticated)
        {
            await error.WriteLineAsync($"busruntime: the sidecar at {sidecar} wants its API token: set DAPR_API_TOKEN (or BusRuntime__ApiToken) to it.");
            return 1;
        }
        catch (RpcException exception) when (tokens.OperatorToken is null && exception.StatusCode is StatusCode.PermissionDenied or StatusCode.NotFound)
        {
            await error.WriteLineAsync($"busruntime: {Describe(exception.StatusCode)}: {exception.Status.Detail} {OperatorTokenHint}");
            return 1;
        }
        catch (RpcException exception)
        {
            await error.WriteLineAsync($"busruntime: {Describe(exception.StatusCode)}: {exception.Status.Detail}");
            return 1;
        }
    }

    public static IAnsiConsole Console(TextWriter output)
    {
        // Piped into a file or grep, a table is not squeezed into 80 columns, which would wrap message ids, and
        // carries no colour codes, which would get in the way of what reads it.
        var terminal = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (!terminal)
        {
            console.Profile.Width = 240;
        }

        return console;
    }

    internal static string Describe(StatusCode code) => code switch
    {
        StatusCode.NotFound => "not found",
        StatusCode.InvalidArgument => "invalid argument",
        StatusCode.FailedPrecondition => "not possible",
        StatusCode.PermissionDenied => "not allowed",
        StatusCode.Unavailable => "unavailable",
        _ => code.ToString(),
    };
}
