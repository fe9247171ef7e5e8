using System.Net;
using System.Net.Sockets;
using System.Text;
using static BusRuntime.Sidecar.Tests.Http.DaprHttp;

namespace BusRuntime.Sidecar.Tests.Http;

/// <summary>
/// Bodies the HTTP routes cannot read: a lone surrogate escaped in JSON, bytes that are not UTF-8, a chunk size
/// that overflows. Each is 400 with Dapr's code for the route and a message, and nothing is logged as an error.
/// </summary>
public sealed class UnparseableBodyTests(EmbeddedSidecar fixture) : IClassFixture<EmbeddedSidecar>
{
    public static TheoryData<string, string, string> LoneSurrogates => new()
    {
        { "/v1.0/state/statestore", """[{"key":"\ud800","value":1}]""", "ERR_MALFORMED_REQUEST" },
        { "/v1.0/state/statestore", """[{"key":"k","value":1,"metadata":{"\udc00":"x"}}]""", "ERR_MALFORMED_REQUEST" },
        { "/v1.0/state/statestore/bulk", """{"keys":["\ud800"]}""", "ERR_MALFORMED_REQUEST" },
        { "/v1.0/state/statestore/transaction", """{"operations":[{"operation":"upsert","request":{"key":"\ud800","value":1}}]}""", "ERR_MALFORMED_REQUEST" },
        { "/v1.0-alpha1/publish/bulk/pubsub/orders", """[{"entryId":"\ud800","event":"x","contentType":"text/plain"}]""", "ERR_PUBSUB_EVENTS_SER" },
    };

    [Theory]
    [MemberData(nameof(LoneSurrogates))]
    public async Task Post_JsonWithALoneSurrogate_400WithTheRoutesCode(string path, string body, string errorCode)
    {
        var problems = fixture.Sidecar.Log.ProblemCount;

        using var response = await fixture.Sidecar.Http.PostAsync(Path(path), Json(body));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, errorCode, "not valid Unicode");
        Assert.Equal(problems, fixture.Sidecar.Log.ProblemCount);
    }

    [Fact]
    public async Task Post_JsonStringThatIsNotUtf8_400Malformed()
    {
        var problems = fixture.Sidecar.Log.ProblemCount;
        byte[] body = [.. "[{\"key\":\""u8, 0xC3, 0x28, .. "\",\"value\":1}]"u8];

        using var response = await fixture.Sidecar.Http.PostAsync(Path("/v1.0/state/statestore"), new ByteArrayContent(body) { Headers = { { "Content-Type", "application/json" } } });

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST", "failed deserializing HTTP body");
        Assert.Equal(problems, fixture.Sidecar.Log.ProblemCount);
    }

    [Theory]
    [InlineData("PUT", "/v1.0/metadata/owner")]
    [InlineData("POST", "/v1.0/state/statestore")]
    [InlineData("POST", "/v1.0/invoke/someone/method/m")]
    public async Task Request_ChunkSizeThatOverflows_400BodyRead(string verb, string path)
    {
        var problems = fixture.Sidecar.Log.ProblemCount;
        var request = $"{verb} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\nabc\r\n0\r\n\r\n";

        var answer = await SendRawAsync(fixture.Sidecar.HttpPort, request);

        Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);
        Assert.Equal(problems, fixture.Sidecar.Log.ProblemCount);
    }

    private static async Task<string> SendRawAsync(int port, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await reader.ReadToEndAsync(timeout.Token);
    }
}
