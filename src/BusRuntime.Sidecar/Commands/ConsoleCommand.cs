using System.CommandLine;
using System.CommandLine.Parsing;
using System.Net;
using BusRuntime.Sidecar.WebConsole;

namespace BusRuntime.Sidecar.Commands;

/// <summary>
/// <c>busruntime console</c>: serves the web console for one sidecar until stopped. It holds the operator's tokens, so
/// it listens on loopback unless told otherwise, with --allow-remote.
/// </summary>
public static class ConsoleCommand
{
    public const int DefaultPort = 7300;

    public static Command Create()
    {
        var sidecar = SidecarCall.SidecarOption();
        var port = new Option<int>("--port")
        {
            Description = $"The port the console serves on. Default: {DefaultPort}.",
            DefaultValueFactory = _ => DefaultPort,
        };
        port.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 65535)
            {
                result.AddError($"--port {result.GetValueOrDefault<int>()} is not a port: it must be between 1 and 65535.");
            }
        });
        var listen = new Option<IPAddress>("--listen")
        {
            Description = "The address the console listens on. Default: 127.0.0.1; an address beyond loopback needs --allow-remote.",
            DefaultValueFactory = _ => IPAddress.Loopback,
            CustomParser = Address,
        };
        var allowRemote = new Option<bool>("--allow-remote")
        {
            Description = "Let --listen name an address beyond loopback. Whoever reaches it acts with the console's tokens, over plain HTTP: put it behind your own authentication and TLS.",
        };
        var command = new Command(
            "console",
            "Serve the web console: the journal, replay, dead letters, workflows and health of a sidecar, in the browser, until stopped (Ctrl+C). "
            + "It calls the sidecar's Operations API with the tokens of its environment, as the other commands do "
            + "(DAPR_API_TOKEN or BusRuntime__ApiToken; BUSRUNTIME_OPERATOR_TOKEN for the whole deployment).\n\nExamples:\n"
            + "  busruntime console\n  busruntime console --sidecar http://127.0.0.1:50002 --port 7301")
        {
            sidecar, port, listen, allowRemote,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var address = result.GetRequiredValue(listen);
            if (!IPAddress.IsLoopback(address) && !result.GetValue(allowRemote))
            {
                await result.InvocationConfiguration.Error.WriteLineAsync(
                    $"busruntime: --listen {address} is beyond loopback: whoever reaches it acts with the console's tokens. Add --allow-remote if that is what you want.");
                return 1;
            }

            var options = new ConsoleOptions(result.GetRequiredValue(sidecar), SidecarTokens.FromEnvironment(), address, result.GetValue(port));
            ConsoleServer server;
            try
            {
                server = await ConsoleServer.StartAsync(options, cancellationToken);
            }
            catch (IOException exception)
            {
                await result.InvocationConfiguration.Error.WriteLineAsync(
                    $"busruntime: the console cannot listen on {options.Listen}:{options.Port} ({exception.Message}). Pick another with --port or --listen.");
                return 1;
            }

            await using (server)
            {
                await result.InvocationConfiguration.Output.WriteLineAsync($"BusRuntime console for the sidecar at {options.Sidecar} on {server.Address} (Ctrl+C stops it).");
                await server.WaitForShutdownAsync(cancellationToken);
            }

            return 0;
        });
        return command;
    }

    private static IPAddress? Address(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (IPAddress.TryParse(text, out var address))
        {
            return address;
        }

        result.AddError($"--listen '{text}' is not an IP address like 127.0.0.1 or 0.0.0.0.");
        return null;
    }
}
