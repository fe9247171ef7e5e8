using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using BusRuntime.Protos.V1;
using BusRuntime.Sidecar.Tests.Surface;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace BusRuntime.Sidecar.Tests.Fuzzing;

/// <summary>
/// Malformed protobuf and HTTP, generated from the route table and the service descriptors, over every rpc and
/// route of an embedded sidecar: no UNKNOWN, no INTERNAL from the sidecar's own code, no call past its deadline,
/// no error message longer than <see cref="MaxMessageChars"/>, nothing logged as an error or with a stack trace,
/// and the sidecar well and its heap bounded afterwards. BUSRUNTIME_FUZZ_INPUTS sets how many inputs run (2,000 by
/// default), BUSRUNTIME_FUZZ_SEED the seed (input i of seed s is the same on every run, whatever ran beside it), and
/// BUSRUNTIME_FUZZ_FIRST the first input's number, so that one input can be run again alone.
/// BUSRUNTIME_FUZZ_RABBITMQ (a broker URL) and BUSRUNTIME_FUZZ_POSTGRES (a connection string) put the sidecar on
/// RabbitMQ and PostgreSQL instead of its embedded default, to reach the paths of the broker and the stores.
/// </summary>
[Collection(FuzzingCollection.Name)]
public sealed class FuzzSuiteTests(ITestOutputHelper output)
{
    private const string Token = "fuzz-t0ken";
    private const int MaxMessageChars = 1024;
    private const long MaxHeapGrowthBytes = 256L * 1024 * 1024;
    private const int Workers = 8;

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    // Stops the sidecar (it is what the rpc is for); UnauthenticatedTests show it wants the token.
    private static readonly HashSet<string> NotFuzzed = new(StringComparer.Ordinal) { "/dapr.proto.runtime.v1.Dapr/Shutdown" };

    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(bytes => bytes, bytes => bytes);

