using BusRuntime.Samples.BusService;
using MassTransit;
using Microsoft.Extensions.Options;

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddCommandLine(args, new Dictionary<string, string>
{
    ["--rabbitmq"] = "BusRuntime:RabbitMq",
    ["--publish-every"] = "BusRuntime:PublishEverySeconds",
});

builder.Services.AddOptions<BusServiceOptions>()
    .BindConfiguration(BusServiceOptions.SectionName)
    .ValidateDataAnnotations()
    .Validate(options => Uri.TryCreate(options.RabbitMq, UriKind.Absolute, out var uri) && uri.Scheme == "amqp",
        "BusRuntime:RabbitMq is not an address of the form amqp://user:password@host:port/vhost.")
    .ValidateOnStart();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddHostedService<OrderPublisher>();
builder.Services.AddMassTransit(bus =>
{
    // MassTransit 8.5 reports usage to its vendor unless told not to; a sample calls no one.
    bus.DisableUsageTelemetry();
    bus.AddConsumer<OrderEventConsumer>();
    bus.UsingRabbitMq((context, rabbitMq) =>
    {
        var options = context.GetRequiredService<IOptions<BusServiceOptions>>().Value;
        rabbitMq.Host(new Uri(options.RabbitMq), host => host.PublisherConfirmation = true);

        // The sidecars' layout: no exchange per message type, only this queue bound to the topic's exchange.
        rabbitMq.ReceiveEndpoint(OrderTopic.Queue, endpoint =>
        {
            endpoint.ConfigureConsumeTopology = false;
            endpoint.Bind(OrderTopic.Exchange);
            endpoint.ConfigureConsumer<OrderEventConsumer>(context);
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
    OrderTopic.Topic,
    OrderTopic.Queue,
    OrderTopic.Exchange);
await host.RunAsync();
return 0;
