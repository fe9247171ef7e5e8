using BusRuntime.Protos.Dapr.Runtime.V1;
using BusRuntime.Testing;
using Grpc.Core;
using Grpc.Reflection.V1;
using ReflectionV1Alpha = Grpc.Reflection.V1Alpha;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BusRuntime.Sidecar.Tests.Dapr;

/// <summary>Dapr's lock, secret, metadata and shutdown rpcs, and the reflection the SDKs use to choose rpc names.</summary>
public sealed class DaprLockSecretMetadataApiTests(DaprSidecar fixture) : IClassFixture<DaprSidecar>
{
    private const string Locks = "lockstore";

    private Protos.Dapr.Runtime.V1.Dapr.DaprClient Dapr => fixture.Client;

    [Fact]
    public async Task TryLockAndUnlock_Owners_SuccessThenEveryUnlockStatus()
    {
        var resource = DaprSidecar.Key("res");

        var taken = await Dapr.TryLockAlpha1Async(new TryLockRequest { StoreName = Locks, ResourceId = resource, LockOwner = "a", ExpiryInSeconds = 30 });
        var refused = await Dapr.TryLockAlpha1Async(new TryLockRequest { StoreName = Locks, ResourceId = resource, LockOwner = "b", ExpiryInSeconds = 30 });
        var byOther = await Dapr.UnlockAlpha1Async(new UnlockRequest { StoreName = Locks, ResourceId = resource, LockOwner = "b" });
        var byHolder = await Dapr.UnlockAlpha1Async(new UnlockRequest { StoreName = Locks, ResourceId = resource, LockOwner = "a" });
        var gone = await Dapr.UnlockAlpha1Async(new UnlockRequest { StoreName = Locks, ResourceId = resource, LockOwner = "a" });

        Assert.True(taken.Success);
        Assert.False(refused.Success);
        Assert.Equal(UnlockResponse.Types.Status.LockBelongsToOthers, byOther.Status);
        Assert.Equal(UnlockResponse.Types.Status.Success, byHolder.Status);
        Assert.Equal(UnlockResponse.Types.Status.LockDoesNotExist, gone.Status);
    }

