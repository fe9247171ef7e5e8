using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.Invoke;

/// <summary>
/// Binds each configured target on top of the defaults, so <c>BusRuntime:Invoke:Targets:billing:RetryAttempts</c>
/// changes that one key for billing and every key it does not set is the default's, not the class's.
/// </summary>
public sealed class InvokeTargetsSetup(IConfiguration configuration) : IPostConfigureOptions<InvokeOptions>
{
    public void PostConfigure(string? name, InvokeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var defaults = configuration.GetSection($"{InvokeOptions.SectionName}:{nameof(InvokeOptions.Defaults)}");
        foreach (var target in configuration.GetSection($"{InvokeOptions.SectionName}:{nameof(InvokeOptions.Targets)}").GetChildren())
        {
            var policy = new InvokePolicyOptions();
            defaults.Bind(policy);
            target.Bind(policy);
            options.Targets[target.Key] = policy;
        }
    }
}
