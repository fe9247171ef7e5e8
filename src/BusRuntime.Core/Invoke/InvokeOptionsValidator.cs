using System.ComponentModel.DataAnnotations;
using BusRuntime.Core.Configuration;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.Invoke;

/// <summary>Checks the defaults and every target's governance, naming each bad key in full.</summary>
public sealed class InvokeOptionsValidator : IValidateOptions<InvokeOptions>
{
    public ValidateOptionsResult Validate(string? name, InvokeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Check(options.Defaults, $"{InvokeOptions.SectionName}:{nameof(InvokeOptions.Defaults)}", failures);
        foreach (var (appId, policy) in options.Targets)
        {
            var key = $"{InvokeOptions.SectionName}:{nameof(InvokeOptions.Targets)}:{appId}";
            if (!Names.IsValidAppId(appId))
            {
                failures.Add($"{key}: '{appId}' is not an app id; app ids match {Names.AppIdPattern}.");
            }

            Check(policy, key, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(InvokePolicyOptions policy, string key, List<string> failures)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(policy, new ValidationContext(policy), results, validateAllProperties: true);
        failures.AddRange(results.Select(result => $"{key}:{result.ErrorMessage}"));
        if (policy.RetryMaxDelay < policy.RetryDelay)
        {
            failures.Add($"{key}:RetryMaxDelay {policy.RetryMaxDelay} is shorter than RetryDelay {policy.RetryDelay}.");
        }

        if (policy.IdempotentMethods.Any(string.IsNullOrEmpty))
        {
            failures.Add($"{key}:IdempotentMethods has an empty entry.");
        }
    }
}