    [Fact]
    public async Task EveryRpcAndRoute_MalformedInputs_PreciseAnswersInTimeAndTheSidecarStaysWell()
    {
        var budget = Setting("BUSRUNTIME_FUZZ_INPUTS", 2000);
        var seed = Setting("BUSRUNTIME_FUZZ_SEED", 16);
        var first = Setting("BUSRUNTIME_FUZZ_FIRST", 0);
        var settings = new Dictionary<string, string?>
        {
            ["BusRuntime:ApiToken"] = Token,
            ["BusRuntime:MaxPayloadBytes"] = "1024",
        };
        if (Environment.GetEnvironmentVariable("BUSRUNTIME_FUZZ_RABBITMQ") is { Length: > 0 } broker)
        {
            settings["BusRuntime:Transport"] = "RabbitMq";
            settings["BusRuntime:RabbitMq"] = broker;
        }

        if (Environment.GetEnvironmentVariable("BUSRUNTIME_FUZZ_POSTGRES") is { Length: > 0 } postgres)
        {
            settings["BusRuntime:Postgres"] = postgres;
            settings["BusRuntime:PostgresSchema"] = $"fuzz_{seed}";
        }

        await using var sidecar = await TestSidecar.StartAsync("fuzz", settings);
        await sidecar.WaitUntilReadyAsync();
        var rpcs = SidecarSurface.GrpcRpcs(sidecar).Where(rpc => !NotFuzzed.Contains(rpc.FullName)).ToList();
        var routes = SidecarSurface.HttpRoutes(sidecar);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{sidecar.GrpcPort}", new GrpcChannelOptions { MaxSendMessageSize = null, MaxReceiveMessageSize = null });
        var invoker = channel.CreateCallInvoker();
        using var http2 = new HttpClient(new SocketsHttpHandler { EnableMultipleHttp2Connections = true });
        var tally = new FuzzTally();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var elapsed = Stopwatch.StartNew();

        var next = first - 1;
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < first + budget)
            {
                var random = new Random(unchecked((seed * 1_000_003) + index));
                var where = $"seed {seed}, input {index}";
                var surface = random.Next(10);
                if (surface < 6)
                {
                    await GrpcMessageAsync(invoker, EdgeValues.Pick(random, rpcs), random, tally, where);
                }
                else if (surface < 7)
                {
                    await GrpcFrameAsync(http2, sidecar.GrpcPort, EdgeValues.Pick(random, rpcs), random, tally, where);
                }
                else
                {
                    await HttpAsync(sidecar.HttpPort, routes, random, tally, where);
                }
            }
        })));
        elapsed.Stop();

        await AssertWellAsync(sidecar, tally);
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        var logged = sidecar.Log.Problems();
        var warnings = logged.Count(problem => problem.Level == LogLevel.Warning && problem.Exception is null);
        foreach (var problem in logged.Where(problem => (problem.Level >= LogLevel.Error || problem.Exception is not null) && !IsBusFaultRecord(problem)))
        {
            tally.Fail($"logged as an error or with a stack trace by {problem.Category}[{problem.EventId}] ({problem.Exception?.GetType().Name})", problem.ToString());
        }

        output.WriteLine($"Fuzzed {tally.Inputs} inputs (seed {seed}, {rpcs.Count} rpcs, {routes.Count} routes, transport {settings.GetValueOrDefault("BusRuntime:Transport") ?? "InMemory"}, " +
            $"stores {(settings.ContainsKey("BusRuntime:Postgres") ? "PostgreSQL" : "in memory")}) in {elapsed.Elapsed.TotalSeconds:0.0}s.");
        output.WriteLine($"GC heap: {heapBefore / 1024 / 1024} MiB before, {heapAfter / 1024 / 1024} MiB after. Warnings logged: {warnings}.");
        foreach (var kind in logged.Where(problem => problem.Level == LogLevel.Warning).GroupBy(problem => $"{problem.Category}[{problem.EventId}]"))
        {
            output.WriteLine($"  {kind.Count()} × {kind.Key}, e.g. {kind.First().Message}");
        }

        output.WriteLine(tally.Table());
        Assert.Equal(budget, tally.Inputs);
        Assert.True(
            tally.FailureCount == 0,
            $"{tally.FailureCount} input(s) broke a rule (seed {seed}; rerun one with BUSRUNTIME_FUZZ_SEED={seed} BUSRUNTIME_FUZZ_FIRST=<input> BUSRUNTIME_FUZZ_INPUTS=1):{Environment.NewLine}" +
            string.Join(Environment.NewLine, tally.Failures) + Environment.NewLine + tally.Table());
        Assert.True(heapAfter - heapBefore < MaxHeapGrowthBytes, $"the heap grew by {(heapAfter - heapBefore) / 1024 / 1024} MiB over {tally.Inputs} inputs");
    }

    /// <summary>
    /// MassTransit's own record of a message that faulted on the bus: a workflow step whose app failed (fuzzed
    /// workflows invoke apps that do not exist; the workflow compensates), an invocation RabbitMQ returned because no
    /// replica of its app runs (the caller gets UNAVAILABLE), and on PostgreSQL a workflow's saga message retried
    /// after another one changed the instance first (optimistic concurrency, a warning). The bus logs these as it
    /// logs every fault and retry; they are not an answer to a request.
    /// </summary>
    private static bool IsBusFaultRecord(LoggedProblem problem) =>
        problem.Category.StartsWith("MassTransit", StringComparison.Ordinal)
        && (problem.Exception?.GetType().Name is "StepFailedException" or "MessageReturnedException"
            || (problem.Level == LogLevel.Warning && problem.Exception?.GetType().Name == "ConcurrencyException"));

    private static async Task GrpcMessageAsync(CallInvoker invoker, GrpcRpc rpc, Random random, FuzzTally tally, string where)
    {
        var streaming = rpc.Type is MethodType.ClientStreaming or MethodType.DuplexStreaming;
        var (kind, messages) = ProtobufInputs.Next(random, rpc.Input, streaming);
        var headers = random.Next(20) == 0 ? new Metadata() : new Metadata { { "dapr-api-token", Token } };
        var method = new Method<byte[], byte[]>(rpc.Type, rpc.Service, rpc.Name, Bytes, Bytes);
        var input = $"{where}: gRPC {rpc.FullName} ({kind}), messages (base64): {string.Join(", ", messages.Select(Preview))}";
        var started = Stopwatch.StartNew();
        string answer;
        try
        {
            answer = await CallAsync(invoker, method, headers, messages);
        }
        catch (RpcException exception)
        {
            answer = Name(exception.StatusCode);
            CheckStatus(tally, exception.StatusCode, exception.Status.Detail, input);
            if (exception.StatusCode == StatusCode.Internal && !exception.Status.Detail.StartsWith("the sidecar failed on", StringComparison.Ordinal))
            {
                // The client framed this call correctly, so no INTERNAL is gRPC's protocol error.
                tally.Fail($"INTERNAL for a well-framed call: {exception.Status.Detail}", input);
            }

            if (exception.StatusCode == StatusCode.Cancelled)
            {
                tally.Fail($"CANCELLED though the client did not cancel: {exception.Status.Detail}", input);
            }
        }

        if (started.Elapsed > Deadline + TimeSpan.FromSeconds(2))
        {
            tally.Fail($"answered after {started.Elapsed.TotalSeconds:0.0}s, past its {Deadline.TotalSeconds}s deadline", input);
        }

        tally.Add("gRPC message", kind, answer);
    }

    /// <summary>Calls with the messages; a stream that answers at all is then cancelled, as a client stops following.</summary>
    private static async Task<string> CallAsync(CallInvoker invoker, Method<byte[], byte[]> method, Metadata headers, IReadOnlyList<byte[]> messages)
    {
        using var cancel = new CancellationTokenSource();
        var options = new CallOptions(headers, DateTime.UtcNow + Deadline, cancel.Token);
        switch (method.Type)
        {
            case MethodType.Unary:
                await invoker.AsyncUnaryCall(method, null, options, messages[0]);
                return "OK";
            case MethodType.ServerStreaming:
                using (var call = invoker.AsyncServerStreamingCall(method, null, options, messages[0]))
                {
                    return await FirstAnswerAsync(call.ResponseStream, cancel);
                }

            default:
                using (var call = invoker.AsyncDuplexStreamingCall(method, null, options))
                {
                    try
                    {
                        foreach (var message in messages)
                        {
                            await call.RequestStream.WriteAsync(message);
                        }

                        await call.RequestStream.CompleteAsync();
                    }
                    catch (Exception exception) when (exception is RpcException or InvalidOperationException)
                    {
                        // The server ended the call early; its status comes with the response stream.
                    }

                    return await FirstAnswerAsync(call.ResponseStream, cancel);
                }
        }
    }

    private static async Task<string> FirstAnswerAsync(IAsyncStreamReader<byte[]> responses, CancellationTokenSource cancel)
    {
        if (!await responses.MoveNext(CancellationToken.None))
        {
            return "OK";
        }

        await cancel.CancelAsync();
        return "OK (stream answered, then cancelled)";
    }

    private static async Task GrpcFrameAsync(HttpClient http2, int port, GrpcRpc rpc, Random random, FuzzTally tally, string where)
    {
        var message = ProtobufInputs.Next(random, rpc.Input, streaming: false).Messages[0];
        var (kind, body) = random.Next(12) switch
        {
            0 => ("compressed flag, no encoding", Frame(1, (uint)message.Length, message)),
            1 => ("unknown flag", Frame((byte)random.Next(2, 256), (uint)message.Length, message)),
            2 => ("length past the body", Frame(0, (uint)(message.Length + random.Next(1, 100)), message)),
            3 => ("data after the message", [.. Frame(0, (uint)message.Length, message), .. EdgeValues.RandomBytes(random, random.Next(1, 20))]),
            4 => ("two messages", [.. Frame(0, (uint)message.Length, message), .. Frame(0, (uint)message.Length, message)]),
            5 => ("no message", Array.Empty<byte>()),
            6 => ("partial header", EdgeValues.RandomBytes(random, random.Next(1, 5))),
            7 => ("huge length", Frame(0, EdgeValues.Pick<uint>(random, [int.MaxValue, 0x80000000u, uint.MaxValue]), message)),
            8 => ("gzip, not gzip", Frame(1, (uint)message.Length + 4, [.. EdgeValues.RandomBytes(random, 4), .. message])),
            9 => ("gzip bomb", Gzip(new byte[EdgeValues.Pick(random, [100_000, 5_000_000])])),
            _ => ("well framed", Frame(0, (uint)message.Length, message)),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}{rpc.FullName}")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        request.Headers.TryAddWithoutValidation("grpc-timeout", "5S");
        request.Headers.TryAddWithoutValidation("dapr-api-token", Token);
        if (kind.StartsWith("gzip", StringComparison.Ordinal))
        {
            request.Headers.TryAddWithoutValidation("grpc-encoding", "gzip");
        }

        var input = $"{where}: gRPC frame {rpc.FullName} ({kind}), body (base64): {Preview(body)}";
        using var timeout = new CancellationTokenSource(Deadline + TimeSpan.FromSeconds(2));
        string answer;
        try
        {
            using var response = await http2.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var messages = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            var status = Header(response.Headers, "grpc-status") ?? Header(response.TrailingHeaders, "grpc-status");
            var detail = Uri.UnescapeDataString(Header(response.Headers, "grpc-message") ?? Header(response.TrailingHeaders, "grpc-message") ?? "");
            if (status is null || !int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
            {
                answer = $"HTTP {(int)response.StatusCode}, no grpc-status";
            }
            else if ((StatusCode)code == StatusCode.DeadlineExceeded && rpc.Type != MethodType.Unary && messages.Length > 0)
            {
                // A stream that answered and then followed until the grpc-timeout this client sent.
                answer = "OK (stream answered, then its deadline passed)";
            }
            else
            {
                answer = Name((StatusCode)code);
                CheckStatus(tally, (StatusCode)code, detail, input);
                if ((StatusCode)code == StatusCode.Internal && kind is "well framed" or "unknown flag" or "huge length" or "gzip, not gzip" or "gzip bomb")
                {
                    tally.Fail($"INTERNAL where the sidecar should name the mistake: {detail}", input);
                }
            }
        }
        catch (OperationCanceledException)
        {
            answer = "no answer in time";
            tally.Fail($"no answer within {Deadline.TotalSeconds}s", input);
        }
        catch (HttpRequestException exception)
        {
            answer = "stream reset";
            if (exception.InnerException is not HttpIOException)
            {
                tally.Fail($"the request failed: {exception.Message}", input);
            }
        }

        tally.Add("gRPC frame", kind, answer);
    }

    private static async Task HttpAsync(int port, IReadOnlyList<HttpRoute> routes, Random random, FuzzTally tally, string where)
    {
        var (kind, request, text) = HttpInputs.Next(random, routes, Token);
        var input = $"{where}: HTTP ({kind}):{Environment.NewLine}{text}";
        var answer = await RawHttp.SendAsync(port, request, Deadline);
        if (answer is null)
        {
            tally.Fail($"no answer within {Deadline.TotalSeconds}s", input);
            tally.Add("HTTP", kind, "no answer in time");
            return;
        }

        // A HEAD answer has no body to say which 500 it is.
        var head = text.StartsWith("HEAD ", StringComparison.Ordinal);
        if (answer.Status == 500 && ((answer.Message.Length == 0 && !head) || answer.Message.StartsWith("the sidecar failed on", StringComparison.Ordinal)))
        {
            tally.Fail($"500 from the sidecar's own code: {answer.Body}", input);
        }

        if (answer.Message.Length > MaxMessageChars)
        {
            tally.Fail($"an error message of {answer.Message.Length} characters", input);
        }

        var status = answer.Status == 0 ? "closed without an answer" : answer.Status.ToString(CultureInfo.InvariantCulture);
        tally.Add("HTTP", kind, answer.Status >= 500 && answer.ErrorCode.Length > 0 ? $"{status} {answer.ErrorCode}" : status);
    }

    private static void CheckStatus(FuzzTally tally, StatusCode code, string detail, string input)
    {
        switch (code)
        {
            case StatusCode.Unknown:
                tally.Fail($"UNKNOWN: {detail}", input);
                break;
            case StatusCode.Internal when detail.StartsWith("the sidecar failed on", StringComparison.Ordinal):
                tally.Fail($"INTERNAL from the sidecar's own code: {detail}", input);
                break;
            case StatusCode.DeadlineExceeded:
                tally.Fail($"past its deadline: {detail}", input);
                break;
        }

        if (detail.Length > MaxMessageChars)
        {
            tally.Fail($"a status detail of {detail.Length} characters: {detail[..200]}…", input);
        }
    }

    /// <summary>The sidecar still answers, on both ports.</summary>
    private static async Task AssertWellAsync(TestSidecar sidecar, FuzzTally tally)
    {
        using var ready = new HttpRequestMessage(HttpMethod.Get, "/actuator/health/readiness");
        using var readiness = await sidecar.Http.SendAsync(ready);
        Assert.True(readiness.IsSuccessStatusCode, $"readiness answered {(int)readiness.StatusCode} after the fuzzing{Environment.NewLine}{tally.Table()}");
        var token = new Metadata { { "dapr-api-token", Token } };
        var key = $"after-fuzzing-{Guid.NewGuid():N}";
        await sidecar.Runtime.SaveStateAsync(new SaveStateRequest { StoreName = "statestore", States = { new StateItem { Key = key, Value = ByteString.CopyFromUtf8("well") } } }, token);
        var read = await sidecar.Runtime.GetStateAsync(new GetStateRequest { StoreName = "statestore", Key = key }, token);
        Assert.Equal("well", read.Data.ToStringUtf8());
    }

    private static byte[] Frame(byte flag, uint length, byte[] message) =>
        [flag, (byte)(length >> 24), (byte)(length >> 16), (byte)(length >> 8), (byte)length, .. message];

    /// <summary>A compressed frame whose message is <paramref name="message"/> gzipped: zeros shrink a thousandfold.</summary>
    private static byte[] Gzip(byte[] message)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(message);
        }

        return Frame(1, (uint)compressed.Length, compressed.ToArray());
    }

    private static string? Header(HttpHeaders headers, string name) => headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static string Preview(byte[] bytes) => bytes.Length <= 384 ? Convert.ToBase64String(bytes) : $"{Convert.ToBase64String(bytes[..384])}… ({bytes.Length} bytes)";

    /// <summary>gRPC's name of a status code (INVALID_ARGUMENT).</summary>
    private static string Name(StatusCode code)
    {
        var name = code.ToString();
        return string.Concat(name.Select((character, index) => index > 0 && char.IsUpper(character) && char.IsLower(name[index - 1]) ? $"_{character}" : $"{char.ToUpperInvariant(character)}"));
    }

    private static int Setting(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
