using BusRuntime.Core.Transport;
using BusRuntime.Transport.RabbitMq;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace BusRuntime.Transport.Tests.RabbitMq;

public sealed class BrokerHealthCheckTests
{
    private static readonly RabbitMqNodes Address = RabbitMqNodes.Parse("amqps://app:s3cret@broker.example/", null);

    [Fact]
    public async Task CheckHealth_NotReadyAfterAConnectionFailure_SaysWhyNamingTheBrokerWithoutThePassword()
    {
        var failure = new BrokerConnectionFailure(Address);
        await failure.Faulted(new Faulted(new InvalidOperationException("connect failed", new System.Security.Authentication.AuthenticationException("the broker's TLS certificate (CN=x) is not trusted."))));
        var check = Check(HealthCheckResult.Unhealthy("Not ready: not started"), failure);

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(
            "Not ready: not started; cannot connect to RabbitMQ at amqps://app@broker.example:5671/: the broker's TLS certificate (CN=x) is not trusted.",
            result.Description);
    }

    [Fact]
    public async Task CheckHealth_Healthy_IsMassTransitsOwn()
    {
        var failure = new BrokerConnectionFailure(Address);
        await failure.Faulted(new Faulted(new IOException("Connection refused")));
        var check = Check(HealthCheckResult.Healthy("Ready"), failure);

        Assert.Equal("Ready", (await check.CheckHealthAsync(new HealthCheckContext())).Description);
    }

    [Fact]
    public async Task CheckHealth_ReadyAgainAfterAFailure_ForgetsIt()
    {
        var failure = new BrokerConnectionFailure(Address);
        await failure.Faulted(new Faulted(new IOException("Connection refused")));
        await failure.Ready(null!);
        var check = Check(HealthCheckResult.Unhealthy("Not ready: stopping"), failure);

        Assert.Equal("Not ready: stopping", (await check.CheckHealthAsync(new HealthCheckContext())).Description);
    }

    // No connection was ever lost: MassTransit's verdict stands (the reconnecting case needs a broker: ClusterPublishTests).
    private static BrokerHealthCheck Check(HealthCheckResult result, BrokerConnectionFailure failure) =>
        new(new Fixed(result), failure, new ConnectionLossWatch(
            new BusConnection(new ServiceCollection().BuildServiceProvider()),
            new SendInterruptions(new RabbitMqBusTransport(quorumQueues: false), TimeProvider.System),
            new RunningHost(),
            TimeProvider.System,
            NullLogger<ConnectionLossWatch>.Instance));

    private sealed class RunningHost : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }

    private sealed class Fixed(HealthCheckResult result) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) => Task.FromResult(result);
    }

    private sealed class Faulted(Exception exception) : ReceiveEndpointFaulted
    {
        public Exception Exception { get; } = exception;

        public Uri InputAddress { get; } = new("rabbitmq://broker.example/busruntime");

        public IReceiveEndpoint ReceiveEndpoint => throw new NotSupportedException();
    }
}
