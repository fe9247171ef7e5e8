using BusRuntime.Testing;

namespace BusRuntime.IntegrationTests.Invoke;

/// <summary>One replica of an invoked app: its callback app and its sidecar on RabbitMQ, serving invocations.</summary>
internal sealed class InvokeReplica : IAsyncDisposable
{
    private InvokeReplica(InvokeApp app, TestSidecar sidecar)
    {
        App = app;
        Sidecar = sidecar;
    }

    public InvokeApp App { get; }

    public TestSidecar Sidecar { get; }

    public static async Task<InvokeReplica> StartAsync(string appId, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var app = await InvokeApp.StartAsync();
        var sidecar = await TestSidecar.StartAsync(appId, RabbitMqFixture.Settings(settings), app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();
        return new InvokeReplica(app, sidecar);
    }

    public async ValueTask DisposeAsync()
    {
        await Sidecar.DisposeAsync();
        await App.DisposeAsync();
    }
}
