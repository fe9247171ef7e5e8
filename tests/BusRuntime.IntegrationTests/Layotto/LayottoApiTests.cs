using BusRuntime.Grpc.PubSub;
using BusRuntime.IntegrationTests.Invoke;
using BusRuntime.Protos.Layotto.Runtime.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using DaprInvokeResponse = BusRuntime.Protos.Dapr.Common.V1.InvokeResponse;
using Status = BusRuntime.Protos.Layotto.Runtime.V1.TopicEventResponse.Types.TopicEventResponseStatus;

namespace BusRuntime.IntegrationTests.Layotto;

/// <summary>
/// Layotto's spec.proto.runtime.v1.Runtime, driven by a client generated from Layotto's protos, against sidecars on
/// RabbitMQ with their default stores on PostgreSQL; and an app serving Layotto's AppCallback receiving events.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class LayottoApiTests(RabbitMqFixture broker, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task StateRpcs_OnPostgres_SaveGetBulkTransactionAndDeletesAsLayottoClientsCallThem()
    {
        await using var sidecar = await StartAsync(RabbitMqFixture.Unique("layotto-state"));
        using var channel = Channel(sidecar);
        var layotto = new Runtime.RuntimeClient(channel);
        const string store = "statestore";

        await layotto.SaveStateAsync(new SaveStateRequest { StoreName = store, States = { Item("a", "1"), Item("b", "2") } });
        var first = await layotto.GetStateAsync(new GetStateRequest { StoreName = store, Key = "a" });
        await layotto.SaveStateAsync(new SaveStateRequest { StoreName = store, States = { Item("a", "1b") } });
        var a = await layotto.GetStateAsync(new GetStateRequest { StoreName = store, Key = "a" });
        var stale = Item("a", "lost");
        stale.Etag = new Etag { Value = first.Etag };
        stale.Options = new StateOptions { Concurrency = StateOptions.Types.StateConcurrency.ConcurrencyFirstWrite };
        var conflict = await Assert.ThrowsAsync<RpcException>(async () => await layotto.SaveStateAsync(new SaveStateRequest { StoreName = store, States = { stale } }));
        await layotto.ExecuteStateTransactionAsync(new ExecuteStateTransactionRequest
        {
            StoreName = store,
            Operations =
            {
                new TransactionalStateOperation { OperationType = "upsert", Request = Item("c", "3") },
                new TransactionalStateOperation { OperationType = "delete", Request = new StateItem { Key = "b" } },
            },
        });
        var bulk = await layotto.GetBulkStateAsync(new GetBulkStateRequest { StoreName = store, Keys = { "a", "b", "c" } });
        await layotto.DeleteStateAsync(new DeleteStateRequest { StoreName = store, Key = "a", Etag = new Etag { Value = a.Etag } });
        await layotto.DeleteBulkStateAsync(new DeleteBulkStateRequest { StoreName = store, States = { new StateItem { Key = "c" } } });
        var after = await layotto.GetBulkStateAsync(new GetBulkStateRequest { StoreName = store, Keys = { "a", "c" } });

        Assert.Equal("1", first.Data.ToStringUtf8());
        Assert.Equal(StatusCode.Aborted, conflict.StatusCode);
        Assert.Equal([("a", "1b"), ("b", ""), ("c", "3")], bulk.Items.Select(item => (item.Key, item.Data.ToStringUtf8())).OrderBy(pair => pair.Key));
        Assert.All(after.Items, item => Assert.True(item.Data.IsEmpty, item.Key));
    }

    [Fact]
    public async Task LockSequencerAndSecretRpcs_OnPostgres_LeasesRenewedIdsIncreasingSecretsRead()
    {
        var appId = RabbitMqFixture.Unique("layotto-locks");
        await using var sidecar = await StartAsync(appId);
        using var channel = Channel(sidecar);
        var layotto = new Runtime.RuntimeClient(channel);
        var secret = $"BUSRUNTIME_LAYOTTO_IT_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(secret, "s3cret");
        try
        {
            var taken = await layotto.TryLockAsync(new TryLockRequest { StoreName = "lockstore", ResourceId = "invoice-7", LockOwner = "w1", Expire = 1 });
            var renewed = await layotto.LockKeepAliveAsync(new LockKeepAliveRequest { StoreName = "lockstore", ResourceId = "invoice-7", LockOwner = "w1", Expire = 60 });
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            var contended = await layotto.TryLockAsync(new TryLockRequest { StoreName = "lockstore", ResourceId = "invoice-7", LockOwner = "w2", Expire = 60 });
            var byOther = await layotto.UnlockAsync(new UnlockRequest { StoreName = "lockstore", ResourceId = "invoice-7", LockOwner = "w2" });
            var released = await layotto.UnlockAsync(new UnlockRequest { StoreName = "lockstore", ResourceId = "invoice-7", LockOwner = "w1" });
            var first = await layotto.GetNextIdAsync(new GetNextIdRequest { StoreName = "sequencer", Key = "invoice" });
            var second = await layotto.GetNextIdAsync(new GetNextIdRequest { StoreName = "sequencer", Key = "invoice" });
            var one = await layotto.GetSecretAsync(new GetSecretRequest { StoreName = "envsecrets", Key = secret });
            var all = await layotto.GetBulkSecretAsync(new GetBulkSecretRequest { StoreName = "envsecrets" });

            Assert.True(taken.Success);
            Assert.Equal(LockKeepAliveResponse.Types.Status.Success, renewed.Status);
            Assert.False(contended.Success);
            Assert.Equal(UnlockResponse.Types.Status.LockBelongToOthers, byOther.Status);
            Assert.Equal(UnlockResponse.Types.Status.Success, released.Status);
            Assert.Equal((1, 2), (first.NextId, second.NextId));
            Assert.Equal("s3cret", one.Data[secret]);
            Assert.Equal("s3cret", all.Data[secret].Secrets[secret]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(secret, null);
        }
    }

    [Fact]
    public async Task ConfigurationRpcs_OnPostgres_OneStreamFollowsTwoGroupsAndSeesAnotherReplicasChangesAndDeletes()
    {
        var appId = RabbitMqFixture.Unique("layotto-config");
        var settings = Settings();
        await using var sidecar = await TestSidecar.StartAsync(appId, settings);
        await using var replica = await TestSidecar.StartAsync(appId, settings);
        using var channel = Channel(sidecar);
        using var replicaChannel = Channel(replica);
        var layotto = new Runtime.RuntimeClient(channel);
        var writer = new Runtime.RuntimeClient(replicaChannel);
        const string store = "configstore";
        await layotto.SaveConfigurationAsync(new SaveConfigurationRequest
        {
            StoreName = store,
            Items = { new ConfigurationItem { Key = "timeout", Content = "30s", Group = "g1" }, new ConfigurationItem { Key = "retries", Content = "3", Group = "g2" } },
        });
        using var timeout = new CancellationTokenSource(Wait);
        using var call = layotto.SubscribeConfiguration(cancellationToken: timeout.Token);

        await call.RequestStream.WriteAsync(new SubscribeConfigurationRequest { StoreName = store, Group = "g1" });
        var g1 = await NextAsync(call, timeout.Token);
        await call.RequestStream.WriteAsync(new SubscribeConfigurationRequest { StoreName = store, Group = "g2" });
        var g2 = await NextAsync(call, timeout.Token);
        await writer.SaveConfigurationAsync(new SaveConfigurationRequest { StoreName = store, Items = { new ConfigurationItem { Key = "retries", Content = "5", Group = "g2" } } });
        var changed = await NextAsync(call, timeout.Token);
        await writer.SaveConfigurationAsync(new SaveConfigurationRequest { StoreName = store, Items = { new ConfigurationItem { Key = "timeout", Content = "", Group = "g1" } } });
        var deleted = await NextAsync(call, timeout.Token);
        await writer.DeleteConfigurationAsync(new DeleteConfigurationRequest { StoreName = store, Group = "g2", Keys = { "retries" } });
        var deletedByDelete = await NextAsync(call, timeout.Token);
        var left = await layotto.GetConfigurationAsync(new GetConfigurationRequest { StoreName = store, AppId = appId, Group = "g1" });

        Assert.Equal(("timeout", "30s"), Only(g1));
        Assert.Equal(("retries", "3"), Only(g2));
        Assert.Equal(("retries", "5"), Only(changed));
        Assert.Equal(("timeout", ""), Only(deleted));
        Assert.Equal(("retries", ""), Only(deletedByDelete));
        Assert.Equal((store, appId), (deleted.StoreName, deleted.AppId));
        Assert.Empty(left.Items);
    }

    [Fact]
    public async Task PublishEvent_LayottoAppOnAnotherSidecarAndAStreamSubscriber_BothGetTheEventWithTheMessageIdOfTheHeader()
    {
        await using var entities = broker.Track();
        var topic = entities.Topic("layotto");
        var subscriberId = RabbitMqFixture.Unique("layotto-app");
        var streamId = RabbitMqFixture.Unique("layotto-stream");
        entities.Subscription(subscriberId, topic);
        entities.Subscription(streamId, topic);
        await using var app = await LayottoSubscriberApp.StartAsync((RabbitMqFixture.PubsubName, topic));
        await using var subscriber = await TestSidecar.StartAsync(subscriberId, Settings(), app.Port);
        await using var streaming = await StartAsync(streamId);
        await using var publisher = await StartAsync(RabbitMqFixture.Unique("layotto-shop"));
        await subscriber.WaitForSubscriptionsAsync(1, Wait);
        using var streamChannel = Channel(streaming);
        using var publishChannel = Channel(publisher);
        using var timeout = new CancellationTokenSource(Wait);
        using var stream = new Runtime.RuntimeClient(streamChannel).SubscribeTopicEvents(cancellationToken: timeout.Token);
        await stream.RequestStream.WriteAsync(new SubscribeTopicEventsRequest
        {
            InitialRequest = new SubscribeTopicEventsRequestInitial { PubsubName = RabbitMqFixture.PubsubName, Topic = topic },
        });
        Assert.True(await stream.ResponseStream.MoveNext(timeout.Token));

        using var publish = new Runtime.RuntimeClient(publishChannel).PublishEventAsync(new PublishEventRequest
        {
            PubsubName = RabbitMqFixture.PubsubName,
            Topic = topic,
            Data = ByteString.CopyFromUtf8("{\"order\":7}"),
            DataContentType = "application/json",
            Metadata = { ["tenant"] = "acme" },
        });
        await publish;
        var messageId = (await publish.ResponseHeadersAsync).GetValue(PubSubRpcs.MessageIdHeader);
        await app.WaitForAsync(1, Wait);
        Assert.True(await stream.ResponseStream.MoveNext(timeout.Token));
        var streamed = stream.ResponseStream.Current.EventMessage;
        await stream.RequestStream.WriteAsync(new SubscribeTopicEventsRequest
        {
            EventProcessed = new SubscribeTopicEventsRequestProcessed { Id = streamed.Id, Status = new TopicEventResponse { Status = Status.Success } },
        });
        await stream.RequestStream.CompleteAsync();

        var received = Assert.Single(app.Received);
        Assert.False(string.IsNullOrEmpty(messageId));
        Assert.Equal(messageId, received.Id);
        Assert.Equal(messageId, streamed.Id);
        Assert.Equal("{\"order\":7}", received.Data.ToStringUtf8());
        Assert.Equal("acme", received.Metadata["tenant"]);
        Assert.Equal("acme", streamed.Metadata["tenant"]);
    }

    [Fact]
    public async Task InvokeService_AnotherAppOverRabbitMq_AnyDataBothWays()
    {
        var billing = RabbitMqFixture.Unique("layotto-billing");
        await using var target = await InvokeReplica.StartAsync(billing);
        target.App.Respond = (request, _) => Task.FromResult(new DaprInvokeResponse { Data = Any.Pack(new StringValue { Value = request.Data.Unpack<StringValue>().Value + "!" }) });
        await using var caller = await TestSidecar.StartAsync(RabbitMqFixture.Unique("layotto-caller"), RabbitMqFixture.Settings());
        using var channel = Channel(caller);

        var response = await new Runtime.RuntimeClient(channel).InvokeServiceAsync(
            new InvokeServiceRequest { Id = billing, Message = new CommonInvokeRequest { Method = "charge", Data = Any.Pack(new StringValue { Value = "42" }) } },
            deadline: DateTime.UtcNow.Add(Wait));

        Assert.Equal("42!", response.Data.Unpack<StringValue>().Value);
        Assert.Equal("charge", Assert.Single(target.App.Received).Request.Method);
    }

    [Fact]
    public async Task FileHelloAndBindingRpcs_FilesOnPostgresAndABindingToARabbitMqQueue_AsLayottoClientsCallThem()
    {
        await using var entities = broker.Track();
        var queue = RabbitMqFixture.Unique("layotto-binding");
        entities.Queue(queue);
        var factory = new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(RabbitMqFixture.Address) };
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var declare = await connection.CreateChannelAsync())
        {
            await declare.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        }

        var settings = Settings();
        settings["BusRuntime:Components:0:Name"] = "pgfiles";
        settings["BusRuntime:Components:0:Type"] = "file.postgresql";
        settings["BusRuntime:Components:1:Name"] = "orders-queue";
        settings["BusRuntime:Components:1:Type"] = "bindings.rabbitmq";
        settings["BusRuntime:Components:1:Metadata:queueName"] = queue;
        await using var sidecar = await TestSidecar.StartAsync(RabbitMqFixture.Unique("layotto-files"), settings);
        using var channel = Channel(sidecar);
        var layotto = new Runtime.RuntimeClient(channel);
        var content = Enumerable.Range(0, 300_000).Select(index => (byte)(index % 253)).ToArray();

        using (var put = layotto.PutFile())
        {
            await put.RequestStream.WriteAsync(new PutFileRequest { StoreName = "pgfiles", Name = "invoices/7.pdf", Data = ByteString.CopyFrom(content, 0, 100_000) });
            await put.RequestStream.WriteAsync(new PutFileRequest { Data = ByteString.CopyFrom(content, 100_000, 200_000) });
            await put.RequestStream.CompleteAsync();
            await put;
        }

        var read = new MemoryStream();
        using (var get = layotto.GetFile(new GetFileRequest { StoreName = "pgfiles", Name = "invoices/7.pdf" }))
        {
            while (await get.ResponseStream.MoveNext(CancellationToken.None))
            {
                get.ResponseStream.Current.Data.WriteTo(read);
            }
        }

        var listed = await layotto.ListFileAsync(new ListFileRequest { Request = new FileRequest { StoreName = "pgfiles", Name = "invoices" }, PageSize = 10 });
        var meta = await layotto.GetFileMetaAsync(new GetFileMetaRequest { Request = new FileRequest { StoreName = "pgfiles", Name = "invoices/7.pdf" } });
        await layotto.DelFileAsync(new DelFileRequest { Request = new FileRequest { StoreName = "pgfiles", Name = "invoices/7.pdf" } });
        var gone = await Assert.ThrowsAsync<RpcException>(async () =>
            await layotto.GetFileMetaAsync(new GetFileMetaRequest { Request = new FileRequest { StoreName = "pgfiles", Name = "invoices/7.pdf" } }));
        var hello = await layotto.SayHelloAsync(new SayHelloRequest { ServiceName = "quick_start_demo", Name = "rabbit" });
        await layotto.InvokeBindingAsync(new InvokeBindingRequest { Name = "orders-queue", Operation = "create", Data = ByteString.CopyFromUtf8("{\"order\":7}") });

        Assert.Equal(content, read.ToArray());
        Assert.Equal(("invoices/7.pdf", content.Length, false), (Assert.Single(listed.Files).FileName, Assert.Single(listed.Files).Size, listed.IsTruncated));
        Assert.Equal(content.Length, meta.Size);
        Assert.Equal(StatusCode.NotFound, gone.StatusCode);
        Assert.Equal("greeting, rabbit", hello.Hello);
        Assert.Equal(1u, await broker.MessageCountAsync(queue));
    }

    private Dictionary<string, string?> Settings() => postgres.Settings(postgres.Server.NewSchema(), more: RabbitMqFixture.Settings());

    private Task<TestSidecar> StartAsync(string appId) => TestSidecar.StartAsync(appId, Settings());

    private static GrpcChannel Channel(TestSidecar sidecar) => GrpcChannel.ForAddress($"http://127.0.0.1:{sidecar.GrpcPort}");

    private static StateItem Item(string key, string value) => new() { Key = key, Value = ByteString.CopyFromUtf8(value) };

    private static async Task<SubscribeConfigurationResponse> NextAsync(
        AsyncDuplexStreamingCall<SubscribeConfigurationRequest, SubscribeConfigurationResponse> call, CancellationToken cancellationToken)
    {
        Assert.True(await call.ResponseStream.MoveNext(cancellationToken));
        return call.ResponseStream.Current;
    }

    private static (string Key, string Content) Only(SubscribeConfigurationResponse response)
    {
        var item = Assert.Single(response.Items);
        return (item.Key, item.Content);
    }
}
