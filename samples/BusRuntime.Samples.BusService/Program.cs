using BusRuntime.Contracts;
using BusRuntime.Samples.BusService;
using MassTransit;
using Microsoft.Extensions.Options;

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddCommandLine(args, new Dictionary<string, string>
{
    ["--rabbitmq"] = "BusRuntime:RabbitMq",
    ["--app-id"] = "BusRuntime:AppId",
    ["--publish-every"] = "BusRuntime:PublishEverySeconds",
});

builder.Services.AddOptions<BusServiceOptions>()
    .BindConfiguration(BusServiceOptions.SectionName)
    .ValidateDataAnnotations()
    .Validate(options => Uri.TryCreate(options.RabbitMq, UriKind.Absolute, out var uri) && uri.Scheme == "amqp",
        "BusRuntime:RabbitMq is not an address of the form amqp://user:password@host:port/vhost.")
    .ValidateOnStart();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<OrderLedger>();
builder.Services.AddHostedService<OrderPublisher>();
builder.Services.AddMassTransit(bus =>
{
    // MassTransit 8.5 reports usage to its vendor unless told not to; a sample calls no one.
    bus.DisableUsageTelemetry();
    bus.AddConsumer<OrderEventConsumer>();
    bus.AddConsumer<OrderInvokeConsumer>();
    bus.UsingRabbitMq((context, rabbitMq) =>
    {
        var options = context.GetRequiredService<IOptions<BusServiceOptions>>().Value;
        rabbitMq.Host(new Uri(options.RabbitMq), host => host.PublisherConfirmation = true);

        // The sidecars' layout: no exchange per message type, only this queue bound to the topic's exchange.
        rabbitMq.ReceiveEndpoint(OrderTopic.Queue(options.AppId), endpoint =>
        {
            endpoint.ConfigureConsumeTopology = false;
            endpoint.Bind(OrderTopic.Exchange);
            endpoint.ConfigureConsumer<OrderEventConsumer>(context);
        });

        // Invocations of this app id, exactly as the sidecars lay them out (InvokeNames): replicas share
        // one queue that goes with its last consumer, bound to the exchange callers send to.
        rabbitMq.ReceiveEndpoint(InvokeNames.Queue(options.AppId), endpoint =>
        {
            endpoint.ConfigureConsumeTopology = false;
            endpoint.Durable = true;
            endpoint.AutoDelete = true;
            endpoint.Bind(InvokeNames.Exchange(options.AppId));
            endpoint.ConfigureConsumer<OrderInvokeConsumer>(context);
        });
    });
});

using var host = builder.Build();
BusServiceOptions settings;
try
{
    settings = host.Services.GetRequiredService<IOptions<BusServiceOptions>>().Value;
}
catch (OptionsValidationException invalid)
{
    await Console.Error.WriteLineAsync($"order-audit cannot start: {string.Join(" ", invalid.Failures)}");
    return 2;
}

Log.Joining(
    host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("BusRuntime.Samples.BusService"),
    new Uri(settings.RabbitMq).GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped),
    settings.AppId,
    OrderTopic.Topic,
    OrderTopic.Queue(settings.AppId),
    OrderTopic.Exchange,
    InvokeNames.Queue(settings.AppId));
await host.RunAsync();
return 0;
