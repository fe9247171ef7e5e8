using System.Net;
using System.Text;
using BusRuntime.Core.Metadata;
using BusRuntime.Protos.Dapr.Runtime.V1;
using BusRuntime.Testing;
using Grpc.Core;
using static BusRuntime.Sidecar.Tests.Http.DaprHttp;

namespace BusRuntime.Sidecar.Tests.Dapr;

/// <summary>The attributes an app sets on its sidecar live as long as the sidecar: their number and size are bounded.</summary>
public sealed class MetadataBoundsTests
{
    [Fact]
    public async Task SetMetadata_OneAttributeOverTheMaximum_InvalidArgumentNamingTheLimitAndExistingOnesCanChange()
    {
        await using var sidecar = await TestSidecar.StartAsync("metadata-count");
        var (channel, dapr) = DaprSidecar.ClientFor(sidecar);
        using var _ = channel;
        for (var index = 0; index < ExtendedMetadata.MaxAttributes; index++)
        {
            await dapr.SetMetadataAsync(new SetMetadataRequest { Key = $"k{index}", Value = "v" });
        }

        var refused = await Assert.ThrowsAsync<RpcException>(() => dapr.SetMetadataAsync(new SetMetadataRequest { Key = "one-more", Value = "v" }).ResponseAsync);
        using var overHttp = await sidecar.Http.PutAsync(Path("/v1.0/metadata/one-more"), new StringContent("v"));
        await dapr.SetMetadataAsync(new SetMetadataRequest { Key = "k0", Value = "changed" });
        var metadata = await dapr.GetMetadataAsync(new GetMetadataRequest());

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains($"{ExtendedMetadata.MaxAttributes} metadata attributes, the maximum", refused.Status.Detail, StringComparison.Ordinal);
        await AssertErrorAsync(overHttp, HttpStatusCode.BadRequest, "ERR_BAD_REQUEST", "the maximum");
        Assert.Equal(ExtendedMetadata.MaxAttributes, metadata.ExtendedMetadata.Count);
        Assert.Equal("changed", metadata.ExtendedMetadata["k0"]);
        Assert.False(metadata.ExtendedMetadata.ContainsKey("one-more"));
    }

    [Fact]
    public async Task SetMetadata_ValueOrKeyOverTheMaximum_InvalidArgumentNamingTheLimitAndNothingKept()
    {
        await using var sidecar = await TestSidecar.StartAsync("metadata-size");
        var (channel, dapr) = DaprSidecar.ClientFor(sidecar);
        using var _ = channel;

        var value = await Assert.ThrowsAsync<RpcException>(() =>
            dapr.SetMetadataAsync(new SetMetadataRequest { Key = "big", Value = new string('v', ExtendedMetadata.MaxValueBytes + 1) }).ResponseAsync);
        var key = await Assert.ThrowsAsync<RpcException>(() =>
            dapr.SetMetadataAsync(new SetMetadataRequest { Key = new string('k', ExtendedMetadata.MaxKeyChars + 1), Value = "v" }).ResponseAsync);
        using var overHttp = await sidecar.Http.PutAsync(Path("/v1.0/metadata/big"), new StringContent(new string('v', ExtendedMetadata.MaxValueBytes + 1), Encoding.UTF8));
        var metadata = await dapr.GetMetadataAsync(new GetMetadataRequest());

        Assert.Equal(StatusCode.InvalidArgument, value.StatusCode);
        Assert.Contains($"over the maximum of {ExtendedMetadata.MaxValueBytes} bytes", value.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.InvalidArgument, key.StatusCode);
        Assert.Contains($"over the maximum of {ExtendedMetadata.MaxKeyChars} characters", key.Status.Detail, StringComparison.Ordinal);
        await AssertErrorAsync(overHttp, HttpStatusCode.BadRequest, "ERR_BAD_REQUEST", $"over the maximum of {ExtendedMetadata.MaxValueBytes} bytes");
        Assert.Empty(metadata.ExtendedMetadata);
    }

    [Fact]
    public async Task PutMetadata_BodyOverThePayloadLimit_413BeforeItIsKept()
    {
        await using var sidecar = await TestSidecar.StartAsync("metadata-body", new Dictionary<string, string?> { ["BusRuntime:MaxPayloadBytes"] = "1024" });

        using var response = await sidecar.Http.PutAsync(Path("/v1.0/metadata/k"), new ByteArrayContent(new byte[1024 + (64 * 1024) + 1]));

        await AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "ERR_BODY_READ", "too large");
    }
}
