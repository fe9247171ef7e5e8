using BusRuntime.Core.Invoke;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.Tests.Invoke;

public sealed class InvokeOptionsTests
{
    [Fact]
    public async Task PolicyFor_TargetSetsOneKey_EveryOtherKeyIsTheConfiguredDefault()
    {
        await using var core = await CoreHarness.StartAsync(new Dictionary<string, string?>
        {
            ["BusRuntime:Invoke:Defaults:RetryAttempts"] = "5",
            ["BusRuntime:Invoke:Defaults:IdempotentMethods:0"] = "status",
            ["BusRuntime:Invoke:Targets:billing:Timeout"] = "00:00:01",
            ["BusRuntime:Invoke:Targets:billing:IdempotentMethods:0"] = "lookup",
        });
        var options = core.Get<IOptions<InvokeOptions>>().Value;

        var billing = options.PolicyFor("billing");
        var other = options.PolicyFor("shipping");

        Assert.Equal(TimeSpan.FromSeconds(1), billing.Timeout);
        Assert.Equal(5, billing.RetryAttempts);
        Assert.Equal(["status", "lookup"], billing.IdempotentMethods);
        Assert.Null(other.Timeout);
        Assert.Equal(5, other.RetryAttempts);
        Assert.Same(options.Defaults, other);
    }

    [Fact]
    public void Validate_BadValues_NamesEveryKeyInFull()
    {
        var options = new InvokeOptions
        {
            Defaults = new InvokePolicyOptions { RetryDelay = TimeSpan.FromSeconds(3), RetryMaxDelay = TimeSpan.FromSeconds(1) },
            Targets =
            {
                ["billing"] = new InvokePolicyOptions { ConcurrencyLimit = 0, IdempotentMethods = [""] },
                ["bill ing"] = new InvokePolicyOptions(),
            },
        };

        var result = new InvokeOptionsValidator().Validate(null, options);

        Assert.Equal(
            [
                "BusRuntime:Invoke:Defaults:RetryMaxDelay 00:00:01 is shorter than RetryDelay 00:00:03.",
                "BusRuntime:Invoke:Targets:billing:ConcurrencyLimit must be between 1 and 100000.",
                "BusRuntime:Invoke:Targets:billing:IdempotentMethods has an empty entry.",
                "BusRuntime:Invoke:Targets:bill ing: 'bill ing' is not an app id; app ids match ^[A-Za-z0-9][A-Za-z0-9_-]{0,47}$.",
            ],
            result.Failures);
    }

    [Theory]
    [InlineData("GET", "create", true)]
    [InlineData("delete", "create", true)]
    [InlineData("POST", "create", false)]
    [InlineData("", "create", false)]
    [InlineData("POST", "lookup", true)]
    public async Task IsIdempotent_ByVerbOrListedMethod(string verb, string method, bool idempotent)
    {
        await using var core = await CoreHarness.StartAsync(new Dictionary<string, string?> { ["BusRuntime:Invoke:Targets:billing:IdempotentMethods:0"] = "lookup" });

        var result = core.Get<InvokeGovernance>().IsIdempotent(new InvokeCall("billing", method, Array.Empty<byte>(), "", verb, "", new Dictionary<string, string>()));

        Assert.Equal(idempotent, result);
    }
}