    [Theory]
    [InlineData(Locks, "r", "owner", 0, StatusCode.InvalidArgument, "expiry_in_seconds is 0")]
    [InlineData(Locks, "r", "owner", -5, StatusCode.InvalidArgument, "expiry_in_seconds is -5")]
    [InlineData(Locks, "", "owner", 10, StatusCode.InvalidArgument, "resource_id")]
    [InlineData(Locks, "r", "", 10, StatusCode.InvalidArgument, "lock_owner")]
    [InlineData("zookeeper", "r", "owner", 10, StatusCode.InvalidArgument, "zookeeper")]
    public async Task TryLockAlpha1_BadInput_PreciseStatus(string store, string resource, string owner, int expiry, StatusCode code, string message)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Dapr.TryLockAlpha1Async(new TryLockRequest { StoreName = store, ResourceId = resource, LockOwner = owner, ExpiryInSeconds = expiry }));

        Assert.Equal(code, error.StatusCode);
        Assert.Contains(message, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnlockAlpha1_EmptyOwner_InvalidArgument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Dapr.UnlockAlpha1Async(new UnlockRequest { StoreName = Locks, ResourceId = "r" }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("lock_owner", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSecretAndGetBulkSecret_EnvironmentStore_ValuesUnderTheirKeys()
    {
        var name = $"BUSRUNTIME_DAPR_TEST_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(name, "v4lue");
        try
        {
            var one = await Dapr.GetSecretAsync(new GetSecretRequest { StoreName = "envsecrets", Key = name });
            var all = await Dapr.GetBulkSecretAsync(new GetBulkSecretRequest { StoreName = "envsecrets" });

            Assert.Equal("v4lue", one.Data[name]);
            Assert.Equal("v4lue", all.Data[name].Secrets[name]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Theory]
    [InlineData("envsecrets", "", StatusCode.InvalidArgument, "key is empty")]
    [InlineData("vault", "k", StatusCode.InvalidArgument, "vault")]
    [InlineData("envsecrets", "BUSRUNTIME_NO_SUCH_VARIABLE_9f1c", StatusCode.NotFound, "BUSRUNTIME_NO_SUCH_VARIABLE_9f1c")]
    public async Task GetSecret_BadInput_PreciseStatus(string store, string key, StatusCode code, string message)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Dapr.GetSecretAsync(new GetSecretRequest { StoreName = store, Key = key }));

        Assert.Equal(code, error.StatusCode);
        Assert.Contains(message, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetBulkSecret_UnknownStore_InvalidArgumentAsDapr()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Dapr.GetBulkSecretAsync(new GetBulkSecretRequest { StoreName = "vault" }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task GetMetadata_AfterSetMetadata_AppIdComponentsAndExtended()
    {
        var key = DaprSidecar.Key("attr");
        await Dapr.SetMetadataAsync(new SetMetadataRequest { Key = key, Value = "one" });

        var metadata = await Dapr.GetMetadataAsync(new GetMetadataRequest());

        Assert.Equal(DaprSidecar.AppId, metadata.Id);
        Assert.Equal("one", metadata.ExtendedMetadata[key]);
        Assert.Contains(metadata.RegisteredComponents, component => component is { Name: "statestore", Type: "state.in-memory", Version: "v1" });
        Assert.Contains(metadata.RegisteredComponents, component => component.Name == "pubsub");
        Assert.Null(metadata.AppConnectionProperties);
    }

    [Fact]
    public async Task GetMetadata_AttributeSetOverHttp_IsTheSameAttribute()
    {
        var key = DaprSidecar.Key("http-attr");
        using var content = new StringContent("from-http");

        using var response = await fixture.Sidecar.Http.PutAsync(new Uri($"/v1.0/metadata/{key}", UriKind.Relative), content);
        var metadata = await Dapr.GetMetadataAsync(new GetMetadataRequest());

        Assert.True(response.IsSuccessStatusCode, $"PUT /v1.0/metadata answered {(int)response.StatusCode}");
        Assert.Equal("from-http", metadata.ExtendedMetadata[key]);
    }

    [Fact]
    public async Task SetMetadata_EmptyKey_InvalidArgument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Dapr.SetMetadataAsync(new SetMetadataRequest { Value = "x" }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("key is empty", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shutdown_Call_AnswersOkThenTheSidecarStops()
    {
        var sidecar = await TestSidecar.StartAsync("dapr-shutdown");
        await using (sidecar)
        {
            var (channel, dapr) = DaprSidecar.ClientFor(sidecar);
            using (channel)
            {
                var lifetime = sidecar.Services.GetRequiredService<IHostApplicationLifetime>();

                await dapr.ShutdownAsync(new ShutdownRequest());

                await Poll.UntilAsync(bool () => lifetime.ApplicationStopping.IsCancellationRequested, TimeSpan.FromSeconds(30), () => "the sidecar did not begin to stop after Shutdown");
            }
        }
    }

    [Fact]
    public async Task Reflection_DaprService_ListedWithEveryStableAndAlpha1Name()
    {
        var (channel, _) = DaprSidecar.ClientFor(fixture.Sidecar);
        using (channel)
        {
            var reflection = new ServerReflection.ServerReflectionClient(channel);
            using var call = reflection.ServerReflectionInfo();
            await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
            await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "dapr.proto.runtime.v1.Dapr" });
            await call.RequestStream.CompleteAsync();
            var services = new List<string>();
            var methods = new List<string>();
            while (await call.ResponseStream.MoveNext())
            {
                var response = call.ResponseStream.Current;
                services.AddRange(response.ListServicesResponse?.Service.Select(service => service.Name) ?? []);
                foreach (var file in response.FileDescriptorResponse?.FileDescriptorProto ?? [])
                {
                    var descriptor = Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(file);
                    methods.AddRange(descriptor.Service.Where(service => descriptor.Package == "dapr.proto.runtime.v1" && service.Name == "Dapr").SelectMany(service => service.Method).Select(method => method.Name));
                }
            }

            Assert.Contains("dapr.proto.runtime.v1.Dapr", services);
            Assert.Contains("busruntime.v1.Runtime", services);
            Assert.Equal(Protos.Dapr.Runtime.V1.Dapr.Descriptor.Methods.Select(method => method.Name).Order(StringComparer.Ordinal), methods.Order(StringComparer.Ordinal));
            Assert.Contains("BulkPublishEvent", methods);
            Assert.Contains("SubscribeConfigurationAlpha1", methods);
        }
    }

    [Fact]
    public async Task Reflection_V1Alpha_ListsTheServedServices()
    {
        var (channel, _) = DaprSidecar.ClientFor(fixture.Sidecar);
        using (channel)
        {
            var reflection = new ReflectionV1Alpha.ServerReflection.ServerReflectionClient(channel);
            using var call = reflection.ServerReflectionInfo();
            await call.RequestStream.WriteAsync(new ReflectionV1Alpha.ServerReflectionRequest { ListServices = "" });
            await call.RequestStream.CompleteAsync();
            var services = new List<string>();
            while (await call.ResponseStream.MoveNext())
            {
                services.AddRange(call.ResponseStream.Current.ListServicesResponse?.Service.Select(service => service.Name) ?? []);
            }

            Assert.Contains("dapr.proto.runtime.v1.Dapr", services);
            Assert.Contains("busruntime.v1.Runtime", services);
            Assert.Contains("spec.proto.runtime.v1.Runtime", services);
        }
    }
}
