using System.Net;
using BusRuntime.Sidecar.Commands;

namespace BusRuntime.Sidecar.WebConsole;

/// <summary>What <c>busruntime console</c> serves: the sidecar it talks to with which tokens, and where it listens (port 0: any free one).</summary>
public sealed record ConsoleOptions(Uri Sidecar, SidecarTokens Tokens, IPAddress Listen, int Port);
