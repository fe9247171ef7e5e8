using System.Net;
using BusRuntime.Protos.V1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using DaprV1 = BusRuntime.Protos.Dapr.Runtime.V1;

namespace BusRuntime.Sidecar.Tests.Security;

/// <summary>A huge input named in an error comes back as a short prefix and its size, never whole.</summary>
public sealed class ErrorEchoTests(EmbeddedSidecar fixture) : IClassFixture<EmbeddedSidecar>
{
    private const int MaxDetail = 400;

    private static readonly string Huge = new('n', 64 * 1024);

    public static TheoryData<string> Calls =>
    [
        "GetState store_name", "SaveState key", "PublishEvent pubsub_name", "PublishEvent topic", "InvokeService http_verb", "InvokeService app_id",
        "GetSecret key", "GetMessage message_id", "StartWorkflow workflow_name", "Dapr SetMetadata key", "Dapr GetState store_name",
    ];

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Call_64KiBName_ErrorQuotesAPrefixAndTheSize(string call)
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{fixture.Sidecar.GrpcPort}", new GrpcChannelOptions { MaxSendMessageSize = null });
        var runtime = new Runtime.RuntimeClient(channel);
        var operations = new Protos.V1.Operations.OperationsClient(channel);
        var dapr = new DaprV1.Dapr.DaprClient(channel);

        var exception = await Assert.ThrowsAsync<RpcException>(() => call switch
        {
            "GetState store_name" => runtime.GetStateAsync(new GetStateRequest { StoreName = Huge, Key = "k" }).ResponseAsync,
            "SaveState key" => runtime.SaveStateAsync(new SaveStateRequest { StoreName = "statestore", States = { new StateItem { Key = new string('n', 1000) + "||x", Value = ByteString.CopyFromUtf8("1") } } }).ResponseAsync,
            "PublishEvent pubsub_name" => runtime.PublishEventAsync(new PublishEventRequest { PubsubName = Huge, Topic = "t" }).ResponseAsync,
            "PublishEvent topic" => runtime.PublishEventAsync(new PublishEventRequest { PubsubName = "pubsub", Topic = Huge }).ResponseAsync,
            "InvokeService http_verb" => runtime.InvokeServiceAsync(new InvokeServiceRequest { AppId = "someone", Method = "m", HttpVerb = Huge }).ResponseAsync,
            "InvokeService app_id" => runtime.InvokeServiceAsync(new InvokeServiceRequest { AppId = Huge, Method = "m" }).ResponseAsync,
            "GetSecret key" => runtime.GetSecretAsync(new GetSecretRequest { StoreName = "envsecrets", Key = Huge }).ResponseAsync,
            "GetMessage message_id" => operations.GetMessageAsync(new GetMessageRequest { MessageId = Huge }).ResponseAsync,
            "StartWorkflow workflow_name" => runtime.StartWorkflowAsync(new StartWorkflowRequest { WorkflowName = Huge }).ResponseAsync,
            "Dapr SetMetadata key" => dapr.SetMetadataAsync(new DaprV1.SetMetadataRequest { Key = Huge, Value = "v" }).ResponseAsync,
            _ => dapr.GetStateAsync(new DaprV1.GetStateRequest { StoreName = Huge, Key = "k" }).ResponseAsync,
        });

        Assert.NotEqual(StatusCode.Unknown, exception.StatusCode);
        Assert.NotEqual(StatusCode.Internal, exception.StatusCode);
        Assert.True(exception.Status.Detail.Length <= MaxDetail, $"{exception.Status.Detail.Length} characters: {exception.Status.Detail[..Math.Min(300, exception.Status.Detail.Length)]}");
        Assert.Contains("nnnn…' (", exception.Status.Detail, StringComparison.Ordinal);
        Assert.Contains(" characters)", exception.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/v1.0/state/{0}/k")]
    [InlineData("POST", "/v1.0/publish/pubsub/{0}")]
    [InlineData("POST", "/v1.0/publish/{0}/t")]
    [InlineData("PUT", "/v1.0/metadata/{0}")]
    public async Task HttpRoute_LongName_ErrorQuotesAPrefixAndTheSize(string verb, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(verb), string.Format(System.Globalization.CultureInfo.InvariantCulture, path, new string('n', 4000)))
        {
            Content = new StringContent("{}"),
        };

        using var response = await fixture.Sidecar.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{(int)response.StatusCode}: {body[..Math.Min(300, body.Length)]}");
        Assert.True(body.Length <= MaxDetail, $"{body.Length} characters: {body[..Math.Min(300, body.Length)]}");
        Assert.Contains("(4000 characters)", body, StringComparison.Ordinal);
    }
}
