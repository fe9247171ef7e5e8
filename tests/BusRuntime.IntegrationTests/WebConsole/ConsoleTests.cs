using System.Net;
using BusRuntime.Protos.V1;
using BusRuntime.Sidecar.Commands;
using BusRuntime.Sidecar.WebConsole;
using BusRuntime.IntegrationTests.Workflows;
using BusRuntime.Testing;
using Google.Protobuf;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using Status = BusRuntime.Protos.Dapr.Runtime.V1.TopicEventResponse.Types.TopicEventResponseStatus;

namespace BusRuntime.IntegrationTests.WebConsole;

/// <summary>
/// The web console as an operator uses it: a real sidecar, the console in front of it, and headless Chromium clicking
/// through it. The screenshots taken here are the ones docs/operations.md shows.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class ConsoleTests(RabbitMqFixture broker, ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Messages_PublishedEventFoundOpenedAndReplayed_ShowsTheReplaysNewId()
    {
        var topic = RabbitMqFixture.Unique("orders");
        await using var sidecar = await TestSidecar.StartAsync("shop");
        var published = await PublishAsync(sidecar, topic, "{\"order\":42,\"total\":\"19.90\"}");
        await using var console = await StartConsoleAsync(sidecar, new SidecarTokens(null, null));
        var page = await browser.NewPageAsync();

        await page.GotoAsync(console.Address.ToString());
        await page.GetByLabel("Topic", new() { Exact = true }).FillAsync(topic);
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        var row = page.GetByRole(AriaRole.Link, new() { Name = published, Exact = true });
        await Expect(row).ToBeVisibleAsync();

        // Following: an event published now shows up without a reload.
        await page.GetByLabel("Follow new messages").CheckAsync();
        var later = await PublishAsync(sidecar, topic, "{\"order\":43}");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = later, Exact = true })).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await page.GetByLabel("Follow new messages").UncheckAsync();
        await ConsoleBrowser.ScreenshotAsync(page, "messages");

        await page.GetByRole(AriaRole.Link, new() { Name = published, Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Message {published}" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Data")).ToContainTextAsync("\"order\": 42");
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Conversation" })).ToContainTextAsync(published);
        await ConsoleBrowser.ScreenshotAsync(page, "message");

        await page.GetByRole(AriaRole.Button, new() { Name = "Replay" }).ClickAsync();
        await Expect(page.GetByText($"topic {topic}")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, replay it" }).ClickAsync();
        var replayed = page.Locator("#replayed");
        await Expect(replayed).ToBeVisibleAsync();
        var replayId = await replayed.TextContentAsync();
        await ConsoleBrowser.ScreenshotAsync(page, "replayed");
        await replayed.ClickAsync();

        Assert.False(string.IsNullOrEmpty(replayId));
        Assert.NotEqual(published, replayId);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Message {replayId}" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = $"busruntime-replay-of {published}" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task DeadLetters_RedriveOneAndRedriveAll_EveryDeadLetterDelivered()
    {
        await using var entities = broker.Track();
        var topic = entities.Topic("refunds");
        var appId = RabbitMqFixture.Unique("billing");
        var queue = entities.Subscription(appId, topic);
        var errorQueue = RabbitMqFixture.ErrorQueue(appId, topic);
        var failing = true;
        await using var app = await SubscriberApp.StartAsync((RabbitMqFixture.PubsubName, topic));
        app.Respond = _ => Volatile.Read(ref failing) ? Status.Drop : Status.Success;
        await using var sidecar = await TestSidecar.StartAsync(appId, RabbitMqFixture.Settings(), app.Port);
        await sidecar.WaitForSubscriptionsAsync(1);
        var first = await PublishAsync(sidecar, topic, "{\"refund\":1}");
        var second = await PublishAsync(sidecar, topic, "{\"refund\":2}");
        var third = await PublishAsync(sidecar, topic, "{\"refund\":3}");
        await broker.WaitForMessageCountAsync(errorQueue, 3, Patience);
        Volatile.Write(ref failing, false);
        await using var console = await StartConsoleAsync(sidecar, new SidecarTokens(null, null));
        var page = await browser.NewPageAsync();
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();

        await page.GotoAsync(console.Address.ToString());
        await page.GetByRole(AriaRole.Link, new() { Name = "Dead letters", Exact = true }).ClickAsync();
        var deadLetters = page.GetByRole(AriaRole.Region, new() { Name = errorQueue });
        await Expect(deadLetters.GetByRole(AriaRole.Row)).ToHaveCountAsync(4);
        await ConsoleBrowser.ScreenshotAsync(page, "deadletters");
        await deadLetters.GetByRole(AriaRole.Row, new() { Name = first }).GetByRole(AriaRole.Button, new() { Name = "Redrive" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Redriven: message {first} is back on its queue.");
        await app.WaitForAsync(4, Patience);
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the dead letters" }).ClickAsync();
        await page.GetByRole(AriaRole.Region, new() { Name = errorQueue }).GetByRole(AriaRole.Button, new() { Name = "Redrive all" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Redriven 2 of 2.");
        await ConsoleBrowser.ScreenshotAsync(page, "redrive-all");

        await app.WaitForAsync(6, Patience);
        await broker.WaitForMessageCountAsync(errorQueue, 0, Patience);
        await broker.WaitForMessageCountAsync(queue, 0, Patience);
        foreach (var id in new[] { first, second, third })
        {
            // The journal has the delivery once the sidecar wrote it: the message's page shows it then.
            await Poll.UntilAsync(
                async () =>
                {
                    await page.GotoAsync($"{console.Address}messages/{id}");
                    return await page.GetByRole(AriaRole.Cell, new() { Name = "delivered", Exact = true }).CountAsync() > 0;
                },
                Patience,
                () => $"message {id} does not show as delivered");
        }

        Assert.Equal(6, app.Received.Count);
    }

    [Fact]
    public async Task Workflows_RunningInstanceTerminatedFromItsPage_EndsTerminatedWithTheReasonGiven()
    {
        await using var entities = broker.Track();
        await using var apps = await WorkflowApps.StartAsync(entities);
        await using var starter = await TestSidecar.StartAsync(RabbitMqFixture.Unique("starter"), RabbitMqFixture.Settings());
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        apps.Gates["slow-charge"] = gate;
        var id = await Workflows.Workflows.StartAsync(starter, "x", apps.Step(0, "reserve", "release"), apps.Step(1, "slow-charge", "refund"), apps.Step(2, "ship"));
        await Poll.UntilAsync(() => apps.Calls.Count == 2, Patience, () => string.Join(", ", apps.Calls));
        await using var console = await StartConsoleAsync(starter, new SidecarTokens(null, null));
        var page = await browser.NewPageAsync();
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();

        await page.GotoAsync(console.Address.ToString());
        await page.GetByRole(AriaRole.Link, new() { Name = "Workflows", Exact = true }).ClickAsync();
        await page.GetByLabel("Status").SelectOptionAsync("RUNNING");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = id, Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Steps" })).ToContainTextAsync("slow-charge");
        await page.GetByLabel("Reason").FillAsync("customer cancelled");
        await ConsoleBrowser.ScreenshotAsync(page, "workflow");
        await page.GetByRole(AriaRole.Button, new() { Name = "Terminate" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Workflow instance {id} is terminating");
        gate.SetResult();
        var workflow = await Workflows.Workflows.WaitForEndAsync(starter, id);

        Assert.Equal(WorkflowStatus.Terminated, workflow.Status);
        Assert.Equal("customer cancelled", workflow.TerminateReason);
        await page.GetByRole(AriaRole.Link, new() { Name = "See it" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Terminate" })).ToHaveCountAsync(0);
        await Expect(page.Locator(".facts")).ToContainTextAsync("TERMINATED");
    }

    [Fact]
    public async Task EveryPage_SidecarRefusesTheConsolesOperatorToken_SaysNotAuthorisedWithStatus401()
    {
        await using var sidecar = await TestSidecar.StartAsync("operated", new Dictionary<string, string?> { ["BusRuntime:OperatorToken"] = "the-operator-token" });
        await using var console = await StartConsoleAsync(sidecar, new SidecarTokens(null, "a-guess"));
        var page = await browser.NewPageAsync();

        var response = await page.GotoAsync($"{console.Address}messages");

        Assert.Equal((int)HttpStatusCode.Unauthorized, response?.Status);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("refused the console's operator token");
        await Expect(page.GetByRole(AriaRole.Table)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task EveryPage_SidecarWantsAnApiTokenTheConsoleLacks_SaysNotAuthorisedWithStatus401()
    {
        await using var sidecar = await TestSidecar.StartAsync("guarded", new Dictionary<string, string?> { ["BusRuntime:ApiToken"] = "the-api-token" });
        await using var console = await StartConsoleAsync(sidecar, new SidecarTokens(null, null));
        var page = await browser.NewPageAsync();
        await page.GotoAsync(console.Address.ToString());

        foreach (var (section, path) in new[] { ("Messages", "/messages"), ("Dead letters", "/deadletters"), ("Workflows", "/workflows"), ("Health", "/health") })
        {
            var response = await page.RunAndWaitForResponseAsync(
                () => page.GetByRole(AriaRole.Link, new() { Name = section, Exact = true }).ClickAsync(),
                response => response.Url.EndsWith(path, StringComparison.Ordinal));

            Assert.Equal((int)HttpStatusCode.Unauthorized, response.Status);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not authorised" })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("wants its API token");
            await Expect(page.GetByRole(AriaRole.Table)).ToHaveCountAsync(0);
            Assert.DoesNotContain("Exception", await page.ContentAsync(), StringComparison.Ordinal);
        }

        await ConsoleBrowser.ScreenshotAsync(page, "not-authorised");
    }

    [Fact]
    public async Task EveryPage_ConsoleHasTheApiToken_Served()
    {
        await using var sidecar = await TestSidecar.StartAsync("guarded", new Dictionary<string, string?> { ["BusRuntime:ApiToken"] = "the-api-token" });
        await using var console = await StartConsoleAsync(sidecar, new SidecarTokens("the-api-token", null));
        var page = await browser.NewPageAsync();

        var response = await page.GotoAsync($"{console.Address}health");

        Assert.Equal((int)HttpStatusCode.OK, response?.Status);
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Readiness: UP");
        await Expect(page.GetByText("guarded", new() { Exact = true })).ToBeVisibleAsync();
        await ConsoleBrowser.ScreenshotAsync(page, "health");
    }

    [Fact]
    public async Task EveryPage_SidecarNotRunning_SaysItCannotReachItWithStatus502()
    {
        await using var console = await ConsoleServer.StartAsync(
            new ConsoleOptions(new Uri("http://127.0.0.1:1"), new SidecarTokens(null, null), IPAddress.Loopback, 0), CancellationToken.None);
        using var client = new HttpClient { BaseAddress = console.Address };

        foreach (var path in new[] { "messages", "deadletters", "workflows", "health" })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            var page = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
            Assert.Contains("The console cannot reach the sidecar at http://127.0.0.1:1/. Is it running?", page, StringComparison.Ordinal);
            Assert.DoesNotContain("<table>", page, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Replay_PostedFromAnotherSite_RefusedAndNothingSent()
    {
        var topic = RabbitMqFixture.Unique("orders");
        await using var sidecar = await TestSidecar.StartAsync("shop");
        var published = await PublishAsync(sidecar, topic, "{\"order\":7}");
        await using var console = await StartConsoleAsync(sidecar, new SidecarTokens(null, null));
        var page = await browser.NewPageAsync();
        // A page of another site that posts the replay form to the console, as a forged link would make it do.
        await page.RouteAsync("http://attacker.example/**", route => route.FulfillAsync(new()
        {
            ContentType = "text/html",
            Body = $"<form method=\"post\" action=\"{console.Address}messages/{published}/replay\"><input name=\"{FormToken.FieldName}\" value=\"guessed\"></form>"
                + "<script>document.forms[0].submit()</script>",
        }));

        var response = await page.RunAndWaitForResponseAsync(
            () => page.GotoAsync("http://attacker.example/"),
            response => response.Request.Method == "POST" && response.Url.EndsWith("/replay", StringComparison.Ordinal));

        Assert.Equal((int)HttpStatusCode.Forbidden, response.Status);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("did not come from one of the console's own pages");
        var entries = (await sidecar.Operations.ListMessagesAsync(new ListMessagesRequest { Topic = topic })).Entries;
        Assert.Equal([published], entries.Select(entry => entry.MessageId));
    }

    [Fact]
    public async Task Replay_PostedWithoutTheFormToken_Refused()
    {
        await using var sidecar = await TestSidecar.StartAsync("shop");
        await using var console = await StartConsoleAsync(sidecar, new SidecarTokens(null, null));
        using var client = new HttpClient { BaseAddress = console.Address };
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { [FormToken.FieldName] = "guessed" });

        using var response = await client.PostAsync(new Uri("messages/any/replay", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task AnyPage_AddressedByAnotherName_Refused()
    {
        await using var sidecar = await TestSidecar.StartAsync("shop");
        await using var console = await StartConsoleAsync(sidecar, new SidecarTokens(null, null));
        using var client = new HttpClient { BaseAddress = console.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, "health");
        // What a page of another site sees after it rebound its own name to 127.0.0.1.
        request.Headers.Host = "rebound.example";

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
    }

    private static async Task<string> PublishAsync(TestSidecar sidecar, string topic, string json) =>
        (await sidecar.Runtime.PublishEventAsync(new PublishEventRequest
        {
            PubsubName = RabbitMqFixture.PubsubName,
            Topic = topic,
            Data = ByteString.CopyFromUtf8(json),
            DataContentType = "application/json",
        })).MessageId;

    private static Task<ConsoleServer> StartConsoleAsync(TestSidecar sidecar, SidecarTokens tokens) =>
        ConsoleServer.StartAsync(new ConsoleOptions(new Uri($"http://127.0.0.1:{sidecar.GrpcPort}"), tokens, IPAddress.Loopback, 0), CancellationToken.None);
}
